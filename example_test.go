package affiliate_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openaffiliate/affiliate"
)

func ExampleParseMoney() {
	m, err := affiliate.ParseMoney("12.3", "eur") // Stripe sends lower-case codes
	fmt.Println(m, err)

	yen, _ := affiliate.ParseMoney("1000", "JPY")
	fmt.Println(yen, yen.Minor())

	// More decimals than the currency has is refused, not rounded.
	_, err = affiliate.ParseMoney("12.345", "EUR")
	fmt.Println(err)
	// Output:
	// 12.30 EUR <nil>
	// 1000 JPY 1000
	// affiliate: invalid Money.Amount: "12.345" has more than 2 decimal places
}

func ExampleMoney_MulRate() {
	price := affiliate.MustParseMoney("19.99", "EUR")
	rate := affiliate.MustPercent("15") // 15% of 19.99 is 2.9985

	commission, _ := price.MulRate(rate, affiliate.HalfEven)
	fmt.Println(commission)

	truncated, _ := price.MulRate(rate, affiliate.Down)
	fmt.Println(truncated)
	// Output:
	// 3.00 EUR
	// 2.99 EUR
}

func ExampleMoney_Allocate() {
	pot := affiliate.MustParseMoney("100.00", "EUR")
	one := decimal.NewFromInt(1)
	parts, _ := pot.Allocate(one, one, one)
	fmt.Println(parts)

	total, _ := affiliate.Sum("EUR", parts...)
	fmt.Println(total)
	// Output:
	// [33.34 EUR 33.33 EUR 33.33 EUR]
	// 100.00 EUR
}

func ExamplePercent() {
	standard, _ := affiliate.Percent("15")
	bonus, _ := affiliate.Percent("2.5")
	fmt.Println(standard, standard.PercentString())
	fmt.Println(bonus, bonus.PercentString())

	// Rates are exact and normalised: "0.150" is the same Rate as 15%.
	fmt.Println(standard == affiliate.MustRate("0.150"))
	// Output:
	// 0.15 15%
	// 0.025 2.5%
	// true
}

func ExamplePeriodOf() {
	paris, _ := time.LoadLocation("Europe/Paris")
	paidAt := time.Date(2026, time.January, 31, 23, 30, 0, 0, time.UTC)

	fmt.Println(affiliate.PeriodOf(paidAt, time.UTC))
	p := affiliate.PeriodOf(paidAt, paris) // already 1 February in Paris
	fmt.Println(p)
	fmt.Println(p.Start())
	fmt.Println(p.End())
	fmt.Println(p.Next(), p.Prev())
	// Output:
	// 2026-01
	// 2026-02
	// 2026-02-01 00:00:00 +0100 CET
	// 2026-03-01 00:00:00 +0100 CET
	// 2026-03 2026-01
}

func ExampleMoney_MarshalJSON() {
	b, _ := json.Marshal(affiliate.MustParseMoney("12.3", "EUR"))
	fmt.Println(string(b))

	var m affiliate.Money
	_ = json.Unmarshal([]byte(`{"amount":"1000","currency":"JPY"}`), &m)
	fmt.Println(m)

	// A JSON number is refused: it may have passed through a float.
	err := json.Unmarshal([]byte(`{"amount":12.30,"currency":"EUR"}`), &m)
	fmt.Println(errors.Is(err, affiliate.ErrInvalid))
	// Output:
	// {"amount":"12.30","currency":"EUR"}
	// 1000 JPY
	// true
}

func ExampleMoney_Add() {
	eur := affiliate.MustParseMoney("10.00", "EUR")
	usd := affiliate.MustParseMoney("10.00", "USD")

	_, err := eur.Add(usd)
	fmt.Println(errors.Is(err, affiliate.ErrCurrencyMismatch))

	var mismatch *affiliate.CurrencyMismatchError
	if errors.As(err, &mismatch) {
		fmt.Println(mismatch.Want, mismatch.Got)
	}
	fmt.Println(err)
	// Output:
	// true
	// EUR USD
	// affiliate: currency mismatch: EUR and USD
}

func ExampleFieldError() {
	p := affiliate.Payment{ID: "in_1", Customer: "cus_1", PaidAt: time.Date(2026, time.January, 15, 10, 0, 0, 0, time.UTC), Currency: "EUR",
		Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustParseMoney("-5", "EUR")}}}

	var fe *affiliate.FieldError
	if err := p.Validate(); errors.As(err, &fe) {
		fmt.Println(fe.Field)
		fmt.Println(errors.Is(err, affiliate.ErrInvalid))
	}
	// Output:
	// Payment.Lines[0].Amount
	// true
}

// A payment's revenue leaves out the VAT and shipping the host collects
// for others, and subtracts discounts; the tier metric, the dashboards and
// the default commission base all count it.
func ExampleRevenue_Of() {
	p := affiliate.Payment{ID: "in_1", Customer: "acme", Currency: "EUR", Lines: []affiliate.Line{
		{Kind: affiliate.LineSubscription, Amount: affiliate.MustParseMoney("100", "EUR")},
		{Kind: affiliate.LineDiscount, Amount: affiliate.MustParseMoney("10", "EUR")},
		{Kind: affiliate.LineTax, Amount: affiliate.MustParseMoney("17.10", "EUR")},
	}}
	total, _ := p.Total()
	revenue, _ := affiliate.Revenue{}.Of(p)
	fmt.Println("paid", total, "revenue", revenue)
	// Output: paid 107.10 EUR revenue 90.00 EUR
}

// Hash is the idempotency hash of any payload: every field counts, and
// one instant hashes alike in any zone.
func ExampleHash() {
	at := time.Date(2026, time.January, 15, 10, 0, 0, 0, time.UTC)
	p := affiliate.Payment{ID: "in_1", Customer: "acme", PaidAt: at, Currency: "USD"}
	h1, _ := affiliate.Hash(p)
	p.PaidAt = at.In(time.FixedZone("New York", -5*3600))
	h2, _ := affiliate.Hash(p)
	p.Country = "US"
	h3, _ := affiliate.Hash(p)
	fmt.Println(h1 == h2, h1 == h3, h1[:len(affiliate.HashPrefix)])
	// Output: true false c1:
}

// An entry keeps only the rule's own words (none, for a plain commission)
// and renders its line when asked.
func ExampleEntry_Describe() {
	e := affiliate.Entry{
		Kind: affiliate.KindBonus, Rate: affiliate.MustPercent("5"), Tier: "Premium",
		Base: affiliate.MustParseMoney("29", "EUR"), BaseLines: []affiliate.LineKind{affiliate.LineSubscription},
		Chain: []affiliate.AffiliateID{"aff-2", "aff-1"}, // the referrer, then the beneficiary
	}
	fmt.Println(e.Describe())

	e.Explanation = "; capped at 1.00 EUR by lifetime cap \"c\" of 10.00 EUR" // a cap's note continues the line
	fmt.Println(e.Describe())
	// Output:
	// tier "Premium" bonus: 5% of 29.00 EUR (subscription) referred by aff-2
	// tier "Premium" bonus: 5% of 29.00 EUR (subscription) referred by aff-2; capped at 1.00 EUR by lifetime cap "c" of 10.00 EUR
}
