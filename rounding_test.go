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

var modes = []affiliate.RoundingMode{affiliate.HalfEven, affiliate.HalfUp, affiliate.Down}

func TestRoundingModeString(t *testing.T) {
	tests := []struct {
		mode affiliate.RoundingMode
		want string
	}{
		{affiliate.HalfEven, "half-even"},
		{affiliate.HalfUp, "half-up"},
		{affiliate.Down, "down"},
		{affiliate.RoundingMode(7), "RoundingMode(7)"},
	}
	for _, tt := range tests {
		if got := tt.mode.String(); got != tt.want {
			t.Errorf("RoundingMode(%d).String() = %q, want %q", uint8(tt.mode), got, tt.want)
		}
	}
	var zero affiliate.RoundingMode
	if zero != affiliate.HalfEven {
		t.Errorf("the zero RoundingMode is %v, want half-even (the documented default)", zero)
	}
}

// TestMulRate: base × rate, rounded once, in each mode. want holds the
// minor units for HalfEven, HalfUp and Down, in that order.
func TestMulRate(t *testing.T) {
	const max = math.MaxInt64
	tests := []struct {
		name  string
		money affiliate.Money
		rate  string
		want  [3]int64
	}{
		{"15% of 19.99 EUR is 2.9985", eur("19.99"), "0.15", [3]int64{300, 300, 299}},
		{"15% of -19.99 EUR", eur("-19.99"), "0.15", [3]int64{-300, -300, -299}},
		{"tie down to even: 0.125", eur("0.25"), "0.5", [3]int64{12, 13, 12}},
		{"tie up to even: 0.175", eur("0.35"), "0.5", [3]int64{18, 18, 17}},
		{"negative tie down to even: -0.125", eur("-0.25"), "0.5", [3]int64{-12, -13, -12}},
		{"negative tie up to even: -0.175", eur("-0.35"), "0.5", [3]int64{-18, -18, -17}},
		{"tie at zero: 0.005", eur("0.01"), "0.5", [3]int64{0, 1, 0}},
		{"negative tie at zero: -0.005", eur("-0.01"), "0.5", [3]int64{0, -1, 0}},
		{"just above a tie", eur("0.01"), "0.500000000000000001", [3]int64{1, 1, 0}},
		{"just below a tie", eur("0.01"), "0.499999999999999999", [3]int64{0, 0, 0}},
		{"just below one unit", eur("0.01"), "0.999999999999999999", [3]int64{1, 1, 0}},
		{"exact", eur("100.00"), "0.15", [3]int64{1500, 1500, 1500}},
		{"rate zero", eur("19.99"), "0", [3]int64{0, 0, 0}},
		{"rate one", eur("19.99"), "1", [3]int64{1999, 1999, 1999}},
		{"rate above one", eur("19.99"), "2.5", [3]int64{4998, 4998, 4997}},
		{"JPY", jpy("999"), "0.15", [3]int64{150, 150, 149}},
		{"JPY tie", jpy("5"), "0.5", [3]int64{2, 3, 2}},
		{"KWD", kwd("1.234"), "0.5", [3]int64{617, 617, 617}},
		{"KWD tie", kwd("0.003"), "0.5", [3]int64{2, 2, 1}},
		{"smallest rate", eur("1"), "0.000000000000000001", [3]int64{0, 0, 0}},
		{"largest amount at half", affiliate.MustMoney(max, "EUR"), "0.5", [3]int64{max/2 + 1, max/2 + 1, max / 2}},
		{"largest amount at one", affiliate.MustMoney(max, "EUR"), "1", [3]int64{max, max, max}},
		{"most negative amount at one", affiliate.MustMoney(-max, "EUR"), "1", [3]int64{-max, -max, -max}},
		{"largest amount at 18 places", affiliate.MustMoney(max, "JPY"), "0.999999999999999999", [3]int64{max - 9, max - 9, max - 10}},
	}
	for _, tt := range tests {
		for i, mode := range modes {
			t.Run(tt.name+"/"+mode.String(), func(t *testing.T) {
				got, err := tt.money.MulRate(affiliate.MustRate(tt.rate), mode)
				if err != nil {
					t.Fatalf("%v × %s: %v", tt.money, tt.rate, err)
				}
				if got.Minor() != tt.want[i] || got.Currency() != tt.money.Currency() {
					t.Errorf("%v × %s (%v) = %d %s, want %d %s", tt.money, tt.rate, mode, got.Minor(), got.Currency(), tt.want[i], tt.money.Currency())
				}
			})
		}
	}
}

