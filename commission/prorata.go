package commission

import (
	"math/bits"
	"time"

	"github.com/openaffiliate/affiliate"
)

// What a payment's refunds took back is a function of the set of its
// refunds, not of the order they arrived in: taken in (RefundedAt, ID)
// order, each takes what it asks for up to what remains (a full refund
// all of it), so refunds that together ask for more than the payment (a
// refund of 60 and a chargeback of 60 on 100) take it all and the last
// takes only what the others left, whichever arrived first. This is what
// makes the reversals, and their dates, order-independent.

// refunded returns what the refunds rs took back of a payment of total
// minor units.
func refunded(rs []refundFact, total int64) int64 {
	sum := int64(0)
	for _, r := range rs {
		if r.Full {
			return total
		}
		sum += r.Amount
		if sum >= total {
			return total
		}
	}
	return sum
}

// refundedAsOf is refunded over the refunds dated at or before t.
func refundedAsOf(rs []refundFact, total int64, t time.Time) int64 {
	sum := int64(0)
	for _, r := range rs {
		if r.At.After(t) {
			continue
		}
		if r.Full {
			return total
		}
		sum += r.Amount
		if sum >= total {
			return total
		}
	}
	return sum
}

// keep returns what is left of x, earned on a payment of total, once
// refunded of it was refunded: x × (total − refunded) / total, rounded once
// with mode. It is exact (128-bit intermediate): keep(x, t, 0) is x and
// keep(x, t, t) is 0, so a full refund nets to exactly zero, and the
// result never leaves [0, x].
func keep(x, total, refunded int64, mode affiliate.RoundingMode) int64 {
	if refunded <= 0 || total <= 0 || x == 0 {
		return x
	}
	if refunded >= total {
		return 0
	}
	neg := x < 0
	ux := uint64(x)
	if neg {
		ux = -ux
	}
	t := uint64(total)
	hi, lo := bits.Mul64(ux, uint64(total-refunded))
	q, r := bits.Div64(hi, lo, t) // hi < t because the quotient is at most ux
	switch mode {
	case affiliate.HalfUp:
		if r != 0 && 2*r >= t {
			q++
		}
	case affiliate.HalfEven:
		if 2*r > t || (2*r == t && q&1 == 1) {
			q++
		}
	}
	if neg {
		return -int64(q)
	}
	return int64(q)
}
