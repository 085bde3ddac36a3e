package affiliate_test

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
)

// TestConvertMatchesDecimal checks Convert's 128-bit path against the
// exact product rounded by RoundDecimal, across currencies of different
// scales (JPY 0, EUR 2, KWD 3, CLF 4) and all rounding modes.
func TestConvertMatchesDecimal(t *testing.T) {
	scales := []affiliate.Currency{"JPY", "EUR", "USD", "KWD", "CLF"}
	rapid.Check(t, func(t *rapid.T) {
		from := rapid.SampledFrom(scales).Draw(t, "from")
		to := rapid.SampledFrom(scales).Draw(t, "to")
		minor := rapid.Int64Range(-1e15, 1e15).Draw(t, "minor")
		coef := rapid.Int64Range(1, 1e12).Draw(t, "coef")
		exp := rapid.Int32Range(0, 12).Draw(t, "exp")
		mode := rapid.SampledFrom([]affiliate.RoundingMode{affiliate.HalfEven, affiliate.HalfUp, affiliate.Down}).Draw(t, "mode")
		rate, err := affiliate.RateFromDecimal(decimal.New(coef, -exp))
		if err != nil {
			t.Fatal(err)
		}
		m := affiliate.MustMoney(minor, from)
		got, gotErr := m.Convert(to, rate, mode)
		want, wantErr := affiliate.RoundDecimal(m.Amount().Mul(rate.Decimal()), to, mode)
		if from == to {
			want, wantErr = m, nil
		}
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("%v → %s at %v (%v): Convert error %v, exact error %v", m, to, rate, mode, gotErr, wantErr)
		}
		if gotErr != nil {
			if !errors.Is(gotErr, affiliate.ErrOverflow) {
				t.Fatalf("Convert error %v is not ErrOverflow", gotErr)
			}
			return
		}
		if got != want {
			t.Fatalf("%v → %s at %v (%v) = %v, want %v", m, to, rate, mode, got, want)
		}
	})
}
