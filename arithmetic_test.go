package affiliate_test

import (
	"errors"
	"math"
	"math/big"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
)

// arithCase is one Add or Sub: a result, a currency mismatch, or an
// overflow.
type arithCase struct {
	name         string
	a, b         affiliate.Money
	want         affiliate.Money
	wantMismatch bool
	wantOverflow bool
}

func runArith(t *testing.T, op string, f func(a, b affiliate.Money) (affiliate.Money, error), tests []arithCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f(tt.a, tt.b)
			switch {
			case tt.wantMismatch:
				wantMismatch(t, err, tt.a.Currency(), tt.b.Currency())
			case tt.wantOverflow:
				wantFieldError(t, err, "Money", affiliate.ErrOverflow)
			default:
				if err != nil {
					t.Fatalf("%v %s %v: %v", tt.a, op, tt.b, err)
				}
				if got != tt.want {
					t.Errorf("%v %s %v = %v, want %v", tt.a, op, tt.b, got, tt.want)
				}
				return
			}
			if got != (affiliate.Money{}) {
				t.Errorf("%v %s %v returned %v with its error, want the zero Money", tt.a, op, tt.b, got)
			}
		})
	}
}

func TestMoneyAdd(t *testing.T) {
	maxEUR := affiliate.MustMoney(math.MaxInt64, "EUR")
	minEUR := affiliate.MustMoney(-math.MaxInt64, "EUR")
	runArith(t, "+", affiliate.Money.Add, []arithCase{
		{name: "cents", a: eur("12.30"), b: eur("0.05"), want: eur("12.35")},
		{name: "to zero", a: eur("-0.05"), b: eur("0.05"), want: eur("0")},
		{name: "negatives", a: eur("-1.50"), b: eur("-2.25"), want: eur("-3.75")},
		{name: "zero", a: jpy("1000"), b: jpy("0"), want: jpy("1000")},
		{name: "KWD", a: kwd("0.001"), b: kwd("0.999"), want: kwd("1")},
		{name: "up to the largest", a: affiliate.MustMoney(math.MaxInt64-1, "EUR"), b: eur("0.01"), want: maxEUR},
		{name: "largest plus most negative", a: maxEUR, b: minEUR, want: eur("0")},
		{name: "past the largest", a: maxEUR, b: eur("0.01"), wantOverflow: true},
		{name: "largest twice", a: maxEUR, b: maxEUR, wantOverflow: true},
		{name: "past the most negative", a: minEUR, b: eur("-0.02"), wantOverflow: true},
		{name: "most negative twice", a: minEUR, b: minEUR, wantOverflow: true},
		{name: "EUR and USD", a: eur("1"), b: usd("1"), wantMismatch: true},
		{name: "USD and EUR", a: usd("1"), b: eur("1"), wantMismatch: true},
		{name: "zero amounts still mismatch", a: eur("0"), b: jpy("0"), wantMismatch: true},
		{name: "mismatch wins over overflow", a: maxEUR, b: affiliate.MustMoney(math.MaxInt64, "USD"), wantMismatch: true},
		{name: "Money without currency", a: eur("1"), b: affiliate.Money{}, wantMismatch: true},
	})
}

