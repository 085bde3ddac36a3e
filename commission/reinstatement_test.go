package commission_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
)

func chargeback(id, payment, customer string, n int, amount string) affiliate.Refund {
	r := refund(id, payment, customer, jan15.AddDate(0, 0, n), amount, "EUR")
	r.Kind = affiliate.KindChargeback
	return r
}

func reinstate(id, cb, customer string, n int) affiliate.Reinstatement {
	return affiliate.Reinstatement{ID: affiliate.EventID(id), Chargeback: affiliate.EventID(cb), Customer: affiliate.CustomerID(customer), ReinstatedAt: jan15.AddDate(0, 0, n)}
}

// permutations returns every order of evs.
func permutations(evs []affiliate.Event) [][]affiliate.Event {
	if len(evs) <= 1 {
		return [][]affiliate.Event{slices.Clone(evs)}
	}
	var out [][]affiliate.Event
	for i := range evs {
		rest := slices.Concat(evs[:i:i], evs[i+1:])
		for _, p := range permutations(rest) {
			out = append(out, append([]affiliate.Event{evs[i]}, p...))
		}
	}
	return out
}

// TestReinstatementRestoresWhatTheChargebackTook pins "money that comes
// back": a won chargeback stops being effective, so in every arrival
// order, each event delivered twice, the net ledger and the revenue
// aggregates are those of the events without the chargeback; a
// chargeback that is not reinstated still takes its share.
func TestReinstatementRestoresWhatTheChargebackTook(t *testing.T) {
	p1 := pay("p1", "c", jan15, "EUR", line(affiliate.LineSubscription, "100", "EUR"))
	p2 := pay("p2", "c", jan15.AddDate(0, 0, 3), "EUR", line(affiliate.LineSubscription, "50", "EUR"))
	tests := []struct {
		name   string
		events []affiliate.Event
		net    []string
		rev    string
	}{
		{"won in full", []affiliate.Event{p1, chargeback("cb1", "p1", "c", 1, ""), reinstate("cb1/won", "cb1", "c", 5)},
			[]string{"a/p1/commission=30.00 EUR"}, "100.00 EUR"},
		{"partial chargeback won, a refund stays", []affiliate.Event{p1, chargeback("cb1", "p1", "c", 1, "40"), refund("r1", "p1", "c", jan15.AddDate(0, 0, 2), "10", "EUR"), reinstate("cb1/won", "cb1", "c", 5)},
			[]string{"a/p1/commission=27.00 EUR"}, "90.00 EUR"},
		{"one of two chargebacks won", []affiliate.Event{p1, p2, chargeback("cb1", "p1", "c", 1, ""), chargeback("cb2", "p2", "c", 4, ""), reinstate("cb2/won", "cb2", "c", 6)},
			[]string{"a/p2/commission=15.00 EUR"}, "50.00 EUR"},
		{"won twice", []affiliate.Event{p1, chargeback("cb1", "p1", "c", 1, ""), reinstate("cb1/won", "cb1", "c", 5), reinstate("cb1/won-again", "cb1", "c", 6)},
			[]string{"a/p1/commission=30.00 EUR"}, "100.00 EUR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i, order := range permutations(tt.events) {
				f := newFixture(t, commission.Config{Terms: terms(rules.Percent{Rate: affiliate.MustPercent("30")}), Currency: "EUR"}, aff("a", ""))
				f.bind("c", "a", jan15.AddDate(0, 0, -1))
				for _, ev := range slices.Concat(order, order) {
					f.record(ev)
				}
				if got := netStrings(netOf(f.entries("c"))); !slices.Equal(got, tt.net) {
					t.Fatalf("order %d %v: net ledger %v, want %v", i, ids(order), got, tt.net)
				}
				if got := f.revenueIn("a", affiliate.MetricRevenue); got != tt.rev {
					t.Fatalf("order %d %v: revenue %s, want %s", i, ids(order), got, tt.rev)
				}
			}
		})
	}
}

func ids(evs []affiliate.Event) string {
	var s []string
	for _, ev := range evs {
		s = append(s, string(ev.EventID()))
	}
	return fmt.Sprint(s)
}

func TestReinstatementFlags(t *testing.T) {
	f := newFixture(t, commission.Config{Terms: terms(rules.Percent{Rate: affiliate.MustPercent("30")})}, aff("a", ""))
	f.bind("c", "a", jan15.AddDate(0, 0, -1))
	won := reinstate("cb1/won", "cb1", "c", 5)
	if res := f.record(won); !res.Parked || len(res.Entries) != 0 {
		t.Fatalf("a reinstatement before its chargeback: %+v, want Parked, no entries", res)
	}
	f.record(pay("p1", "c", jan15, "EUR", line(affiliate.LineSubscription, "100", "EUR")))
	if res := f.record(chargeback("cb1", "p1", "c", 1, "")); len(res.Entries) != 0 || res.Parked {
		t.Fatalf("a chargeback already reinstated: %+v, want no entries", res)
	}
	if res := f.record(won); !res.Replayed || res.Parked {
		t.Fatalf("replay of the reinstatement: %+v, want Replayed, no longer Parked", res)
	}
}

// TestReinstatementRefused: a reinstatement must name a chargeback of its
// own customer; anything else is bad input and stores nothing.
func TestReinstatementRefused(t *testing.T) {
	tests := []struct {
		name string
		ev   affiliate.Event
		is   error
	}{
		{"names a refund", reinstate("x", "r1", "c", 5), commission.ErrRefundTarget},
		{"names a payment", reinstate("x", "p1", "c", 5), commission.ErrRefundTarget},
		{"names another customer's chargeback", reinstate("x", "cb2", "c", 5), commission.ErrRefundTarget},
		{"names itself", reinstate("x", "x", "c", 5), affiliate.ErrInvalid},
		{"no time", affiliate.Reinstatement{ID: "x", Chargeback: "cb1", Customer: "c"}, affiliate.ErrInvalid},
		{"a nil *Reinstatement", (*affiliate.Reinstatement)(nil), affiliate.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, commission.Config{Terms: terms(rules.Percent{Rate: affiliate.MustPercent("30")})}, aff("a", ""))
			f.bind("c", "a", jan15.AddDate(0, 0, -1))
			f.bind("d", "a", jan15.AddDate(0, 0, -1))
			f.record(pay("p1", "c", jan15, "EUR", line(affiliate.LineSubscription, "100", "EUR")))
			f.record(refund("r1", "p1", "c", jan15.AddDate(0, 0, 1), "10", "EUR"))
			f.record(pay("p2", "d", jan15, "EUR", line(affiliate.LineSubscription, "100", "EUR")))
			f.record(chargeback("cb2", "p2", "d", 1, ""))
			before := f.entries("c")
			_, err := f.eng.Record(f.ctx, tt.ev)
			if !errors.Is(err, tt.is) || !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("err = %v, want one matching %v and ErrInvalid", err, tt.is)
			}
			if _, err := f.store.Event(f.ctx, "x"); !errors.Is(err, affiliate.ErrNotFound) {
				t.Fatalf("the refused reinstatement was stored: %v", err)
			}
			if after := f.entries("c"); len(after) != len(before) {
				t.Fatalf("entries changed: %d → %d", len(before), len(after))
			}
		})
	}
}
