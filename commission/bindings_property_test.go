package commission_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"testing"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage/memstore"
	"github.com/openaffiliate/affiliate/tiers"
)

// tieredWorld is a store, a tier program (seed 000's schedule) and an
// engine pricing with seed 000's rules through it.
type tieredWorld struct {
	ctx   context.Context
	store *memstore.Store
	prog  *tiers.Program
	eng   *commission.Engine
}

func newTieredWorld(t tb, policy tiers.Policy, keepFor int) *tieredWorld {
	ctx := context.Background()
	st := memstore.New()
	schedule := tiers.MustSchedule(
		tiers.Tier{Name: "Standard", Rate: affiliate.MustPercent("15"), BonusRate: affiliate.MustPercent("5")},
		tiers.Tier{Name: "Premium", Threshold: tiers.Amount(affiliate.MustParseMoney("10000", "EUR")), Rate: affiliate.MustPercent("20"), BonusRate: affiliate.MustPercent("10")},
	)
	prog, err := tiers.New(tiers.Config{Store: st, Schedule: schedule, Currency: "EUR", Policy: policy, KeepFor: keepFor})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := commission.New(commission.Config{
		Store: st, Terms: []commission.TermsVersion{{Version: "v1", Rule: rules.AllOf{rules.TierRate{}, rules.SubAffiliateBonus{}}}},
		// The clock is after every event, as it is for a host: entries
		// a recompute writes are dated at it.
		Tiers: prog, Currency: "EUR", RequireConversion: true, Now: func() time.Time { return time.Date(2026, time.April, 1, 0, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []affiliate.Affiliate{aff("a0", ""), aff("a1", "a0"), aff("a2", "")} {
		if err := st.PutAffiliate(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	return &tieredWorld{ctx: ctx, store: st, prog: prog, eng: eng}
}

// bind binds c and, when bound is set, makes the call a program makes
// right after a binding.
func (w *tieredWorld) bind(t tb, b affiliate.Binding, bound bool) {
	if _, err := w.store.Bind(w.ctx, b); err != nil {
		t.Fatal(err)
	}
	if bound {
		if _, err := w.eng.Bound(w.ctx, b.Customer); err != nil {
			t.Fatalf("Bound(%s): %v", b.Customer, err)
		}
	}
}

// close closes month m of 2026 and re-prices what it changed.
func (w *tieredWorld) close(t tb, m time.Month) {
	per := affiliate.PeriodOf(time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC), time.UTC)
	res, err := w.prog.Close(w.ctx, per, time.Date(2026, time.April, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatalf("Close(%s): %v", per, err)
	}
	for _, c := range res.Affected {
		if _, err := w.eng.Retier(w.ctx, c.Affiliate, c.From); err != nil {
			t.Fatalf("Retier(%s): %v", c.Affiliate, err)
		}
	}
}

// net is the ledger's non-zero nets per beneficiary, payment and kind.
func (w *tieredWorld) net(t tb) []string {
	var out []string
	for _, s := range netStrings(netOf(w.ledger(t))) {
		if !strings.HasSuffix(s, "=0.00 EUR") {
			out = append(out, s)
		}
	}
	return out
}

func (w *tieredWorld) ledger(t tb) []affiliate.Entry {
	return (&system{ctx: w.ctx, store: w.store}).ledger(t)
}

// I2 with bindings and tier closes: payments, refunds, bindings and
// closes (each followed by Retier) in any order, then a final close of
// every month, give the net ledger and the net per month of the reference
// run (every binding first, events in time order, closes at the end):
// binding late loses nothing, and whether a close ran before late events
// does not matter.
func TestPropertyBindingsAndClosesOrderIndependent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		policy := rapid.SampledFrom([]tiers.Policy{tiers.Retroactive, tiers.NextPeriod}).Draw(t, "policy")
		keepFor := rapid.IntRange(0, 1).Draw(t, "keepFor")
		var bindings []affiliate.Binding
		var events []affiliate.Event
		for ci := range rapid.IntRange(1, 3).Draw(t, "customers") {
			c := affiliate.CustomerID(fmt.Sprintf("c%d", ci))
			a := rapid.SampledFrom([]affiliate.AffiliateID{"a0", "a1", "a2"}).Draw(t, string(c)+" affiliate")
			bindings = append(bindings, affiliate.Binding{Customer: c, Affiliate: a, Source: affiliate.BindByManual, BoundAt: jan15})
			for pi := range rapid.IntRange(1, 4).Draw(t, string(c)+" payments") {
				id := affiliate.EventID(fmt.Sprintf("%s-p%d", c, pi))
				at := time.Date(2026, time.Month(rapid.IntRange(1, 3).Draw(t, string(id)+" month")), rapid.IntRange(1, 28).Draw(t, string(id)+" day"), 12, 0, 0, 0, time.UTC)
				// Often 0.03 EUR, whose 15% rounds to 0.00 and 20% to 0.01
				// (TestZeroAccrual in tiers).
				total := rapid.OneOf(rapid.Just[int64](3), rapid.Int64Range(1, 8_000_00)).Draw(t, string(id)+" amount")
				events = append(events, affiliate.Payment{ID: id, Customer: c, PaidAt: at, Currency: "EUR",
					Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(total, "EUR")}}})
				if rapid.Bool().Draw(t, string(id)+" refunded") {
					r := affiliate.Refund{ID: id + "-r", Payment: id, Customer: c, Kind: affiliate.KindRefund,
						RefundedAt: at.AddDate(0, 0, rapid.IntRange(0, 20).Draw(t, string(id)+" refund after")),
						Amount:     affiliate.MustMoney(rapid.Int64Range(1, total).Draw(t, string(id)+" refund amount"), "EUR")}
					events = append(events, r)
				}
			}
		}
		slices.SortStableFunc(events, func(a, b affiliate.Event) int { return a.EventTime().Compare(b.EventTime()) })

		ref := newTieredWorld(t, policy, keepFor)
		for _, b := range bindings {
			ref.bind(t, b, false)
		}
		for _, ev := range events {
			if _, err := ref.eng.Record(ref.ctx, ev); err != nil {
				t.Fatalf("reference Record(%s): %v", ev.EventID(), err)
			}
		}
		for m := time.January; m <= time.March; m++ {
			ref.close(t, m)
		}
		want := ref.net(t)
		wantMonthly := (&system{ctx: ref.ctx, store: ref.store}).monthly(t)

		// The same events, bindings and closes, shuffled.
		type op struct {
			ev      affiliate.Event
			binding int // index+1 into bindings
			close   time.Month
		}
		var ops []op
		for _, ev := range events {
			ops = append(ops, op{ev: ev})
		}
		for i := range bindings {
			ops = append(ops, op{binding: i + 1})
		}
		for range rapid.IntRange(0, 3).Draw(t, "early closes") {
			ops = append(ops, op{close: time.Month(rapid.IntRange(1, 3).Draw(t, "early close"))})
		}
		ops = rapid.Permutation(ops).Draw(t, "arrival")
		w := newTieredWorld(t, policy, keepFor)
		for i, o := range ops {
			switch {
			case o.ev != nil:
				if _, err := w.eng.Record(w.ctx, o.ev); err != nil {
					t.Fatalf("Record(%s): %v", o.ev.EventID(), err)
				}
			case o.binding > 0:
				b := bindings[o.binding-1]
				// Without the call, a later event of the customer must
				// find the binding by itself.
				later := slices.ContainsFunc(ops[i+1:], func(x op) bool { return x.ev != nil && x.ev.EventCustomer() == b.Customer })
				w.bind(t, b, !later || rapid.Bool().Draw(t, "call Bound"))
			default:
				w.close(t, o.close)
			}
		}
		for m := time.January; m <= time.March; m++ {
			w.close(t, m)
		}
		if got := w.net(t); !slices.Equal(got, want) {
			t.Fatalf("net ledger depends on the order of events, bindings and closes\n reference: %q\n  shuffled: %q", want, got)
		}
		if got := (&system{ctx: w.ctx, store: w.store}).monthly(t); !slices.Equal(got, wantMonthly) {
			t.Fatalf("monthly nets depend on the order of events, bindings and closes\n reference: %q\n  shuffled: %q", wantMonthly, got)
		}
	})
}
