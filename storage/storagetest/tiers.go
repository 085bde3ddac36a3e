package storagetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// tierStore is what the tier close writes through: the closes, and the
// ledger and aggregates its commits append to.
type tierStore interface {
	storage.TierCloses
	storage.Ledger
	storage.Aggregates
}

func runTiers(t *testing.T, newStore Factory) {
	t.Run("Errors", func(t *testing.T) { tiersErrors(t, newStore) })
	t.Run("Revisions", func(t *testing.T) { tiersRevisions(t, newStore) })
	t.Run("Idempotency", func(t *testing.T) { tiersIdempotency(t, newStore) })
	t.Run("Snapshots", func(t *testing.T) { tiersSnapshots(t, newStore) })
	t.Run("Atomic", func(t *testing.T) { tiersAtomic(t, newStore) })
	t.Run("Copies", func(t *testing.T) { tiersCopies(t, newStore) })
	t.Run("Concurrent", func(t *testing.T) { tiersConcurrent(t, newStore) })
	t.Run("Model", func(t *testing.T) { tiersModel(t, newStore) })
}

// tierClose builds a valid commit of run rev of program/period with one
// snapshot per affiliate, at tier "Standard"; the cases vary it.
func tierClose(program, period string, rev int64, affiliates ...affiliate.AffiliateID) storage.TierCloseCommit {
	c := storage.TierCloseCommit{
		Close: storage.TierClose{Program: program, Period: period, Revision: rev, AsOf: t0, Key: fmt.Sprintf("tiers:%s:%s:%d", program, period, rev)},
		Hash:  fmt.Sprintf("h%d", rev),
	}
	for _, a := range affiliates {
		c.Snapshots = append(c.Snapshots, tierSnap(c.Close, a, "Standard", eur(100)))
	}
	return c
}

func tierSnap(c storage.TierClose, a affiliate.AffiliateID, tier string, value affiliate.Money) storage.TierSnapshot {
	return storage.TierSnapshot{
		Program: c.Program, Period: c.Period, Revision: c.Revision, Affiliate: a,
		Metric: storage.MetricRevenueConverted, Amount: value, Reached: tier, Tier: tier, Applied: tier,
	}
}

func mustCommitTierClose(t *testing.T, s storage.TierCloses, c storage.TierCloseCommit) storage.AppendResult {
	t.Helper()
	r, err := s.CommitTierClose(ctxT(), c)
	if err != nil {
		t.Fatalf("CommitTierClose(%s run %d): %v", c.Close.Period, c.Close.Revision, err)
	}
	return r
}

// tierCloseAbsent fails unless program/period has no close and no snapshot.
func tierCloseAbsent(t *testing.T, s storage.TierCloses, program, period string) {
	t.Helper()
	if c, err := s.TierClose(ctxT(), program, period); !errors.Is(err, affiliate.ErrNotFound) {
		t.Errorf("TierClose(%s, %s) = %+v, %v; want ErrNotFound", program, period, c, err)
	}
	snaps, err := s.TierSnapshots(ctxT(), storage.TierSnapshotQuery{Program: program, Period: period})
	if err != nil || len(snaps) != 0 {
		t.Errorf("TierSnapshots(%s, %s) = %v, %v; want none", program, period, snaps, err)
	}
}

