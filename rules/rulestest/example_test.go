package rulestest_test

import (
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/rules/rulestest"
)

// decemberDouble is a team's own rule: 30% of the base, doubled for
// payments made in December.
func decemberDouble(f rules.Facts) ([]rules.Accrual, error) {
	if len(f.Chain) == 0 {
		return nil, nil
	}
	base, kinds, err := rules.Lines{}.Base(f.Payment)
	if err != nil || base.Sign() <= 0 {
		return nil, err
	}
	rate := affiliate.MustPercent("30")
	if f.Payment.PaidAt.Month() == time.December {
		rate = affiliate.MustPercent("60")
	}
	amount, err := base.MulRate(rate, f.Terms.Rounding)
	if err != nil {
		return nil, err
	}
	return []rules.Accrual{{
		Beneficiary: f.Chain[0].ID, Kind: affiliate.KindCommission,
		Base: base, BaseLines: kinds, Rate: rate, Amount: amount, Rule: "december_double",
	}}, nil
}

// CheckFacts checks a rule on facts of your choosing; Check runs it on the
// boundary cases and on rapid-drawn facts. In a test, write
//
//	rulestest.Check(t, rules.RuleFunc(decemberDouble), rulestest.Options{MaxRate: affiliate.MustPercent("60")})
func ExampleCheckFacts() {
	f := rulestest.Boundary(rulestest.Options{MaxRate: affiliate.MustPercent("30")})[0].Facts
	f.Payment.PaidAt = time.Date(2026, time.December, 24, 12, 0, 0, 0, time.UTC)
	f.Payment.Lines = []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(2000, "EUR")}}

	// The program declared 60% as its highest rate: the rule keeps to it.
	err := rulestest.CheckFacts(rules.RuleFunc(decemberDouble), f, rulestest.Options{MaxRate: affiliate.MustPercent("60")})
	fmt.Println("declared 60%:", err)

	// Declared at 30%, the December rate breaks the bound.
	err = rulestest.CheckFacts(rules.RuleFunc(decemberDouble), f, rulestest.Options{MaxRate: affiliate.MustPercent("30")})
	fmt.Println("declared 30%:", err)
	// Output:
	// declared 60%: <nil>
	// declared 30%: the rule breaks "no accrual exceeds the maximum rate": accrual 1 (commission to aff_1) carries the rate 0.6, above the maximum 0.3
	//	facts: payment pay_01 of 20.00 EUR (subscription 20.00), index 0, 0 earlier, chain aff_1 (Standard 30%, bonus 30%) → aff_2 (Standard 30%, bonus 30%), terms v1 rounding half-even
}

// Boundary lists the fixed cases Check runs before it draws any.
func ExampleBoundary() {
	for _, c := range rulestest.Boundary(rulestest.Options{}) {
		total, _ := c.Facts.Payment.Total()
		fmt.Printf("%s: %s in %d line(s)\n", c.Name, total, len(c.Facts.Payment.Lines))
	}
	// Output:
	// the smallest payment (0.01 EUR): 0.01 EUR in 1 line(s)
	// the smallest payment in a currency without minor units (1 JPY): 1 JPY in 1 line(s)
	// a zero base (a free plan with 0.01 EUR of tax): 0.01 EUR in 2 line(s)
	// a payment discounted down to its tax: 3.80 EUR in 3 line(s)
	// a huge payment in EUR: 5764607523034234.87 EUR in 1 line(s)
	// a huge payment in JPY (scale 0): 576460752303423487 JPY in 1 line(s)
	// a huge payment in KWD (scale 3): 576460752303423.487 KWD in 1 line(s)
	// a huge payment in CLF (scale 4): 57646075230342.3487 CLF in 1 line(s)
	// an invoice of fifty lines of every kind: 1005.00 EUR in 50 line(s)
}
