package rules

import (
	"github.com/openaffiliate/affiliate"
)

// TierRate pays the referring affiliate (Chain[0]) the rate of the tier in
// effect for it at the payment (Facts.Tiers[0].Rate) on the payment's
// base, as a commission, and records the tier's name on the accrual. It is
// seed 000's commission: Standard 15%, Premium 20% of the active client
// revenue.
//
// The engine's tier source decides the tier; when a later decision
// changes it, the engine runs the rule again at the new tier. An amount
// that rounds to zero at the tier (15% of 0.03 EUR) is still an accrual,
// of 0.00, so that the engine keeps an entry naming the tier and finds the
// payment when the tier changes; a zero base or rate accrues nothing.
type TierRate struct {
	// Name is recorded on every entry; "tier_rate" when empty.
	Name  string
	Lines Lines
}

// Validate checks the line selection.
func (r TierRate) Validate() error { return r.Lines.Validate() }

// Accrue implements Rule.
func (r TierRate) Accrue(f Facts) ([]Accrual, error) { return AccrueTo(nil, r, &f, nil) }

func (r TierRate) accrueTo(w *accrualWriter, f *Facts) error {
	if len(f.Chain) == 0 || len(f.Tiers) == 0 {
		return nil
	}
	t := f.Tiers[0]
	a, ok, err := w.rated(f, r.Lines, t.Rate)
	if err != nil || !ok {
		return err
	}
	a.Tier = t.Name
	a.Beneficiary = f.Chain[0].ID
	a.Kind = affiliate.KindCommission
	a.Rule = nameOr(r.Name, "tier_rate")
	w.out = append(w.out, a)
	return nil
}

func (r TierRate) ruleNames() []string { return []string{nameOr(r.Name, "tier_rate")} }