func tiersErrors(t *testing.T, newStore Factory) {
	s := need[tierStore](t, newStore)
	valid := func() storage.TierCloseCommit {
		c := tierClose("p", "2026-01", 1, "ann")
		c.Entries = []affiliate.Entry{entry("e1", "ann", "c1", "pay1", eur(100), t0)}
		c.Deltas = []storage.AggregateDelta{{Affiliate: "ann", Period: "2026-01", Metric: storage.MetricEarnings, Amount: eur(100)}}
		return c
	}
	cases := []struct {
		name string
		edit func(*storage.TierCloseCommit)
	}{
		{"no program", func(c *storage.TierCloseCommit) { c.Close.Program = "" }},
		{"no period", func(c *storage.TierCloseCommit) { c.Close.Period = "" }},
		{"no key", func(c *storage.TierCloseCommit) { c.Close.Key = "" }},
		{"no hash", func(c *storage.TierCloseCommit) { c.Hash = "" }},
		{"revision 0", func(c *storage.TierCloseCommit) { c.Close.Revision = 0 }},
		{"zero as-of", func(c *storage.TierCloseCommit) { c.Close.AsOf = time.Time{} }},
		{"snapshot without affiliate", func(c *storage.TierCloseCommit) { c.Snapshots[0].Affiliate = "" }},
		{"snapshot without tier", func(c *storage.TierCloseCommit) { c.Snapshots[0].Tier = "" }},
		{"snapshot of another period", func(c *storage.TierCloseCommit) { c.Snapshots[0].Period = "2026-02" }},
		{"snapshot of another program", func(c *storage.TierCloseCommit) { c.Snapshots[0].Program = "q" }},
		{"snapshot of another run", func(c *storage.TierCloseCommit) { c.Snapshots[0].Revision = 2 }},
		{"affiliate twice", func(c *storage.TierCloseCommit) { c.Snapshots = append(c.Snapshots, c.Snapshots[0]) }},
		{"invalid entry kind", func(c *storage.TierCloseCommit) { c.Entries[0].Kind = "bogus" }},
		{"invalid entry", func(c *storage.TierCloseCommit) { c.Entries[0].At = time.Time{} }},
		{"entry twice", func(c *storage.TierCloseCommit) { c.Entries = append(c.Entries, c.Entries[0]) }},
		{"delta without metric", func(c *storage.TierCloseCommit) { c.Deltas[0].Metric = "" }},
		{"delta without period", func(c *storage.TierCloseCommit) { c.Deltas[0].Period = "" }},
	}
	for _, tc := range cases {
		c := valid()
		tc.edit(&c)
		if _, err := s.CommitTierClose(ctxT(), c); !errors.Is(err, affiliate.ErrInvalid) {
			t.Errorf("%s: CommitTierClose = %v, want ErrInvalid", tc.name, err)
		}
	}
	tierCloseAbsent(t, s, "p", "2026-01")
	if es, err := s.Entries(ctxT(), storage.EntryQuery{Beneficiary: "ann"}); err != nil || len(es) != 0 {
		t.Errorf("refused commits left entries: %v, %v", describe(es), err)
	}
	if aggs, err := s.PeriodAggregates(ctxT(), "2026-01", storage.MetricEarnings); err != nil || len(aggs) != 0 {
		t.Errorf("refused commits left aggregates: %v, %v", aggs, err)
	}
	for name, q := range map[string]storage.TierSnapshotQuery{
		"no program":       {Period: "2026-01"},
		"no period":        {Program: "p"},
		"negative version": {Program: "p", Period: "2026-01", Revision: -1},
	} {
		if _, err := s.TierSnapshots(ctxT(), q); !errors.Is(err, affiliate.ErrInvalid) {
			t.Errorf("TierSnapshots(%s) = %v, want ErrInvalid", name, err)
		}
	}
	// The valid commit goes through once the store is known to be clean.
	mustCommitTierClose(t, s, valid())
}