func TestMulRateErrors(t *testing.T) {
	tests := []struct {
		name      string
		money     affiliate.Money
		rate      string
		mode      affiliate.RoundingMode
		wantField string
		wantErr   error
	}{
		{"largest amount doubled", affiliate.MustMoney(math.MaxInt64, "EUR"), "2", affiliate.HalfEven, "Money", affiliate.ErrOverflow},
		{"most negative amount doubled", affiliate.MustMoney(-math.MaxInt64, "EUR"), "2", affiliate.Down, "Money", affiliate.ErrOverflow},
		{"rounds up past the largest", affiliate.MustMoney(math.MaxInt64, "JPY"), "1.000000000000000001", affiliate.HalfUp, "Money", affiliate.ErrOverflow},
		{"huge rate", eur("1"), "9223372036854775807", affiliate.HalfEven, "Money", affiliate.ErrOverflow},
		{"unknown mode", eur("1"), "0.15", affiliate.RoundingMode(3), "RoundingMode", nil},
		// 1269605 × 14529514355811.1 = 18446744073709551615.5 = 2^64 - 0.5:
		// the 128-bit quotient is 2^64-1, so rounding it up must not wrap.
		{"rounding the 64-bit quotient up, half-up", affiliate.MustMoney(1269605, "JPY"), "14529514355811.1", affiliate.HalfUp, "Money", affiliate.ErrOverflow},
		{"rounding the 64-bit quotient up, half-even", affiliate.MustMoney(1269605, "JPY"), "14529514355811.1", affiliate.HalfEven, "Money", affiliate.ErrOverflow},
		{"the 64-bit quotient, down", affiliate.MustMoney(1269605, "JPY"), "14529514355811.1", affiliate.Down, "Money", affiliate.ErrOverflow},
		{"rounding the 64-bit quotient up, negative", affiliate.MustMoney(-1269605, "JPY"), "14529514355811.1", affiliate.HalfUp, "Money", affiliate.ErrOverflow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.money.MulRate(affiliate.MustRate(tt.rate), tt.mode)
			if err == nil {
				t.Fatalf("%v × %s (%v) = %v, want an error", tt.money, tt.rate, tt.mode, got)
			}
			var sentinels []error
			if tt.wantErr != nil {
				sentinels = append(sentinels, tt.wantErr)
			}
			wantFieldError(t, err, tt.wantField, sentinels...)
			if got != (affiliate.Money{}) {
				t.Errorf("%v × %s = %v with its error, want the zero Money", tt.money, tt.rate, got)
			}
		})
	}
}

