package tiers

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// CloseResult reports what one Close call did.
type CloseResult struct {
	Period affiliate.Period
	// Revision is the close's revision after the call: 1 after the first
	// run, higher after reruns that corrected something.
	Revision int64
	// Written is false when the call wrote nothing: the month was closed
	// already and nothing changed since (closing twice is a no-op), or a
	// concurrent identical run wrote first.
	Written bool
	// Snapshots are the snapshots the call wrote: every affiliate's on the
	// first run, the ones that changed on a rerun.
	Snapshots []affiliate.TierSnapshot
	// Affected lists the affiliates whose payments the decisions may
	// price differently from how the engine priced them. Pass each to
	// commission.Engine.Retier: the engine re-prices them and appends the
	// difference. A rerun lists them again.
	Affected []Change
	// Reclose lists later months that are closed already and whose
	// decisions depend on a tier this call changed. Close them again,
	// oldest first.
	Reclose []affiliate.Period
}

// Change says that the tier in effect for Affiliate may have changed for
// payments made from From on.
type Change struct {
	Affiliate affiliate.AffiliateID
	From      time.Time
}

// PeriodOpenError reports a close of a month that has not ended at the
// as-of time. It matches affiliate.ErrPeriodOpen (and so
// affiliate.ErrInvalid).
type PeriodOpenError struct {
	Period affiliate.Period
	AsOf   time.Time
}

func (e *PeriodOpenError) Error() string {
	return fmt.Sprintf("tiers: cannot close %s at %s: the month ends at %s",
		e.Period, e.AsOf.Format(time.RFC3339), e.Period.End().Format(time.RFC3339))
}

// Unwrap returns affiliate.ErrPeriodOpen.
func (e *PeriodOpenError) Unwrap() error { return affiliate.ErrPeriodOpen }

// maxCloseAttempts bounds the retries of a close that lost a race with a
// concurrent close of the same month.
const maxCloseAttempts = 5

// Close decides every affiliate's tier for period from the month's
// aggregates and records the decisions: in one atomic store call, a
// snapshot per affiliate with the metric value that decided it. It writes
// no ledger entries; CloseResult.Affected lists the affiliates whose
// pricing the decisions may change, for commission.Engine.Retier.
//
// Close is keyed by the period and idempotent: run again with nothing
// changed, it writes nothing (CloseResult.Written is false). Run again
// after late events (a late payment, a refund that pulls revenue under a
// threshold, a re-closed earlier month), it appends a new revision with
// the snapshots that changed.
//
// asOf is the time the close runs at: the month must have ended by then.
// Errors: *PeriodOpenError (affiliate.ErrPeriodOpen) for a month not
// ended; *affiliate.FieldError for a zero asOf or a period in another
// location than the program's; ErrUnknownTier when stored snapshots name a
// tier the schedule lacks; *affiliate.CurrencyMismatchError when the
// revenue aggregates hold another currency than the program's; the store's
// errors besides. Nothing is written when Close returns an error.
func (p *Program) Close(ctx context.Context, period affiliate.Period, asOf time.Time) (CloseResult, error) {
	if err := ctx.Err(); err != nil {
		return CloseResult{}, err
	}
	per, err := p.period(period)
	if err != nil {
		return CloseResult{}, err
	}
	if asOf.IsZero() {
		return CloseResult{}, &affiliate.FieldError{Field: "asOf", Reason: "zero time"}
	}
	if !per.Ended(asOf) {
		return CloseResult{}, &PeriodOpenError{Period: per, AsOf: asOf}
	}
	for attempt := 1; ; attempt++ {
		res, lost, err := p.closeOnce(ctx, per, asOf)
		if !lost || attempt == maxCloseAttempts {
			return res, err
		}
	}
}

// closeRun is one run of a month's close.
type closeRun struct {
	period   affiliate.Period
	revision int64
}

