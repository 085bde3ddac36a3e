package tiers

import (
	"context"
	"errors"
	"fmt"

	"github.com/openaffiliate/affiliate"
)

// This file holds the shell's reads. A closed month is read from its
// latest close (the decision stands until the month is closed again); a
// month not closed is evaluated from its running aggregates. Every read
// is one indexed call per month, never a scan of events.

// lastClose returns the latest run of per's close, and whether there is one.
func (p *Program) lastClose(ctx context.Context, per affiliate.Period) (affiliate.TierClose, bool, error) {
	c, err := p.cfg.Store.TierClose(ctx, p.cfg.Program, per)
	switch {
	case errors.Is(err, affiliate.ErrNotFound):
		return affiliate.TierClose{}, false, nil
	case err != nil:
		return affiliate.TierClose{}, false, err
	}
	return c, true, nil
}

// rankOf returns the position of the tier named name, which what() (a
// snapshot, an entry) names; what is called only to describe an error.
func (p *Program) rankOf(name string, what func() string) (int, error) {
	i := p.cfg.Schedule.index(name)
	if i < 0 {
		return 0, fmt.Errorf("tiers: %s names tier %q: %w", what(), name, ErrUnknownTier)
	}
	return i, nil
}

// fromSnapshot turns a snapshot into a decision.
func (p *Program) fromSnapshot(s affiliate.TierSnapshot, per affiliate.Period) (decision, error) {
	what := func() string {
		return fmt.Sprintf("the snapshot of %s for %s (run %d)", s.Affiliate, s.Period, s.Revision)
	}
	reached, err := p.rankOf(s.Reached, what)
	if err != nil {
		return decision{}, err
	}
	tier, err := p.rankOf(s.Tier, what)
	if err != nil {
		return decision{}, err
	}
	d := decision{value: fromSnapshot(s), reached: reached, tier: tier, revision: s.Revision}
	if !s.HeldFrom.IsZero() {
		for k := 1; k <= MaxKeepFor; k++ {
			if back(per, k).String() == s.HeldFrom.String() {
				d.heldBack = k
				break
			}
		}
	}
	return d, nil
}

// valueOne returns a's running metric value in per.
func (p *Program) valueOne(ctx context.Context, a affiliate.AffiliateID, per affiliate.Period) (Value, error) {
	k := per
	aggs, err := p.cfg.Store.AffiliateAggregates(ctx, a, p.cfg.Metric.aggregate(), k, k)
	if err != nil {
		return Value{}, err
	}
	vals, err := p.cfg.Metric.values(aggs, p.cfg.Currency)
	if err != nil {
		return Value{}, err
	}
	if v, ok := vals[a]; ok {
		return v, nil
	}
	return p.cfg.Metric.zero(p.cfg.Currency), nil
}

// heldOne returns the ranks a reached in the KeepFor months before per.
func (p *Program) heldOne(ctx context.Context, a affiliate.AffiliateID, per affiliate.Period) ([]int, error) {
	if p.cfg.KeepFor == 0 {
		return nil, nil
	}
	held, err := p.heldMany(ctx, []affiliate.AffiliateID{a}, per)
	if err != nil {
		return nil, err
	}
	return held[0], nil
}

// decideOne returns a's decision for per: the latest close's when per is
// closed (the lowest tier, at zero, for an affiliate the close did not
// snapshot), else evaluated from the aggregates. withHolds false skips the
// earlier months, for callers that need only what per reached.
func (p *Program) decideOne(ctx context.Context, a affiliate.AffiliateID, per affiliate.Period, withHolds bool) (decision, error) {
	c, closed, err := p.lastClose(ctx, per)
	if err != nil {
		return decision{}, err
	}
	return p.decideAfter(ctx, a, per, c, closed, withHolds)
}

// decideMany is decideOne for each of as, reading per's close once, and
// each held month's once.
func (p *Program) decideMany(ctx context.Context, as []affiliate.AffiliateID, per affiliate.Period, withHolds bool) ([]decision, error) {
	c, closed, err := p.lastClose(ctx, per)
	if err != nil {
		return nil, err
	}
	ds := make([]decision, len(as))
	for i, a := range as {
		if ds[i], err = p.decideAfter(ctx, a, per, c, closed, false); err != nil {
			return nil, err
		}
	}
	if closed || !withHolds || p.cfg.KeepFor == 0 {
		return ds, nil // a close's decisions hold their kept tiers already
	}
	held, err := p.heldMany(ctx, as, per)
	if err != nil {
		return nil, err
	}
	for i, d := range ds {
		ds[i] = decide(d.value, d.reached, held[i])
	}
	return ds, nil
}

// heldMany returns, for each of as, the ranks it reached in the KeepFor
// months before per, reading each month's close once.
func (p *Program) heldMany(ctx context.Context, as []affiliate.AffiliateID, per affiliate.Period) ([][]int, error) {
	held := make([][]int, len(as))
	if p.cfg.KeepFor == 0 {
		return held, nil
	}
	for i := range held {
		held[i] = make([]int, p.cfg.KeepFor)
	}
	for k := range p.cfg.KeepFor {
		ds, err := p.decideMany(ctx, as, back(per, k+1), false)
		if err != nil {
			return nil, err
		}
		for i, d := range ds {
			held[i][k] = d.reached
		}
	}
	return held, nil
}

