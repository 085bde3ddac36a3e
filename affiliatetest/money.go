package affiliatetest

import (
	"math"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
)

// commonCurrencies come first so that rapid shrinks a failing case toward
// EUR, and so that the currencies with unusual scales (JPY 0, KWD 3, CLF 4)
// show up often instead of once in 150 draws.
var commonCurrencies = []affiliate.Currency{"EUR", "USD", "JPY", "KWD", "GBP", "CHF", "CLF", "BHD", "KRW"}

// Currency draws an ISO 4217 currency from the bundled table. A handful of
// common currencies, including every scale the table holds (0, 2, 3 and
// 4 digits), are drawn often; the whole table is drawn sometimes. Failing
// cases shrink toward EUR.
func Currency() *rapid.Generator[affiliate.Currency] {
	return rapid.OneOf(
		rapid.SampledFrom(commonCurrencies),
		rapid.SampledFrom(affiliate.Currencies()),
	)
}

// MaxMinor returns the largest amount the generators draw for one invoice
// line in c, in minor units: a million major units (1,000,000.00 EUR,
// 1,000,000 JPY, 1,000,000.000 KWD). Sums of a few lines stay far from the
// int64 range, so properties test the logic, not overflow. Draw from
// MoneyRange for amounts up to the edge of the range.
func MaxMinor(c affiliate.Currency) int64 {
	return 1_000_000 * pow10(c.Scale())
}

func pow10(n int32) int64 {
	v := int64(1)
	for range n {
		v *= 10
	}
	return v
}

// Money draws an amount in c from zero to MaxMinor(c), as whole minor
// units scaled by the currency: no float is involved, and a failing case
// shrinks toward zero.
func Money(c affiliate.Currency) *rapid.Generator[affiliate.Money] {
	return MoneyRange(c, 0, MaxMinor(c))
}

// PositiveMoney draws an amount in c from one minor unit to MaxMinor(c).
func PositiveMoney(c affiliate.Currency) *rapid.Generator[affiliate.Money] {
	return MoneyRange(c, 1, MaxMinor(c))
}

// MoneyRange draws an amount in c between minMinor and maxMinor minor
// units, both inclusive. Pass math.MinInt64+1 and math.MaxInt64 to reach
// the edges of the representable range. It panics when c is unknown or
// minMinor > maxMinor, as rapid's own range generators do.
func MoneyRange(c affiliate.Currency, minMinor, maxMinor int64) *rapid.Generator[affiliate.Money] {
	if err := c.Validate(); err != nil {
		panic(err)
	}
	if minMinor == math.MinInt64 {
		// The most negative int64 has no negation; Money.Neg and Sub refuse
		// to meet it, so the generators never produce it.
		minMinor++
	}
	return rapid.Map(rapid.Int64Range(minMinor, maxMinor), func(minor int64) affiliate.Money {
		return affiliate.MustMoney(minor, c)
	})
}

// AnyMoney draws a currency with Currency, then an amount with Money.
func AnyMoney() *rapid.Generator[affiliate.Money] {
	return rapid.Custom(func(t *rapid.T) affiliate.Money {
		return Money(Currency().Draw(t, "currency")).Draw(t, "amount")
	})
}

// Rate draws a rate from 0 to max (inclusive) with up to four decimal
// places (0.0001 steps, so 12.5% and 0.01% are both reachable). It is
// exact: the rate is built from an integer count of 0.0001 steps.
func Rate(max affiliate.Rate) *rapid.Generator[affiliate.Rate] {
	steps := max.Decimal().Shift(4).IntPart()
	return rapid.Map(rapid.Int64Range(0, steps), func(n int64) affiliate.Rate {
		r, err := affiliate.RateFromDecimal(decimal.New(n, -4))
		if err != nil {
			panic(err) // n ≥ 0 with four places is always a rate
		}
		return r
	})
}
