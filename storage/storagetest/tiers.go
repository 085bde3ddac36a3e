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

// RunTiers runs the cases of storage.TierCloses.
func RunTiers(t *testing.T, newStore Factory[storage.TierCloses]) {
	t.Run("Errors", func(t *testing.T) { tiersErrors(t, newStore(t)) })
	t.Run("PeriodLocation", func(t *testing.T) { tierPeriods(t, newStore(t)) })
	t.Run("Revisions", func(t *testing.T) { tiersRevisions(t, newStore(t)) })
	t.Run("Idempotency", func(t *testing.T) { tiersIdempotency(t, newStore(t)) })
	t.Run("Snapshots", func(t *testing.T) { tiersSnapshots(t, newStore(t)) })
	t.Run("Copies", func(t *testing.T) { tiersCopies(t, newStore(t)) })
	t.Run("Concurrent", func(t *testing.T) { tiersConcurrent(t, newStore(t)) })
	t.Run("Model", func(t *testing.T) { tiersModel(t, newStore) })
}

// tierClose builds a valid commit of run rev of program/period with one
// snapshot per affiliate, at tier "Standard"; the cases vary it.
func tierClose(program, period string, rev int64, affiliates ...affiliate.AffiliateID) storage.TierCloseCommit {
	c := storage.TierCloseCommit{
		Close: affiliate.TierClose{Program: program, Period: per(period), Revision: rev, AsOf: t0},
		Hash:  fmt.Sprintf("h:%s:%s:%d", program, period, rev),
	}
	for _, a := range affiliates {
		c.Snapshots = append(c.Snapshots, tierSnap(c.Close, a, "Standard", eur(100)))
	}
	return c
}

func tierSnap(c affiliate.TierClose, a affiliate.AffiliateID, tier string, value affiliate.Money) affiliate.TierSnapshot {
	return affiliate.TierSnapshot{
		Program: c.Program, Period: c.Period, Revision: c.Revision, Affiliate: a,
		Metric: affiliate.MetricRevenueConverted, Amount: value, Reached: tier, Tier: tier, Applied: tier,
	}
}

func mustCommitTierClose(t *testing.T, s storage.TierCloses, c storage.TierCloseCommit) (replayed bool) {
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
	if c, err := s.TierClose(ctxT(), program, per(period)); !errors.Is(err, affiliate.ErrNotFound) {
		t.Errorf("TierClose(%s, %s) = %+v, %v; want ErrNotFound", program, period, c, err)
	}
	snaps, err := s.TierSnapshots(ctxT(), storage.TierSnapshotQuery{Program: program, Period: per(period)})
	if err != nil || len(snaps) != 0 {
		t.Errorf("TierSnapshots(%s, %s) = %v, %v; want none", program, period, snaps, err)
	}
}

func tiersErrors(t *testing.T, s storage.TierCloses) {
	valid := func() storage.TierCloseCommit { return tierClose("p", "2026-01", 1, "ann") }
	cases := []struct {
		name string
		edit func(*storage.TierCloseCommit)
	}{
		{"no program", func(c *storage.TierCloseCommit) { c.Close.Program = "" }},
		{"no period", func(c *storage.TierCloseCommit) { c.Close.Period = affiliate.Period{} }},
		{"no hash", func(c *storage.TierCloseCommit) { c.Hash = "" }},
		{"revision 0", func(c *storage.TierCloseCommit) { c.Close.Revision = 0 }},
		{"zero as-of", func(c *storage.TierCloseCommit) { c.Close.AsOf = time.Time{} }},
		{"snapshot without affiliate", func(c *storage.TierCloseCommit) { c.Snapshots[0].Affiliate = "" }},
		{"snapshot without tier", func(c *storage.TierCloseCommit) { c.Snapshots[0].Tier = "" }},
		{"snapshot of another period", func(c *storage.TierCloseCommit) { c.Snapshots[0].Period = per("2026-02") }},
		{"snapshot of another program", func(c *storage.TierCloseCommit) { c.Snapshots[0].Program = "q" }},
		{"snapshot of another run", func(c *storage.TierCloseCommit) { c.Snapshots[0].Revision = 2 }},
		{"affiliate twice", func(c *storage.TierCloseCommit) { c.Snapshots = append(c.Snapshots, c.Snapshots[0]) }},
	}
	for _, tc := range cases {
		c := valid()
		tc.edit(&c)
		if _, err := s.CommitTierClose(ctxT(), c); !errors.Is(err, affiliate.ErrInvalid) {
			t.Errorf("%s: CommitTierClose = %v, want ErrInvalid", tc.name, err)
		}
	}
	tierCloseAbsent(t, s, "p", "2026-01")
	for name, q := range map[string]storage.TierSnapshotQuery{
		"no program":       {Period: per("2026-01")},
		"no period":        {Program: "p"},
		"negative version": {Program: "p", Period: per("2026-01"), Revision: -1},
	} {
		if _, err := s.TierSnapshots(ctxT(), q); !errors.Is(err, affiliate.ErrInvalid) {
			t.Errorf("TierSnapshots(%s) = %v, want ErrInvalid", name, err)
		}
	}
	// The valid commit goes through once the store is known to be clean.
	mustCommitTierClose(t, s, valid())
}

