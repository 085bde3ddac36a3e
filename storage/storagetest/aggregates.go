package storagetest

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

type aggregateStore interface {
	storage.Ledger
	storage.Aggregates
}

func runAggregates(t *testing.T, newStore Factory) {
	t.Run("Sums", func(t *testing.T) {
		s := need[aggregateStore](t, newStore)
		usd := affiliate.MustMoney(700, "USD")
		mustAppend(t, s, storage.AppendBatch{Key: "k1", Hash: "h", Deltas: []storage.AggregateDelta{
			{Affiliate: "b", Period: "2026-01", Metric: storage.MetricRevenue, Amount: eur(1000)},
			{Affiliate: "a", Period: "2026-01", Metric: storage.MetricRevenue, Amount: eur(500)},
			{Affiliate: "a", Period: "2026-01", Metric: storage.MetricRevenue, Amount: usd},
			{Affiliate: "a", Period: "2026-02", Metric: storage.MetricRevenue, Amount: eur(5)},
			{Affiliate: "a", Period: "2026-01", Metric: storage.MetricConversions, Count: 1},
		}})
		mustAppend(t, s, storage.AppendBatch{Key: "k2", Hash: "h", Deltas: []storage.AggregateDelta{
			{Affiliate: "a", Period: "2026-01", Metric: storage.MetricRevenue, Amount: eur(-200)},
			{Affiliate: "a", Period: "2026-01", Metric: storage.MetricConversions, Count: 2},
		}})
		// A replay adds nothing.
		mustAppend(t, s, storage.AppendBatch{Key: "k2", Hash: "h", Deltas: []storage.AggregateDelta{
			{Affiliate: "a", Period: "2026-01", Metric: storage.MetricConversions, Count: 2},
		}})
		got, err := s.PeriodAggregates(ctxT(), "2026-01", storage.MetricRevenue)
		if err != nil {
			t.Fatal(err)
		}
		want := []storage.Aggregate{
			{Affiliate: "a", Period: "2026-01", Metric: storage.MetricRevenue, Amount: eur(300)},
			{Affiliate: "a", Period: "2026-01", Metric: storage.MetricRevenue, Amount: usd},
			{Affiliate: "b", Period: "2026-01", Metric: storage.MetricRevenue, Amount: eur(1000)},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("PeriodAggregates (-want +got):\n%s", diff)
		}
		counts, _ := s.PeriodAggregates(ctxT(), "2026-01", storage.MetricConversions)
		if len(counts) != 1 || counts[0].Count != 3 || counts[0].Amount != (affiliate.Money{}) {
			t.Fatalf("count aggregate = %+v, want one with Count 3 and no amount", counts)
		}
		hist, err := s.AffiliateAggregates(ctxT(), "a", storage.MetricRevenue, "2026-01", "2026-02")
		if err != nil {
			t.Fatal(err)
		}
		wantHist := []storage.Aggregate{want[0], want[1], {Affiliate: "a", Period: "2026-02", Metric: storage.MetricRevenue, Amount: eur(5)}}
		if diff := cmp.Diff(wantHist, hist); diff != "" {
			t.Fatalf("AffiliateAggregates (-want +got):\n%s", diff)
		}
		only, _ := s.AffiliateAggregates(ctxT(), "a", storage.MetricRevenue, "2026-02", "2026-02")
		if len(only) != 1 {
			t.Fatalf("AffiliateAggregates for one month returned %d rows, want 1", len(only))
		}
	})

	t.Run("FailedWriteAddsNothing", func(t *testing.T) {
		s := need[aggregateStore](t, newStore)
		mustAppend(t, s, storage.AppendBatch{Key: "k", Hash: "h", Entries: []affiliate.Entry{entry("e1", "a", "c", "ev", eur(1), t0)}})
		_, err := s.Append(ctxT(), storage.AppendBatch{Key: "k2", Hash: "h",
			Entries: []affiliate.Entry{entry("e1", "a", "c", "ev", eur(1), t0)},
			Deltas:  []storage.AggregateDelta{{Affiliate: "a", Period: "2026-01", Metric: storage.MetricRevenue, Amount: eur(999)}}})
		if !errors.Is(err, affiliate.ErrConflict) {
			t.Fatalf("Append with a taken entry ID = %v, want ErrConflict", err)
		}
		got, _ := s.PeriodAggregates(ctxT(), "2026-01", storage.MetricRevenue)
		if len(got) != 0 {
			t.Fatalf("a failed Append still added its deltas: %+v", got)
		}
	})

	t.Run("Errors", func(t *testing.T) {
		s := need[aggregateStore](t, newStore)
		if _, err := s.PeriodAggregates(ctxT(), "", storage.MetricRevenue); !errors.Is(err, affiliate.ErrInvalid) {
			t.Fatalf("PeriodAggregates(no period) = %v, want ErrInvalid", err)
		}
		if _, err := s.PeriodAggregates(ctxT(), "2026-01", ""); !errors.Is(err, affiliate.ErrInvalid) {
			t.Fatalf("PeriodAggregates(no metric) = %v, want ErrInvalid", err)
		}
		if _, err := s.AffiliateAggregates(ctxT(), "a", storage.MetricRevenue, "2026-03", "2026-01"); !errors.Is(err, affiliate.ErrInvalid) {
			t.Fatalf("AffiliateAggregates(to before from) = %v, want ErrInvalid", err)
		}
	})
}