func TestRoundDecimal(t *testing.T) {
	tests := []struct {
		name     string
		amount   string
		currency affiliate.Currency
		want     [3]int64 // HalfEven, HalfUp, Down
	}{
		{"exact", "12.30", "EUR", [3]int64{1230, 1230, 1230}},
		{"exact with more zeros", "12.3000000", "EUR", [3]int64{1230, 1230, 1230}},
		{"tie to even down", "0.125", "EUR", [3]int64{12, 13, 12}},
		{"tie to even up", "0.135", "EUR", [3]int64{14, 14, 13}},
		{"negative tie", "-0.125", "EUR", [3]int64{-12, -13, -12}},
		{"negative tie up to even", "-0.135", "EUR", [3]int64{-14, -14, -13}},
		{"below half", "0.1249999999", "EUR", [3]int64{12, 12, 12}},
		{"above half", "0.1250000001", "EUR", [3]int64{13, 13, 12}},
		{"negative above half", "-0.1250000001", "EUR", [3]int64{-13, -13, -12}},
		{"JPY tie", "2.5", "JPY", [3]int64{2, 3, 2}},
		{"JPY tie odd", "3.5", "JPY", [3]int64{4, 4, 3}},
		{"JPY carries", "9.99", "JPY", [3]int64{10, 10, 9}},
		{"KWD tie", "0.0005", "KWD", [3]int64{0, 1, 0}},
		{"KWD", "1.23456", "KWD", [3]int64{1235, 1235, 1234}},
		{"positive exponent", "1E3", "EUR", [3]int64{100000, 100000, 100000}},
		{"negative zero", "-0.001", "EUR", [3]int64{0, 0, 0}},
		{"largest", "92233720368547758.07", "EUR", [3]int64{math.MaxInt64, math.MaxInt64, math.MaxInt64}},
		{"rounds down to the largest", "92233720368547758.074", "EUR", [3]int64{math.MaxInt64, math.MaxInt64, math.MaxInt64}},
	}
	for _, tt := range tests {
		for i, mode := range modes {
			t.Run(tt.name+"/"+mode.String(), func(t *testing.T) {
				got, err := affiliate.RoundDecimal(dec(tt.amount), tt.currency, mode)
				if err != nil {
					t.Fatalf("RoundDecimal(%s, %s, %v): %v", tt.amount, tt.currency, mode, err)
				}
				if got.Minor() != tt.want[i] || got.Currency() != tt.currency {
					t.Errorf("RoundDecimal(%s, %s, %v) = %d %s, want %d", tt.amount, tt.currency, mode, got.Minor(), got.Currency(), tt.want[i])
				}
			})
		}
	}
}

func TestRoundDecimalErrors(t *testing.T) {
	tests := []struct {
		name      string
		amount    string
		currency  affiliate.Currency
		mode      affiliate.RoundingMode
		wantField string
		wantErr   error
	}{
		{"unknown currency", "1", "XXX", affiliate.HalfEven, "Currency", affiliate.ErrUnknownCurrency},
		{"missing currency", "1", "", affiliate.HalfEven, "Currency", affiliate.ErrUnknownCurrency},
		{"unknown mode", "1", "EUR", affiliate.RoundingMode(9), "RoundingMode", nil},
		{"rounds up past the largest", "92233720368547758.075", "EUR", affiliate.HalfUp, "Money.Amount", affiliate.ErrOverflow},
		{"far out of range", "1E30", "EUR", affiliate.Down, "Money.Amount", affiliate.ErrOverflow},
		{"far out of range negative", "-1E30", "JPY", affiliate.HalfEven, "Money.Amount", affiliate.ErrOverflow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := affiliate.RoundDecimal(dec(tt.amount), tt.currency, tt.mode)
			var sentinels []error
			if tt.wantErr != nil {
				sentinels = append(sentinels, tt.wantErr)
			}
			wantFieldError(t, err, tt.wantField, sentinels...)
			if got != (affiliate.Money{}) {
				t.Errorf("got %v with its error, want the zero Money", got)
			}
		})
	}
}

