package affiliate_test

import (
	"encoding/json"
	"errors"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
)

// plainDecimal is what ParseMoney promises to read: an optional '-', digits,
// and an optional '.' followed by digits.
var plainDecimal = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// FuzzParseMoney: ParseMoney never panics; what it accepts is exactly the
// plain decimal it was given, and formatting then parsing gives it back;
// what it refuses gets a *FieldError and the zero Money.
func FuzzParseMoney(f *testing.F) {
	for _, s := range [][2]string{
		{"12.30", "EUR"}, {"12.3", "eur"}, {"-0.05", "EUR"}, {"-0", "EUR"}, {"007.50", "USD"},
		{"1000", "JPY"}, {"1000.000", "JPY"}, {"1.5", "JPY"}, {"1.234", "KWD"}, {"1.2345", "CLF"},
		{"12.345", "EUR"}, {"12.300", "EUR"}, {"1e3", "EUR"}, {"+1", "EUR"}, {".5", "EUR"}, {"5.", "EUR"},
		{"-", "EUR"}, {"--1", "EUR"}, {" 1", "EUR"}, {"1,000.00", "EUR"}, {"١٢", "EUR"}, {"NaN", "EUR"},
		{"92233720368547758.07", "EUR"}, {"92233720368547758.08", "EUR"}, {"-92233720368547758.07", "EUR"},
		{"-92233720368547758.08", "EUR"}, {"9223372036854775807", "JPY"}, {"9223372036854775808", "JPY"},
		{"1." + strings.Repeat("0", 62), "EUR"}, {"1", ""}, {"1", "XXX"}, {"1", " usd "}, {"", ""},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, amount, currency string) {
		m, err := affiliate.ParseMoney(amount, currency)
		c, curErr := affiliate.ParseCurrency(currency)
		if err != nil {
			var fe *affiliate.FieldError
			if !errors.As(err, &fe) || !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("ParseMoney(%q, %q): error %v (%T) is not a *FieldError matching ErrInvalid", amount, currency, err, err)
			}
			if m != (affiliate.Money{}) {
				t.Fatalf("ParseMoney(%q, %q) returned %v with its error", amount, currency, m)
			}
			// A plain decimal in a known currency, exact at its scale and in
			// range, must not be refused.
			if curErr == nil && len(amount) <= 64 && plainDecimal.MatchString(amount) {
				scaled := decimal.RequireFromString(amount).Shift(c.Scale())
				if scaled.IsInteger() && fitsMinor(scaled.BigInt()) {
					t.Fatalf("ParseMoney(%q, %q) refused a valid amount: %v", amount, currency, err)
				}
				if !scaled.IsInteger() && errors.Is(err, affiliate.ErrOverflow) {
					t.Fatalf("ParseMoney(%q, %q): too many decimals reported as overflow", amount, currency)
				}
			}
			return
		}

		if curErr != nil || m.Currency() != c || m.Validate() != nil {
			t.Fatalf("ParseMoney(%q, %q) = %v, but ParseCurrency gives %q, %v", amount, currency, m, c, curErr)
		}
		if !plainDecimal.MatchString(amount) {
			t.Fatalf("ParseMoney accepted %q, which is not a plain decimal", amount)
		}
		if exact := decimal.RequireFromString(amount); !exact.Equal(m.Amount()) {
			t.Fatalf("ParseMoney(%q, %q) = %v: not the exact value %s", amount, currency, m, exact)
		}
		if m.Minor() == math.MinInt64 {
			t.Fatalf("ParseMoney(%q, %q) built MinInt64 minor units", amount, currency)
		}

		text := m.AmountString()
		_, frac, _ := strings.Cut(text, ".")
		if len(frac) != int(c.Scale()) {
			t.Fatalf("%v formats as %q, not at %s's scale %d", m, text, c, c.Scale())
		}
		again, err := affiliate.ParseMoney(text, string(m.Currency()))
		if err != nil || again != m {
			t.Fatalf("ParseMoney(%q) = %v, %v; want %v", text, again, err, m)
		}
		if m.String() != text+" "+string(c) {
			t.Fatalf("String() = %q", m.String())
		}
		checkMoneyJSON(t, m)
	})
}

