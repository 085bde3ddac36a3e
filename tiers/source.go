package tiers

import (
	"context"
	"errors"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
)

// TierAt returns the tier in effect for affiliate a when payment pay is
// made. It implements commission.TierSource: the engine asks it for the
// referring affiliate and for the parent, whose bonus rate comes from the
// parent's own tier (the parent's own month, not the payment, decides it).
//
//   - NextPeriod: the tier decided for the month before pay's month (the
//     latest close of that month, or its running aggregates when it is not
//     closed yet).
//   - Retroactive: before pay's month is closed, the floor: the lowest
//     tier, or a higher one kept from an earlier month (Config.KeepFor);
//     the close trues the month up. Once the month is closed, the tier its
//     latest close decided.
//   - Immediate: for a payment not recorded yet, the tier reached by the
//     month's recorded value plus pay's own amount when pay is a's own
//     customer's (or a kept tier, if higher). Count metrics do not count
//     pay itself: whether it adds a customer depends on the customer's
//     history, which the engine's aggregates record once pay is committed.
//     For a payment recorded already (the engine replaying or recomputing
//     a customer), the tier a's accrual on it was priced at: an immediate
//     tier is decided once, when the payment is first recorded.
//
// With the Revenue metric a payment in another currency must carry a
// conversion to the program's currency: otherwise TierAt returns a
// *ConversionError (ErrMissingConversion, matching affiliate.ErrInvalid),
// so the engine refuses the payment and stores nothing. It returns the
// errors of the store besides. It does not retain pay.
func (p *Program) TierAt(ctx context.Context, a affiliate.AffiliateID, pay affiliate.Payment) (rules.Tier, error) {
	if err := ctx.Err(); err != nil {
		return rules.Tier{}, err
	}
	if err := affiliate.ValidateID("Affiliate", a); err != nil {
		return rules.Tier{}, err
	}
	if err := p.checkConversion(pay); err != nil {
		return rules.Tier{}, err
	}
	per := affiliate.PeriodOf(pay.PaidAt, p.loc)
	var (
		d   decision
		err error
	)
	switch p.cfg.Policy {
	case NextPeriod:
		d, err = p.decideOne(ctx, a, per.Prev(), true)
	case Retroactive:
		d, err = p.retroactiveTier(ctx, a, per)
	case Immediate:
		d, err = p.immediateTier(ctx, a, per, pay)
	}
	if err != nil {
		return rules.Tier{}, err
	}
	return p.cfg.Schedule.tiers[d.tier].Rule(), nil
}

// TierReadsBefore implements commission.TierReads: under NextPeriod and
// Retroactive, the tier for pay is decided by pay's month alone, from the
// affiliate's aggregates of the months before it (and the closes, which
// the engine does not write), so RecordBatch may record many payments of
// one affiliate in one store call and ask once a month. Under Immediate
// the tier reads pay's own month and amount, and a payment TierAt refuses
// (a missing conversion) must reach it: ok is false for both.
func (p *Program) TierReadsBefore(pay affiliate.Payment) (affiliate.Period, bool) {
	if p.cfg.Policy == Immediate || p.checkConversion(pay) != nil {
		return affiliate.Period{}, false
	}
	return affiliate.PeriodOf(pay.PaidAt, p.loc), true
}

