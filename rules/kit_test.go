package rules_test

import (
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/rules/rulestest"
)

// TestBuiltinsPassTheKit runs every built-in rule, and the compositions
// the seed programs use, through rulestest.Check: the same conformance a
// team's own rule gets. Each declares the highest rate it may pay.
func TestBuiltinsPassTheKit(t *testing.T) {
	thirty := affiliate.MustPercent("30")
	five := affiliate.MustPercent("5")
	tiered := []rules.Tier{
		{Name: "Standard", Rate: affiliate.MustPercent("15"), BonusRate: five},
		{Name: "Premium", Rate: affiliate.MustPercent("20"), BonusRate: five},
	}
	percent := rules.Percent{Name: "revshare", Rate: thirty}
	cases := []struct {
		name string
		rule rules.Rule
		opts rulestest.Options
	}{
		{"Percent", percent, rulestest.Options{MaxRate: thirty}},
		{"PercentOfSubscriptions", rules.Percent{Name: "subs", Rate: thirty, Lines: rules.Lines{Kinds: []affiliate.LineKind{affiliate.LineSubscription, affiliate.LineDiscount}}}, rulestest.Options{MaxRate: thirty}},
		{"TierRate", rules.TierRate{Name: "tier_rate"}, rulestest.Options{MaxRate: affiliate.MustPercent("20"), Tiers: tiered}},
		{"SubAffiliateBonus", rules.SubAffiliateBonus{Name: "bonus", Rate: five}, rulestest.Options{MaxRate: five}},
		{"Seed000", rules.AllOf{rules.TierRate{Name: "tier_rate"}, rules.SubAffiliateBonus{Name: "bonus", Rate: five}}, rulestest.Options{MaxRate: affiliate.MustPercent("20"), Tiers: tiered}},
		{"Deferred", rules.Deferred{Name: "lead_reward", Rate: affiliate.MustPercent("50"), Months: 2}, rulestest.Options{MaxRate: affiliate.MustPercent("50")}},
		{"DeferredInvoices", rules.Deferred{Name: "lead_reward", Rate: affiliate.MustPercent("50"), Payments: 2}, rulestest.Options{MaxRate: affiliate.MustPercent("50")}},
		{"Bounty", rules.When{If: rules.FirstPayments(1), Then: rules.Bounty{Name: "first", Amounts: []affiliate.Money{affiliate.MustParseMoney("100", "EUR")}}}, rulestest.Options{}},
		{"CapMonthly", rules.Cap{Name: "cap", Limits: []affiliate.Money{affiliate.MustParseMoney("50", "EUR")}, Monthly: true, Location: time.UTC, Rule: percent}, rulestest.Options{MaxRate: thirty}},
		{"WhenKind", rules.When{If: rules.KindIn{affiliate.LineAddOn}, Then: percent}, rulestest.Options{MaxRate: thirty}},
		{"FirstMatch", rules.FirstMatch{rules.When{If: rules.FirstPayments(3), Then: rules.Percent{Name: "intro", Rate: affiliate.MustPercent("50")}}, percent}, rulestest.Options{MaxRate: affiliate.MustPercent("50")}},
		{"MaxOf", rules.MaxOf{percent, rules.Percent{Name: "ten", Rate: affiliate.MustPercent("10")}}, rulestest.Options{MaxRate: thirty}},
		{"WithHold", rules.WithHold{Hold: 60 * 24 * time.Hour, Rule: percent}, rulestest.Options{MaxRate: thirty}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { rulestest.Check(t, c.rule, c.opts) })
	}
}