func TestFromDecimal(t *testing.T) {
	tests := []struct {
		name      string
		amount    decimal.Decimal
		currency  affiliate.Currency
		want      int64
		wantField string
		wantErr   error
	}{
		{name: "exact", amount: dec("12.3"), currency: "EUR", want: 1230},
		{name: "trailing zeros", amount: dec("12.3000"), currency: "EUR", want: 1230},
		{name: "negative", amount: dec("-0.05"), currency: "EUR", want: -5},
		{name: "JPY", amount: dec("1000"), currency: "JPY", want: 1000},
		{name: "positive exponent", amount: decimal.New(5, 3), currency: "JPY", want: 5000},
		{name: "KWD", amount: dec("0.001"), currency: "KWD", want: 1},
		{name: "largest", amount: dec("92233720368547758.07"), currency: "EUR", want: math.MaxInt64},
		{name: "too many decimals", amount: dec("12.345"), currency: "EUR", wantField: "Money.Amount"},
		{name: "too many decimals negative", amount: dec("-0.001"), currency: "EUR", wantField: "Money.Amount"},
		{name: "decimals on JPY", amount: dec("1.5"), currency: "JPY", wantField: "Money.Amount"},
		{name: "out of range", amount: dec("92233720368547758.08"), currency: "EUR", wantField: "Money.Amount", wantErr: affiliate.ErrOverflow},
		{name: "far out of range", amount: decimal.New(1, 40), currency: "EUR", wantField: "Money.Amount", wantErr: affiliate.ErrOverflow},
		{name: "unknown currency", amount: dec("1"), currency: "XXX", wantField: "Currency", wantErr: affiliate.ErrUnknownCurrency},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := affiliate.FromDecimal(tt.amount, tt.currency)
			if tt.wantField != "" {
				var sentinels []error
				if tt.wantErr != nil {
					sentinels = append(sentinels, tt.wantErr)
				}
				wantFieldError(t, err, tt.wantField, sentinels...)
				if got != (affiliate.Money{}) {
					t.Errorf("got %v with its error, want the zero Money", got)
				}
				return
			}
			if err != nil || got.Minor() != tt.want || got.Currency() != tt.currency {
				t.Errorf("FromDecimal(%s, %s) = %d %s, %v; want %d", tt.amount, tt.currency, got.Minor(), got.Currency(), err, tt.want)
			}
		})
	}
}

func TestConvert(t *testing.T) {
	tests := []struct {
		name  string
		money affiliate.Money
		to    affiliate.Currency
		rate  string
		want  [3]string // HalfEven, HalfUp, Down, as amounts in to
	}{
		{"EUR to USD", eur("100.00"), "USD", "1.0837", [3]string{"108.37", "108.37", "108.37"}},
		{"EUR to USD with rounding", eur("19.99"), "USD", "1.0837", [3]string{"21.66", "21.66", "21.66"}}, // 21.663163
		{"EUR to JPY", eur("19.99"), "JPY", "161.235", [3]string{"3223", "3223", "3223"}},                 // 3223.08765
		{"EUR to JPY tie", eur("0.01"), "JPY", "50", [3]string{"0", "1", "0"}},                            // 0.5
		{"EUR to JPY odd tie", eur("0.03"), "JPY", "50", [3]string{"2", "2", "1"}},                        // 1.5
		{"negative EUR to JPY tie", eur("-0.01"), "JPY", "150", [3]string{"-2", "-2", "-1"}},              // -1.5
		{"JPY to KWD", jpy("1"), "KWD", "0.0021", [3]string{"0.002", "0.002", "0.002"}},
		{"JPY to EUR", jpy("1000"), "EUR", "0.0062", [3]string{"6.20", "6.20", "6.20"}},
		{"KWD to EUR", kwd("1.234"), "EUR", "2.98", [3]string{"3.68", "3.68", "3.67"}}, // 3.67732
		{"same currency ignores the rate", eur("12.30"), "EUR", "2", [3]string{"12.30", "12.30", "12.30"}},
	}
	for _, tt := range tests {
		for i, mode := range modes {
			t.Run(tt.name+"/"+mode.String(), func(t *testing.T) {
				got, err := tt.money.Convert(tt.to, affiliate.MustRate(tt.rate), mode)
				if err != nil {
					t.Fatalf("Convert: %v", err)
				}
				want := affiliate.MustParseMoney(tt.want[i], string(tt.to))
				if got != want {
					t.Errorf("%v → %s at %s (%v) = %v, want %v", tt.money, tt.to, tt.rate, mode, got, want)
				}
			})
		}
	}
}