func tiersRevisions(t *testing.T, newStore Factory) {
	s := need[tierStore](t, newStore)
	first := tierClose("p", "2026-01", 1, "ann", "bob")
	mustCommitTierClose(t, s, first)
	got, err := s.TierClose(ctxT(), "p", "2026-01")
	if err != nil || got != first.Close {
		t.Fatalf("TierClose = %+v, %v; want %+v", got, err, first.Close)
	}
	// A second run 1 (another key: another payload) and a skipped revision
	// are conflicts.
	again := tierClose("p", "2026-01", 1, "ann")
	again.Close.Key = "other-key"
	skip := tierClose("p", "2026-01", 3, "ann")
	for name, c := range map[string]storage.TierCloseCommit{"run 1 again": again, "run 3 after 1": skip} {
		if _, err := s.CommitTierClose(ctxT(), c); !errors.Is(err, affiliate.ErrConflict) {
			t.Errorf("%s: %v, want ErrConflict", name, err)
		}
	}
	second := tierClose("p", "2026-01", 2)
	second.Close.AsOf = t0.Add(time.Hour)
	second.Snapshots = []storage.TierSnapshot{tierSnap(second.Close, "ann", "Premium", eur(20000))}
	mustCommitTierClose(t, s, second)
	if got, err := s.TierClose(ctxT(), "p", "2026-01"); err != nil || got != second.Close {
		t.Errorf("TierClose after run 2 = %+v, %v", got, err)
	}
	// Periods and programs are separate keys.
	tierCloseAbsent(t, s, "p", "2026-02")
	tierCloseAbsent(t, s, "q", "2026-01")
	mustCommitTierClose(t, s, tierClose("q", "2026-01", 1, "ann"))
}

func tiersIdempotency(t *testing.T, newStore Factory) {
	s := need[tierStore](t, newStore)
	c := tierClose("p", "2026-01", 1, "ann")
	c.Entries = []affiliate.Entry{entry("t1", "ann", "c1", "pay1", eur(50), t0)}
	first := mustCommitTierClose(t, s, c)
	if first.Replayed || len(first.Entries) != 1 {
		t.Fatalf("first commit: %+v", first)
	}
	replay := mustCommitTierClose(t, s, c)
	if !replay.Replayed || len(replay.Entries) != 1 || replay.Entries[0].ID != "t1" {
		t.Errorf("replay: %+v; want the earlier entry, Replayed", replay)
	}
	other := c
	other.Hash = "another"
	if _, err := s.CommitTierClose(ctxT(), other); !errors.Is(err, affiliate.ErrIdempotencyMismatch) {
		t.Errorf("same key, another hash: %v, want ErrIdempotencyMismatch", err)
	}
	if es, _ := s.Entries(ctxT(), storage.EntryQuery{Beneficiary: "ann"}); len(es) != 1 {
		t.Errorf("the ledger holds %s; want t1 once", describe(es))
	}
	// The key space is shared with Ledger.Append.
	mustAppend(t, s, storage.AppendBatch{Key: "shared", Hash: "a"})
	shared := tierClose("p", "2026-02", 1, "ann")
	shared.Close.Key, shared.Hash = "shared", "b"
	if _, err := s.CommitTierClose(ctxT(), shared); !errors.Is(err, affiliate.ErrIdempotencyMismatch) {
		t.Errorf("a key used by Append: %v, want ErrIdempotencyMismatch", err)
	}
	tierCloseAbsent(t, s, "p", "2026-02")
}

