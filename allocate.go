package affiliate

import (
	"math/big"
	"slices"
	"strconv"

	"github.com/shopspring/decimal"
)

// Allocate splits m into len(weights) parts proportional to weights, in
// whole minor units. The parts sum exactly to m, and each part lies within
// one minor unit of its exact share m×wᵢ/Σw.
//
// Every part is first rounded toward zero; the units left over go one each
// to the parts with the largest remainders, and among equal remainders to
// the earliest position. The result depends only on the order of weights,
// so callers that start from a map must sort its keys first.
//
// Weights must be non-negative with a positive sum; otherwise Allocate
// returns a *FieldError matching ErrInvalid.
func (m Money) Allocate(weights ...decimal.Decimal) ([]Money, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if len(weights) == 0 {
		return nil, fieldErr("Allocate.weights", "no weights")
	}
	// Scale every weight to an integer so the arithmetic is exact.
	shift := int32(0)
	for i, w := range weights {
		if w.Sign() < 0 {
			return nil, fieldErr("Allocate.weights", "weight "+itoa(i)+" is negative")
		}
		if e := -w.Exponent(); e > shift {
			shift = e
		}
	}
	ints := make([]*big.Int, len(weights))
	total := new(big.Int)
	for i, w := range weights {
		ints[i] = w.Shift(shift).BigInt()
		total.Add(total, ints[i])
	}
	if total.Sign() == 0 {
		return nil, fieldErr("Allocate.weights", "weights sum to zero")
	}
	neg := m.minor < 0
	amount := new(big.Int).SetInt64(m.minor)
	amount.Abs(amount)

	parts := make([]int64, len(weights))
	rems := make([]*big.Int, len(weights))
	given := new(big.Int)
	for i, w := range ints {
		q, r := new(big.Int).QuoRem(new(big.Int).Mul(amount, w), total, new(big.Int))
		parts[i] = q.Int64() // q ≤ |m|, so it fits
		rems[i] = r
		given.Add(given, q)
	}
	left := new(big.Int).Sub(amount, given).Int64() // fewer than len(weights)
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return rems[b].Cmp(rems[a]) })
	for _, i := range order[:left] {
		parts[i]++
	}
	out := make([]Money, len(parts))
	for i, p := range parts {
		if neg {
			p = -p
		}
		out[i] = Money{minor: p, currency: m.currency}
	}
	return out, nil
}

func itoa(i int) string { return strconv.Itoa(i) }
