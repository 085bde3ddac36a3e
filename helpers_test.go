package affiliate_test

import (
	"errors"
	"math"
	"math/big"
	"strings"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
)

// tb is what the checks below need from *testing.T and *rapid.T alike.
type tb interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// strictDecimal compares decimals by value AND exponent, so a test that
// cares about scale ("12.30" vs "12.3") fails when the scale drifts.
var strictDecimal = cmp.Comparer(func(a, b decimal.Decimal) bool {
	return a.Equal(b) && a.Exponent() == b.Exponent()
})

// wantFieldError checks that err is a *FieldError naming field, that it
// matches ErrInvalid, and that it matches every more specific sentinel.
func wantFieldError(t tb, err error, field string, sentinels ...error) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want a *FieldError for %s", field)
		return
	}
	var fe *affiliate.FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("error %q is a %T, want a *affiliate.FieldError", err, err)
		return
	}
	if fe.Field != field {
		t.Errorf("FieldError.Field = %q, want %q (error %q)", fe.Field, field, err)
	}
	if fe.Reason == "" {
		t.Errorf("FieldError.Reason is empty (error %q)", err)
	}
	if !strings.Contains(err.Error(), field) {
		t.Errorf("error text %q does not name the field %s", err, field)
	}
	for _, s := range append([]error{affiliate.ErrInvalid}, sentinels...) {
		if !errors.Is(err, s) {
			t.Errorf("errors.Is(%q, %q) = false, want true", err, s)
		}
	}
}

// wantMismatch checks that err is a currency mismatch between want and got,
// in its sentinel and its typed form.
func wantMismatch(t tb, err error, want, got affiliate.Currency) {
	t.Helper()
	if !errors.Is(err, affiliate.ErrCurrencyMismatch) {
		t.Fatalf("errors.Is(%v, ErrCurrencyMismatch) = false, want true", err)
		return
	}
	var me *affiliate.CurrencyMismatchError
	if !errors.As(err, &me) {
		t.Fatalf("error %q is a %T, want a *affiliate.CurrencyMismatchError", err, err)
		return
	}
	if me.Want != want || me.Got != got {
		t.Errorf("CurrencyMismatchError{Want: %q, Got: %q}, want {%q, %q}", me.Want, me.Got, want, got)
	}
}

// eur and friends build constants; they panic on a typo, which is what a
// test wants.
func eur(amount string) affiliate.Money { return affiliate.MustParseMoney(amount, "EUR") }
func usd(amount string) affiliate.Money { return affiliate.MustParseMoney(amount, "USD") }
func jpy(amount string) affiliate.Money { return affiliate.MustParseMoney(amount, "JPY") }
func kwd(amount string) affiliate.Money { return affiliate.MustParseMoney(amount, "KWD") }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func decs(ss ...string) []decimal.Decimal {
	out := make([]decimal.Decimal, len(ss))
	for i, s := range ss {
		out[i] = dec(s)
	}
	return out
}

// minors returns the minor units of ms, for readable diffs.
func minors(ms []affiliate.Money) []int64 {
	out := make([]int64, len(ms))
	for i, m := range ms {
		out[i] = m.Minor()
	}
	return out
}

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// ---- generators: money is drawn as integer minor units, never floats ----

func genCurrency() *rapid.Generator[affiliate.Currency] {
	return rapid.SampledFrom(affiliate.Currencies())
}

// genMinor favours small amounts, where rounding and allocation are most
// interesting, but reaches the whole range Money holds: ±MaxInt64 (see
// TestMoneyMostNegativeMinor for why MinInt64 is out).
func genMinor() *rapid.Generator[int64] {
	return rapid.OneOf(
		rapid.Int64Range(-10_000, 10_000),
		rapid.Int64Range(-1_000_000_000_000, 1_000_000_000_000),
		rapid.Int64Range(-math.MaxInt64, math.MaxInt64),
		rapid.SampledFrom([]int64{0, 1, -1, math.MaxInt64, -math.MaxInt64, math.MaxInt64 - 1}),
	)
}

// genMoney draws an amount in currency c.
func genMoney(c affiliate.Currency) *rapid.Generator[affiliate.Money] {
	return rapid.Custom(func(t *rapid.T) affiliate.Money {
		return affiliate.MustMoney(genMinor().Draw(t, "minor"), c)
	})
}

// genRate draws a rate as coefficient × 10^-exp, the way Rate holds it.
func genRate() *rapid.Generator[affiliate.Rate] {
	return rapid.Custom(func(t *rapid.T) affiliate.Rate {
		coef := rapid.OneOf(
			rapid.Int64Range(0, 1_000),
			rapid.Int64Range(0, 1_000_000_000_000_000_000),
			rapid.Int64Range(0, math.MaxInt64),
		).Draw(t, "coef")
		exp := rapid.Int32Range(0, 18).Draw(t, "exp")
		r, err := affiliate.RateFromDecimal(decimal.New(coef, -exp))
		if err != nil {
			t.Fatalf("RateFromDecimal(%d×10^-%d): %v", coef, exp, err)
		}
		return r
	})
}

func genMode() *rapid.Generator[affiliate.RoundingMode] {
	return rapid.SampledFrom([]affiliate.RoundingMode{affiliate.HalfEven, affiliate.HalfUp, affiliate.Down})
}

// ---- an independent oracle: exact rationals and rounding by hand ----

func ratOf(d decimal.Decimal) *big.Rat { return d.Rat() }

// roundRat rounds r to an integer with mode, from first principles, so it
// checks the library and shopspring/decimal alike.
func roundRat(r *big.Rat, mode affiliate.RoundingMode) *big.Int {
	num := new(big.Int).Abs(r.Num())
	q, rem := new(big.Int).QuoRem(num, r.Denom(), new(big.Int))
	twice := new(big.Int).Lsh(rem, 1)
	switch c := twice.Cmp(r.Denom()); mode {
	case affiliate.HalfEven:
		if c > 0 || (c == 0 && q.Bit(0) == 1) {
			q.Add(q, big.NewInt(1))
		}
	case affiliate.HalfUp:
		if c >= 0 && rem.Sign() != 0 {
			q.Add(q, big.NewInt(1))
		}
	}
	if r.Sign() < 0 {
		q.Neg(q)
	}
	return q
}

// fitsMinor reports whether v is an amount Money holds: the symmetric
// range ±MaxInt64 (MinInt64 has no negation).
func fitsMinor(v *big.Int) bool {
	return v.IsInt64() && v.Int64() != math.MinInt64
}