func TestConvertErrors(t *testing.T) {
	tests := []struct {
		name      string
		money     affiliate.Money
		to        affiliate.Currency
		rate      affiliate.Rate
		mode      affiliate.RoundingMode
		wantField string
		wantErr   error
	}{
		{"zero rate", eur("1"), "USD", affiliate.Rate{}, affiliate.HalfEven, "Rate", nil},
		{"unknown target", eur("1"), "XXX", affiliate.MustRate("1"), affiliate.HalfEven, "Currency", affiliate.ErrUnknownCurrency},
		{"unknown mode", eur("1"), "USD", affiliate.MustRate("1"), affiliate.RoundingMode(4), "RoundingMode", nil},
		{"out of range", affiliate.MustMoney(math.MaxInt64, "JPY"), "EUR", affiliate.MustRate("1"), affiliate.HalfEven, "Money.Amount", affiliate.ErrOverflow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.money.Convert(tt.to, tt.rate, tt.mode)
			var sentinels []error
			if tt.wantErr != nil {
				sentinels = append(sentinels, tt.wantErr)
			}
			wantFieldError(t, err, tt.wantField, sentinels...)
			if got != (affiliate.Money{}) {
				t.Errorf("got %v with its error, want the zero Money", got)
			}
		})
	}
}

// TestMulRateProperty: MulRate is the exact product rounded once. It is
// checked three ways: against an exact big.Rat product rounded by hand,
// against shopspring/decimal's RoundBank/Round/Truncate, and against the
// bounds each mode promises.
func TestMulRateProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := genCurrency().Draw(t, "currency")
		m := genMoney(c).Draw(t, "money")
		r := genRate().Draw(t, "rate")
		mode := genMode().Draw(t, "mode")
		checkMulRate(t, m, r, mode)
	})
}

// TestMulRateTieProperty builds exact ties, which random rates rarely hit:
// (2q+1)×10^k minor units × 5×10^-(k+1) is exactly q + ½ minor units.
func TestMulRateTieProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		q := rapid.Int64Range(0, math.MaxInt64/2-1).Draw(t, "q")
		neg := rapid.Bool().Draw(t, "negative")
		k := rapid.Int32Range(0, 17).Draw(t, "k")
		minor := 2*q + 1
		rate := decimal.New(5, -1)
		if k > 0 && minor <= math.MaxInt64/pow10i(k) {
			minor *= pow10i(k)
			rate = decimal.New(5, -1-k)
		}
		if neg {
			minor = -minor
		}
		m := affiliate.MustMoney(minor, "EUR")
		r, err := affiliate.RateFromDecimal(rate)
		if err != nil {
			t.Fatalf("RateFromDecimal(%s): %v", rate, err)
		}
		mode := genMode().Draw(t, "mode")
		got, err := m.MulRate(r, mode)
		if err != nil {
			t.Fatalf("%v × %v: %v", m, r, err)
		}
		mag := got.Abs().Minor()
		switch mode {
		case affiliate.HalfEven:
			if mag%2 != 0 || (mag != q && mag != q+1) {
				t.Fatalf("%v × %v half-even = %v: want the even one of %d and %d", m, r, got, q, q+1)
			}
		case affiliate.HalfUp:
			if mag != q+1 {
				t.Fatalf("%v × %v half-up = %v: want magnitude %d (away from zero)", m, r, got, q+1)
			}
		case affiliate.Down:
			if mag != q {
				t.Fatalf("%v × %v down = %v: want magnitude %d (toward zero)", m, r, got, q)
			}
		}
		if got.Sign() != 0 && got.Sign() != m.Sign() {
			t.Fatalf("%v × %v = %v changed sign", m, r, got)
		}
		checkMulRate(t, m, r, mode)
	})
}

func pow10i(k int32) int64 {
	p := int64(1)
	for range k {
		p *= 10
	}
	return p
}

