package main

import (
	"fmt"

	"github.com/openaffiliate/affiliate"
)

// stripeExponent lists the currencies whose Stripe API amounts are not in
// ISO 4217 minor units. Stripe counts MGA as zero-decimal (ISO: 2), and
// keeps ISK at two decimals for backward compatibility although it charges
// whole krónur only (ISO: 0). Every other currency uses its ISO exponent,
// as the library's table does.
var stripeExponent = map[affiliate.Currency]int32{
	"MGA": 0,
	"ISK": 2,
}

// money converts a Stripe amount (an integer in Stripe's unit for code,
// which Stripe sends in lower case) to Money in the library's minor units.
// It returns affiliate.ErrUnknownCurrency for a currency outside the
// library's table, and a *PayloadError for an ISK amount with fractional
// krónur or an amount that overflows when scaled.
func money(amount int64, code string, field string) (affiliate.Money, error) {
	c, err := affiliate.ParseCurrency(code)
	if err != nil {
		return affiliate.Money{}, fmt.Errorf("stripe: field %s: %w", field, err)
	}
	from, ok := stripeExponent[c]
	if !ok {
		from = c.Scale()
	}
	minor := amount
	for to := c.Scale(); from < to; from++ {
		if minor > maxScalable || minor < -maxScalable {
			return affiliate.Money{}, &PayloadError{Field: field, Reason: fmt.Sprintf("%d %s is out of range", amount, code)}
		}
		minor *= 10
	}
	for to := c.Scale(); from > to; from-- {
		if minor%10 != 0 {
			return affiliate.Money{}, &PayloadError{Field: field, Reason: fmt.Sprintf("%d %s is not a whole number of %s minor units", amount, code, c)}
		}
		minor /= 10
	}
	return affiliate.NewMoney(minor, c)
}

const maxScalable = (1<<63 - 1) / 10
