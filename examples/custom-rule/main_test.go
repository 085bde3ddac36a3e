package main

import (
	"errors"
	"io"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/rules/rulestest"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// The kit checks the rule on its own, and the terms it is part of, on
// boundary cases and on facts rapid draws: determinism, no mutation,
// currency and scale, no negative accrual, and the 50% rate bound.
func TestPlanBountyBehaves(t *testing.T) {
	rulestest.Check(t, launchBounty, rulestest.Options{MaxRate: launchBounty.Rate})
}

func TestTermsBehave(t *testing.T) {
	rulestest.Check(t, terms, rulestest.Options{MaxRate: launchBounty.Rate})
}

// The team's own cases: what the bounty pays, and why.
func TestPlanBounty(t *testing.T) {
	usd := affiliate.MustParseMoney("59", "USD")
	tests := []struct {
		name  string
		lines []affiliate.Line
		want  []affiliate.Money // nil: no bounty
	}{
		{"under the cap", []affiliate.Line{subscription("pro", "59")}, []affiliate.Money{eur("29.50")}},
		{"at the cap", []affiliate.Line{subscription("pro", "80")}, []affiliate.Money{eur("40")}},
		{"capped", []affiliate.Line{subscription("enterprise", "499")}, []affiliate.Money{eur("150")}},
		{"subscription lines only", []affiliate.Line{subscription("pro", "20"), setupFee("500")}, []affiliate.Money{eur("10")}},
		{"a discount on the plan lowers the base", []affiliate.Line{subscription("pro", "59"), {Kind: affiliate.LineDiscount, Plan: "pro", Amount: eur("19")}}, []affiliate.Money{eur("20")}},
		{"the highest cap of two plans", []affiliate.Line{subscription("starter", "100"), subscription("pro", "100")}, []affiliate.Money{eur("40")}},
		{"a plan without a cap", []affiliate.Line{subscription("team", "99")}, nil},
		{"a currency without a cap", []affiliate.Line{{Kind: affiliate.LineSubscription, Plan: "pro", Amount: usd}}, nil},
		{"rounds half to even", []affiliate.Line{subscription("pro", "0.05")}, []affiliate.Money{eur("0.02")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := affiliate.Payment{ID: "in_1", Customer: "c_1", PaidAt: date(time.January, 5), Currency: tt.lines[0].Amount.Currency(), Lines: tt.lines}
			accruals, err := launchBounty.Accrue(rules.Facts{Payment: p, Chain: []affiliate.Affiliate{{ID: "kim"}}})
			if err != nil {
				t.Fatal(err)
			}
			var got []affiliate.Money
			for _, a := range accruals {
				got = append(got, a.Amount)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("bounty (-want +got):\n%s", diff)
			}
		})
	}
}

// The engine refuses a bounty it could not run, before any payment.
func TestPlanBountyConfig(t *testing.T) {
	for name, b := range map[string]planBounty{
		"no rate":      {Caps: launchBounty.Caps},
		"above 100%":   {Rate: affiliate.MustPercent("120"), Caps: launchBounty.Caps},
		"no caps":      {Rate: launchBounty.Rate},
		"a zero cap":   {Rate: launchBounty.Rate, Caps: map[string]affiliate.Money{"pro": eur("0")}},
		"an empty cap": {Rate: launchBounty.Rate, Caps: map[string]affiliate.Money{"pro": {}}},
	} {
		_, err := commission.New(commission.Config{
			Store: memstore.New(),
			Terms: []commission.TermsVersion{{Version: "v1", Rule: b}},
		})
		if !errors.Is(err, rules.ErrConfig) {
			t.Errorf("%s: commission.New = %v, want an error matching rules.ErrConfig", name, err)
		}
	}
}

func TestRun(t *testing.T) {
	got, err := run(io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	m := func(amounts ...string) []affiliate.Money {
		ms := make([]affiliate.Money, len(amounts))
		for i, a := range amounts {
			ms[i] = eur(a)
		}
		return ms
	}
	want := figures{
		Entries: map[affiliate.EventID][]affiliate.Money{
			"in_1": m("5.80", "10.00"),    // 20% of 29; the bounty capped at 10
			"in_2": m("11.80", "29.50"),   // under the pro cap
			"in_3": m("139.80", "150.00"), // 20% of 699; 50% of 499 capped at 150
			"in_4": {affiliate.MustParseMoney("11.80", "USD")},
			"in_5": m("5.80"),
			"in_6": m("11.80"),
			"re_1": m("-139.80", "-150.00"),
		},
		Net: map[affiliate.Currency]affiliate.Money{"EUR": eur("74.70"), "USD": affiliate.MustParseMoney("11.80", "USD")},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("figures (-want +got):\n%s", diff)
	}
}
