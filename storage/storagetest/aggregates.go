package storagetest

import (
	"errors"
	"fmt"
	"math"
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

	t.Run("Overflow", func(t *testing.T) { aggregateOverflow(t, newStore(t)) })

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

// aggregateOverflow: a commit whose deltas would take a total past the
// int64 range (an amount past Money's ±MaxInt64 minor units, a count past
// int64) is refused whole with an *storage.AggregateOverflowError, and
// the same key then commits a delta that fits.
func aggregateOverflow(t *testing.T, s AggregateStore) {
	const near = math.MaxInt64 - 10
	jan := per("2026-01")
	revenue := func(a affiliate.AffiliateID, minor int64) storage.AggregateDelta {
		return storage.AggregateDelta{Affiliate: a, Period: jan, Metric: affiliate.MetricRevenue, Amount: eur(minor)}
	}
	conversions := func(a affiliate.AffiliateID, n int64) storage.AggregateDelta {
		return storage.AggregateDelta{Affiliate: a, Period: jan, Metric: affiliate.MetricConversions, Count: n}
	}
	mustWrite(t, s, ledgerWrite{Key: "k0", Hash: "h", Deltas: []storage.AggregateDelta{
		revenue("a", near), revenue("n", -near), conversions("a", math.MaxInt64-1), revenue("", near)}})
	before := aggregateTotals(t, s)

	overflow := func(name string, key affiliate.AffiliateID, cur affiliate.Currency, metric affiliate.Metric, deltas ...storage.AggregateDelta) {
		t.Helper()
		c := paymentCommit("k-"+name, affiliate.EventID("ev-"+name), affiliate.CustomerID("cus-"+name), 1, entry("e-"+name, "a", affiliate.CustomerID("cus-"+name), affiliate.EventID("ev-"+name), eur(1), t0))
		c.Deltas = deltas
		_, err := s.Commit(ctxT(), c)
		var oe *storage.AggregateOverflowError
		if !errors.Is(err, affiliate.ErrOverflow) || !errors.Is(err, affiliate.ErrInvalid) || !errors.As(err, &oe) {
			t.Fatalf("%s: Commit = %v, want an *storage.AggregateOverflowError matching ErrOverflow", name, err)
		}
		if oe.Affiliate != key || oe.Currency != cur || oe.Metric != metric || oe.Period.String() != "2026-01" {
			t.Errorf("%s: error names %q %s %s %s, want %q %s %s 2026-01", name, oe.Affiliate, oe.Metric, oe.Currency, oe.Period, key, metric, cur)
		}
		if _, err := s.Event(ctxT(), c.Event.ID); !errors.Is(err, affiliate.ErrNotFound) {
			t.Errorf("%s: the refused commit logged its event (Event = %v)", name, err)
		}
		if es, err := s.Entries(ctxT(), storage.EntryQuery{Customer: c.State.Customer}); err != nil || len(es) != 0 {
			t.Errorf("%s: the refused commit wrote entries %s (%v)", name, describe(es), err)
		}
		if diff := cmp.Diff(before, aggregateTotals(t, s)); diff != "" {
			t.Errorf("%s: the refused commit changed the aggregates (-before +after):\n%s", name, diff)
		}
		// Nothing was claimed either: the key commits what fits.
		c.Deltas = []storage.AggregateDelta{{Affiliate: "fits", Period: jan, Metric: affiliate.MetricRevenue, Amount: eur(1)}}
		c.Hash = "h-fits-" + name
		c.Event.Hash = c.Hash
		if r, err := s.Commit(ctxT(), c); err != nil || r.Replayed {
			t.Fatalf("%s: the same key with a delta that fits = %+v, %v; want a fresh commit", name, r, err)
		}
		before = aggregateTotals(t, s)
	}
	overflow("amount", "a", "EUR", affiliate.MetricRevenue, revenue("b", 5), revenue("a", 11))
	overflow("negative", "n", "EUR", affiliate.MetricRevenue, revenue("n", -11))
	overflow("count", "a", "", affiliate.MetricConversions, conversions("b", 1), conversions("a", 2))
	overflow("within one commit", "c", "EUR", affiliate.MetricRevenue, revenue("c", near), revenue("c", near))
	overflow("program-wide within one commit", "", "EUR", affiliate.MetricRevenue, revenue("", near), revenue("", near))

	// Up to the bound exactly is fine.
	mustWrite(t, s, ledgerWrite{Key: "k-max", Hash: "h", Deltas: []storage.AggregateDelta{revenue("a", 10), revenue("n", -10), conversions("a", 1)}})
	got, err := s.AffiliateAggregates(ctxT(), "a", affiliate.MetricRevenue, jan, jan)
	if err != nil || len(got) != 1 || got[0].Amount.Minor() != math.MaxInt64 {
		t.Fatalf("a's revenue = %+v, %v; want MaxInt64 minor units", got, err)
	}
}

// aggregateTotals returns every aggregate of 2026-01 that
// aggregateOverflow writes, keyed by metric, affiliate and currency.
func aggregateTotals(t *testing.T, s AggregateStore) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, m := range []affiliate.Metric{affiliate.MetricRevenue, affiliate.MetricConversions} {
		aggs, err := s.PeriodAggregates(ctxT(), per("2026-01"), m)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range aggs {
			out[fmt.Sprintf("%s/%s/%s amount", m, a.Affiliate, a.Amount.Currency())] = a.Amount.Minor()
			out[fmt.Sprintf("%s/%s/%s count", m, a.Affiliate, a.Amount.Currency())] = a.Count
		}
	}
	return out
}