func tiersRevisions(t *testing.T, s storage.TierCloses) {
	first := tierClose("p", "2026-01", 1, "ann", "bob")
	mustCommitTierClose(t, s, first)
	got, err := s.TierClose(ctxT(), "p", per("2026-01"))
	if err != nil || got != first.Close {
		t.Fatalf("TierClose = %+v, %v; want %+v", got, err, first.Close)
	}
	// A skipped revision is a conflict.
	if _, err := s.CommitTierClose(ctxT(), tierClose("p", "2026-01", 3, "ann")); !errors.Is(err, affiliate.ErrConflict) {
		t.Errorf("run 3 after 1: %v, want ErrConflict", err)
	}
	second := tierClose("p", "2026-01", 2)
	second.Close.AsOf = t0.Add(time.Hour)
	second.Snapshots = []affiliate.TierSnapshot{tierSnap(second.Close, "ann", "Premium", eur(20000))}
	mustCommitTierClose(t, s, second)
	if got, err := s.TierClose(ctxT(), "p", per("2026-01")); err != nil || got != second.Close {
		t.Errorf("TierClose after run 2 = %+v, %v", got, err)
	}
	// Periods and programs are separate keys.
	tierCloseAbsent(t, s, "p", "2026-02")
	tierCloseAbsent(t, s, "q", "2026-01")
	mustCommitTierClose(t, s, tierClose("q", "2026-01", 1, "ann"))
}

// tiersIdempotency: a revision written before with the same hash is a
// replay; with another hash (another run that read the same revision) it
// is a mismatch, and nothing changes.
func tiersIdempotency(t *testing.T, s storage.TierCloses) {
	c := tierClose("p", "2026-01", 1, "ann")
	if mustCommitTierClose(t, s, c) {
		t.Fatal("first commit reported a replay")
	}
	if !mustCommitTierClose(t, s, c) {
		t.Error("the same run again is not a replay")
	}
	other := tierClose("p", "2026-01", 1, "bob")
	other.Hash = "another"
	if _, err := s.CommitTierClose(ctxT(), other); !errors.Is(err, affiliate.ErrIdempotencyMismatch) {
		t.Errorf("revision 1 with another hash: %v, want ErrIdempotencyMismatch", err)
	}
	snaps, _ := s.TierSnapshots(ctxT(), storage.TierSnapshotQuery{Program: "p", Period: per("2026-01")})
	if len(snaps) != 1 || snaps[0].Affiliate != "ann" {
		t.Errorf("snapshots after a replay and a mismatch: %+v; want ann's only", snaps)
	}
}

