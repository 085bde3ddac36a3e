package affiliate_test

import (
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/openaffiliate/affiliate"
)

func TestParseMoney(t *testing.T) {
	tests := []struct {
		name      string
		amount    string
		currency  string
		wantMinor int64
		wantCur   affiliate.Currency
		wantField string // "" means success
		wantErr   error  // the specific sentinel beyond ErrInvalid, if any
	}{
		{name: "full scale", amount: "12.30", currency: "EUR", wantMinor: 1230, wantCur: "EUR"},
		{name: "short scale", amount: "12.3", currency: "EUR", wantMinor: 1230, wantCur: "EUR"},
		{name: "integer", amount: "12", currency: "EUR", wantMinor: 1200, wantCur: "EUR"},
		{name: "zero", amount: "0", currency: "EUR", wantMinor: 0, wantCur: "EUR"},
		{name: "negative zero", amount: "-0", currency: "EUR", wantMinor: 0, wantCur: "EUR"},
		{name: "negative zero with scale", amount: "-0.00", currency: "EUR", wantMinor: 0, wantCur: "EUR"},
		{name: "negative cents", amount: "-0.05", currency: "EUR", wantMinor: -5, wantCur: "EUR"},
		{name: "cents", amount: "0.05", currency: "EUR", wantMinor: 5, wantCur: "EUR"},
		{name: "leading zeros", amount: "007.50", currency: "EUR", wantMinor: 750, wantCur: "EUR"},
		{name: "trailing zeros beyond scale are exact", amount: "12.300", currency: "EUR", wantMinor: 1230, wantCur: "EUR"},
		{name: "JPY has no minor unit", amount: "1000", currency: "JPY", wantMinor: 1000, wantCur: "JPY"},
		{name: "JPY trailing zero fraction", amount: "1000.0", currency: "JPY", wantMinor: 1000, wantCur: "JPY"},
		{name: "KWD three places", amount: "1.234", currency: "KWD", wantMinor: 1234, wantCur: "KWD"},
		{name: "BHD short scale", amount: "1.5", currency: "BHD", wantMinor: 1500, wantCur: "BHD"},
		{name: "CLF four places", amount: "1.2345", currency: "CLF", wantMinor: 12345, wantCur: "CLF"},
		{name: "lower-case currency", amount: "12.30", currency: "eur", wantMinor: 1230, wantCur: "EUR"},
		{name: "mixed-case currency", amount: "12.30", currency: "Eur", wantMinor: 1230, wantCur: "EUR"},
		{name: "currency with spaces", amount: "1", currency: " usd ", wantMinor: 100, wantCur: "USD"},
		{name: "largest EUR", amount: "92233720368547758.07", currency: "EUR", wantMinor: math.MaxInt64, wantCur: "EUR"},
		{name: "most negative EUR", amount: "-92233720368547758.07", currency: "EUR", wantMinor: -math.MaxInt64, wantCur: "EUR"},
		{name: "largest JPY", amount: "9223372036854775807", currency: "JPY", wantMinor: math.MaxInt64, wantCur: "JPY"},
		{name: "largest KWD", amount: "9223372036854775.807", currency: "KWD", wantMinor: math.MaxInt64, wantCur: "KWD"},

		{name: "empty", amount: "", currency: "EUR", wantField: "Money.Amount"},
		{name: "too many decimals EUR", amount: "12.345", currency: "EUR", wantField: "Money.Amount"},
		{name: "sub-cent EUR", amount: "0.001", currency: "EUR", wantField: "Money.Amount"},
		{name: "decimals on JPY", amount: "1.5", currency: "JPY", wantField: "Money.Amount"},
		{name: "too many decimals KWD", amount: "1.0001", currency: "KWD", wantField: "Money.Amount"},
		{name: "exponent", amount: "1e3", currency: "EUR", wantField: "Money.Amount"},
		{name: "upper-case exponent", amount: "1E3", currency: "EUR", wantField: "Money.Amount"},
		{name: "negative exponent", amount: "1.2e-2", currency: "EUR", wantField: "Money.Amount"},
		{name: "plus sign", amount: "+1", currency: "EUR", wantField: "Money.Amount"},
		{name: "double minus", amount: "--1", currency: "EUR", wantField: "Money.Amount"},
		{name: "minus alone", amount: "-", currency: "EUR", wantField: "Money.Amount"},
		{name: "trailing minus", amount: "1-", currency: "EUR", wantField: "Money.Amount"},
		{name: "no integer part", amount: ".5", currency: "EUR", wantField: "Money.Amount"},
		{name: "negative without integer part", amount: "-.5", currency: "EUR", wantField: "Money.Amount"},
		{name: "dot without fraction", amount: "5.", currency: "EUR", wantField: "Money.Amount"},
		{name: "two dots", amount: "1.2.3", currency: "EUR", wantField: "Money.Amount"},
		{name: "minus inside fraction", amount: "1.-5", currency: "EUR", wantField: "Money.Amount"},
		{name: "leading space", amount: " 1", currency: "EUR", wantField: "Money.Amount"},
		{name: "trailing space", amount: "1 ", currency: "EUR", wantField: "Money.Amount"},
		{name: "thousands separator", amount: "1,000.00", currency: "EUR", wantField: "Money.Amount"},
		{name: "decimal comma", amount: "12,30", currency: "EUR", wantField: "Money.Amount"},
		{name: "underscore", amount: "1_000", currency: "EUR", wantField: "Money.Amount"},
		{name: "hex", amount: "0x10", currency: "EUR", wantField: "Money.Amount"},
		{name: "non-ASCII digits", amount: "١٢", currency: "EUR", wantField: "Money.Amount"},
		{name: "NaN", amount: "NaN", currency: "EUR", wantField: "Money.Amount"},
		{name: "Inf", amount: "Inf", currency: "EUR", wantField: "Money.Amount"},
		{name: "currency symbol", amount: "€12", currency: "EUR", wantField: "Money.Amount"},
		{name: "longer than 64 characters", amount: "1." + strings.Repeat("0", 63), currency: "EUR", wantField: "Money.Amount"},

		{name: "one past the largest EUR", amount: "92233720368547758.08", currency: "EUR", wantField: "Money.Amount", wantErr: affiliate.ErrOverflow},
		{name: "most negative int64 is out of range", amount: "-92233720368547758.08", currency: "EUR", wantField: "Money.Amount", wantErr: affiliate.ErrOverflow},
		{name: "one past the largest JPY", amount: "9223372036854775808", currency: "JPY", wantField: "Money.Amount", wantErr: affiliate.ErrOverflow},
		{name: "far out of range", amount: "99999999999999999999", currency: "EUR", wantField: "Money.Amount", wantErr: affiliate.ErrOverflow},
		{name: "far out of range negative", amount: "-99999999999999999999999999", currency: "KWD", wantField: "Money.Amount", wantErr: affiliate.ErrOverflow},

		{name: "unknown currency", amount: "1", currency: "XXX", wantField: "Currency", wantErr: affiliate.ErrUnknownCurrency},
		{name: "missing currency", amount: "1", currency: "", wantField: "Currency", wantErr: affiliate.ErrUnknownCurrency},
		{name: "currency name", amount: "1", currency: "EURO", wantField: "Currency", wantErr: affiliate.ErrUnknownCurrency},
		{name: "currency symbol as code", amount: "1", currency: "€", wantField: "Currency", wantErr: affiliate.ErrUnknownCurrency},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := affiliate.ParseMoney(tt.amount, tt.currency)
			if tt.wantField != "" {
				var sentinels []error
				if tt.wantErr != nil {
					sentinels = append(sentinels, tt.wantErr)
				}
				wantFieldError(t, err, tt.wantField, sentinels...)
				if got != (affiliate.Money{}) {
					t.Errorf("ParseMoney(%q, %q) returned %v with its error, want the zero Money", tt.amount, tt.currency, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseMoney(%q, %q): %v", tt.amount, tt.currency, err)
			}
			if got.Minor() != tt.wantMinor || got.Currency() != tt.wantCur {
				t.Errorf("ParseMoney(%q, %q) = %d %s, want %d %s", tt.amount, tt.currency, got.Minor(), got.Currency(), tt.wantMinor, tt.wantCur)
			}
		})
	}
}