func TestMoneySub(t *testing.T) {
	maxEUR := affiliate.MustMoney(math.MaxInt64, "EUR")
	minEUR := affiliate.MustMoney(-math.MaxInt64, "EUR")
	runArith(t, "-", affiliate.Money.Sub, []arithCase{
		{name: "cents", a: eur("12.30"), b: eur("0.05"), want: eur("12.25")},
		{name: "below zero", a: eur("0.01"), b: eur("0.02"), want: eur("-0.01")},
		{name: "negatives", a: eur("-1.50"), b: eur("-2.25"), want: eur("0.75")},
		{name: "JPY", a: jpy("1000"), b: jpy("1"), want: jpy("999")},
		{name: "down to the most negative", a: affiliate.MustMoney(-math.MaxInt64+1, "EUR"), b: eur("0.01"), want: minEUR},
		{name: "largest minus itself", a: maxEUR, b: maxEUR, want: eur("0")},
		{name: "past the most negative", a: minEUR, b: eur("0.02"), wantOverflow: true},
		{name: "past the largest", a: maxEUR, b: eur("-0.01"), wantOverflow: true},
		{name: "largest minus most negative", a: maxEUR, b: minEUR, wantOverflow: true},
		{name: "EUR and USD", a: eur("1"), b: usd("1"), wantMismatch: true},
		{name: "mismatch wins over overflow", a: minEUR, b: affiliate.MustMoney(math.MaxInt64, "USD"), wantMismatch: true},
	})
}

// TestMoneyMostNegativeMinor pins the one int64 without a negation.
// ParseMoney and MulRate already refuse MinInt64, and Neg cannot be right
// on it (there is no +2^63), so Money's range is the symmetric ±MaxInt64
// and every way of building an amount must refuse MinInt64 with
// ErrOverflow. Otherwise Neg and Abs return a negative amount, and
// x.Sub(MinInt64) reports an overflow even for a currency mismatch or a
// result that fits (-1 - MinInt64 = MaxInt64).
func TestMoneyMostNegativeMinor(t *testing.T) {
	makers := []struct {
		name string
		make func() (affiliate.Money, error)
	}{
		{"NewMoney", func() (affiliate.Money, error) { return affiliate.NewMoney(math.MinInt64, "EUR") }},
		{"Add", func() (affiliate.Money, error) {
			return affiliate.MustMoney(-math.MaxInt64, "EUR").Add(eur("-0.01"))
		}},
		{"Sub", func() (affiliate.Money, error) {
			return affiliate.MustMoney(-math.MaxInt64, "EUR").Sub(eur("0.01"))
		}},
		{"Sum", func() (affiliate.Money, error) {
			return affiliate.Sum("EUR", affiliate.MustMoney(-math.MaxInt64, "EUR"), eur("-0.01"))
		}},
		{"RoundDecimal", func() (affiliate.Money, error) {
			return affiliate.RoundDecimal(dec("-92233720368547758.08"), "EUR", affiliate.HalfEven)
		}},
		{"FromDecimal", func() (affiliate.Money, error) {
			return affiliate.FromDecimal(dec("-92233720368547758.08"), "EUR")
		}},
		{"Convert", func() (affiliate.Money, error) {
			return affiliate.MustMoney(-1<<62, "EUR").Convert("USD", affiliate.MustRate("2"), affiliate.HalfEven)
		}},
		{"MulRate", func() (affiliate.Money, error) {
			return affiliate.MustMoney(-1<<62, "EUR").MulRate(affiliate.MustRate("2"), affiliate.HalfEven)
		}},
		{"ParseMoney", func() (affiliate.Money, error) { return affiliate.ParseMoney("-92233720368547758.08", "EUR") }},
	}
	for _, mk := range makers {
		t.Run(mk.name, func(t *testing.T) {
			m, err := mk.make()
			if err == nil {
				t.Fatalf("built %v (%d minor units): Neg gives %v and Abs gives %v; want ErrOverflow", m, m.Minor(), m.Neg(), m.Abs())
			}
			wantFieldError(t, err, fieldOf(err), affiliate.ErrOverflow)
		})
	}

	// While MinInt64 can be built, Sub refuses to subtract it before
	// looking at anything else.
	t.Run("subtracting it", func(t *testing.T) {
		m, err := affiliate.NewMoney(math.MinInt64, "EUR")
		if err != nil {
			return // refused, as above: nothing to subtract
		}
		if got, err := eur("-0.01").Sub(m); err != nil || got.Minor() != math.MaxInt64 {
			t.Errorf("-0.01 EUR - %v = %v, %v; want %d minor units, which fit", m, got, err, int64(math.MaxInt64))
		}
		_, err = usd("1").Sub(m)
		wantMismatch(t, err, "USD", "EUR")
	})
}

