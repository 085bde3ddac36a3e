package tiers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
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
	Snapshots []storage.TierSnapshot
	// Entries are the true-ups and corrections the call appended.
	Entries []affiliate.Entry
	// Reclose lists later months that are closed already and whose
	// decisions or true-ups depend on a tier this call changed. Close them
	// again, oldest first.
	Reclose []affiliate.Period
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
// aggregates, and writes, in one atomic store call, a snapshot per
// affiliate (with the metric value that decided it) and, under
// Retroactive and NextPeriod, the true-ups that bring the month's
// tier-driven entries to the tier in effect.
//
// Close is keyed by the period and idempotent: run again with nothing
// changed, it writes nothing (CloseResult.Written is false). Run again
// after late events (a late payment, a refund that pulls revenue under a
// threshold, a re-closed earlier month), it appends a new revision: the
// snapshots that changed and the corrections that bring the ledger to the
// new decision. Nothing written before is edited; each correction is an
// entry linked (Corrects) to the accrual it corrects, and a rerun appends
// only the remaining difference.
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

// closeRun is what every entry of one run is filed under.
type closeRun struct {
	period   affiliate.Period
	revision int64
	key      string
	asOf     time.Time
}

// closeOnce reads, decides and commits one run. lost reports a commit
// that lost a race with a concurrent run (the revision or key was taken):
// the caller reads again and retries.
func (p *Program) closeOnce(ctx context.Context, per affiliate.Period, asOf time.Time) (res CloseResult, lost bool, err error) {
	last, closed, err := p.lastClose(ctx, per)
	if err != nil {
		return CloseResult{}, false, err
	}
	prev := make(map[affiliate.AffiliateID]storage.TierSnapshot)
	if closed {
		snaps, err := p.cfg.Store.TierSnapshots(ctx, storage.TierSnapshotQuery{Program: p.cfg.Program, Period: key(per)})
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
	earners, err := p.earners(ctx, per)
	if err != nil {
		return CloseResult{}, false, err
	}
	var before monthView // NextPeriod: the month whose decision applies to this one
	if p.cfg.Policy == NextPeriod {
		if before, err = p.viewAll(ctx, per.Prev(), true); err != nil {
			return CloseResult{}, false, err
		}
	}

	run := closeRun{period: per, revision: last.Revision + 1, asOf: asOf}
	run.key = "tiers:" + p.cfg.Program + ":" + per.String() + ":" + strconv.FormatInt(run.revision, 10)
	var (
		snaps   []storage.TierSnapshot
		entries []affiliate.Entry
	)
	for _, a := range affiliates(decisions, prev, earners) {
		d, decided := decisions[a]
		if !decided {
			d = decide(p.cfg.Metric.zero(p.cfg.Currency), 0, nil)
		}
		snap := p.snapshot(a, d, run)
		apply, because := -1, ""
		switch p.cfg.Policy {
		case Retroactive:
			apply, because = d.tier, p.why(d, per)
		case NextPeriod:
			bd, ok := before.decisions[a]
			if !ok {
				bd = decide(p.cfg.Metric.zero(p.cfg.Currency), 0, nil)
			}
			apply = bd.tier
			because = "the tier of " + per.String() + " is the one " + per.Prev().String() + " decided: " + p.why(bd, per.Prev())
		}
		if apply >= 0 {
			snap.Applied = p.cfg.Schedule.tiers[apply].Name
			// An affiliate with a value but no earnings may still hold
			// tier-driven entries: zero tier anchors add nothing to the
			// earnings aggregate (a 0% floor, amounts that round to zero).
			if (earners[a] || decided) && !p.pricedAtLowest(closed, apply) {
				es, err := p.trueUp(ctx, a, apply, because, run)
				if err != nil {
					return CloseResult{}, false, err
				}
				entries = append(entries, es...)
			}
		}
		if old, ok := prev[a]; !ok || !sameSnapshot(old, snap) {
			snaps = append(snaps, snap)
		}
	}
	if closed && len(snaps) == 0 && len(entries) == 0 {
		return CloseResult{Period: per, Revision: last.Revision}, false, nil
	}

	deltas, err := earningsDeltas(entries, per)
	if err != nil {
		return CloseResult{}, false, err
	}
	commit := storage.TierCloseCommit{
		Close:     storage.TierClose{Program: p.cfg.Program, Period: per.String(), Revision: run.revision, AsOf: asOf, Key: run.key},
		Snapshots: snaps,
		Entries:   entries,
		Deltas:    deltas,
	}
	commit.Hash = hashCommit(commit)
	written, err := p.cfg.Store.CommitTierClose(ctx, commit)
	if err != nil {
		lost := errors.Is(err, affiliate.ErrConflict) || errors.Is(err, affiliate.ErrIdempotencyMismatch)
		return CloseResult{}, lost, err
	}
	res = CloseResult{Period: per, Revision: run.revision, Written: !written.Replayed, Snapshots: snaps, Entries: written.Entries}
	res.Reclose, err = p.reclose(ctx, per, prev, snaps)
	return res, false, err
}

// pricedAtLowest reports whether every tier-driven entry of the month is
// known, without reading it, to be priced at the tier at rank apply, so
// the close need not read the affiliate's entries. That holds on the first
// run of a retroactive close with no kept tiers, for an affiliate that
// stays at the lowest tier: until a month is first closed, TierAt prices
// it at the floor, which without kept tiers is the lowest tier. Every
// other case is read.
func (p *Program) pricedAtLowest(closed bool, apply int) bool {
	return p.cfg.Policy == Retroactive && p.cfg.KeepFor == 0 && !closed && apply == 0
}

// affiliates returns, sorted, every affiliate the close snapshots: those
// with a value or a kept tier, those snapshotted by an earlier run, and
// those with ledger entries in the month.
func affiliates(decisions map[affiliate.AffiliateID]decision, prev map[affiliate.AffiliateID]storage.TierSnapshot, earners map[affiliate.AffiliateID]bool) []affiliate.AffiliateID {
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

// earners returns the affiliates with ledger entries dated in per, from the
// earnings aggregate the engine keeps.
func (p *Program) earners(ctx context.Context, per affiliate.Period) (map[affiliate.AffiliateID]bool, error) {
	aggs, err := p.cfg.Store.PeriodAggregates(ctx, key(per), storage.MetricEarnings)
	if err != nil {
		return nil, err
	}
	out := make(map[affiliate.AffiliateID]bool, len(aggs))
	for _, a := range aggs {
		if a.Affiliate != "" {
			out[a.Affiliate] = true
		}
	}
	return out, nil
}

func (p *Program) snapshot(a affiliate.AffiliateID, d decision, run closeRun) storage.TierSnapshot {
	s := storage.TierSnapshot{
		Program: p.cfg.Program, Period: key(run.period), Revision: run.revision, Affiliate: a,
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
		s.HeldFrom = key(back(run.period, d.heldBack))
	}
	return s
}

// sameSnapshot compares what a snapshot records, not the run that wrote it.
func sameSnapshot(a, b storage.TierSnapshot) bool {
	a.Revision, b.Revision = 0, 0
	return a == b
}

// why says, in words, what decided d.
func (p *Program) why(d decision, per affiliate.Period) string {
	ts := p.cfg.Schedule.tiers
	head := p.cfg.Metric.String() + " " + d.value.String() + " in " + per.String()
	switch {
	case d.heldBack > 0:
		return head + " reached " + ts[d.reached].Name + "; " + ts[d.tier].Name + " is kept from " + back(per, d.heldBack).String()
	case d.tier > 0:
		return head + " reached " + ts[d.tier].Name + " (threshold " + ts[d.tier].Threshold.String() + ")"
	case len(ts) > 1:
		return head + " is under " + ts[1].Name + "'s " + ts[1].Threshold.String()
	}
	return head
}

// reclose lists the later closed months that depend on a tier this run
// changed: under NextPeriod the next month's true-ups, and with KeepFor
// the decisions of the months that may keep it.
func (p *Program) reclose(ctx context.Context, per affiliate.Period, prev map[affiliate.AffiliateID]storage.TierSnapshot, written []storage.TierSnapshot) ([]affiliate.Period, error) {
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

// trueUp returns the entries that bring a's tier-driven entries dated in
// the run's month to the tier at rank apply. It reads a's entries of the
// month and, for each tier-driven accrual among them, its whole key: every
// entry of a about its payment, whenever dated, since the engine dates an
// adjustment at the event that made it re-price (a payment of another
// month arriving out of order, a recompute's clock), not at the accrual.
// Only a key whose gross is not what the tier gives is corrected, with
// its payment's refunds read from the event log.
func (p *Program) trueUp(ctx context.Context, a affiliate.AffiliateID, apply int, because string, run closeRun) ([]affiliate.Entry, error) {
	tier := p.cfg.Schedule.tiers[apply]
	window, err := p.cfg.Store.Entries(ctx, storage.EntryQuery{Beneficiary: a, From: run.period.Start(), To: run.period.End()})
	if err != nil {
		return nil, err
	}
	var out []affiliate.Entry
	for _, root := range window {
		if !tierDriven(root) {
			continue
		}
		if root.Event != root.Payment {
			// Made by a recompute or a replay triggered by another event,
			// and dated at that time: its payment may be another month's.
			in, err := p.paidIn(ctx, root.Payment, run.period)
			if err != nil {
				return nil, err
			}
			if !in {
				continue
			}
		}
		rate := rateFor(tier, root.Kind)
		k, err := p.fullKey(ctx, root)
		if err != nil {
			return nil, err
		}
		want, err := wantGross(k, rate, p.cfg.Rounding)
		if err != nil {
			return nil, err
		}
		if k.gross.Equal(want) {
			continue
		}
		share, err := p.shareOf(ctx, k)
		if err != nil {
			return nil, err
		}
		adj, rev, err := plan(k, rate, share, p.cfg.Rounding)
		if err != nil {
			return nil, err
		}
		out = append(out, p.corrections(k, tier, rate, want, adj, rev, share, because, run)...)
	}
	return out, nil
}

// paidIn reports whether the logged payment id was made in per (true for a
// payment the log does not have: its accrual's date is all there is).
func (p *Program) paidIn(ctx context.Context, id affiliate.EventID, per affiliate.Period) (bool, error) {
	rec, err := p.cfg.Store.Event(ctx, id)
	switch {
	case errors.Is(err, affiliate.ErrNotFound):
		return true, nil
	case err != nil:
		return false, err
	case rec.Payment == nil:
		return true, nil
	}
	return per.Contains(rec.Payment.PaidAt), nil
}

// fullKey reads every entry about root's payment and folds root's
// corrections, whenever they are dated.
func (p *Program) fullKey(ctx context.Context, root affiliate.Entry) (tierKey, error) {
	all, err := p.cfg.Store.Entries(ctx, storage.EntryQuery{Payment: root.Payment, Beneficiary: root.Beneficiary})
	if err != nil {
		return tierKey{}, err
	}
	k := newTierKey(root)
	for _, e := range all {
		if e.Corrects == root.ID {
			if err := k.add(e); err != nil {
				return tierKey{}, err
			}
		}
	}
	return k, nil
}

// shareOf returns the refunded share of k's payment from the event log,
// or, when the payment is not logged, the share k's reversals hold.
func (p *Program) shareOf(ctx context.Context, k tierKey) (refundShare, error) {
	recs, err := p.cfg.Store.Events(ctx, storage.EventQuery{Payment: k.root.Payment})
	if err != nil {
		return refundShare{}, err
	}
	share, found, err := refundShareOf(recs, k.root.Payment)
	if err != nil || found {
		return share, err
	}
	return heldShare(k), nil
}

// corrections builds the adjustment and the reversal of one key. Both are
// dated at the corrected accrual's time, so they count in its month;
// what they add is available no earlier than the accrual was, and never
// before the close, and what they take back is taken at the close.
func (p *Program) corrections(k tierKey, tier Tier, rate affiliate.Rate, want, adj, rev affiliate.Money, share refundShare, because string, run closeRun) []affiliate.Entry {
	root := k.root
	what := "commission"
	if root.Kind == affiliate.KindBonus {
		what = "sub-affiliate bonus"
	}
	head := fmt.Sprintf("tier true-up (close of %s, run %d): ", run.period, run.revision)
	entry := func(kind affiliate.EntryKind, suffix string, amount affiliate.Money, explanation string) affiliate.Entry {
		available := run.asOf
		if amount.Sign() > 0 && root.AvailableAt.After(available) {
			available = root.AvailableAt
		}
		return affiliate.Entry{
			ID:          correctionID(run.key, root.ID, suffix),
			Beneficiary: root.Beneficiary,
			Event:       affiliate.EventID(run.key),
			Payment:     root.Payment,
			Customer:    root.Customer,
			Kind:        kind,
			Base:        affiliate.Zero(root.Amount.Currency()), // the change in base: none
			BaseLines:   slices.Clone(root.BaseLines),
			Rate:        rate,
			Amount:      amount,
			Rule:        root.Rule,
			Terms:       root.Terms,
			Tier:        tier.Name,
			Chain:       slices.Clone(root.Chain),
			At:          root.At,
			AvailableAt: available,
			Corrects:    root.ID,
			Explanation: explanation,
		}
	}
	var out []affiliate.Entry
	if !adj.IsZero() {
		out = append(out, entry(affiliate.KindAdjustment, "adj", adj, head+fmt.Sprintf(
			"%s on payment %s at %s %s: %s × %s = %s, held %s, so %s; %s",
			what, root.Payment, tier.Name, rate.PercentString(), k.grossBase, rate.PercentString(), want, k.gross, signed(adj), because)))
	}
	if !rev.IsZero() {
		net, _ := share.netOf(want, p.cfg.Rounding) // plan computed it without error
		out = append(out, entry(affiliate.KindReversal, "rev", rev, head+fmt.Sprintf(
			"payment %s is refunded %s, so at %s the %s nets %s: %s; %s",
			root.Payment, share.String(root.Amount.Currency()), tier.Name, what, net, signed(rev), because)))
	}
	return out
}

func (s refundShare) String(c affiliate.Currency) string {
	return minor(s.part, c) + " of " + minor(s.total, c)
}

func minor(v int64, c affiliate.Currency) string {
	m, err := affiliate.NewMoney(v, c)
	if err != nil {
		return strconv.FormatInt(v, 10)
	}
	return m.String()
}

func signed(m affiliate.Money) string {
	if m.Sign() > 0 {
		return "+" + m.String()
	}
	return m.String()
}

// correctionID names a correction after its run and the accrual it
// corrects, so a rerun of the same run computes the same IDs. An accrual
// ID too long to fit is replaced by its hash.
func correctionID(runKey string, root affiliate.EntryID, suffix string) affiliate.EntryID {
	id := runKey + ":" + string(root) + ":" + suffix
	if len(id) <= affiliate.MaxIDLen {
		return affiliate.EntryID(id)
	}
	sum := sha256.Sum256([]byte(root))
	return affiliate.EntryID(runKey + ":" + hex.EncodeToString(sum[:16]) + ":" + suffix)
}

// earningsDeltas adds the run's entries to the earnings aggregate of their
// beneficiary and month, one delta per beneficiary and currency.
func earningsDeltas(entries []affiliate.Entry, per affiliate.Period) ([]storage.AggregateDelta, error) {
	type bc struct {
		a affiliate.AffiliateID
		c affiliate.Currency
	}
	idx := make(map[bc]int)
	var out []storage.AggregateDelta
	for _, e := range entries {
		k := bc{e.Beneficiary, e.Amount.Currency()}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, storage.AggregateDelta{Affiliate: e.Beneficiary, Period: per.String(), Metric: storage.MetricEarnings, Amount: affiliate.Zero(e.Amount.Currency())})
		}
		sum, err := out[i].Amount.Add(e.Amount)
		if err != nil {
			return nil, err
		}
		out[i].Amount = sum
	}
	return out, nil
}