func TestMustParseMoney(t *testing.T) {
	if got := affiliate.MustParseMoney("19.99", "EUR"); got.Minor() != 1999 {
		t.Errorf("MustParseMoney(19.99 EUR).Minor() = %d, want 1999", got.Minor())
	}
	wantPanic(t, "MustParseMoney(bad)", func() { affiliate.MustParseMoney("12.345", "EUR") })
	wantPanic(t, "MustParseMoney(unknown currency)", func() { affiliate.MustParseMoney("1", "XXX") })
}

func TestNewMoney(t *testing.T) {
	tests := []struct {
		name      string
		minor     int64
		currency  affiliate.Currency
		wantField string
	}{
		{name: "EUR", minor: 1230, currency: "EUR"},
		{name: "negative", minor: -5, currency: "EUR"},
		{name: "largest", minor: math.MaxInt64, currency: "JPY"},
		{name: "unknown", minor: 1, currency: "XXX", wantField: "Currency"},
		{name: "missing", minor: 1, currency: "", wantField: "Currency"},
		// Currency values are canonical; only ParseCurrency folds case.
		{name: "lower-case Currency value", minor: 1, currency: "eur", wantField: "Currency"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := affiliate.NewMoney(tt.minor, tt.currency)
			if tt.wantField != "" {
				wantFieldError(t, err, tt.wantField, affiliate.ErrUnknownCurrency)
				if got != (affiliate.Money{}) {
					t.Errorf("NewMoney returned %v with its error, want the zero Money", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewMoney(%d, %q): %v", tt.minor, tt.currency, err)
			}
			if got.Minor() != tt.minor || got.Currency() != tt.currency {
				t.Errorf("NewMoney(%d, %q) = %d %s", tt.minor, tt.currency, got.Minor(), got.Currency())
			}
		})
	}
}

func TestMustMoneyAndZero(t *testing.T) {
	if got := affiliate.MustMoney(5, "KWD"); got.AmountString() != "0.005" {
		t.Errorf("MustMoney(5, KWD) = %s, want 0.005", got.AmountString())
	}
	z := affiliate.Zero("JPY")
	if !z.IsZero() || z.Currency() != "JPY" || z.Validate() != nil {
		t.Errorf("Zero(JPY) = %v (validate: %v), want a valid zero in JPY", z, z.Validate())
	}
	wantPanic(t, "MustMoney(unknown)", func() { affiliate.MustMoney(1, "XXX") })
	wantPanic(t, "Zero(unknown)", func() { affiliate.Zero("XXX") })
}

func TestMoneyFormat(t *testing.T) {
	tests := []struct {
		money      affiliate.Money
		wantAmount string
		wantString string
	}{
		{affiliate.MustMoney(1230, "EUR"), "12.30", "12.30 EUR"},
		{affiliate.MustMoney(0, "EUR"), "0.00", "0.00 EUR"},
		{affiliate.MustMoney(5, "EUR"), "0.05", "0.05 EUR"},
		{affiliate.MustMoney(-5, "EUR"), "-0.05", "-0.05 EUR"},
		{affiliate.MustMoney(-100, "EUR"), "-1.00", "-1.00 EUR"},
		{affiliate.MustMoney(-123456, "USD"), "-1234.56", "-1234.56 USD"},
		{affiliate.MustMoney(1000, "JPY"), "1000", "1000 JPY"},
		{affiliate.MustMoney(-1000, "JPY"), "-1000", "-1000 JPY"},
		{affiliate.MustMoney(0, "JPY"), "0", "0 JPY"},
		{affiliate.MustMoney(1234, "KWD"), "1.234", "1.234 KWD"},
		{affiliate.MustMoney(1, "KWD"), "0.001", "0.001 KWD"},
		{affiliate.MustMoney(-1, "KWD"), "-0.001", "-0.001 KWD"},
		{affiliate.MustMoney(0, "BHD"), "0.000", "0.000 BHD"},
		{affiliate.MustMoney(12345, "CLF"), "1.2345", "1.2345 CLF"},
		{affiliate.MustMoney(math.MaxInt64, "EUR"), "92233720368547758.07", "92233720368547758.07 EUR"},
		{affiliate.MustMoney(-math.MaxInt64, "EUR"), "-92233720368547758.07", "-92233720368547758.07 EUR"},
		{affiliate.Money{}, "0", "0"},
	}
	for _, tt := range tests {
		t.Run(tt.wantString, func(t *testing.T) {
			if got := tt.money.AmountString(); got != tt.wantAmount {
				t.Errorf("AmountString() = %q, want %q", got, tt.wantAmount)
			}
			if got := tt.money.String(); got != tt.wantString {
				t.Errorf("String() = %q, want %q", got, tt.wantString)
			}
		})
	}
}

func TestMoneyAmountKeepsScale(t *testing.T) {
	tests := []struct {
		money affiliate.Money
		want  decimal.Decimal
	}{
		{eur("12.30"), decimal.New(1230, -2)},
		{eur("0"), decimal.New(0, -2)},
		{jpy("1000"), decimal.New(1000, 0)},
		{kwd("-1.5"), decimal.New(-1500, -3)},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.money.Amount(), strictDecimal); diff != "" {
			t.Errorf("%v.Amount() mismatch (-want +got):\n%s", tt.money, diff)
		}
	}
}

