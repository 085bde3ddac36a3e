package rules_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
)

// TestAccrueToAppendsWhatAccrueReturns: AccrueTo keeps dst's accruals,
// appends exactly what Accrue returns (explanations and base lines
// included), leaves the facts alone, and gives every accrual base lines
// of its own, also past the scratch's room (many lines, long names).
func TestAccrueToAppendsWhatAccrueReturns(t *testing.T) {
	user := rules.RuleFunc(func(f rules.Facts) ([]rules.Accrual, error) {
		return []rules.Accrual{{Beneficiary: f.Chain[0].ID, Kind: affiliate.KindBounty, Amount: eur("1.00"), Rule: "user", Explanation: "a bounty"}}, nil
	})
	var many []affiliate.Line
	for range 20 {
		many = append(many, ln(affiliate.LineSubscription, "3.33"))
	}
	long := rules.Tier{Name: strings.Repeat("Platinum ", 40), Rate: affiliate.MustPercent("12.5"), BonusRate: affiliate.MustPercent("2.5")}
	tests := []struct {
		name  string
		rule  rules.Rule
		lines []affiliate.Line
		tiers []rules.Tier
	}{
		{"percent", rules.Percent{Rate: affiliate.MustPercent("30")}, nil, nil},
		{"tier rate", rules.TierRate{}, nil, nil},
		{"bonus two levels", rules.SubAffiliateBonus{Depth: 2}, nil, nil},
		{"bonus on the commission", rules.SubAffiliateBonus{Of: rules.OfCommission, Commission: rules.TierRate{}, Depth: 2}, nil, nil},
		{"seed 000", rules.AllOf{rules.TierRate{}, rules.SubAffiliateBonus{}}, nil, nil},
		{"a user rule among built-ins", rules.AllOf{rules.TierRate{Name: "t"}, user, rules.AllOf{rules.SubAffiliateBonus{Depth: 2}}}, nil, nil},
		{"many lines, long tier names", rules.AllOf{rules.TierRate{}, rules.SubAffiliateBonus{Depth: 2}}, many, []rules.Tier{long, long, long}},
		{"nothing accrued", rules.Percent{Rate: affiliate.MustPercent("30")}, []affiliate.Line{ln(affiliate.LineTax, "5.00")}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := tt.lines
			if lines == nil {
				lines = []affiliate.Line{ln(affiliate.LineSubscription, "20.00"), ln(affiliate.LineAddOn, "200.00")}
			}
			f := facts(lines...)
			if tt.tiers != nil {
				f.Tiers = tt.tiers
			}
			want, err := tt.rule.Accrue(f)
			if err != nil {
				t.Fatal(err)
			}
			before := facts(lines...)
			if tt.tiers != nil {
				before.Tiers = tt.tiers
			}
			kept := rules.Accrual{Beneficiary: "x", Rule: "earlier", Explanation: "kept"}
			var scratch rules.Scratch
			got, err := rules.AccrueTo([]rules.Accrual{kept}, tt.rule, &f, &scratch)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(append([]rules.Accrual{kept}, want...), got); diff != "" {
				t.Errorf("AccrueTo (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, f); diff != "" {
				t.Errorf("facts changed (-before +after):\n%s", diff)
			}
			// Writing one accrual's base lines changes no other's.
			for i := range got {
				if len(got[i].BaseLines) == 0 {
					continue
				}
				others := make([][]affiliate.LineKind, len(got))
				for j := range got {
					others[j] = slices.Clone(got[j].BaseLines)
				}
				got[i].BaseLines[0] = "scribbled"
				got[i].BaseLines = append(got[i].BaseLines, "grown")
				for j := range got {
					if j != i && !slices.Equal(others[j], got[j].BaseLines) {
						t.Fatalf("writing accrual %d's base lines changed accrual %d's: %v", i, j, got[j].BaseLines)
					}
				}
			}
		})
	}
}

// TestAccrueToError: a failing rule leaves dst as it was given.
func TestAccrueToError(t *testing.T) {
	boom := errors.New("boom")
	failing := rules.RuleFunc(func(rules.Facts) ([]rules.Accrual, error) { return nil, boom })
	f := facts(ln(affiliate.LineSubscription, "20.00"))
	dst := []rules.Accrual{{Rule: "earlier"}}
	got, err := rules.AccrueTo(dst, rules.AllOf{rules.TierRate{}, failing}, &f, nil)
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if len(got) != 1 || got[0].Rule != "earlier" {
		t.Fatalf("dst = %v, want it as given", got)
	}
}
