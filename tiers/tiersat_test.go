package tiers_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/tiers"
)

// countingStore counts the reads a tier decision makes.
type countingStore struct {
	tiers.Store
	closes, aggregates int
}

func (s *countingStore) TierClose(ctx context.Context, program string, p affiliate.Period) (affiliate.TierClose, error) {
	s.closes++
	return s.Store.TierClose(ctx, program, p)
}

func (s *countingStore) AffiliateAggregates(ctx context.Context, a affiliate.AffiliateID, m affiliate.Metric, from, to affiliate.Period) ([]storage.Aggregate, error) {
	s.aggregates++
	return s.Store.AffiliateAggregates(ctx, a, m, from, to)
}

// TestTiersAt: per case, TiersAt gives the tiers TierAt gives, and reads
// a month's close once for all the affiliates asked, where TierAt reads
// it once for each. Two cases are where the tier is not the month's own
// value: a tier kept from an earlier month, and a closed month that a
// late payment pushed over the threshold after its close.
func TestTiersAt(t *testing.T) {
	asked := []affiliate.AffiliateID{"a0", "a1", "a2"}
	for _, tc := range []struct {
		name   string
		cfg    tiers.Config
		play   func(w *world)
		probe  time.Time
		want   []string
		closes int // TiersAt's close reads; TierAt makes one per affiliate (and held month)
		aggs   int // TiersAt's aggregate reads, the same as TierAt's
	}{
		{"NextPeriodMonthBeforeClosed", tiers.Config{Policy: tiers.NextPeriod}, func(w *world) {
			must[[]affiliate.Entry](w.tb)(w.pay(payment("p1", "c0", day(1, 10), eur("12000"))))
			w.close(1, 0)
		}, day(2, 10), []string{"Premium", "Standard", "Standard"}, 1, 0},
		{"NextPeriodMonthBeforeOpen", tiers.Config{Policy: tiers.NextPeriod}, func(w *world) {
			must[[]affiliate.Entry](w.tb)(w.pay(payment("p1", "c1", day(1, 10), eur("12000"))))
		}, day(2, 10), []string{"Standard", "Premium", "Standard"}, 1, 3},
		{"NextPeriodKeptFromTwoMonthsBack", tiers.Config{Policy: tiers.NextPeriod, KeepFor: 1}, func(w *world) {
			must[[]affiliate.Entry](w.tb)(w.pay(payment("p1", "c0", day(1, 10), eur("12000"))))
			must[[]affiliate.Entry](w.tb)(w.pay(payment("p2", "c0", day(2, 10), eur("100"))))
		}, day(3, 10), []string{"Premium", "Standard", "Standard"}, 2, 6},
		{"RetroactiveClosedThenLatePayment", tiers.Config{Policy: tiers.Retroactive}, func(w *world) {
			must[[]affiliate.Entry](w.tb)(w.pay(payment("p1", "c2", day(1, 10), eur("5000"))))
			w.close(1, 0)
			must[[]affiliate.Entry](w.tb)(w.pay(payment("p2", "c2", day(1, 20), eur("6000"))))
		}, day(1, 25), []string{"Standard", "Standard", "Standard"}, 1, 0},
		{"RetroactiveOpenKept", tiers.Config{Policy: tiers.Retroactive, KeepFor: 1}, func(w *world) {
			must[[]affiliate.Entry](w.tb)(w.pay(payment("p1", "c1", day(1, 10), eur("12000"))))
			w.close(1, 0)
		}, day(2, 10), []string{"Standard", "Premium", "Standard"}, 2, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, tc.cfg)
			for i, a := range asked {
				w.bind(affiliate.CustomerID(fmt.Sprint("c", i)), a, "")
			}
			tc.play(w)
			cfg := tc.cfg
			counted := &countingStore{Store: w.store}
			cfg.Store, cfg.Schedule, cfg.Currency = counted, seed000, "EUR"
			prog, err := tiers.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			probe := payment("probe", "c0", tc.probe, eur("100"))
			got, err := prog.TiersAt(w.ctx, asked, probe)
			if err != nil {
				t.Fatal(err)
			}
			closes, aggs := counted.closes, counted.aggregates
			for i, a := range asked {
				want := must[rules.Tier](t)(prog.TierAt(w.ctx, a, probe))
				if got[i] != want || got[i].Name != tc.want[i] {
					t.Errorf("%s: TiersAt %s, TierAt %s, want %s", a, got[i].Name, want.Name, tc.want[i])
				}
			}
			if closes != tc.closes || aggs != tc.aggs {
				t.Errorf("TiersAt read %d closes and %d aggregates, want %d and %d", closes, aggs, tc.closes, tc.aggs)
			}
			if n := counted.closes - closes; n != len(asked)*tc.closes {
				t.Errorf("TierAt one by one read %d closes, want %d", n, len(asked)*tc.closes)
			}
		})
	}
}
