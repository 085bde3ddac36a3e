package rules

import (
	"slices"
	"time"

	"github.com/openaffiliate/affiliate"
)

// CapKey identifies what one cap has let through to one beneficiary for
// the customer: over the customer's lifetime (Period "") or in one
// calendar month (Period "2026-01"), in one currency.
type CapKey struct {
	Cap         string
	Beneficiary affiliate.AffiliateID
	Period      string
	Currency    affiliate.Currency
}

// Cap limits what Rule pays each beneficiary on one customer: over the
// customer's lifetime, or per calendar month when Monthly is set. The
// accrual that would cross the limit is cut to what is left of it (its
// Base and Rate stay, and the explanation says so); later ones accrue
// nothing until a new month opens the cap again.
//
// Caps are per customer because the customer is the engine's unit of
// ordering and atomicity: a cap across customers could not be kept exact
// under concurrent, out-of-order events. An affiliate-wide ceiling per
// period belongs to the payout run.
//
// A cap counts what was accrued, not what is left after refunds: a
// refund takes back its payment's share as usual but does not reopen the
// cap for later payments. This keeps every payment's commission
// independent of refunds that come after it, which is what lets the
// engine handle events in any order at a flat cost.
//
// The limit is per currency (Limits); an accrual in a currency without a
// limit is cut to nothing, so a cap never lets an unlimited amount
// through by omission.
type Cap struct {
	// Name identifies the cap's usage in Facts.Used. Required, and unique
	// among the caps of one program: two caps with one name share usage.
	Name    string
	Limits  []affiliate.Money
	Monthly bool
	// Location decides the month of a Monthly cap; nil means UTC.
	Location *time.Location
	Rule     Rule
}

// Validate refuses a missing name, rule or limit and negative limits.
func (r Cap) Validate() error {
	if r.Name == "" {
		return configErr("cap", "Name", "required: it keys the cap's usage")
	}
	if r.Rule == nil {
		return configErr(r.Name, "Rule", "missing")
	}
	if len(r.Limits) == 0 {
		return configErr(r.Name, "Limits", "no limit")
	}
	for i, m := range r.Limits {
		if err := m.Validate(); err != nil {
			return configErr(r.Name, "Limits["+itoa(i)+"]", "needs a known currency")
		}
		if m.Sign() < 0 {
			return configErr(r.Name, "Limits["+itoa(i)+"]", "negative")
		}
		for _, o := range r.Limits[:i] {
			if o.Currency() == m.Currency() {
				return configErr(r.Name, "Limits["+itoa(i)+"]", string(m.Currency())+" is listed twice")
			}
		}
	}
	return validate(r.Rule)
}

// HistoryDepth implements HistoryDepther.
func (r Cap) HistoryDepth() int { return historyDepth(r.Rule) }

// ChainDepth implements ChainDepther.
func (r Cap) ChainDepth() int { return chainDepth(r.Rule) }

func (r Cap) ruleNames() []string { return ruleNames(r.Rule) }

func (r Cap) limit(c affiliate.Currency) affiliate.Money {
	for _, m := range r.Limits {
		if m.Currency() == c {
			return m
		}
	}
	return affiliate.Money{}
}

// Accrue implements Rule.
func (r Cap) Accrue(f Facts) ([]Accrual, error) {
	if r.Rule == nil {
		return nil, configErr(nameOr(r.Name, "cap"), "Rule", "missing")
	}
	accs, err := r.Rule.Accrue(f)
	if err != nil || len(accs) == 0 {
		return nil, err
	}
	period, scope := "", "lifetime cap "
	if r.Monthly {
		loc := r.Location
		if loc == nil {
			loc = time.UTC
		}
		period = affiliate.PeriodOf(f.Payment.PaidAt, loc).String()
		scope = "cap for " + period + " "
	}
	// used holds this call's own accruals, on top of f.Used.
	var used map[CapKey]int64
	out := make([]Accrual, 0, len(accs))
	for _, a := range accs {
		if a.Amount.Sign() <= 0 {
			out = append(out, a)
			continue
		}
		k := CapKey{Cap: r.Name, Beneficiary: a.Beneficiary, Period: period, Currency: a.Amount.Currency()}
		limit := r.limit(k.Currency)
		before := f.Used[k].Minor() + used[k]
		room := max(limit.Minor()-before, 0)
		if a.Amount.Minor() > room {
			cut, err := affiliate.NewMoney(room, k.Currency)
			if err != nil {
				return nil, err
			}
			// A note starting "; " continues the line the entry renders
			// (affiliate.Entry.Describe); after a rule's own words it
			// continues those.
			if limit.Currency() == "" {
				a.Explanation += "; cut to nothing: " + scope + quote(r.Name) + " has no limit in " + string(k.Currency)
			} else {
				a.Explanation += "; capped at " + cut.String() + " by " + scope + quote(r.Name) + " of " + limit.String()
			}
			a.Amount = cut
		}
		if a.Amount.Sign() == 0 {
			continue
		}
		if used == nil {
			used = make(map[CapKey]int64, len(accs))
		}
		used[k] += a.Amount.Minor()
		a.Counts = append(slices.Clip(a.Counts), k)
		out = append(out, a)
	}
	return out, nil
}