// TiersAt implements commission.TierBatch: TierAt for each of
// affiliates, reading each month's close once for all of them (under
// NextPeriod, the month before pay's and the KeepFor months before it;
// under Retroactive, pay's month and the kept ones) instead of once per
// affiliate. A month that is not closed is still read per affiliate, from
// its aggregates. Under Immediate, which reads pay's own month, it asks
// TierAt for each.
func (p *Program) TiersAt(ctx context.Context, affiliates []affiliate.AffiliateID, pay affiliate.Payment) ([]rules.Tier, error) {
	if p.cfg.Policy == Immediate {
		out := make([]rules.Tier, len(affiliates))
		for i, a := range affiliates {
			t, err := p.TierAt(ctx, a, pay)
			if err != nil {
				return nil, err
			}
			out[i] = t
		}
		return out, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, a := range affiliates {
		if err := affiliate.ValidateID("Affiliate", a); err != nil {
			return nil, err
		}
	}
	if err := p.checkConversion(pay); err != nil {
		return nil, err
	}
	per := affiliate.PeriodOf(pay.PaidAt, p.loc)
	var (
		ds  []decision
		err error
	)
	if p.cfg.Policy == NextPeriod {
		ds, err = p.decideMany(ctx, affiliates, per.Prev(), true)
	} else {
		ds, err = p.retroactiveMany(ctx, affiliates, per)
	}
	if err != nil {
		return nil, err
	}
	out := make([]rules.Tier, len(ds))
	for i, d := range ds {
		out[i] = p.cfg.Schedule.tiers[d.tier].Rule()
	}
	return out, nil
}

// retroactiveMany returns the Retroactive decision in per for each of
// as: the latest close's once per is closed, else the floor or a kept
// tier. It reads per's close once.
func (p *Program) retroactiveMany(ctx context.Context, as []affiliate.AffiliateID, per affiliate.Period) ([]decision, error) {
	c, closed, err := p.lastClose(ctx, per)
	if err != nil {
		return nil, err
	}
	ds := make([]decision, len(as))
	if closed {
		for i, a := range as {
			if ds[i], err = p.decideAfter(ctx, a, per, c, true, true); err != nil {
				return nil, err
			}
		}
		return ds, nil
	}
	held, err := p.heldMany(ctx, as, per)
	if err != nil {
		return nil, err
	}
	for i := range as {
		ds[i] = decide(p.cfg.Metric.zero(p.cfg.Currency), 0, held[i])
	}
	return ds, nil
}

func (p *Program) retroactiveTier(ctx context.Context, a affiliate.AffiliateID, per affiliate.Period) (decision, error) {
	ds, err := p.retroactiveMany(ctx, []affiliate.AffiliateID{a}, per)
	if err != nil {
		return decision{}, err
	}
	return ds[0], nil
}

func (p *Program) immediateTier(ctx context.Context, a affiliate.AffiliateID, per affiliate.Period, pay affiliate.Payment) (decision, error) {
	_, err := p.cfg.Store.Event(ctx, pay.ID)
	logged := err == nil
	if err != nil && !errors.Is(err, affiliate.ErrNotFound) {
		return decision{}, err
	}
	if logged {
		// A recorded payment keeps the tier it was first priced at: the
		// engine asks again when it replays or recomputes a customer, and
		// by then the month holds later payments that must not reach back.
		if d, ok, err := p.pricedAt(ctx, a, pay.ID); err != nil || ok {
			return d, err
		}
	}
	v, err := p.valueOne(ctx, a, per)
	if err != nil {
		return decision{}, err
	}
	if p.cfg.Metric == Revenue && !logged {
		own, err := p.own(ctx, a, pay)
		if err != nil {
			return decision{}, err
		}
		if own {
			c, err := p.contribution(pay)
			if err != nil {
				return decision{}, err
			}
			if v, err = add(v, c); err != nil {
				return decision{}, err
			}
		}
	}
	reached, err := p.cfg.Schedule.rank(v)
	if err != nil {
		return decision{}, err
	}
	held, err := p.heldOne(ctx, a, per)
	if err != nil {
		return decision{}, err
	}
	return decide(v, reached, held), nil
}

// pricedAt returns the tier a's tier-driven accrual on payment names, when
// there is one.
func (p *Program) pricedAt(ctx context.Context, a affiliate.AffiliateID, payment affiliate.EventID) (decision, bool, error) {
	es, err := p.cfg.Store.Entries(ctx, storage.EntryQuery{Payment: payment, Beneficiary: a})
	if err != nil {
		return decision{}, false, err
	}
	for _, e := range es {
		if e.Corrects == "" && e.Tier != "" && (e.Kind == affiliate.KindCommission || e.Kind == affiliate.KindBonus) {
			r, err := p.rankOf(e.Tier, func() string { return "entry " + string(e.ID) })
			return decision{reached: r, tier: r}, err == nil, err
		}
	}
	return decision{}, false, nil
}

// own reports whether pay is a's own customer's (not a sub-affiliate's
// customer's, for which a is asked as the parent).
func (p *Program) own(ctx context.Context, a affiliate.AffiliateID, pay affiliate.Payment) (bool, error) {
	b, err := p.cfg.Store.Binding(ctx, pay.Customer)
	switch {
	case errors.Is(err, affiliate.ErrNotFound):
		return false, nil
	case err != nil:
		return false, err
	}
	return b.Affiliate == a, nil
}

// checkConversion refuses, for the Revenue metric, a payment the metric
// cannot count: one in another currency without a conversion to the
// program's.
func (p *Program) checkConversion(pay affiliate.Payment) error {
	conv := pay.Conversion
	if p.cfg.Metric == Revenue && pay.Currency != p.cfg.Currency && (conv.To != p.cfg.Currency || conv.Rate.IsZero()) {
		return &ConversionError{Payment: pay.ID, Currency: pay.Currency, To: p.cfg.Currency}
	}
	return nil
}

// contribution returns what pay adds to the Revenue metric: its revenue in
// the program's currency, converted at the rate it carries and rounded
// once half-even, exactly as the commission engine converts its revenue
// aggregate. Callers checked the conversion.
func (p *Program) contribution(pay affiliate.Payment) (Value, error) {
	conv := pay.Conversion
	total, err := p.cfg.Revenue.Of(pay)
	if err != nil {
		return Value{}, err
	}
	m, err := total.Convert(p.cfg.Currency, conv.Rate, affiliate.HalfEven)
	if err != nil {
		return Value{}, err
	}
	return Amount(m), nil
}
