package storage

import (
	"context"

	"github.com/openaffiliate/affiliate"
)

// TierCloseCommit is one run of a tier close, written in one call: the
// run record and the snapshots that changed. (Program, Period, Revision)
// is its idempotency key.
type TierCloseCommit struct {
	// Close.Revision must be the stored revision of (Program, Period) plus
	// one, so that of two concurrent runs at most one writes.
	Close affiliate.TierClose
	// Hash identifies the run's payload, so a rerun of the same revision
	// can be told from another run that read the same revision.
	Hash string
	// Snapshots are the affiliates' snapshots this run wrote, each with
	// Close's Program, Period and Revision, at most one per affiliate.
	Snapshots []affiliate.TierSnapshot
}

// TierSnapshotQuery selects the snapshots of one closed period. Program and
// Period are required; Affiliate, when set, keeps that affiliate's.
// Revision, when above zero, reads the period as that run left it;
// zero reads the latest.
type TierSnapshotQuery struct {
	Program   string
	Period    affiliate.Period
	Affiliate affiliate.AffiliateID
	Revision  int64
}

// TierCloses stores tier closes and their snapshots. Closes are keyed by
// (Program, Period) and revisioned: a rerun that finds something to
// correct appends a new revision, and nothing already written changes.
type TierCloses interface {
	// CommitTierClose writes c atomically: the run and its snapshots, or
	// nothing.
	//
	// A (Program, Period, Revision) stored before with the same Hash is a
	// replay: nothing is written and replayed is true; with another Hash
	// it returns ErrIdempotencyMismatch. Otherwise a Revision that is not
	// the stored revision plus one returns ErrConflict.
	//
	// Returns ErrInvalid when Program, Period or Hash is empty, Revision
	// is below 1, AsOf is zero, or a snapshot lacks an affiliate or a tier,
	// names another program, period or revision, or repeats an affiliate.
	CommitTierClose(ctx context.Context, c TierCloseCommit) (replayed bool, err error)

	// TierClose returns the latest run of program's close of period, or
	// ErrNotFound when the period was never closed. The close comes back
	// with period's location.
	TierClose(ctx context.Context, program string, period affiliate.Period) (affiliate.TierClose, error)

	// TierSnapshots returns, ordered by affiliate, the latest snapshot of
	// each affiliate q selects as of q.Revision (the latest run when 0).
	// A period never closed, or an affiliate without a snapshot, gives an
	// empty result, not an error. Snapshots come back with q.Period's
	// location. Returns ErrInvalid when Program is empty, Period invalid
	// or Revision negative.
	TierSnapshots(ctx context.Context, q TierSnapshotQuery) ([]affiliate.TierSnapshot, error)
}
