package rules

import (
	"github.com/openaffiliate/affiliate"
)

// Percent pays the referring affiliate (Chain[0]) a fixed Rate of the
// payment's base, as a commission. It is the revenue share of seed 001
// (30% of every payment, for life); limit it in time with When and a
// duration condition.
//
// A payment with a zero base, or whose commission rounds to zero, accrues
// nothing.
type Percent struct {
	// Name is recorded on every entry; "percent" when empty.
	Name  string
	Rate  affiliate.Rate
	Lines Lines
}

// Validate refuses a zero rate and an invalid line selection.
func (r Percent) Validate() error {
	if r.Rate.IsZero() {
		return configErr(nameOr(r.Name, "percent"), "Rate", "missing (zero)")
	}
	return r.Lines.Validate()
}

// Accrue implements Rule.
func (r Percent) Accrue(f Facts) ([]Accrual, error) {
	if len(f.Chain) == 0 {
		return nil, nil
	}
	a, ok, err := rated(f, r.Lines, r.Rate)
	if err != nil || !ok {
		return nil, err
	}
	a.Beneficiary = f.Chain[0].ID
	a.Kind = affiliate.KindCommission
	a.Rule = nameOr(r.Name, "percent")
	a.Explanation = pct(r.Rate) + " of " + describeBase(a.Base, a.BaseLines)
	return []Accrual{a}, nil
}

func (r Percent) ruleNames() []string { return []string{nameOr(r.Name, "percent")} }

// rated returns an accrual of rate times the base lines selects on the
// payment being priced, with Base, BaseLines, Rate and Amount set; ok is
// false when the base or the rounded amount is zero.
func rated(f Facts, lines Lines, rate affiliate.Rate) (a Accrual, ok bool, err error) {
	return ratedOn(f.Payment, f.Terms.Rounding, lines, rate)
}

func ratedOn(p affiliate.Payment, mode affiliate.RoundingMode, lines Lines, rate affiliate.Rate) (a Accrual, ok bool, err error) {
	base, kinds, err := lines.Base(p)
	if err != nil || base.Sign() <= 0 || rate.IsZero() {
		return Accrual{}, false, err
	}
	amt, err := base.MulRate(rate, mode)
	if err != nil || amt.Sign() <= 0 {
		return Accrual{}, false, err
	}
	return Accrual{Base: base, BaseLines: kinds, Rate: rate, Amount: amt}, true, nil
}