// fieldOf returns the Field of a *FieldError, for checks that care only
// about the sentinel.
func fieldOf(err error) string {
	var fe *affiliate.FieldError
	if errors.As(err, &fe) {
		return fe.Field
	}
	return "(not a *FieldError)"
}

func TestMoneyCmp(t *testing.T) {
	tests := []struct {
		a, b affiliate.Money
		want int
	}{
		{eur("1"), eur("2"), -1},
		{eur("2"), eur("1"), 1},
		{eur("1.0"), eur("1.00"), 0},
		{eur("-0.01"), eur("0"), -1},
		{affiliate.MustMoney(math.MaxInt64, "JPY"), affiliate.MustMoney(-math.MaxInt64, "JPY"), 1},
	}
	for _, tt := range tests {
		got, err := tt.a.Cmp(tt.b)
		if err != nil || got != tt.want {
			t.Errorf("%v.Cmp(%v) = %d, %v; want %d, nil", tt.a, tt.b, got, err, tt.want)
		}
	}
	got, err := eur("1").Cmp(usd("2"))
	wantMismatch(t, err, "EUR", "USD")
	if got != 0 {
		t.Errorf("Cmp across currencies returned %d with its error, want 0", got)
	}
}

func TestMoneyNegAbs(t *testing.T) {
	tests := []struct {
		m, neg, abs affiliate.Money
	}{
		{eur("12.30"), eur("-12.30"), eur("12.30")},
		{eur("-0.05"), eur("0.05"), eur("0.05")},
		{eur("0"), eur("0"), eur("0")},
		{jpy("-1000"), jpy("1000"), jpy("1000")},
		{affiliate.MustMoney(math.MaxInt64, "EUR"), affiliate.MustMoney(-math.MaxInt64, "EUR"), affiliate.MustMoney(math.MaxInt64, "EUR")},
	}
	for _, tt := range tests {
		if got := tt.m.Neg(); got != tt.neg {
			t.Errorf("%v.Neg() = %v, want %v", tt.m, got, tt.neg)
		}
		if got := tt.m.Abs(); got != tt.abs {
			t.Errorf("%v.Abs() = %v, want %v", tt.m, got, tt.abs)
		}
	}
}

func TestSum(t *testing.T) {
	max := affiliate.MustMoney(math.MaxInt64, "EUR")
	tests := []struct {
		name         string
		currency     affiliate.Currency
		amounts      []affiliate.Money
		want         affiliate.Money
		wantField    string
		wantSentinel error
		wantMismatch bool
	}{
		{name: "none", currency: "EUR", want: eur("0")},
		{name: "none in JPY", currency: "JPY", want: jpy("0")},
		{name: "several", currency: "EUR", amounts: []affiliate.Money{eur("12.30"), eur("-0.30"), eur("0.01")}, want: eur("12.01")},
		{name: "overflow in the middle comes back down", currency: "EUR", amounts: []affiliate.Money{max, eur("0.01"), eur("-0.01")}, wantField: "Money", wantSentinel: affiliate.ErrOverflow},
		{name: "other currency", currency: "EUR", amounts: []affiliate.Money{eur("1"), usd("1")}, wantMismatch: true},
		{name: "all in another currency", currency: "EUR", amounts: []affiliate.Money{usd("1")}, wantMismatch: true},
		{name: "unknown currency", currency: "XXX", wantField: "Currency", wantSentinel: affiliate.ErrUnknownCurrency},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := affiliate.Sum(tt.currency, tt.amounts...)
			switch {
			case tt.wantMismatch:
				wantMismatch(t, err, tt.currency, "USD")
			case tt.wantField != "":
				wantFieldError(t, err, tt.wantField, tt.wantSentinel)
			default:
				if err != nil || got != tt.want {
					t.Errorf("Sum = %v, %v; want %v", got, err, tt.want)
				}
				return
			}
			if got != (affiliate.Money{}) {
				t.Errorf("Sum returned %v with its error, want the zero Money", got)
			}
		})
	}
}