// FuzzMoneyJSON: UnmarshalJSON never panics; what it accepts marshals to
// canonical JSON that reads back to the same Money; what it refuses gets
// a *FieldError and leaves the target as it was.
func FuzzMoneyJSON(f *testing.F) {
	for _, s := range []string{
		`{"amount":"12.30","currency":"EUR"}`,
		`{"amount":"12.3","currency":"EUR"}`,
		`{"currency":"JPY","amount":"1000"}`,
		`{"amount":"-0.05","currency":"EUR"}`,
		`{"amount":"1.234","currency":"KWD"}`,
		`{"amount":"92233720368547758.07","currency":"USD"}`,
		`{"amount":"92233720368547758.08","currency":"USD"}`,
		`{"amount":12.30,"currency":"EUR"}`,
		`{"amount":"12.30","currency":"eur"}`,
		`{"amount":"12.30","currency":"XXX"}`,
		`{"amount":"12.30"}`,
		`{"amount":null,"currency":"EUR"}`,
		`{"AMOUNT":"1","Currency":"EUR"}`,
		`{"amount":"1","amount":"2","currency":"EUR"}`,
		`{"amount":"\u0031","currency":"\u0045UR"}`,
		`null`, ` null `, `[]`, `"12.30"`, `12.30`, `{`, ``, `{}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		before := affiliate.MustMoney(4242, "CHF")
		m := before
		if err := m.UnmarshalJSON(data); err != nil {
			var fe *affiliate.FieldError
			if !errors.As(err, &fe) || !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("UnmarshalJSON(%q): error %v (%T) is not a *FieldError matching ErrInvalid", data, err, err)
			}
			if m != before {
				t.Fatalf("a failed UnmarshalJSON(%q) changed the Money to %v", data, m)
			}
			return
		}
		b, err := m.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON(%v): %v", m, err)
		}
		if !json.Valid(b) {
			t.Fatalf("MarshalJSON(%v) = %s, not valid JSON", m, b)
		}
		var back affiliate.Money
		if err := back.UnmarshalJSON(b); err != nil || back != m {
			t.Fatalf("UnmarshalJSON(%s) = %v, %v; want %v (from %q)", b, back, err, m, data)
		}
		if again, _ := back.MarshalJSON(); string(again) != string(b) {
			t.Fatalf("MarshalJSON is not canonical: %s then %s", b, again)
		}
		if m != (affiliate.Money{}) {
			checkMoneyJSON(t, m)
		}
	})
}

// FuzzParseRate: ParseRate never panics; an accepted rate is the exact,
// non-negative value given, and String, JSON and PercentString all read
// back to the same Rate.
func FuzzParseRate(f *testing.F) {
	for _, s := range []string{
		"0.15", "0.150", "15", "1", "0", "0.000", "1.0837", "0.000000000000000001", "0.0000000000000000001",
		"0.1000000000000000000", "9223372036854775807", "9223372036854775808", "9.223372036854775807",
		"-0.15", "-0", "1e2", "+1", " 1", "1_0", ".5", "5.", ".", "-.", "abc", "15%", "NaN",
		"0." + strings.Repeat("1", 39),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := affiliate.ParseRate(s)
		if err != nil {
			var fe *affiliate.FieldError
			if !errors.As(err, &fe) || fe.Field != "Rate" || !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("ParseRate(%q): error %v (%T) is not a *FieldError for Rate", s, err, err)
			}
			if r != (affiliate.Rate{}) {
				t.Fatalf("ParseRate(%q) returned %v with its error", s, r)
			}
			return
		}
		exact, derr := decimal.NewFromString(s)
		if derr != nil || !exact.Equal(r.Decimal()) {
			t.Fatalf("ParseRate(%q) = %v: not the exact value (%v)", s, r, derr)
		}
		if r.Decimal().Sign() < 0 {
			t.Fatalf("ParseRate(%q) = %v is negative", s, r)
		}
		if again, err := affiliate.ParseRate(r.String()); err != nil || again != r {
			t.Fatalf("ParseRate(%q) = %v, %v; want %v", r.String(), again, err, r)
		}
		b, err := json.Marshal(r)
		var back affiliate.Rate
		if err != nil || json.Unmarshal(b, &back) != nil || back != r {
			t.Fatalf("JSON round trip of %v: %s → %v", r, b, back)
		}
		// Percent parses the percentage as a Rate first, so it reads back
		// only while 100×r fits a Rate (below about 9.2×10^16).
		if !fitsRate(r.Decimal().Shift(2)) {
			return
		}
		if p, err := affiliate.Percent(strings.TrimSuffix(r.PercentString(), "%")); err != nil || p != r {
			t.Fatalf("Percent(%q) = %v, %v; want %v", r.PercentString(), p, err, r)
		}
	})
}

func fitsRate(d decimal.Decimal) bool {
	_, err := affiliate.RateFromDecimal(d)
	return err == nil
}

// FuzzParsePeriod: ParsePeriod never panics, and what it accepts formats
// back to the same text.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2026-01", "2026-12", "0001-01", "9999-12", "0000-01", "2026-13", "2026-1", "26-01", "2026-01-01", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := affiliate.ParsePeriod(s, time.UTC)
		if err != nil {
			var fe *affiliate.FieldError
			if !errors.As(err, &fe) || !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("ParsePeriod(%q): error %v is not a *FieldError", s, err)
			}
			return
		}
		if p.String() != s || p.Validate() != nil {
			t.Fatalf("ParsePeriod(%q) = %s (%v)", s, p, p.Validate())
		}
	})
}

// FuzzAllocate and FuzzMulRate let `go test -fuzz` drive the rapid
// properties with coverage guidance.
func FuzzAllocate(f *testing.F) { f.Fuzz(rapid.MakeFuzz(checkAllocate)) }

func FuzzMulRate(f *testing.F) {
	f.Fuzz(rapid.MakeFuzz(func(t *rapid.T) {
		c := genCurrency().Draw(t, "currency")
		checkMulRate(t, genMoney(c).Draw(t, "money"), genRate().Draw(t, "rate"), genMode().Draw(t, "mode"))
	}))
}
