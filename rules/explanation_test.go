package rules

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
)

// entryOf is the entry the engine makes of a: its chain runs from the
// referring affiliate up to the beneficiary.
func entryOf(a Accrual, f Facts) affiliate.Entry {
	var ids []affiliate.AffiliateID
	for _, c := range f.Chain {
		ids = append(ids, c.ID)
	}
	return affiliate.Entry{
		Beneficiary: a.Beneficiary, Kind: a.Kind, Base: a.Base, BaseLines: a.BaseLines, Rate: a.Rate,
		Amount: a.Amount, Rule: a.Rule, Tier: a.Tier, Chain: ids[:slices.Index(ids, a.Beneficiary)+1],
		Explanation: a.Explanation,
	}
}

// TestPropertyDescribeIsTheOldExplanation: for any payment, rates, tiers,
// chain and base lines, the built-in rules (alone, composed, capped)
// accrue what they did, with no explanation of their own but a cap's
// "; …" note, and Describe of the entry made of each accrual is, byte for
// byte, the explanation the old builder (legacy_explanation_test.go)
// wrote on it.
func TestPropertyDescribeIsTheOldExplanation(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cur := affiliate.Currency(rapid.SampledFrom([]string{"EUR", "JPY", "KWD"}).Draw(t, "currency"))
		f := Facts{Payment: affiliate.Payment{ID: "pay", Customer: "c", Currency: cur}}
		for range rapid.IntRange(0, 4).Draw(t, "lines") {
			f.Payment.Lines = append(f.Payment.Lines, affiliate.Line{
				Kind:   rapid.SampledFrom(affiliate.LineKinds).Draw(t, "kind"),
				Amount: affiliate.MustMoney(rapid.Int64Range(0, 1e8).Draw(t, "minor"), cur),
			})
		}
		f.Terms.Rounding = affiliate.RoundingMode(rapid.IntRange(0, 2).Draw(t, "rounding"))
		rate := func(name string) affiliate.Rate {
			r, err := affiliate.RateFromDecimal(decimal.New(rapid.Int64Range(0, 2e6).Draw(t, name), -int32(rapid.IntRange(0, 8).Draw(t, name+" exp"))))
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		ids := rapid.SliceOfNDistinct(rapid.StringMatching(`[a-z0-9_-]{1,6}`), 1, 5, rapid.ID).Draw(t, "chain")
		for i, id := range ids {
			f.Chain = append(f.Chain, affiliate.Affiliate{ID: affiliate.AffiliateID(id)})
			if i < rapid.IntRange(0, len(ids)).Draw(t, "tiers") {
				f.Tiers = append(f.Tiers, Tier{Name: rapid.StringN(1, 8, -1).Draw(t, "tier"), Rate: rate("tier rate"), BonusRate: rate("bonus rate")})
			}
		}
		lines := func(name string) Lines {
			if !rapid.Bool().Draw(t, name) {
				return Lines{}
			}
			return Lines{Kinds: rapid.SliceOfNDistinct(rapid.SampledFrom(affiliate.LineKinds), 1, 3, rapid.ID).Draw(t, name+" kinds")}
		}
		var rule func(depth int) Rule
		rule = func(depth int) Rule {
			switch n := rapid.IntRange(0, 5).Draw(t, "rule"); {
			case n == 0:
				return Percent{Rate: rate("percent"), Lines: lines("percent lines")}
			case n == 1:
				return TierRate{Name: "tiered", Lines: lines("tier lines")}
			case n == 2:
				return SubAffiliateBonus{Rate: rate("bonus"), Lines: lines("bonus lines"), Depth: rapid.IntRange(0, 4).Draw(t, "depth")}
			case n == 3:
				return SubAffiliateBonus{Of: OfCommission, Commission: rule(depth + 1), Rate: rate("bonus"), Depth: rapid.IntRange(0, 4).Draw(t, "depth")}
			case n == 4 && depth < 2:
				return Cap{Name: "cap", Limits: []affiliate.Money{affiliate.MustMoney(rapid.Int64Range(0, 1e6).Draw(t, "limit"), cur)}, Rule: rule(depth + 1)}
			case depth < 2:
				var all AllOf
				for range rapid.IntRange(1, 3).Draw(t, "all") {
					all = append(all, rule(depth+1))
				}
				return all
			}
			return Deferred{Rate: rate("deferred"), Payments: 1}
		}
		r := rule(0)
		old, oldErr := legacyAccrue(r, f)
		got, err := AccrueTo(nil, r, &f, nil)
		if (err == nil) != (oldErr == nil) {
			t.Fatalf("err = %v, the old code's %v", err, oldErr)
		}
		if diff := cmp.Diff(old, got, cmpopts.EquateEmpty(), cmpopts.IgnoreFields(Accrual{}, "Explanation")); diff != "" {
			t.Fatalf("accruals (-old +new):\n%s", diff)
		}
		for i, a := range got {
			if a.Rule != "deferred" && a.Explanation != "" && !strings.HasPrefix(a.Explanation, "; ") {
				t.Fatalf("accrual %d explains itself: %q", i, a.Explanation)
			}
			if a.Rule == "deferred" {
				want := "deferred reward: " + string(legacyAppendBase(append(legacyAppendPct(nil, a.Rate), " of "...), a.Base, a.BaseLines)) + ", "
				if !strings.HasPrefix(a.Explanation, want) {
					t.Fatalf("deferred explanation %q, want it to start %q", a.Explanation, want)
				}
			}
			if got, want := entryOf(a, f).Describe(), old[i].Explanation; got != want {
				t.Fatalf("accrual %d (%s, %s to %s): Describe = %q, the old explanation %q", i, a.Rule, a.Kind, a.Beneficiary, got, want)
			}
			if got, want := a.Describe(f), old[i].Explanation; got != want {
				t.Fatalf("accrual %d: Accrual.Describe = %q, the old explanation %q", i, got, want)
			}
		}
	})
}

// TestPercentStringIsTheOldPct: Describe renders rates with
// Rate.PercentString, which writes what the old builder wrote for any
// rate.
func TestPercentStringIsTheOldPct(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		coef := rapid.Int64Range(0, 1e15).Draw(t, "coef")
		exp := rapid.IntRange(0, 15).Draw(t, "exp")
		r, err := affiliate.RateFromDecimal(decimal.New(coef, -int32(exp)))
		if err != nil {
			t.Skip(err)
		}
		if got, want := r.PercentString(), string(legacyAppendPct(nil, r)); got != want {
			t.Fatalf("PercentString(%s) = %q, the old builder %q", r, got, want)
		}
	})
}
