package stripesync

import (
	"fmt"
	"strings"

	"github.com/openaffiliate/affiliate"
	"github.com/stripe/stripe-go/v85"
)

// stripeExponent lists the currencies whose Stripe API amounts are not in
// ISO 4217 minor units: Stripe counts MGA as zero-decimal (ISO: 2) and
// keeps ISK at two decimals for backward compatibility although ISO and
// Stripe's charges have none. HUF and TWD are two-decimal in charges (ISO
// too; Stripe's zero-decimal rule for them is about payouts), and UGX is
// zero-decimal in both: they follow the ISO table, and the tests pin all
// four.
var stripeExponent = map[affiliate.Currency]int32{
	"MGA": 0,
	"ISK": 2,
}

// toMoney converts a Stripe amount (an integer in Stripe's unit for code)
// to Money in the library's minor units. An unknown currency matches
// affiliate.ErrUnknownCurrency; fractional ISK or an amount that
// overflows when scaled gets a *PayloadError naming field.
func toMoney(amount int64, code stripe.Currency, field string) (affiliate.Money, error) {
	c, err := affiliate.ParseCurrency(strings.ToUpper(string(code)))
	if err != nil {
		return affiliate.Money{}, &PayloadError{Field: field, Reason: fmt.Sprintf("currency %q", code), Err: err}
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
	m, err := affiliate.NewMoney(minor, c)
	if err != nil {
		return affiliate.Money{}, &PayloadError{Field: field, Reason: "amount", Err: err}
	}
	return m, nil
}

const maxScalable = (1<<63 - 1) / 10
