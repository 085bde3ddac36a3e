package affiliate_test

import (
	"testing"

	"github.com/openaffiliate/affiliate"
)

// TestDescribe pins each shape of line the built-in rate rules wrote, now
// rendered from the entry's fields, and how the stored note composes with
// it: empty, the rendered line; "; …", the line then the note; anything
// else (a legacy full line, a deferred reward, a reversal), the note
// alone.
func TestDescribe(t *testing.T) {
	subs := []affiliate.LineKind{affiliate.LineSubscription}
	pct := affiliate.MustPercent
	tests := []struct {
		name  string
		entry affiliate.Entry
		want  string
	}{
		{"commission", affiliate.Entry{Kind: affiliate.KindCommission, Rate: pct("30"), Base: usd("220"), BaseLines: []affiliate.LineKind{affiliate.LineSubscription, affiliate.LineAddOn}, Chain: []affiliate.AffiliateID{"ann"}},
			"30% of 220.00 USD (subscription, add_on)"},
		{"commission at a tier", affiliate.Entry{Kind: affiliate.KindCommission, Rate: pct("15"), Base: eur("29"), BaseLines: subs, Tier: "Standard", Chain: []affiliate.AffiliateID{"ann"}},
			`tier "Standard": 15% of 29.00 EUR (subscription)`},
		{"commission without base lines", affiliate.Entry{Kind: affiliate.KindCommission, Rate: pct("2.5"), Base: jpy("1000")},
			"2.5% of 1000 JPY"},
		{"bonus of the revenue", affiliate.Entry{Kind: affiliate.KindBonus, Rate: pct("5"), Base: eur("29"), BaseLines: subs, Chain: []affiliate.AffiliateID{"aff-2", "aff-1"}},
			"5% of 29.00 EUR (subscription) referred by aff-2"},
		{"bonus of the revenue two levels up, at a tier", affiliate.Entry{Kind: affiliate.KindBonus, Rate: pct("5"), Base: eur("29"), BaseLines: subs, Tier: "Premium", Chain: []affiliate.AffiliateID{"aff-3", "aff-2", "aff-1"}},
			`tier "Premium" bonus: 5% of 29.00 EUR (subscription) referred by aff-3`},
		{"bonus of the commission", affiliate.Entry{Kind: affiliate.KindBonus, Rate: pct("10"), Base: eur("4.35"), Chain: []affiliate.AffiliateID{"aff-2", "aff-1"}},
			"10% of aff-2's commission 4.35 EUR"},
		{"bonus of a bonus", affiliate.Entry{Kind: affiliate.KindBonus, Rate: pct("10"), Base: eur("0.44"), Tier: "Gold", Chain: []affiliate.AffiliateID{"aff-3", "aff-2", "aff-1"}},
			`tier "Gold" bonus: 10% of aff-2's bonus 0.44 EUR`},
		{"bonus without a child in its chain", affiliate.Entry{Kind: affiliate.KindBonus, Rate: pct("5"), Base: eur("29"), BaseLines: subs},
			"5% of 29.00 EUR (subscription)"},
		{"a cap's continuation", affiliate.Entry{Kind: affiliate.KindCommission, Rate: pct("30"), Base: usd("200"), BaseLines: subs,
			Explanation: `; capped at 20.00 USD by lifetime cap "per_customer" of 500.00 USD`},
			`30% of 200.00 USD (subscription); capped at 20.00 USD by lifetime cap "per_customer" of 500.00 USD`},
		{"a legacy entry's full line", affiliate.Entry{Kind: affiliate.KindCommission, Rate: pct("15"), Base: eur("29"), BaseLines: subs, Tier: "Standard",
			Explanation: `tier "Standard": 15% of 29.00 EUR (subscription)`},
			`tier "Standard": 15% of 29.00 EUR (subscription)`},
		{"a legacy capped line", affiliate.Entry{Kind: affiliate.KindCommission, Rate: pct("30"), Base: usd("200"), BaseLines: subs,
			Explanation: `30% of 200.00 USD (subscription); capped at 20.00 USD by lifetime cap "c" of 500.00 USD`},
			`30% of 200.00 USD (subscription); capped at 20.00 USD by lifetime cap "c" of 500.00 USD`},
		{"a rule's own line", affiliate.Entry{Kind: affiliate.KindCommission, Rate: pct("50"), Base: usd("300"), BaseLines: subs,
			Explanation: "deferred reward: 50% of 300.00 USD (subscription), paid in 2026-01"},
			"deferred reward: 50% of 300.00 USD (subscription), paid in 2026-01"},
		{"a reversal", affiliate.Entry{Kind: affiliate.KindReversal, Rate: pct("15"), Base: eur("-29"), BaseLines: subs,
			Explanation: "refunds took back 29.00 EUR of 29.00 EUR paid: keeps 0.00 EUR of 4.35 EUR"},
			"refunds took back 29.00 EUR of 29.00 EUR paid: keeps 0.00 EUR of 4.35 EUR"},
		{"an adjustment renders nothing of its own", affiliate.Entry{Kind: affiliate.KindAdjustment, Rate: pct("15"), Base: eur("29")}, ""},
		{"a bounty with no note", affiliate.Entry{Kind: affiliate.KindBounty, Amount: eur("100")}, ""},
		{"no rate", affiliate.Entry{Kind: affiliate.KindCommission, Base: eur("29"), Explanation: "; odd"}, "; odd"},
		{"no base", affiliate.Entry{Kind: affiliate.KindCommission, Rate: pct("15")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.entry.Describe(); got != tt.want {
				t.Errorf("Describe() = %q, want %q", got, tt.want)
			}
		})
	}
}