// closeOnce reads, decides and commits one run. lost reports a commit
// that lost a race with a concurrent run (the revision or key was taken):
// the caller reads again and retries.
func (p *Program) closeOnce(ctx context.Context, per affiliate.Period, asOf time.Time) (res CloseResult, lost bool, err error) {
	last, closed, err := p.lastClose(ctx, per)
	if err != nil {
		return CloseResult{}, false, err
	}
	prev := make(map[affiliate.AffiliateID]affiliate.TierSnapshot)
	if closed {
		snaps, err := p.cfg.Store.TierSnapshots(ctx, storage.TierSnapshotQuery{Program: p.cfg.Program, Period: per})
		if err != nil {
			return CloseResult{}, false, err
		}
		for _, s := range snaps {
			prev[s.Affiliate] = s
		}
	}
	values, err := p.valuesAll(ctx, per)
	if err != nil {
		return CloseResult{}, false, err
	}
	held, err := p.heldAll(ctx, per)
	if err != nil {
		return CloseResult{}, false, err
	}
	decisions, err := p.decideAll(values, held)
	if err != nil {
		return CloseResult{}, false, err
	}
	earners, err := p.earners(ctx, per, per)
	if err != nil {
		return CloseResult{}, false, err
	}
	var before monthView // NextPeriod: the month whose decision applies to this one
	if p.cfg.Policy == NextPeriod {
		if before, err = p.viewAll(ctx, per.Prev(), true); err != nil {
			return CloseResult{}, false, err
		}
	}

	run := closeRun{period: per, revision: last.Revision + 1}
	all := affiliates(decisions, prev, earners)
	var snaps []affiliate.TierSnapshot
	if !closed && len(all) > 0 { // a first run snapshots them all; none stay nil, as hashed before
		snaps = make([]affiliate.TierSnapshot, 0, len(all))
	}
	for _, a := range all {
		d, decided := decisions[a]
		if !decided {
			d = decide(p.cfg.Metric.zero(p.cfg.Currency), 0, nil)
		}
		snap := p.snapshot(a, d, run)
		switch p.cfg.Policy {
		case Retroactive:
			snap.Applied = p.cfg.Schedule.tiers[d.tier].Name
		case NextPeriod:
			snap.Applied = p.cfg.Schedule.tiers[before.decisions[a].tier].Name
		}
		if old, ok := prev[a]; !ok || !sameSnapshot(old, snap) {
			snaps = append(snaps, snap)
		}
	}
	affected, err := p.affected(ctx, per, asOf, closed, decisions, all)
	if err != nil {
		return CloseResult{}, false, err
	}
	if closed && len(snaps) == 0 {
		return CloseResult{Period: per, Revision: last.Revision, Affected: affected}, false, nil
	}
	commit := storage.TierCloseCommit{
		Close:     affiliate.TierClose{Program: p.cfg.Program, Period: per, Revision: run.revision, AsOf: asOf},
		Snapshots: snaps,
	}
	if commit.Hash, err = hashCommit(commit); err != nil {
		return CloseResult{}, false, err
	}
	replayed, err := p.cfg.Store.CommitTierClose(ctx, commit)
	if err != nil {
		lost := errors.Is(err, affiliate.ErrConflict) || errors.Is(err, affiliate.ErrIdempotencyMismatch)
		return CloseResult{}, lost, err
	}
	res = CloseResult{Period: per, Revision: run.revision, Written: !replayed, Snapshots: snaps, Affected: affected}
	res.Reclose, err = p.reclose(ctx, per, prev, snaps)
	return res, false, err
}

// affected lists the affiliates whose payments the decisions of per may
// price differently from how the engine priced them, and from when: the
// month itself under Retroactive, the months after it under NextPeriod
// (and under KeepFor, which holds a tier into later months). On the first
// retroactive run without KeepFor the month was priced at the lowest
// tier, so only the affiliates decided above it are listed; otherwise
// every affiliate with entries dated from then up to asOf is, since a
// provisional decision or an earlier run may have priced any of them.
// The list follows from what is stored, so a rerun lists them again, and
// the engine's Retier, which appends only differences, completes a close
// that stopped between the two calls.
func (p *Program) affected(ctx context.Context, per affiliate.Period, asOf time.Time, closed bool, decisions map[affiliate.AffiliateID]decision, all []affiliate.AffiliateID) ([]Change, error) {
	from := per
	if p.cfg.Policy != Retroactive {
		from = per.Next()
	}
	var ids []affiliate.AffiliateID
	switch {
	case p.cfg.Policy == Immediate && p.cfg.KeepFor == 0:
		return nil, nil // each payment's tier was decided when it was recorded
	case p.cfg.Policy == Retroactive && p.cfg.KeepFor == 0 && !closed:
		for _, a := range all {
			if decisions[a].tier > 0 {
				ids = append(ids, a)
			}
		}
	default:
		later, err := p.earners(ctx, from, affiliate.PeriodOf(asOf, p.loc))
		if err != nil {
			return nil, err
		}
		if from == per {
			for _, a := range all {
				later[a] = true
			}
		}
		for a := range later {
			ids = append(ids, a)
		}
		slices.Sort(ids)
	}
	out := make([]Change, len(ids))
	for i, a := range ids {
		out[i] = Change{Affiliate: a, From: from.Start()}
	}
	return out, nil
}

