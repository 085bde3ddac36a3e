package affiliate

import (
	"math/bits"
	"slices"
)

// Revenue is the program's one definition of what a payment earns the
// host: which line kinds count, with discount lines subtracted when
// LineDiscount is among them. The tier metric, the dashboards' revenue
// ("spent") and the default commission base all read it, so tax collected
// for a state never lifts an affiliate into a tier or a payout. The zero
// value is the default: every kind but tax and shipping, discounts
// subtracted (DefaultRevenueKinds).
type Revenue struct {
	// Kinds are the line kinds that count; nil means DefaultRevenueKinds.
	Kinds []LineKind
}

// DefaultRevenueKinds returns the kinds the zero Revenue counts: all but
// LineTax and LineShipping, which the host collects for others.
func DefaultRevenueKinds() []LineKind {
	return []LineKind{LineSubscription, LineAddOn, LineCredits, LineUsage, LineOneTime, LineSetupFee, LineDiscount}
}

// Validate refuses unknown and repeated kinds, and an empty non-nil list
// (which would count nothing).
func (r Revenue) Validate() error {
	if r.Kinds != nil && len(r.Kinds) == 0 {
		return fieldErr("Revenue.Kinds", "empty: nothing would count (nil means the default)")
	}
	for i, k := range r.Kinds {
		field := "Revenue.Kinds[" + itoa(i) + "]"
		if !k.Valid() {
			return fieldErr(field, quote(string(k))+" is not a line kind")
		}
		if slices.Contains(r.Kinds[:i], k) {
			return fieldErr(field, quote(string(k))+" is listed twice")
		}
	}
	return nil
}

// Counts reports whether lines of kind k are part of the revenue.
func (r Revenue) Counts(k LineKind) bool {
	if r.Kinds == nil {
		return k != LineTax && k != LineShipping
	}
	return slices.Contains(r.Kinds, k)
}

// Of returns p's revenue in p's currency: the counted lines, discounts
// subtracted, never below zero (a discount larger than what it reduces
// leaves nothing, not a negative revenue). Errors are those of p.Sum.
func (r Revenue) Of(p Payment) (Money, error) {
	m, err := p.Sum(r.Counts)
	if err != nil || m.Sign() >= 0 {
		return m, err
	}
	return NewMoney(0, p.Currency)
}

// Refunded returns the revenue a refund takes back when refunded of a
// payment's total has gone back to the customer: revenue × refunded /
// total, rounded half-even, so a full refund takes back exactly the
// revenue and shares of a cumulative refunded amount never drift.
// Amounts are minor units of one currency; refunded is at most total.
func (r Revenue) Refunded(revenue, refunded, total int64) int64 {
	switch {
	case refunded <= 0 || revenue <= 0:
		return 0
	case refunded >= total:
		return revenue
	case revenue == total:
		return refunded
	}
	// 0 < refunded < total, so the quotient is below revenue and fits.
	hi, lo := bits.Mul64(uint64(revenue), uint64(refunded))
	q, rem := bits.Div64(hi, lo, uint64(total))
	if 2*rem > uint64(total) || 2*rem == uint64(total) && q&1 == 1 {
		q++
	}
	return int64(q)
}
