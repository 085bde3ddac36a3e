package rules_test

import (
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
)

// I4 on the built-in rules: for any payment, rate and position, no rule
// accrues more than its rate times its base, nothing is negative, the
// bonus stays within its rate, and everything is in the payment's
// currency at its scale.
func TestPropertyRuleBounds(t *testing.T) {
	kinds := affiliate.LineKinds
	rapid.Check(t, func(t *rapid.T) {
		cur := affiliate.Currency(rapid.SampledFrom([]string{"EUR", "JPY", "KWD"}).Draw(t, "currency"))
		var lines []affiliate.Line
		for range rapid.IntRange(1, 5).Draw(t, "lines") {
			lines = append(lines, affiliate.Line{Kind: rapid.SampledFrom(kinds).Draw(t, "kind"), Amount: affiliate.MustMoney(rapid.Int64Range(0, 1e9).Draw(t, "minor"), cur)})
		}
		f := facts()
		f.Payment.Currency = cur
		f.Payment.Lines = lines
		f.PaidIndex = rapid.IntRange(0, 3).Draw(t, "paid index")
		f.Terms.Rounding = affiliate.RoundingMode(rapid.IntRange(0, 2).Draw(t, "rounding"))
		// Rates from 0.01% to 100%, in steps of 0.01%.
		rate := func(name string) affiliate.Rate {
			r, err := affiliate.RateFromDecimal(decimal.New(rapid.Int64Range(1, 10000).Draw(t, name), -4))
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		f.Tiers = []rules.Tier{{Name: "t0", Rate: rate("tier0"), BonusRate: rate("bonus0")}, {Name: "t1", Rate: rate("tier1"), BonusRate: rate("bonus1")}, {Name: "t2", Rate: rate("tier2"), BonusRate: rate("bonus2")}}
		for i := range f.PaidIndex {
			p := f.Payment
			p.ID = affiliate.EventID("earlier" + string(rune('0'+i)))
			f.History.Earlier = append(f.History.Earlier, rules.PaymentFact{ID: p.ID, Payment: p})
		}
		bonusRate := rate("fixed bonus")
		r := rules.AllOf{
			rules.Percent{Rate: rate("percent")},
			rules.TierRate{},
			rules.SubAffiliateBonus{Depth: 2},
			rules.SubAffiliateBonus{Name: "on_commission", Of: rules.OfCommission, Commission: rules.TierRate{}, Rate: bonusRate, Depth: 2},
			rules.Deferred{Rate: rate("deferred"), Payments: f.PaidIndex + 1},
			rules.Cap{Name: "cap", Limits: []affiliate.Money{affiliate.MustMoney(rapid.Int64Range(0, 1e7).Draw(t, "limit"), cur)}, Rule: rules.Percent{Name: "capped", Rate: rate("capped")}},
		}
		accs, err := r.Accrue(f)
		if err != nil {
			t.Fatal(err)
		}
		checkBounds(t, f, accs)
		for _, a := range accs {
			if a.Kind == affiliate.KindBonus && a.Rule == "sub_affiliate_bonus" {
				if i := map[affiliate.AffiliateID]int{"p": 1, "g": 2}[a.Beneficiary]; a.Rate != f.Tiers[i].BonusRate {
					t.Fatalf("bonus to %s at %s, its tier's bonus rate is %s", a.Beneficiary, a.Rate, f.Tiers[i].BonusRate)
				}
			}
			if a.Kind == affiliate.KindBonus && a.Rule == "on_commission" && a.Rate != bonusRate {
				t.Fatalf("bonus on the commission at %s, configured %s", a.Rate, bonusRate)
			}
			if a.Beneficiary == "a" && a.Kind == affiliate.KindBonus {
				t.Fatal("the referrer earned a bonus on its own referral")
			}
		}
	})
}
