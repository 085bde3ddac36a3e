package rules_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
)

// examplePayment prices a payment of lines for a customer bound to "ann"
// (sub-affiliate of "bob"), on its paidIndex-th paid payment.
func examplePayment(paidIndex int, lines ...affiliate.Line) rules.Facts {
	return rules.Facts{
		Payment:   affiliate.Payment{ID: "in_1", Customer: "acme", PaidAt: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Currency: "USD", Lines: lines},
		PaidIndex: paidIndex,
		Binding:   affiliate.Binding{Customer: "acme", Affiliate: "ann", Source: affiliate.BindByLink, BoundAt: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)},
		Chain:     []affiliate.Affiliate{{ID: "ann", Parent: "bob"}, {ID: "bob"}},
		Tiers: []rules.Tier{
			{Name: "Standard", Rate: affiliate.MustPercent("15"), BonusRate: affiliate.MustPercent("5")},
			{Name: "Premium", Rate: affiliate.MustPercent("20"), BonusRate: affiliate.MustPercent("5")},
		},
	}
}

func usd(kind affiliate.LineKind, amount string) affiliate.Line {
	return affiliate.Line{Kind: kind, Amount: affiliate.MustParseMoney(amount, "USD")}
}

// printAccruals prints each accrual with the line its entry will show.
func printAccruals(f rules.Facts, accs []rules.Accrual, err error) {
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range accs {
		fmt.Println(a.Beneficiary, a.Kind, a.Amount, "—", a.Describe(f))
	}
}

// Seed 001: 30% of every payment; tax is not part of the base.
func ExamplePercent() {
	share := rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("30")}
	f := examplePayment(0, usd(affiliate.LineSubscription, "20"), usd(affiliate.LineAddOn, "200"), usd(affiliate.LineTax, "44"))
	accs, err := share.Accrue(f)
	printAccruals(f, accs, err)
	// Output:
	// ann commission 66.00 USD — 30% of 220.00 USD (subscription, add_on)
}

// Seed 000: the referrer's tier rate, and 5% of the revenue to its
// direct parent.
func ExampleSubAffiliateBonus() {
	program := rules.AllOf{rules.TierRate{}, rules.SubAffiliateBonus{}}
	f := examplePayment(0, usd(affiliate.LineSubscription, "300"))
	accs, err := program.Accrue(f)
	printAccruals(f, accs, err)
	// Output:
	// ann commission 45.00 USD — tier "Standard": 15% of 300.00 USD (subscription)
	// bob sub_affiliate_bonus 15.00 USD — tier "Premium" bonus: 5% of 300.00 USD (subscription) referred by ann
}

// A flat bounty of 100 on the first paid payment, and 10% of the first
// twelve.
func ExampleWhen() {
	program := rules.AllOf{
		rules.When{If: rules.FirstPayments(1), Then: rules.Bounty{Amounts: []affiliate.Money{affiliate.MustParseMoney("100", "USD"), affiliate.MustParseMoney("100", "EUR")}}},
		rules.When{If: rules.FirstPayments(12), Then: rules.Percent{Rate: affiliate.MustPercent("10")}},
	}
	for _, paid := range []int{0, 1, 12} {
		fmt.Printf("paid payment %d:\n", paid+1)
		f := examplePayment(paid, usd(affiliate.LineSubscription, "49"))
		accs, err := program.Accrue(f)
		printAccruals(f, accs, err)
	}
	// Output:
	// paid payment 1:
	// ann bounty 100.00 USD — flat bounty 100.00 USD
	// ann commission 4.90 USD — 10% of 49.00 USD (subscription)
	// paid payment 2:
	// ann commission 4.90 USD — 10% of 49.00 USD (subscription)
	// paid payment 13:
}

// A cap reads what it let through on earlier payments from Facts.Used,
// which the engine keeps.
func ExampleCap() {
	capped := rules.Cap{Name: "per_customer", Limits: []affiliate.Money{affiliate.MustParseMoney("500", "USD")}, Rule: rules.Percent{Rate: affiliate.MustPercent("30")}}
	f := examplePayment(7, usd(affiliate.LineSubscription, "200"))
	f.Used = map[rules.CapKey]affiliate.Money{{Cap: "per_customer", Beneficiary: "ann", Currency: "USD"}: affiliate.MustParseMoney("480", "USD")}
	accs, err := capped.Accrue(f)
	printAccruals(f, accs, err)
	// Output:
	// ann commission 20.00 USD — 30% of 200.00 USD (subscription); capped at 20.00 USD by lifetime cap "per_customer" of 500.00 USD
}