// affiliates returns, sorted, every affiliate the close snapshots: those
// with a value or a kept tier, those snapshotted by an earlier run, and
// those with ledger entries in the month.
func affiliates(decisions map[affiliate.AffiliateID]decision, prev map[affiliate.AffiliateID]affiliate.TierSnapshot, earners map[affiliate.AffiliateID]bool) []affiliate.AffiliateID {
	ids := make([]affiliate.AffiliateID, 0, len(decisions)+len(earners))
	for a := range decisions {
		ids = append(ids, a)
	}
	for a := range prev {
		if _, ok := decisions[a]; !ok {
			ids = append(ids, a)
		}
	}
	for a := range earners {
		_, d := decisions[a]
		_, s := prev[a]
		if !d && !s {
			ids = append(ids, a)
		}
	}
	slices.Sort(ids)
	return ids
}

// earners returns the affiliates with ledger entries dated in the months
// from first to last, from the earnings aggregate the engine keeps (it
// files a row for a 0.00 entry too: a payment whose commission rounds to
// zero at one tier may earn at another).
func (p *Program) earners(ctx context.Context, first, last affiliate.Period) (map[affiliate.AffiliateID]bool, error) {
	out := make(map[affiliate.AffiliateID]bool)
	for per := first; !per.Start().After(last.Start()); per = per.Next() {
		aggs, err := p.cfg.Store.PeriodAggregates(ctx, per, affiliate.MetricEarnings)
		if err != nil {
			return nil, err
		}
		for _, a := range aggs {
			if a.Affiliate != "" {
				out[a.Affiliate] = true
			}
		}
	}
	return out, nil
}

func (p *Program) snapshot(a affiliate.AffiliateID, d decision, run closeRun) affiliate.TierSnapshot {
	s := affiliate.TierSnapshot{
		Program: p.cfg.Program, Period: run.period, Revision: run.revision, Affiliate: a,
		Metric:  p.cfg.Metric.aggregate(),
		Reached: p.cfg.Schedule.tiers[d.reached].Name,
		Tier:    p.cfg.Schedule.tiers[d.tier].Name,
	}
	if d.value.IsAmount() {
		s.Amount = d.value.Amount
	} else {
		s.Count = d.value.Count
	}
	if d.heldBack > 0 {
		s.HeldFrom = back(run.period, d.heldBack)
	}
	return s
}

// sameSnapshot compares what a snapshot records, not the run that wrote it.
func sameSnapshot(a, b affiliate.TierSnapshot) bool {
	a.Revision, b.Revision = 0, 0
	return a == b
}

// reclose lists the later closed months that depend on a tier this run
// changed: under NextPeriod the next month's applied tier, and with
// KeepFor the decisions of the months that may keep it.
func (p *Program) reclose(ctx context.Context, per affiliate.Period, prev map[affiliate.AffiliateID]affiliate.TierSnapshot, written []affiliate.TierSnapshot) ([]affiliate.Period, error) {
	span := p.cfg.KeepFor
	if p.cfg.Policy == NextPeriod {
		span++
	}
	lowest := p.cfg.Schedule.tiers[0].Name
	changed := false
	for _, s := range written {
		old, ok := prev[s.Affiliate]
		if !ok {
			old.Tier, old.Reached = lowest, lowest
		}
		if old.Tier != s.Tier || old.Reached != s.Reached {
			changed = true
			break
		}
	}
	if !changed {
		return nil, nil
	}
	var out []affiliate.Period
	next := per
	for range span {
		next = next.Next()
		_, closed, err := p.lastClose(ctx, next)
		if err != nil {
			return nil, err
		}
		if closed {
			out = append(out, next)
		}
	}
	return out, nil
}
