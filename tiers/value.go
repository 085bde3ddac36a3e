package tiers

import (
	"strconv"

	"github.com/openaffiliate/affiliate"
)

// Value is what a metric measures for one affiliate and one month, and
// what a tier's threshold is expressed in: an amount of the program's
// currency (Revenue) or a number of customers (NewCustomers,
// ActiveCustomers). The zero Value is zero of either kind, which is why it
// may serve as the first tier's threshold for any metric.
type Value struct {
	Amount affiliate.Money // for Revenue; the zero Money for counts
	Count  int64           // for the count metrics
}

// Amount returns an amount Value: tiers.Amount(affiliate.MustParseMoney("10000", "EUR")).
func Amount(m affiliate.Money) Value { return Value{Amount: m} }

// Count returns a count Value: tiers.Count(25).
func Count(n int64) Value { return Value{Count: n} }

// IsAmount reports whether v holds an amount.
func (v Value) IsAmount() bool { return v.Amount.Currency() != "" }

// IsZero reports whether v is zero (of either kind).
func (v Value) IsZero() bool { return v.Amount.IsZero() && v.Count == 0 }

// Cmp compares two values of one kind: -1, 0 or +1. The zero Value
// compares as zero with either kind. Amounts in two currencies give a
// *affiliate.CurrencyMismatchError; an amount against a non-zero count
// gives a *affiliate.FieldError matching affiliate.ErrInvalid.
func (v Value) Cmp(o Value) (int, error) {
	switch {
	case v.IsAmount() && o.IsAmount():
		return v.Amount.Cmp(o.Amount)
	case !v.IsAmount() && !o.IsAmount():
		return cmpInt(v.Count, o.Count), nil
	case v.IsAmount() && o.Count == 0:
		return v.Amount.Sign(), nil
	case o.IsAmount() && v.Count == 0:
		return -o.Amount.Sign(), nil
	}
	return 0, &affiliate.FieldError{Field: "Value", Reason: "cannot compare an amount with a count"}
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// String formats an amount as Money does ("10000.00 EUR") and a count as
// "25 customers".
func (v Value) String() string {
	if v.IsAmount() {
		return v.Amount.String()
	}
	if v.Count == 1 {
		return "1 customer"
	}
	return strconv.FormatInt(v.Count, 10) + " customers"
}
