package payout

import (
	"slices"

	"github.com/openaffiliate/affiliate"
)

// Policy holds the payout minimums: the threshold a balance must reach to
// be paid, per currency, with per-affiliate overrides.
//
// A balance equal to its minimum is paid ("once the minimum is reached").
// A currency missing from Minimums has no minimum: any positive balance in
// it is paid. An override replaces the currency's minimum for one
// affiliate, up or down; a zero override means no minimum. A balance that
// is zero or negative is never paid, whatever the minimum.
//
// The zero Policy pays every positive balance.
type Policy struct {
	Minimums  map[affiliate.Currency]affiliate.Money
	Overrides map[affiliate.AffiliateID]map[affiliate.Currency]affiliate.Money
}

// Validate returns a *MinimumError for a negative minimum or one listed
// under another currency, and a *affiliate.FieldError for an unknown
// currency or a bad affiliate ID.
func (p Policy) Validate() error {
	check := func(a affiliate.AffiliateID, c affiliate.Currency, m affiliate.Money) error {
		if err := c.Validate(); err != nil {
			return err
		}
		if m.Currency() != c || m.Sign() < 0 {
			return &MinimumError{Affiliate: a, Currency: c, Minimum: m}
		}
		return nil
	}
	for _, c := range sortedKeys(p.Minimums) {
		if err := check("", c, p.Minimums[c]); err != nil {
			return err
		}
	}
	for _, a := range sortedKeys(p.Overrides) {
		if err := affiliate.ValidateID("Policy.Overrides", a); err != nil {
			return err
		}
		for _, c := range sortedKeys(p.Overrides[a]) {
			if err := check(a, c, p.Overrides[a][c]); err != nil {
				return err
			}
		}
	}
	return nil
}

// Minimum returns the minimum for affiliate a in currency c: its
// override, else the currency's minimum, else zero.
func (p Policy) Minimum(a affiliate.AffiliateID, c affiliate.Currency) affiliate.Money {
	if m, ok := p.Overrides[a][c]; ok {
		return m
	}
	if m, ok := p.Minimums[c]; ok {
		return m
	}
	return affiliate.Zero(c)
}

// runHash identifies a run's payload (affiliate.Hash): program, period
// (with its location), policy and caps. The as-of time is left out on
// purpose: a rerun at a later time is the same run and gets the same
// payouts back. Without caps the payload is what it was before caps
// existed, so runs stored then still replay.
func runHash(program string, period affiliate.Period, p Policy, c Caps) (string, error) {
	if c.IsZero() {
		return affiliate.Hash(struct {
			Program string
			Period  affiliate.Period
			Policy  Policy
		}{program, period, p})
	}
	return affiliate.Hash(struct {
		Program string
		Period  affiliate.Period
		Policy  Policy
		Caps    Caps
	}{program, period, p, c})
}

func locationName(p affiliate.Period) string {
	if p.Location == nil {
		return "UTC"
	}
	return p.Location.String()
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
