package tiers

import (
	"strings"
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

// mulDivRound rounds a×b/c once, in each mode, on both signs.
func TestMulDivRound(t *testing.T) {
	for _, tt := range []struct {
		a, b, c                int64
		halfEven, halfUp, down int64
	}{
		{5, 1, 2, 2, 3, 2},     // 2.5
		{7, 1, 2, 4, 4, 3},     // 3.5
		{-5, 1, 2, -2, -3, -2}, // -2.5
		{10, 1, 3, 3, 3, 3},    // 3.33
		{20, 1, 3, 7, 7, 6},    // 6.67
		{1 << 62, 3, 4, 3 << 60, 3 << 60, 3 << 60},
	} {
		for mode, want := range map[affiliate.RoundingMode]int64{affiliate.HalfEven: tt.halfEven, affiliate.HalfUp: tt.halfUp, affiliate.Down: tt.down} {
			if got := mulDivRound(tt.a, tt.b, tt.c, mode); got != want {
				t.Errorf("mulDivRound(%d, %d, %d, %s) = %d, want %d", tt.a, tt.b, tt.c, mode, got, want)
			}
		}
	}
}

// Correction IDs fit the ID limit whatever the accrual's ID.
func TestCorrectionID(t *testing.T) {
	long := affiliate.EntryID(strings.Repeat("x", affiliate.MaxIDLen))
	for _, root := range []affiliate.EntryID{"p1/1", long} {
		id := correctionID("tiers:default:2026-01:1", root, "adj")
		if err := affiliate.ValidateID("id", id); err != nil || id == correctionID("tiers:default:2026-01:2", root, "adj") {
			t.Errorf("correctionID(%d bytes) = %q: %v", len(root), id, err)
		}
	}
}