func checkMulRate(t *rapid.T, m affiliate.Money, r affiliate.Rate, mode affiliate.RoundingMode) {
	t.Helper()
	got, err := m.MulRate(r, mode)

	// exact product in minor units
	exact := new(big.Rat).Mul(new(big.Rat).SetInt64(m.Minor()), ratOf(r.Decimal()))
	want := roundRat(exact, mode)
	if !fitsMinor(want) {
		if !errors.Is(err, affiliate.ErrOverflow) {
			t.Fatalf("%v × %v (%v) = %v, %v; exact %s rounds to %s, out of range: want ErrOverflow", m, r, mode, got, err, exact.RatString(), want)
		}
		return
	}
	if err != nil {
		t.Fatalf("%v × %v (%v): %v; want %s minor units", m, r, mode, err, want)
	}
	if got.Currency() != m.Currency() {
		t.Fatalf("%v × %v changed the currency to %s", m, r, got.Currency())
	}
	if got.Minor() != want.Int64() {
		t.Fatalf("%v × %v (%v) = %d minor units, want %s (exact %s)", m, r, mode, got.Minor(), want, exact.RatString())
	}

	// bounds the mode promises
	diff := new(big.Rat).Sub(new(big.Rat).SetInt64(got.Minor()), exact)
	absDiff := new(big.Rat).Abs(diff)
	switch mode {
	case affiliate.HalfEven, affiliate.HalfUp:
		if absDiff.Cmp(big.NewRat(1, 2)) > 0 {
			t.Fatalf("%v × %v (%v) = %v is %s units from the exact %s, want at most 1/2", m, r, mode, got, absDiff.RatString(), exact.RatString())
		}
	case affiliate.Down:
		if absDiff.Cmp(big.NewRat(1, 1)) >= 0 || diff.Sign()*exact.Sign() > 0 {
			t.Fatalf("%v × %v down = %v is not within one unit toward zero of %s", m, r, got, exact.RatString())
		}
	}

	// shopspring/decimal agrees, at the currency's scale
	prod := m.Amount().Mul(r.Decimal())
	scale := m.Currency().Scale()
	var rounded decimal.Decimal
	switch mode {
	case affiliate.HalfEven:
		rounded = prod.RoundBank(scale)
	case affiliate.HalfUp:
		rounded = prod.Round(scale)
	case affiliate.Down:
		rounded = prod.Truncate(scale)
	}
	if !rounded.Equal(got.Amount()) {
		t.Fatalf("%v × %v (%v) = %v, but decimal rounds %s to %s", m, r, mode, got, prod, rounded)
	}

	// the two rounding points agree
	viaDecimal, err := affiliate.RoundDecimal(prod, m.Currency(), mode)
	if err != nil || viaDecimal != got {
		t.Fatalf("RoundDecimal(%s) = %v, %v; MulRate gave %v", prod, viaDecimal, err, got)
	}
}

// TestRoundDecimalProperty checks RoundDecimal on arbitrary exact decimals
// against rounding by hand on big.Rat.
func TestRoundDecimalProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := genCurrency().Draw(t, "currency")
		coef := genMinor().Draw(t, "coef")
		exp := rapid.Int32Range(-22, 4).Draw(t, "exp")
		mode := genMode().Draw(t, "mode")
		d := decimal.New(coef, exp)

		got, err := affiliate.RoundDecimal(d, c, mode)
		exact := new(big.Rat).Mul(ratOf(d), new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(c.Scale())), nil)))
		want := roundRat(exact, mode)
		if !fitsMinor(want) {
			if !errors.Is(err, affiliate.ErrOverflow) {
				t.Fatalf("RoundDecimal(%s, %s, %v) = %v, %v; want ErrOverflow", d, c, mode, got, err)
			}
			return
		}
		if err != nil || got.Minor() != want.Int64() || got.Currency() != c {
			t.Fatalf("RoundDecimal(%s, %s, %v) = %d %s, %v; want %s", d, c, mode, got.Minor(), got.Currency(), err, want)
		}
		// FromDecimal agrees exactly when no rounding was needed.
		exactMoney, err := affiliate.FromDecimal(d, c)
		if exact.IsInt() {
			if err != nil || exactMoney != got {
				t.Fatalf("FromDecimal(%s, %s) = %v, %v; want %v", d, c, exactMoney, err, got)
			}
		} else if err == nil {
			t.Fatalf("FromDecimal(%s, %s) = %v, want an error: it must not round", d, c, exactMoney)
		}
	})
}
