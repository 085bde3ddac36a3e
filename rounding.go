package affiliate

import (
	"fmt"
	"math"
	"math/bits"
)

// RoundingMode says how an exact amount becomes a whole number of minor
// units. The zero value is HalfEven, the default everywhere in the module.
type RoundingMode uint8

const (
	// HalfEven rounds to the nearest minor unit, ties to the even one
	// (banker's rounding): 0.125 EUR becomes 0.12, 0.135 becomes 0.14.
	// It is the default because it does not drift upward over many
	// rounded amounts.
	HalfEven RoundingMode = iota
	// HalfUp rounds to the nearest minor unit, ties away from zero:
	// 0.125 EUR becomes 0.13 and -0.125 becomes -0.13.
	HalfUp
	// Down truncates toward zero: 0.129 EUR becomes 0.12.
	Down
)

func (m RoundingMode) String() string {
	switch m {
	case HalfEven:
		return "half-even"
	case HalfUp:
		return "half-up"
	case Down:
		return "down"
	}
	return fmt.Sprintf("RoundingMode(%d)", uint8(m))
}

func (m RoundingMode) validate() error {
	if m > Down {
		return fieldErr("RoundingMode", m.String()+" is not a rounding mode")
	}
	return nil
}

var pow10 = [...]uint64{
	1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
}

// mulDivPow10 returns a×coef/10^exp rounded with mode, exactly, through a
// 128-bit product. ok is false when the result does not fit an int64.
func mulDivPow10(a, coef int64, exp uint8, mode RoundingMode) (int64, bool) {
	neg := a < 0
	ua := uint64(a)
	if neg {
		ua = -ua
	}
	hi, lo := bits.Mul64(ua, uint64(coef))
	d := pow10[exp]
	if hi >= d {
		return 0, false
	}
	q, r := bits.Div64(hi, lo, d)
	up := false
	switch mode {
	case HalfUp:
		up = r != 0 && 2*r >= d
	case HalfEven:
		up = 2*r > d || (2*r == d && q&1 == 1)
	}
	// The most negative int64 is not a valid amount (it has no negation),
	// so the largest magnitude is MaxInt64 on both sides.
	if q > math.MaxInt64 || (up && q == math.MaxInt64) {
		return 0, false
	}
	if up {
		q++
	}
	if neg {
		return -int64(q), true
	}
	return int64(q), true
}