// decideAfter is decideOne once per's latest close (closed: there is
// one) is read.
func (p *Program) decideAfter(ctx context.Context, a affiliate.AffiliateID, per affiliate.Period, c affiliate.TierClose, closed, withHolds bool) (decision, error) {
	if closed {
		ds, err := p.closedDecisions(ctx, per, c)
		if err != nil {
			return decision{}, err
		}
		if d, ok := ds[a]; ok {
			return d, nil
		}
		return decision{value: p.cfg.Metric.zero(p.cfg.Currency), revision: c.Revision}, nil
	}
	v, err := p.valueOne(ctx, a, per)
	if err != nil {
		return decision{}, err
	}
	reached, err := p.cfg.Schedule.rank(v)
	if err != nil {
		return decision{}, err
	}
	var held []int
	if withHolds {
		if held, err = p.heldOne(ctx, a, per); err != nil {
			return decision{}, err
		}
	}
	return decide(v, reached, held), nil
}

// Decide returns a's tier decision for period: the latest close's when the
// period is closed, otherwise a provisional decision evaluated from the
// month's running aggregates (Revision 0). Under NextPeriod a month's
// decision is the tier of the month after; TierAt answers which tier is in
// effect at a payment. It returns the errors of the
// store, a *affiliate.FieldError for a period outside the program's
// location, and ErrUnknownTier for a snapshot naming a tier the schedule
// lacks.
func (p *Program) Decide(ctx context.Context, a affiliate.AffiliateID, period affiliate.Period) (Decision, error) {
	per, err := p.period(period)
	if err != nil {
		return Decision{}, err
	}
	if err := affiliate.ValidateID("Affiliate", a); err != nil {
		return Decision{}, err
	}
	d, err := p.decideOne(ctx, a, per, true)
	if err != nil {
		return Decision{}, err
	}
	return p.cfg.Schedule.export(a, per, d), nil
}

// monthView is every affiliate's standing in one month, as the close
// reads it.
type monthView struct {
	closed bool
	// decisions holds the affiliates with a snapshot (closed) or with an
	// aggregate or a kept tier (not closed); the rest are at the lowest
	// tier with zero.
	decisions map[affiliate.AffiliateID]decision
}

// viewAll returns every affiliate's standing in per. withHolds false
// skips the months before, for callers that need only what per reached.
func (p *Program) viewAll(ctx context.Context, per affiliate.Period, withHolds bool) (monthView, error) {
	c, closed, err := p.lastClose(ctx, per)
	if err != nil {
		return monthView{}, err
	}
	if closed {
		ds, err := p.closedDecisions(ctx, per, c)
		return monthView{closed: true, decisions: ds}, err
	}
	values, err := p.valuesAll(ctx, per)
	if err != nil {
		return monthView{}, err
	}
	var held []map[affiliate.AffiliateID]int
	if withHolds {
		if held, err = p.heldAll(ctx, per); err != nil {
			return monthView{}, err
		}
	}
	decisions, err := p.decideAll(values, held)
	return monthView{decisions: decisions}, err
}

// valuesAll returns every affiliate's running metric value in per.
func (p *Program) valuesAll(ctx context.Context, per affiliate.Period) (map[affiliate.AffiliateID]Value, error) {
	aggs, err := p.cfg.Store.PeriodAggregates(ctx, per, p.cfg.Metric.aggregate())
	if err != nil {
		return nil, err
	}
	return p.cfg.Metric.values(aggs, p.cfg.Currency)
}

// heldAll returns, for each of the KeepFor months before per, the ranks
// above the lowest that affiliates reached in it.
func (p *Program) heldAll(ctx context.Context, per affiliate.Period) ([]map[affiliate.AffiliateID]int, error) {
	held := make([]map[affiliate.AffiliateID]int, p.cfg.KeepFor)
	for k := range held {
		v, err := p.viewAll(ctx, back(per, k+1), false)
		if err != nil {
			return nil, err
		}
		held[k] = make(map[affiliate.AffiliateID]int)
		for a, d := range v.decisions {
			if d.reached > 0 {
				held[k][a] = d.reached
			}
		}
	}
	return held, nil
}

// decideAll decides every affiliate with a value or a kept tier.
func (p *Program) decideAll(values map[affiliate.AffiliateID]Value, held []map[affiliate.AffiliateID]int) (map[affiliate.AffiliateID]decision, error) {
	out := make(map[affiliate.AffiliateID]decision, len(values))
	one := func(a affiliate.AffiliateID) error {
		v, ok := values[a]
		if !ok {
			v = p.cfg.Metric.zero(p.cfg.Currency)
		}
		reached, err := p.cfg.Schedule.rank(v)
		if err != nil {
			return err
		}
		var ranks []int
		if len(held) > 0 {
			ranks = make([]int, len(held))
			for k, m := range held {
				ranks[k] = m[a]
			}
		}
		out[a] = decide(v, reached, ranks)
		return nil
	}
	for a := range values {
		if err := one(a); err != nil {
			return nil, err
		}
	}
	for _, m := range held {
		for a := range m {
			if _, ok := out[a]; ok {
				continue
			}
			if err := one(a); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
