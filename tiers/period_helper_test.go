package tiers_test

import "github.com/openaffiliate/affiliate"

// per is the month s ("2026-01"), with no location (UTC).
func per(s string) affiliate.Period {
	p, err := affiliate.ParsePeriod(s, nil)
	if err != nil {
		panic(err)
	}
	return p
}

// heldFrom is s.HeldFrom's key, or "" when the month's own value decided.
func heldFrom(s affiliate.TierSnapshot) string {
	if s.HeldFrom.IsZero() {
		return ""
	}
	return s.HeldFrom.String()
}
