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
	Name string
	Rate affiliate.Rate
	// AllowOver100 accepts a Rate above 1 (100%), which Validate refuses
	// otherwise: a rate of 5 is far more often 5% mistyped than a payout
	// of five times the base.
	AllowOver100 bool
	Lines        Lines
}

// Validate refuses a zero rate, a rate above 100% unless AllowOver100,
// and an invalid line selection.
func (r Percent) Validate() error {
	if err := checkRate(nameOr(r.Name, "percent"), r.Rate, r.AllowOver100, true); err != nil {
		return err
	}
	return r.Lines.Validate()
}

var hundredPercent = affiliate.MustRate("1")

// checkRate refuses a missing rate (when required) and a rate above 100%
// unless allowed, saying how to write what was probably meant. A Rate is
// never negative: ParseRate refuses a sign.
func checkRate(rule string, rate affiliate.Rate, allowOver100, required bool) error {
	if required && rate.IsZero() {
		return configErr(rule, "Rate", "missing (zero)")
	}
	if !allowOver100 && rate.Cmp(hundredPercent) > 0 {
		return configErr(rule, "Rate", rate.String()+" is "+rate.PercentString()+": a rate is a fraction of the base (\"0.05\" is 5%, or \"percent\": \"5\"); "+
			"set AllowOver100 (\"allow_over_100\": true) if more than the whole base is meant")
	}
	return nil
}

// Accrue implements Rule.
func (r Percent) Accrue(f Facts) ([]Accrual, error) { return AccrueTo(nil, r, &f, nil) }

func (r Percent) accrueTo(w *accrualWriter, f *Facts) error {
	if len(f.Chain) == 0 {
		return nil
	}
	a, ok, err := w.rated(f, r.Lines, r.Rate)
	if err != nil || !ok || a.Amount.IsZero() {
		return err
	}
	a.Beneficiary = f.Chain[0].ID
	a.Kind = affiliate.KindCommission
	a.Rule = nameOr(r.Name, "percent")
	w.out = append(w.out, a)
	return nil
}

func (r Percent) ruleNames() []string { return []string{nameOr(r.Name, "percent")} }

func ratedOn(p affiliate.Payment, mode affiliate.RoundingMode, lines Lines, rate affiliate.Rate) (a Accrual, ok bool, err error) {
	base, kinds, err := lines.Base(p)
	if err != nil || base.Sign() <= 0 || rate.IsZero() {
		return Accrual{}, false, err
	}
	amt, err := base.MulRate(rate, mode)
	if err != nil {
		return Accrual{}, false, err
	}
	return Accrual{Base: base, BaseLines: kinds, Rate: rate, Amount: amt}, true, nil
}
