package rules

import (
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
)

// TestPctIsPercentString: the explanation's percentage, built with
// appends, reads as affiliate.Rate.PercentString for any rate.
func TestPctIsPercentString(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		coef := rapid.Int64Range(0, 1e15).Draw(t, "coef")
		exp := rapid.IntRange(0, 15).Draw(t, "exp")
		r, err := affiliate.RateFromDecimal(decimal.New(coef, -int32(exp)))
		if err != nil {
			t.Skip(err)
		}
		if got, want := pct(r), r.PercentString(); got != want {
			t.Fatalf("pct(%s) = %q, want %q", r, got, want)
		}
	})
}

func TestDescribeBase(t *testing.T) {
	tests := []struct {
		base  affiliate.Money
		kinds []affiliate.LineKind
		want  string
	}{
		{affiliate.MustMoney(22000, "USD"), []affiliate.LineKind{affiliate.LineSubscription, affiliate.LineAddOn}, "220.00 USD (subscription, add_on)"},
		{affiliate.MustMoney(-5, "EUR"), nil, "-0.05 EUR"},
		{affiliate.MustMoney(7, "JPY"), []affiliate.LineKind{affiliate.LineUsage}, "7 JPY (usage)"},
	}
	for _, tc := range tests {
		if got := describeBase(tc.base, tc.kinds); got != tc.want {
			t.Errorf("describeBase = %q, want %q", got, tc.want)
		}
	}
}
