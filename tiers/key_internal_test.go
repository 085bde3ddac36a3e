package tiers

import (
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
)

// key must agree with Period.String, which the engine files aggregates by.
func TestKeyMatchesPeriodString(t *testing.T) {
	for _, per := range []affiliate.Period{
		{Year: 2026, Month: time.January}, {Year: 1, Month: time.December}, {Year: 9999, Month: time.October},
		{Year: 987, Month: time.May}, {Year: 10000, Month: time.March}, {Year: 2026, Month: 13},
	} {
		if got, want := key(per), per.String(); got != want {
			t.Errorf("key(%d-%d) = %q, want %q", per.Year, per.Month, got, want)
		}
	}
}
