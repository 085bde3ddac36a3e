package affiliate_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openaffiliate/affiliate"
)

func BenchmarkParseMoney(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := affiliate.ParseMoney("1234.56", "EUR"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMoneyAdd(b *testing.B) {
	x, y := eur("1234.56"), eur("0.44")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := x.Add(y); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMulRate(b *testing.B) {
	m, r := eur("19.99"), affiliate.MustPercent("15")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.MulRate(r, affiliate.HalfEven); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMulRateDecimal is the same product through shopspring/decimal,
// for scale: what MulRate's 128-bit path saves.
func BenchmarkMulRateDecimal(b *testing.B) {
	m, r := eur("19.99"), affiliate.MustPercent("15")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := affiliate.RoundDecimal(m.Amount().Mul(r.Decimal()), "EUR", affiliate.HalfEven); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAllocate3(b *testing.B) {
	m := eur("100.00")
	w := []decimal.Decimal{decimal.NewFromInt(1), decimal.NewFromInt(1), decimal.NewFromInt(1)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Allocate(w...); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSum10(b *testing.B) {
	ms := make([]affiliate.Money, 10)
	for i := range ms {
		ms[i] = eur("12.34")
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := affiliate.Sum("EUR", ms...); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshalJSON(b *testing.B) {
	m := eur("1234.56")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnmarshalJSON(b *testing.B) {
	data := []byte(`{"amount":"1234.56","currency":"EUR"}`)
	b.ReportAllocs()
	for b.Loop() {
		var m affiliate.Money
		if err := json.Unmarshal(data, &m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidatePayment validates a payment with Stripe-shaped IDs,
// the check every Record makes first.
func BenchmarkValidatePayment(b *testing.B) {
	p := affiliate.Payment{ID: "in_1QxYz2LkdIwHu7ixAbCdEfGh", Customer: "cus_RqLmNoPqRsTuVw",
		PaidAt: time.Date(2026, time.January, 15, 10, 0, 0, 0, time.UTC), Currency: "EUR", Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: eur("29.00")}}}
	b.ReportAllocs()
	for b.Loop() {
		if err := p.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}