// Rules stored as configuration are built by a Registry.
func ExampleRegistry_Build() {
	var spec rules.Spec
	_ = json.Unmarshal([]byte(`{
		"type": "when",
		"if":   [{"type": "first_months", "params": {"n": 12}}],
		"rules": [{"type": "percent", "name": "year_one", "params": {"percent": "25", "lines": {"kinds": ["subscription"]}}}]
	}`), &spec)
	rule, err := rules.NewRegistry().Build(spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	f := examplePayment(0, usd(affiliate.LineSubscription, "80"), usd(affiliate.LineUsage, "20"))
	f.History.FirstPaidAt = f.Payment.PaidAt
	accs, err := rule.Accrue(f)
	printAccruals(f, accs, err)

	_, err = rules.NewRegistry().Build(rules.Spec{Type: "all_of", Rules: []rules.Spec{{Type: "tier_rate"}, {Type: "percent_of_revenue"}}})
	fmt.Println(err)
	// Output:
	// ann commission 20.00 USD — 25% of 80.00 USD (subscription)
	// rules: rules[1] (type "percent_of_revenue"): affiliate: invalid input: unknown rule type
}

// Seed 002: 50% of the first two paying months, earned with the first
// payment of the second month and available once that month has ended.
func ExampleDeferred() {
	reward := rules.Deferred{Name: "lead_reward", Rate: affiliate.MustPercent("50"), Months: 2}
	jan := affiliate.Payment{ID: "in_jan", Customer: "acme", PaidAt: time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC), Currency: "USD",
		Lines: []affiliate.Line{usd(affiliate.LineSubscription, "300")}}
	f := examplePayment(1, usd(affiliate.LineSubscription, "300"))
	f.Payment.PaidAt = time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC)
	f.History.Earlier = []rules.PaymentFact{{ID: jan.ID, PaidAt: jan.PaidAt, Payment: jan}}
	accs, err := reward.Accrue(f)
	printAccruals(f, accs, err)
	fmt.Println("available", f.Payment.PaidAt.Add(accs[0].Hold).Format(time.DateOnly))
	// Output:
	// ann commission 150.00 USD — deferred reward: 50% of 300.00 USD (subscription), paid in 2026-01, paying month 1 of 2, available once 2026-02 has ended
	// ann commission 150.00 USD — deferred reward: 50% of 300.00 USD (subscription), paid in 2026-02, paying month 2 of 2, available once 2026-02 has ended
	// available 2026-03-01
}

// A Registry describes the types it builds, for a form that writes specs;
// "rate": "5" (meant as 5%) is refused, since it would pay 500%.
func ExampleRegistry_Describe() {
	reg := rules.NewRegistry()
	for _, d := range reg.Describe() {
		if d.Type != "percent" {
			continue
		}
		fmt.Println(d.Type+":", d.Doc)
		for _, p := range d.Params {
			fmt.Printf("  %s (%s %s): %s\n", p.Name, p.Type, p.Format, p.Doc)
		}
	}
	_, err := reg.Build(rules.Spec{Type: "percent", Params: json.RawMessage(`{"rate": "5"}`)})
	fmt.Println(err)
	// Output:
	// percent: A fixed rate of the payment's base to the referrer (seed 001: 30% for life).
	//   rate (string rate): the rate as a plain decimal fraction: "0.3" is 30%; give rate or percent
	//   percent (string percent): the rate as a plain decimal percentage: "30" is 30%; give rate or percent
	//   allow_over_100 (boolean ): accept a rate above 100%; without it "rate": "5" (500%) is refused
	//   lines (object ): the lines that make the base; every line but tax and shipping, discounts subtracted, when absent
	// rules: spec (type "percent"): rules: percent: Rate: 5 is 500%: a rate is a fraction of the base ("0.05" is 5%, or "percent": "5"); set AllowOver100 ("allow_over_100": true) if more than the whole base is meant
}

// A stored spec decodes strictly: a misspelt field is an error, not a
// setting silently ignored.
func ExampleSpec_UnmarshalJSON() {
	var s rules.Spec
	err := json.Unmarshal([]byte(`{"type": "percent", "parms": {"percent": "30"}}`), &s)
	fmt.Println(err)
	err = json.Unmarshal([]byte(`{"type": "percent", "params": {"percent": "30", "percent": "300"}}`), &s)
	fmt.Println(err)
	// Output:
	// rules: spec (type ""): rules: spec: JSON: unknown field "parms"
	// rules: params (type ""): rules: spec: percent: appears twice in one object
}

// An engine prices every payment into room it keeps: the accruals go into
// dst's spare capacity and the built-in rules work in the Scratch.
func ExampleAccrueTo() {
	f := examplePayment(0, usd(affiliate.LineSubscription, "20"), usd(affiliate.LineAddOn, "200"))
	var room [4]rules.Accrual
	var scratch rules.Scratch
	accs, err := rules.AccrueTo(room[:0], rules.AllOf{rules.TierRate{}, rules.SubAffiliateBonus{}}, &f, &scratch)
	printAccruals(f, accs, err)
	// Output:
	// ann commission 33.00 USD — tier "Standard": 15% of 220.00 USD (subscription, add_on)
	// bob sub_affiliate_bonus 11.00 USD — tier "Premium" bonus: 5% of 220.00 USD (subscription, add_on) referred by ann
}
