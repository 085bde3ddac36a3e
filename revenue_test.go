package affiliate_test

import (
	"errors"
	"math/big"
	"testing"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
)

func TestRevenueOf(t *testing.T) {
	eur := func(kind affiliate.LineKind, minor int64) affiliate.Line {
		return affiliate.Line{Kind: kind, Amount: affiliate.MustMoney(minor, "EUR")}
	}
	vat := []affiliate.Line{eur(affiliate.LineSubscription, 10000), eur(affiliate.LineTax, 1900)}
	tests := []struct {
		name    string
		revenue affiliate.Revenue
		lines   []affiliate.Line
		want    string
	}{
		{"tax excluded", affiliate.Revenue{}, vat, "100.00 EUR"},
		{"shipping excluded", affiliate.Revenue{}, []affiliate.Line{eur(affiliate.LineOneTime, 5000), eur(affiliate.LineShipping, 490)}, "50.00 EUR"},
		{"discount subtracted", affiliate.Revenue{}, []affiliate.Line{eur(affiliate.LineSubscription, 10000), eur(affiliate.LineDiscount, 2500), eur(affiliate.LineTax, 1425)}, "75.00 EUR"},
		{"discount beyond the lines leaves zero", affiliate.Revenue{}, []affiliate.Line{eur(affiliate.LineSubscription, 1000), eur(affiliate.LineDiscount, 3000), eur(affiliate.LineTax, 100)}, "0.00 EUR"},
		{"only tax", affiliate.Revenue{}, []affiliate.Line{eur(affiliate.LineTax, 1900)}, "0.00 EUR"},
		{"a program that counts tax", affiliate.Revenue{Kinds: []affiliate.LineKind{affiliate.LineSubscription, affiliate.LineTax}}, vat, "119.00 EUR"},
		{"a program that ignores discounts", affiliate.Revenue{Kinds: []affiliate.LineKind{affiliate.LineSubscription}}, []affiliate.Line{eur(affiliate.LineSubscription, 10000), eur(affiliate.LineDiscount, 2500)}, "100.00 EUR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.revenue.Of(affiliate.Payment{Currency: "EUR", Lines: tt.lines})
			if err != nil || got.String() != tt.want {
				t.Fatalf("Of = %v, %v; want %s", got, err, tt.want)
			}
		})
	}
}

func TestRevenueValidate(t *testing.T) {
	for _, kinds := range [][]affiliate.LineKind{{}, {"vat"}, {affiliate.LineTax, affiliate.LineTax}} {
		var fe *affiliate.FieldError
		if err := (affiliate.Revenue{Kinds: kinds}).Validate(); !errors.As(err, &fe) || !errors.Is(err, affiliate.ErrInvalid) {
			t.Errorf("Kinds %q: %v, want a FieldError matching ErrInvalid", kinds, err)
		}
	}
	if err := (affiliate.Revenue{Kinds: affiliate.DefaultRevenueKinds()}).Validate(); err != nil {
		t.Errorf("the default kinds: %v", err)
	}
}

// Refunded is revenue × refunded / total rounded half to even, exactly;
// it never exceeds the revenue, grows with what was refunded, and a full
// refund takes back the whole revenue.
func TestRevenueRefundedProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		total := rapid.Int64Range(1, 1<<62).Draw(t, "total")
		revenue := rapid.Int64Range(0, total).Draw(t, "revenue")
		refunded := rapid.Int64Range(0, total).Draw(t, "refunded")
		got := affiliate.Revenue{}.Refunded(revenue, refunded, total)
		exact := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(revenue), big.NewInt(refunded)), big.NewInt(total))
		diff := new(big.Rat).Sub(exact, new(big.Rat).SetInt64(got))
		half := big.NewRat(1, 2)
		if diff.Cmp(half) > 0 || diff.Cmp(new(big.Rat).Neg(half)) < 0 {
			t.Fatalf("Refunded(%d, %d, %d) = %d, exact %s", revenue, refunded, total, got, exact.FloatString(3))
		}
		if diff.Cmp(half) == 0 || new(big.Rat).Neg(diff).Cmp(half) == 0 {
			if got%2 != 0 {
				t.Fatalf("Refunded(%d, %d, %d) = %d: a tie rounds to even", revenue, refunded, total, got)
			}
		}
		if got < 0 || got > revenue {
			t.Fatalf("Refunded(%d, %d, %d) = %d, outside [0, revenue]", revenue, refunded, total, got)
		}
		if refunded == total && got != revenue {
			t.Fatalf("a full refund takes back %d of %d", got, revenue)
		}
		if more := min(total, refunded+1); (affiliate.Revenue{}).Refunded(revenue, more, total) < got {
			t.Fatalf("refunding more takes back less")
		}
	})
}
