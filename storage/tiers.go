package storage

import (
	"context"
	"time"

	"github.com/openaffiliate/affiliate"
)

// TierSnapshot is one affiliate's tier decision for one period, as one run
// of the period's tier close wrote it. Snapshots are appended, never
// edited: a later run that decides differently (late events, a re-closed
// earlier month) writes a new snapshot with its own Revision, and readers
// see the latest one unless they ask for an earlier revision.
type TierSnapshot struct {
	Program   string // the close's namespace, as in TierClose
	Period    string // affiliate.Period.String(), "2026-01"
	Revision  int64  // the close run that wrote it: 1 for the first run
	Affiliate affiliate.AffiliateID

	// Metric names the aggregate the value was read from
	// (MetricRevenueConverted, MetricConversions or MetricPayingCustomers).
	Metric Metric
	// Amount is the metric's value for an amount metric, in the program's
	// currency; the zero Money for a count metric.
	Amount affiliate.Money
	// Count is the metric's value for a count metric.
	Count int64

	// Reached is the tier the period's own value reached.
	Reached string
	// Tier is the tier decided for the period: Reached, or a higher tier
	// kept from the period HeldFrom.
	Tier string
	// HeldFrom is the earlier period ("2025-12") whose reached tier decided
	// Tier, or "" when the period's own value decided it.
	HeldFrom string
	// Applied is the tier the close brought the period's tier-driven
	// ledger entries to, or "" when its policy trues nothing up.
	Applied string
}

// TierClose is one run of a period's tier close.
type TierClose struct {
	// Program namespaces closes, as payout runs are namespaced, so hosts
	// running more than one tier program on one store keep them apart.
	Program  string
	Period   string    // affiliate.Period.String(), "2026-01"
	Revision int64     // 1 for the first run; each run that wrote something adds one
	AsOf     time.Time // the as-of time the run was given
}

// TierCloseCommit is one run of a tier close, written in one call: the
// run record and the snapshots that changed. (Program, Period, Revision)
// is its idempotency key.
type TierCloseCommit struct {
	// Close.Revision must be the stored revision of (Program, Period) plus
	// one, so that of two concurrent runs at most one writes.
	Close TierClose
	// Hash identifies the run's payload, so a rerun of the same revision
	// can be told from another run that read the same revision.
	Hash string
	// Snapshots are the affiliates' snapshots this run wrote, each with
	// Close's Program, Period and Revision, at most one per affiliate.
	Snapshots []TierSnapshot
}

// TierSnapshotQuery selects the snapshots of one closed period. Program and
// Period are required; Affiliate, when set, keeps that affiliate's.
// Revision, when above zero, reads the period as that run left it;
// zero reads the latest.
type TierSnapshotQuery struct {
	Program   string
	Period    string
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
	// ErrNotFound when the period was never closed.
	TierClose(ctx context.Context, program, period string) (TierClose, error)

	// TierSnapshots returns, ordered by affiliate, the latest snapshot of
	// each affiliate q selects as of q.Revision (the latest run when 0).
	// A period never closed, or an affiliate without a snapshot, gives an
	// empty result, not an error. Returns ErrInvalid when Program or Period
	// is empty or Revision is negative.
	TierSnapshots(ctx context.Context, q TierSnapshotQuery) ([]TierSnapshot, error)
}
