package storagetest

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// AggregateStore is what RunAggregates needs: the aggregates, and the
// commits that add to them.
type AggregateStore interface {
	storage.Events
	storage.Ledger
	storage.Aggregates
}

// RunAggregates runs the cases of storage.Aggregates.
func RunAggregates(t *testing.T, newStore Factory[AggregateStore]) {
	t.Run("PeriodLocation", func(t *testing.T) { aggregatePeriods(t, newStore(t)) })
	t.Run("Sums", func(t *testing.T) {
		s := newStore(t)
		usd := affiliate.MustMoney(700, "USD")
		mustWrite(t, s, ledgerWrite{Key: "k1", Hash: "h", Deltas: []storage.AggregateDelta{
			{Affiliate: "b", Period: per("2026-01"), Metric: affiliate.MetricRevenue, Amount: eur(1000)},
			{Affiliate: "a", Period: per("2026-01"), Metric: affiliate.MetricRevenue, Amount: eur(500)},
			{Affiliate: "a", Period: per("2026-01"), Metric: affiliate.MetricRevenue, Amount: usd},
			{Affiliate: "a", Period: per("2026-02"), Metric: affiliate.MetricRevenue, Amount: eur(5)},
			{Affiliate: "a", Period: per("2026-01"), Metric: affiliate.MetricConversions, Count: 1},
		}})
		mustWrite(t, s, ledgerWrite{Key: "k2", Hash: "h", Deltas: []storage.AggregateDelta{
			{Affiliate: "a", Period: per("2026-01"), Metric: affiliate.MetricRevenue, Amount: eur(-200)},
			{Affiliate: "a", Period: per("2026-01"), Metric: affiliate.MetricConversions, Count: 2},
		}})
		// A replay adds nothing.
		mustWrite(t, s, ledgerWrite{Key: "k2", Hash: "h", Deltas: []storage.AggregateDelta{
			{Affiliate: "a", Period: per("2026-01"), Metric: affiliate.MetricConversions, Count: 2},
		}})
		got, err := s.PeriodAggregates(ctxT(), per("2026-01"), affiliate.MetricRevenue)
		if err != nil {
			t.Fatal(err)
		}
		want := []storage.Aggregate{
			{Affiliate: "a", Period: per("2026-01"), Metric: affiliate.MetricRevenue, Amount: eur(300)},
			{Affiliate: "a", Period: per("2026-01"), Metric: affiliate.MetricRevenue, Amount: usd},
			{Affiliate: "b", Period: per("2026-01"), Metric: affiliate.MetricRevenue, Amount: eur(1000)},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("PeriodAggregates (-want +got):\n%s", diff)
		}
		counts, _ := s.PeriodAggregates(ctxT(), per("2026-01"), affiliate.MetricConversions)
		if len(counts) != 1 || counts[0].Count != 3 || counts[0].Amount != (affiliate.Money{}) {
			t.Fatalf("count aggregate = %+v, want one with Count 3 and no amount", counts)
		}
		hist, err := s.AffiliateAggregates(ctxT(), "a", affiliate.MetricRevenue, per("2026-01"), per("2026-02"))
		if err != nil {
			t.Fatal(err)
		}
		wantHist := []storage.Aggregate{want[0], want[1], {Affiliate: "a", Period: per("2026-02"), Metric: affiliate.MetricRevenue, Amount: eur(5)}}
		if diff := cmp.Diff(wantHist, hist); diff != "" {
			t.Fatalf("AffiliateAggregates (-want +got):\n%s", diff)
		}
		only, _ := s.AffiliateAggregates(ctxT(), "a", affiliate.MetricRevenue, per("2026-02"), per("2026-02"))
		if len(only) != 1 {
			t.Fatalf("AffiliateAggregates for one month returned %d rows, want 1", len(only))
		}
	})

	t.Run("FailedWriteAddsNothing", func(t *testing.T) {
		s := newStore(t)
		mustWrite(t, s, ledgerWrite{Key: "k", Hash: "h", Entries: []affiliate.Entry{entry("e1", "a", "c", "ev", eur(1), t0)}})
		_, err := write(s, ledgerWrite{Key: "k2", Hash: "h",
			Entries: []affiliate.Entry{entry("e1", "a", "c", "ev", eur(1), t0)},
			Deltas:  []storage.AggregateDelta{{Affiliate: "a", Period: per("2026-01"), Metric: affiliate.MetricRevenue, Amount: eur(999)}}})
		if !errors.Is(err, affiliate.ErrConflict) {
			t.Fatalf("a write with a taken entry ID = %v, want ErrConflict", err)
		}
		got, _ := s.PeriodAggregates(ctxT(), per("2026-01"), affiliate.MetricRevenue)
		if len(got) != 0 {
			t.Fatalf("a failed write still added its deltas: %+v", got)
		}
	})

	t.Run("Errors", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.PeriodAggregates(ctxT(), affiliate.Period{}, affiliate.MetricRevenue); !errors.Is(err, affiliate.ErrInvalid) {
			t.Fatalf("PeriodAggregates(no period) = %v, want ErrInvalid", err)
		}
		if _, err := s.PeriodAggregates(ctxT(), per("2026-01"), ""); !errors.Is(err, affiliate.ErrInvalid) {
			t.Fatalf("PeriodAggregates(no metric) = %v, want ErrInvalid", err)
		}
		if _, err := s.AffiliateAggregates(ctxT(), "a", affiliate.MetricRevenue, per("2026-03"), per("2026-01")); !errors.Is(err, affiliate.ErrInvalid) {
			t.Fatalf("AffiliateAggregates(to before from) = %v, want ErrInvalid", err)
		}
	})
}
