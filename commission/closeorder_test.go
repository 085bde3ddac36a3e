package commission_test

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/tiers"
)

// step is one arrival of TestBindingsAndClosesInOrder: an event, a
// binding of a customer (with the call a program makes after it), or a
// close of a month (with the Retier calls it asks for).
type step struct {
	event affiliate.Event
	bind  affiliate.CustomerID
	close time.Month
}

// TestBindingsAndClosesInOrder runs named arrival orders, one
// TestPropertyBindingsAndClosesOrderIndependent found and one near it,
// and checks the net ledger and the net per month against the
// reference run (every binding first, events in time order, each month
// closed at the end), which the case states too. A tier close finds the
// affiliates a decision may re-price from the earnings aggregate, so a
// 0.00 entry must file a row there.
func TestBindingsAndClosesInOrder(t *testing.T) {
	feb, mar := day(time.February, 1), day(time.March, 1)
	eurPayOf := func(id, customer string, at time.Time, amount string) affiliate.Payment {
		return pay(id, customer, at, "EUR", line(affiliate.LineSubscription, amount, "EUR"))
	}
	bigFeb := eurPayOf("big", "c1", feb, "10000.00")
	tinyMar := eurPayOf("tiny", "c2", mar, "0.03") // 15% is 0.00, 20% is 0.01
	tinyRefund := refund("tiny-r", "tiny", "c2", mar, "0.01", "EUR")
	cases := []struct {
		name     string
		policy   tiers.Policy
		bindings map[affiliate.CustomerID]affiliate.AffiliateID
		steps    []step // the events are the steps' events
		want     []string
	}{{
		// The order the property shrank to (three customers there):
		// February's revenue makes a2 Premium for March, and a2's only
		// March payment earns 0.00 at Standard, 0.01 at Premium.
		name:     "bound after the close that decides the next month",
		policy:   tiers.NextPeriod,
		bindings: map[affiliate.CustomerID]affiliate.AffiliateID{"c1": "a2", "c2": "a2"},
		steps: []step{{event: bigFeb}, {event: tinyMar}, {event: tinyRefund},
			{bind: "c2"}, {close: time.February}, {bind: "c1"}},
		want: []string{"a2/big/commission=1500.00 EUR", "a2/tiny/commission=0.01 EUR"},
	}, {
		// a0 reaches Premium in February through a customer bound after
		// February's first close; its bonus on its sub-affiliate a1's
		// March payment of 0.06 is 5% (0.00) at Standard, 10% (0.01) at
		// Premium, and is a0's only March entry.
		name:     "parent's only entry next month a 0.00 bonus",
		policy:   tiers.NextPeriod,
		bindings: map[affiliate.CustomerID]affiliate.AffiliateID{"c1": "a0", "c2": "a1"},
		steps: []step{{event: bigFeb}, {bind: "c2"}, {event: eurPayOf("small", "c2", mar, "0.06")},
			{close: time.February}, {bind: "c1"}},
		want: []string{"a0/big/commission=1500.00 EUR", "a0/small/sub_affiliate_bonus=0.01 EUR", "a1/small/commission=0.01 EUR"},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bindings := map[affiliate.CustomerID]affiliate.Binding{}
			for c, a := range tc.bindings {
				bindings[c] = affiliate.Binding{Customer: c, Affiliate: a, Source: affiliate.BindByManual, BoundAt: jan15}
			}
			var events []affiliate.Event
			for _, s := range tc.steps {
				if s.event != nil {
					events = append(events, s.event)
				}
			}
			slices.SortStableFunc(events, func(a, b affiliate.Event) int { return a.EventTime().Compare(b.EventTime()) })

			ref := newTieredWorld(t, tc.policy, 0)
			for _, c := range slices.Sorted(maps.Keys(bindings)) {
				ref.bind(t, bindings[c], false)
			}
			for _, ev := range events {
				if _, err := ref.eng.Record(ref.ctx, ev); err != nil {
					t.Fatal(err)
				}
			}
			for m := time.January; m <= time.March; m++ {
				ref.close(t, m)
			}
			if got := ref.net(t); !slices.Equal(got, tc.want) {
				t.Fatalf("reference net ledger\n got: %q\nwant: %q", got, tc.want)
			}

			w := newTieredWorld(t, tc.policy, 0)
			for _, s := range tc.steps {
				switch {
				case s.event != nil:
					if _, err := w.eng.Record(w.ctx, s.event); err != nil {
						t.Fatal(err)
					}
				case s.bind != "":
					w.bind(t, bindings[s.bind], true)
				default:
					w.close(t, s.close)
				}
			}
			for m := time.January; m <= time.March; m++ {
				w.close(t, m)
			}
			if got := w.net(t); !slices.Equal(got, tc.want) {
				t.Errorf("net ledger in this order\n got: %q\nwant: %q", got, tc.want)
			}
			wantMonthly := (&system{ctx: ref.ctx, store: ref.store}).monthly(t)
			if got := (&system{ctx: w.ctx, store: w.store}).monthly(t); !slices.Equal(got, wantMonthly) {
				t.Errorf("monthly nets in this order\n got: %q\nwant: %q", got, wantMonthly)
			}
		})
	}
}