func tiersSnapshots(t *testing.T, newStore Factory) {
	s := need[tierStore](t, newStore)
	r1 := tierClose("p", "2026-01", 1, "cid", "ann", "bob")
	mustCommitTierClose(t, s, r1)
	r2 := tierClose("p", "2026-01", 2)
	r2.Snapshots = []storage.TierSnapshot{tierSnap(r2.Close, "bob", "Premium", eur(20000)), tierSnap(r2.Close, "dan", "Standard", eur(5))}
	mustCommitTierClose(t, s, r2)

	list := func(q storage.TierSnapshotQuery) string {
		t.Helper()
		snaps, err := s.TierSnapshots(ctxT(), q)
		if err != nil {
			t.Fatalf("TierSnapshots(%+v): %v", q, err)
		}
		out := ""
		for _, sn := range snaps {
			out += fmt.Sprintf("%s:%s@%d ", sn.Affiliate, sn.Tier, sn.Revision)
		}
		return out
	}
	for _, tc := range []struct {
		q    storage.TierSnapshotQuery
		want string
	}{
		{storage.TierSnapshotQuery{Program: "p", Period: "2026-01"}, "ann:Standard@1 bob:Premium@2 cid:Standard@1 dan:Standard@2 "},
		{storage.TierSnapshotQuery{Program: "p", Period: "2026-01", Revision: 1}, "ann:Standard@1 bob:Standard@1 cid:Standard@1 "},
		{storage.TierSnapshotQuery{Program: "p", Period: "2026-01", Revision: 2}, "ann:Standard@1 bob:Premium@2 cid:Standard@1 dan:Standard@2 "},
		{storage.TierSnapshotQuery{Program: "p", Period: "2026-01", Revision: 9}, "ann:Standard@1 bob:Premium@2 cid:Standard@1 dan:Standard@2 "},
		{storage.TierSnapshotQuery{Program: "p", Period: "2026-01", Affiliate: "bob"}, "bob:Premium@2 "},
		{storage.TierSnapshotQuery{Program: "p", Period: "2026-01", Affiliate: "bob", Revision: 1}, "bob:Standard@1 "},
		{storage.TierSnapshotQuery{Program: "p", Period: "2026-01", Affiliate: "dan", Revision: 1}, ""},
		{storage.TierSnapshotQuery{Program: "p", Period: "2026-01", Affiliate: "eve"}, ""},
		{storage.TierSnapshotQuery{Program: "p", Period: "2026-02"}, ""},
		{storage.TierSnapshotQuery{Program: "q", Period: "2026-01"}, ""},
	} {
		if got := list(tc.q); got != tc.want {
			t.Errorf("TierSnapshots(%+v) = %q, want %q", tc.q, got, tc.want)
		}
	}
	// The snapshot comes back whole.
	snaps, _ := s.TierSnapshots(ctxT(), storage.TierSnapshotQuery{Program: "p", Period: "2026-01", Affiliate: "bob"})
	if want := r2.Snapshots[0]; len(snaps) != 1 || snaps[0] != want {
		t.Errorf("bob's snapshot = %+v, want %+v", snaps, want)
	}
}

func tiersAtomic(t *testing.T, newStore Factory) {
	s := need[tierStore](t, newStore)
	mustAppend(t, s, storage.AppendBatch{Key: "k", Hash: "h", Entries: []affiliate.Entry{entry("taken", "ann", "c1", "pay1", eur(10), t0)}})
	c := tierClose("p", "2026-01", 1, "ann")
	c.Entries = []affiliate.Entry{entry("fresh", "ann", "c1", "pay1", eur(10), t0), entry("taken", "ann", "c1", "pay1", eur(10), t0)}
	c.Deltas = []storage.AggregateDelta{{Affiliate: "ann", Period: "2026-01", Metric: storage.MetricEarnings, Amount: eur(20)}}
	if _, err := s.CommitTierClose(ctxT(), c); !errors.Is(err, affiliate.ErrConflict) {
		t.Fatalf("commit with a stored entry ID: %v, want ErrConflict", err)
	}
	tierCloseAbsent(t, s, "p", "2026-01")
	if es, _ := s.Entries(ctxT(), storage.EntryQuery{Beneficiary: "ann"}); len(es) != 1 {
		t.Errorf("a failed commit left entries: %s", describe(es))
	}
	if aggs, _ := s.PeriodAggregates(ctxT(), "2026-01", storage.MetricEarnings); len(aggs) != 0 {
		t.Errorf("a failed commit left aggregates: %v", aggs)
	}
	// A retry without the conflicting entry completes, with its deltas.
	c.Entries = c.Entries[:1]
	c.Hash = "retry"
	mustCommitTierClose(t, s, c)
	aggs, _ := s.PeriodAggregates(ctxT(), "2026-01", storage.MetricEarnings)
	if len(aggs) != 1 || aggs[0].Amount != eur(20) {
		t.Errorf("aggregates after the retry: %v", aggs)
	}
}

