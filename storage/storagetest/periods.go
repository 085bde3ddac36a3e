package storagetest

import (
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// A store keeps a period as its "2026-01" key: what comes back is the
// month asked for, in the location the caller asked with, whatever
// location the writer used.
var (
	writerZone = time.FixedZone("Writer", -5*3600)
	readerZone = time.FixedZone("Reader", 9*3600)
)

func inZone(s string, loc *time.Location) affiliate.Period {
	p := per(s)
	p.Location = loc
	return p
}

// samePeriod fails unless got is month want in loc.
func samePeriod(t *testing.T, what string, got affiliate.Period, want string, loc *time.Location) {
	t.Helper()
	if got.String() != want || got.Location != loc {
		t.Errorf("%s: period %s in %v, want %s in %v", what, got, got.Location, want, loc)
	}
}

func aggregatePeriods(t *testing.T, s AggregateStore) {
	mustWrite(t, s, ledgerWrite{Key: "k", Hash: "h", Deltas: []storage.AggregateDelta{
		{Affiliate: "a", Period: inZone("2026-01", writerZone), Metric: affiliate.MetricRevenue, Amount: eur(1)},
	}})
	got, err := s.PeriodAggregates(ctxT(), inZone("2026-01", readerZone), affiliate.MetricRevenue)
	if err != nil || len(got) != 1 {
		t.Fatalf("PeriodAggregates in another zone = %+v, %v", got, err)
	}
	samePeriod(t, "PeriodAggregates", got[0].Period, "2026-01", readerZone)
	hist, err := s.AffiliateAggregates(ctxT(), "a", affiliate.MetricRevenue, inZone("2025-12", readerZone), inZone("2026-02", readerZone))
	if err != nil || len(hist) != 1 {
		t.Fatalf("AffiliateAggregates in another zone = %+v, %v", hist, err)
	}
	samePeriod(t, "AffiliateAggregates", hist[0].Period, "2026-01", readerZone)
}

func tierPeriods(t *testing.T, s storage.TierCloses) {
	c := tierClose("p", "2026-01", 1, "ann")
	c.Close.Period.Location = writerZone
	c.Snapshots[0].Period.Location = writerZone
	c.Snapshots[0].HeldFrom = inZone("2025-12", writerZone)
	mustCommitTierClose(t, s, c)
	got, err := s.TierClose(ctxT(), "p", inZone("2026-01", readerZone))
	if err != nil {
		t.Fatal(err)
	}
	samePeriod(t, "TierClose", got.Period, "2026-01", readerZone)
	snaps, err := s.TierSnapshots(ctxT(), storage.TierSnapshotQuery{Program: "p", Period: inZone("2026-01", readerZone)})
	if err != nil || len(snaps) != 1 {
		t.Fatalf("TierSnapshots in another zone = %+v, %v", snaps, err)
	}
	samePeriod(t, "TierSnapshot.Period", snaps[0].Period, "2026-01", readerZone)
	samePeriod(t, "TierSnapshot.HeldFrom", snaps[0].HeldFrom, "2025-12", readerZone)
}

func payoutPeriods(t *testing.T, s PayoutStore) {
	run := poRun(poJan, "h")
	run.Period.Location = writerZone
	if _, err := s.CreatePayoutRun(ctxT(), run); err != nil {
		t.Fatal(err)
	}
	got, err := s.PayoutRun(ctxT(), "prog", inZone("2026-01", readerZone))
	if err != nil {
		t.Fatal(err)
	}
	samePeriod(t, "PayoutRun", got.Period, "2026-01", readerZone)
	runs, err := s.AffiliateRuns(ctxT(), "prog", "ann", inZone("2026-01", readerZone), inZone("2026-01", readerZone))
	if err != nil || len(runs) != 1 {
		t.Fatalf("AffiliateRuns in another zone = %+v, %v", runs, err)
	}
	samePeriod(t, "AffiliateRun", runs[0].Period, "2026-01", readerZone)
}