func tiersSnapshots(t *testing.T, s storage.TierCloses) {
	r1 := tierClose("p", "2026-01", 1, "cid", "ann", "bob")
	mustCommitTierClose(t, s, r1)
	r2 := tierClose("p", "2026-01", 2)
	r2.Snapshots = []affiliate.TierSnapshot{tierSnap(r2.Close, "bob", "Premium", eur(20000)), tierSnap(r2.Close, "dan", "Standard", eur(5))}
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
		{storage.TierSnapshotQuery{Program: "p", Period: per("2026-01")}, "ann:Standard@1 bob:Premium@2 cid:Standard@1 dan:Standard@2 "},
		{storage.TierSnapshotQuery{Program: "p", Period: per("2026-01"), Revision: 1}, "ann:Standard@1 bob:Standard@1 cid:Standard@1 "},
		{storage.TierSnapshotQuery{Program: "p", Period: per("2026-01"), Revision: 2}, "ann:Standard@1 bob:Premium@2 cid:Standard@1 dan:Standard@2 "},
		{storage.TierSnapshotQuery{Program: "p", Period: per("2026-01"), Revision: 9}, "ann:Standard@1 bob:Premium@2 cid:Standard@1 dan:Standard@2 "},
		{storage.TierSnapshotQuery{Program: "p", Period: per("2026-01"), Affiliate: "bob"}, "bob:Premium@2 "},
		{storage.TierSnapshotQuery{Program: "p", Period: per("2026-01"), Affiliate: "bob", Revision: 1}, "bob:Standard@1 "},
		{storage.TierSnapshotQuery{Program: "p", Period: per("2026-01"), Affiliate: "dan", Revision: 1}, ""},
		{storage.TierSnapshotQuery{Program: "p", Period: per("2026-01"), Affiliate: "eve"}, ""},
		{storage.TierSnapshotQuery{Program: "p", Period: per("2026-02")}, ""},
		{storage.TierSnapshotQuery{Program: "q", Period: per("2026-01")}, ""},
	} {
		if got := list(tc.q); got != tc.want {
			t.Errorf("TierSnapshots(%+v) = %q, want %q", tc.q, got, tc.want)
		}
	}
	// The snapshot comes back whole.
	snaps, _ := s.TierSnapshots(ctxT(), storage.TierSnapshotQuery{Program: "p", Period: per("2026-01"), Affiliate: "bob"})
	if want := r2.Snapshots[0]; len(snaps) != 1 || snaps[0] != want {
		t.Errorf("bob's snapshot = %+v, want %+v", snaps, want)
	}
}

func tiersCopies(t *testing.T, s storage.TierCloses) {
	c := tierClose("p", "2026-01", 1, "ann")
	mustCommitTierClose(t, s, c)
	c.Snapshots[0].Tier = "Changed"
	snaps, _ := s.TierSnapshots(ctxT(), storage.TierSnapshotQuery{Program: "p", Period: per("2026-01")})
	if len(snaps) != 1 || snaps[0].Tier != "Standard" {
		t.Fatalf("snapshot changed through the caller's value: %+v", snaps)
	}
	snaps[0].Tier = "Changed"
	again, _ := s.TierSnapshots(ctxT(), storage.TierSnapshotQuery{Program: "p", Period: per("2026-01")})
	if len(again) != 1 || again[0].Tier != "Standard" {
		t.Errorf("snapshot changed through a returned value: %+v", again)
	}
}

// tiersConcurrent: of concurrent runs with one revision, exactly one
// writes; of concurrent identical runs, one writes and the others replay.
func tiersConcurrent(t *testing.T, s storage.TierCloses) {
	const n = 16
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := tierClose("p", "2026-01", 1, affiliate.AffiliateID(fmt.Sprintf("a%02d", i)))
			c.Hash = fmt.Sprintf("racer-%d", i)
			_, errs[i] = s.CommitTierClose(ctxT(), c)
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, affiliate.ErrConflict) && !errors.Is(err, affiliate.ErrIdempotencyMismatch):
			t.Errorf("a losing run: %v, want ErrConflict or ErrIdempotencyMismatch", err)
		}
	}
	snaps, _ := s.TierSnapshots(ctxT(), storage.TierSnapshotQuery{Program: "p", Period: per("2026-01")})
	if won != 1 || len(snaps) != 1 {
		t.Errorf("%d runs won, %d snapshots; want 1, 1", won, len(snaps))
	}

	replayed := make([]bool, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			replayed[i], errs[i] = s.CommitTierClose(ctxT(), tierClose("p", "2026-02", 1, "ann"))
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
	if writes != 1 {
		t.Errorf("%d identical runs wrote; want 1", writes)
	}
}