func tiersCopies(t *testing.T, newStore Factory) {
	s := need[tierStore](t, newStore)
	c := tierClose("p", "2026-01", 1, "ann")
	c.Entries = []affiliate.Entry{entry("t1", "ann", "c1", "pay1", eur(50), t0)}
	res := mustCommitTierClose(t, s, c)
	// Mutate what went in and what came out.
	c.Snapshots[0].Tier = "Changed"
	c.Entries[0].Chain[0] = "mallory"
	res.Entries[0].Chain[0] = "mallory"
	res.Entries[0].BaseLines[0] = affiliate.LineTax
	snaps, _ := s.TierSnapshots(ctxT(), storage.TierSnapshotQuery{Program: "p", Period: "2026-01"})
	if len(snaps) != 1 || snaps[0].Tier != "Standard" {
		t.Errorf("snapshot changed through the caller's value: %+v", snaps)
	}
	es, _ := s.Entries(ctxT(), storage.EntryQuery{Beneficiary: "ann"})
	if len(es) != 1 || es[0].Chain[0] != "ann" || es[0].BaseLines[0] != affiliate.LineSubscription {
		t.Errorf("entry changed through the caller's value: %s %v %v", describe(es), es[0].Chain, es[0].BaseLines)
	}
	replay := mustCommitTierClose(t, s, tierCloseWithEntries(c, entry("t1", "ann", "c1", "pay1", eur(50), t0)))
	replay.Entries[0].Chain[0] = "mallory"
	if es, _ := s.Entries(ctxT(), storage.EntryQuery{Beneficiary: "ann"}); es[0].Chain[0] != "ann" {
		t.Errorf("entry changed through a replay's result")
	}
}

func tierCloseWithEntries(c storage.TierCloseCommit, es ...affiliate.Entry) storage.TierCloseCommit {
	c.Snapshots = []storage.TierSnapshot{tierSnap(c.Close, "ann", "Standard", eur(100))}
	c.Entries = es
	return c
}

// tiersConcurrent: of concurrent runs with one revision, exactly one
// writes; of concurrent identical runs, one writes and the others replay.
func tiersConcurrent(t *testing.T, newStore Factory) {
	s := need[tierStore](t, newStore)
	const n = 16
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := tierClose("p", "2026-01", 1, affiliate.AffiliateID(fmt.Sprintf("a%02d", i)))
			c.Close.Key = fmt.Sprintf("racer-%d", i)
			c.Entries = []affiliate.Entry{entry(fmt.Sprintf("racer-%d", i), "ann", "c1", "pay1", eur(1), t0)}
			_, errs[i] = s.CommitTierClose(ctxT(), c)
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, affiliate.ErrConflict):
			t.Errorf("a losing run: %v, want ErrConflict", err)
		}
	}
	snaps, _ := s.TierSnapshots(ctxT(), storage.TierSnapshotQuery{Program: "p", Period: "2026-01"})
	es, _ := s.Entries(ctxT(), storage.EntryQuery{Beneficiary: "ann"})
	if won != 1 || len(snaps) != 1 || len(es) != 1 {
		t.Errorf("%d runs won, %d snapshots, %d entries; want 1, 1, 1", won, len(snaps), len(es))
	}

	replayed := make([]bool, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := tierClose("p", "2026-02", 1, "ann")
			c.Entries = []affiliate.Entry{entry("same", "bob", "c1", "pay1", eur(1), t0)}
			r, err := s.CommitTierClose(ctxT(), c)
			errs[i], replayed[i] = err, r.Replayed
		}()
	}
	wg.Wait()
	writes := 0
	for i := range n {
		if errs[i] != nil {
			t.Errorf("identical run: %v", errs[i])
		} else if !replayed[i] {
			writes++
		}
	}
	if es, _ := s.Entries(ctxT(), storage.EntryQuery{Beneficiary: "bob"}); writes != 1 || len(es) != 1 {
		t.Errorf("%d identical runs wrote, %d entries; want 1, 1", writes, len(es))
	}
}