// TestArithmeticProperties checks Add, Sub and Cmp against exact integer
// arithmetic: a result when it fits, ErrOverflow when it does not.
func TestArithmeticProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := genCurrency().Draw(t, "currency")
		a := genMoney(c).Draw(t, "a")
		b := genMoney(c).Draw(t, "b")
		for _, op := range []struct {
			name  string
			got   func() (affiliate.Money, error)
			exact *big.Int
		}{
			{"Add", func() (affiliate.Money, error) { return a.Add(b) }, new(big.Int).Add(big.NewInt(a.Minor()), big.NewInt(b.Minor()))},
			{"Sub", func() (affiliate.Money, error) { return a.Sub(b) }, new(big.Int).Sub(big.NewInt(a.Minor()), big.NewInt(b.Minor()))},
		} {
			got, err := op.got()
			if !fitsMinor(op.exact) {
				if !errors.Is(err, affiliate.ErrOverflow) {
					t.Fatalf("%v.%s(%v) = %v, %v; want ErrOverflow (exact %s)", a, op.name, b, got, err, op.exact)
				}
				continue
			}
			if err != nil || got.Minor() != op.exact.Int64() || got.Currency() != c {
				t.Fatalf("%v.%s(%v) = %v, %v; want %s minor units", a, op.name, b, got, err, op.exact)
			}
		}
		cmpGot, err := a.Cmp(b)
		if want := big.NewInt(a.Minor()).Cmp(big.NewInt(b.Minor())); err != nil || cmpGot != want {
			t.Fatalf("%v.Cmp(%v) = %d, %v; want %d", a, b, cmpGot, err, want)
		}
	})
}

// TestCurrencyMismatchProperty: arithmetic across two currencies always
// fails with the typed mismatch, and never hands back a value.
func TestCurrencyMismatchProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ca := genCurrency().Draw(t, "a currency")
		cb := genCurrency().Filter(func(c affiliate.Currency) bool { return c != ca }).Draw(t, "b currency")
		a := genMoney(ca).Draw(t, "a")
		b := genMoney(cb).Draw(t, "b")

		got, err := a.Add(b)
		wantMismatch(t, err, ca, cb)
		if got != (affiliate.Money{}) {
			t.Fatalf("Add returned %v with a mismatch", got)
		}
		got, err = a.Sub(b)
		wantMismatch(t, err, ca, cb)
		if got != (affiliate.Money{}) {
			t.Fatalf("Sub returned %v with a mismatch", got)
		}
		n, err := a.Cmp(b)
		wantMismatch(t, err, ca, cb)
		if n != 0 {
			t.Fatalf("Cmp returned %d with a mismatch", n)
		}
		got, err = affiliate.Sum(ca, a, b)
		wantMismatch(t, err, ca, cb)
		if got != (affiliate.Money{}) {
			t.Fatalf("Sum returned %v with a mismatch", got)
		}
	})
}

// TestMoneyNeverFromFloat documents by construction that the decimal path
// is exact: a value that a float64 cannot hold survives a round trip.
func TestMoneyNeverFromFloat(t *testing.T) {
	m := affiliate.MustMoney(math.MaxInt64-1, "EUR") // not representable as float64
	back, err := affiliate.FromDecimal(m.Amount(), "EUR")
	if err != nil || back != m {
		t.Errorf("FromDecimal(%v.Amount()) = %v, %v; want %v", m, back, err, m)
	}
	if got := m.Amount(); !got.Equal(decimal.RequireFromString("92233720368547758.06")) {
		t.Errorf("Amount() = %s, want 92233720368547758.06", got)
	}
}
