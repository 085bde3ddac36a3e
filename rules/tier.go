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
// The engine's tier source decides the tier; a tier true-up later finds
// the entries TierRate made by their Tier, Base and Rate. When the tier is
// named and the base is positive, TierRate accrues even if the amount is
// zero (a 0% tier, or 15% of a few cents): that zero accrual is the
// anchor a retroactive true-up raises if the month ends at a higher tier
// (see the package doc).
type TierRate struct {
	// Name is recorded on every entry; "tier_rate" when empty.
	Name  string
	Lines Lines
}

// Validate checks the line selection.
func (r TierRate) Validate() error { return r.Lines.Validate() }

// Accrue implements Rule.
func (r TierRate) Accrue(f Facts) ([]Accrual, error) {
	if len(f.Chain) == 0 || len(f.Tiers) == 0 {
		return nil, nil
	}
	t := f.Tiers[0]
	a, ok, err := tierRated(f, r.Lines, t)
	if err != nil || !ok {
		return nil, err
	}
	a.Beneficiary = f.Chain[0].ID
	a.Kind = affiliate.KindCommission
	a.Rule = nameOr(r.Name, "tier_rate")
	a.Explanation = "tier " + quote(t.Name) + ": " + pct(t.Rate) + " of " + describeBase(a.Base, a.BaseLines) + anchorNote(a)
	return []Accrual{a}, nil
}

// tierRated is rated for an accrual at a tier's rate. For a named tier
// and a positive base it returns the accrual even when its amount is zero:
// a tier anchor, which a tier true-up can raise (a zero tier rate, or an
// amount that rounds to nothing). An unnamed tier (the engine's default
// when a program has no tiers) is rated as any rate: a zero amount
// accrues nothing.
func tierRated(f Facts, lines Lines, t Tier) (a Accrual, ok bool, err error) {
	if t.Name == "" {
		return rated(f, lines, t.Rate)
	}
	base, kinds, err := lines.Base(f.Payment)
	if err != nil || base.Sign() <= 0 {
		return Accrual{}, false, err
	}
	amt, err := base.MulRate(t.Rate, f.Terms.Rounding)
	if err != nil {
		return Accrual{}, false, err
	}
	return Accrual{Base: base, BaseLines: kinds, Rate: t.Rate, Amount: amt, Tier: t.Name}, true, nil
}

// anchorNote says why a tier anchor of zero is there.
func anchorNote(a Accrual) string {
	if a.Amount.Sign() != 0 {
		return ""
	}
	return "; nothing at this tier, kept for a tier true-up"
}

func (r TierRate) ruleNames() []string { return []string{nameOr(r.Name, "tier_rate")} }