func TestMoneyAccessors(t *testing.T) {
	tests := []struct {
		money    affiliate.Money
		wantSign int
		wantZero bool
	}{
		{eur("12.30"), 1, false},
		{eur("-0.01"), -1, false},
		{eur("0"), 0, true},
		{eur("-0"), 0, true},
		{affiliate.Money{}, 0, true},
	}
	for _, tt := range tests {
		if got := tt.money.Sign(); got != tt.wantSign {
			t.Errorf("%v.Sign() = %d, want %d", tt.money, got, tt.wantSign)
		}
		if got := tt.money.IsZero(); got != tt.wantZero {
			t.Errorf("%v.IsZero() = %t, want %t", tt.money, got, tt.wantZero)
		}
	}
	if !eur("12.3").Equal(eur("12.30")) {
		t.Error(`eur("12.3").Equal(eur("12.30")) = false: Money must be canonical`)
	}
	if eur("12.30") != eur("12.300") {
		t.Error(`eur("12.30") != eur("12.300"): == and Equal must agree`)
	}
	if eur("1").Equal(usd("1")) {
		t.Error("1 EUR equals 1 USD")
	}
	if eur("1").Equal(eur("1.01")) {
		t.Error("1.00 EUR equals 1.01 EUR")
	}
	if eur("1").Validate() != nil {
		t.Errorf("1 EUR: Validate() = %v", eur("1").Validate())
	}
	wantFieldError(t, affiliate.Money{}.Validate(), "Currency", affiliate.ErrUnknownCurrency)
}

func wantPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		if recover() == nil {
			t.Errorf("%s did not panic", what)
		}
	}()
	f()
}
