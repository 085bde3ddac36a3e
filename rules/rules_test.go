package rules_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
)

var (
	jan15    = time.Date(2026, time.January, 15, 10, 0, 0, 0, time.UTC)
	standard = rules.Tier{Name: "Standard", Rate: affiliate.MustPercent("15"), BonusRate: affiliate.MustPercent("5")}
	premium  = rules.Tier{Name: "Premium", Rate: affiliate.MustPercent("20"), BonusRate: affiliate.MustPercent("5")}
)

func eur(amount string) affiliate.Money { return affiliate.MustParseMoney(amount, "EUR") }

func ln(kind affiliate.LineKind, amount string) affiliate.Line {
	return affiliate.Line{Kind: kind, Amount: eur(amount)}
}

// facts is a payment of lines by a customer bound to "a" (parent "p",
// grandparent "g"), whose tiers are Standard, Premium, Premium.
func facts(lines ...affiliate.Line) rules.Facts {
	return rules.Facts{
		Payment: affiliate.Payment{ID: "pay", Customer: "c", PaidAt: jan15, Currency: "EUR", Lines: lines},
		Binding: affiliate.Binding{Customer: "c", Affiliate: "a", Source: affiliate.BindByLink, BoundAt: jan15},
		Chain:   []affiliate.Affiliate{{ID: "a"}, {ID: "p"}, {ID: "g"}},
		Tiers:   []rules.Tier{standard, premium, premium},
		Terms:   rules.Terms{Version: "v1"},
	}
}

// render lists accruals as "beneficiary kind amount rate base payment".
func render(accs []rules.Accrual) string {
	var parts []string
	for _, a := range accs {
		s := fmt.Sprintf("%s %s %s", a.Beneficiary, a.Kind, a.Amount)
		if !a.Rate.IsZero() {
			s += " @" + a.Rate.PercentString()
		}
		if a.Base.Currency() != "" {
			s += " of " + a.Base.String()
		}
		if a.Tier != "" {
			s += " [" + a.Tier + "]"
		}
		if a.Payment != "" {
			s += " on " + string(a.Payment)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

func TestRules(t *testing.T) {
	sub100 := ln(affiliate.LineSubscription, "100")
	thirty := rules.Percent{Rate: affiliate.MustPercent("30")}
	withPaid := func(f rules.Facts, paidIndex int) rules.Facts { f.PaidIndex, f.Index = paidIndex, paidIndex; return f }
	tests := []struct {
		name  string
		rule  rules.Rule
		facts rules.Facts
		want  string
	}{
		{"percent of the default base", thirty, facts(sub100, ln(affiliate.LineAddOn, "50"), ln(affiliate.LineTax, "30"), ln(affiliate.LineShipping, "9")), "a commission 45.00 EUR @30% of 150.00 EUR"},
		{"discounts reduce the base", thirty, facts(sub100, ln(affiliate.LineDiscount, "20")), "a commission 24.00 EUR @30% of 80.00 EUR"},
		{"discounts never make it negative", thirty, facts(ln(affiliate.LineSubscription, "10"), ln(affiliate.LineDiscount, "20"), ln(affiliate.LineTax, "1")), ""},
		{"chosen kinds only", rules.Percent{Rate: affiliate.MustPercent("10"), Lines: rules.Lines{Kinds: []affiliate.LineKind{affiliate.LineAddOn}}},
			facts(sub100, ln(affiliate.LineAddOn, "50"), ln(affiliate.LineDiscount, "20")), "a commission 5.00 EUR @10% of 50.00 EUR"},
		{"chosen plans only", rules.Percent{Rate: affiliate.MustPercent("10"), Lines: rules.Lines{Plans: []string{"pro"}}},
			facts(affiliate.Line{Kind: affiliate.LineSubscription, Amount: eur("100"), Plan: "pro"}, affiliate.Line{Kind: affiliate.LineSubscription, Amount: eur("40"), Plan: "basic"}), "a commission 10.00 EUR @10% of 100.00 EUR"},
		{"a commission that rounds to zero accrues nothing", thirty, facts(ln(affiliate.LineSubscription, "0.01")), ""},
		{"half-even by default", rules.Percent{Rate: affiliate.MustPercent("50")}, facts(ln(affiliate.LineSubscription, "0.05")), "a commission 0.02 EUR @50% of 0.05 EUR"},
		{"no chain, nothing", thirty, rules.Facts{Payment: facts(sub100).Payment}, ""},

		{"tier rate", rules.TierRate{}, facts(sub100), "a commission 15.00 EUR @15% of 100.00 EUR [Standard]"},
		{"zero tier, nothing", rules.TierRate{}, func() rules.Facts { f := facts(sub100); f.Tiers = []rules.Tier{{}}; return f }(), ""},
		// A tier's rate rounding to zero accrues 0.00 at the tier: the
		// engine keeps it as an entry, which a later tier decision finds.
		// A fixed rate rounding to zero accrues nothing.
		{"tier rate rounding to zero accrues 0.00 at the tier", rules.TierRate{}, facts(ln(affiliate.LineSubscription, "0.03")), "a commission 0.00 EUR @15% of 0.03 EUR [Standard]"},
		{"a 0% tier, nothing", rules.TierRate{}, func() rules.Facts { f := facts(sub100); f.Tiers = []rules.Tier{{Name: "Probation"}}; return f }(), ""},
		{"nothing on a zero base", rules.TierRate{}, facts(ln(affiliate.LineTax, "5")), ""},
		{"percent rounding to zero anchors nothing", thirty, facts(ln(affiliate.LineSubscription, "0.01")), ""},
		{"bonus rounding to zero at the parent's tier accrues 0.00; the grandparent still earns", rules.SubAffiliateBonus{Depth: 2}, func() rules.Facts {
			f := facts(ln(affiliate.LineSubscription, "0.10"))
			f.Tiers = []rules.Tier{standard, premium, {Name: "Gold", BonusRate: affiliate.MustPercent("10")}}
			return f
		}(), "p sub_affiliate_bonus 0.00 EUR @5% of 0.10 EUR [Premium]; g sub_affiliate_bonus 0.01 EUR @10% of 0.10 EUR [Gold]"},
		{"a parent at a 0% bonus does not stop the grandparent's", rules.SubAffiliateBonus{Depth: 2}, func() rules.Facts {
			f := facts(sub100)
			f.Tiers = []rules.Tier{standard, {Name: "Probation"}, premium}
			return f
		}(), "g sub_affiliate_bonus 5.00 EUR @5% of 100.00 EUR [Premium]"},
		{"a fixed bonus rate rounding to zero anchors nothing", rules.SubAffiliateBonus{Rate: affiliate.MustPercent("1")}, facts(ln(affiliate.LineSubscription, "0.10")), ""},
		{"on the commission, a zero stops the levels above", rules.SubAffiliateBonus{Of: rules.OfCommission, Commission: rules.TierRate{}, Rate: affiliate.MustPercent("10"), Depth: 2}, facts(ln(affiliate.LineSubscription, "0.03")), ""},

		{"bonus to the direct parent only", rules.SubAffiliateBonus{}, facts(sub100), "p sub_affiliate_bonus 5.00 EUR @5% of 100.00 EUR [Premium]"},
		{"bonus two levels up", rules.SubAffiliateBonus{Depth: 2}, facts(sub100), "p sub_affiliate_bonus 5.00 EUR @5% of 100.00 EUR [Premium]; g sub_affiliate_bonus 5.00 EUR @5% of 100.00 EUR [Premium]"},
		{"bonus at a fixed rate records no tier", rules.SubAffiliateBonus{Rate: affiliate.MustPercent("2")}, facts(sub100), "p sub_affiliate_bonus 2.00 EUR @2% of 100.00 EUR"},
		{"bonus on the commission", rules.SubAffiliateBonus{Of: rules.OfCommission, Commission: rules.TierRate{}, Rate: affiliate.MustPercent("10"), Depth: 2}, facts(sub100),
			"p sub_affiliate_bonus 1.50 EUR @10% of 15.00 EUR; g sub_affiliate_bonus 0.15 EUR @10% of 1.50 EUR"},
		{"no parent, no bonus", rules.SubAffiliateBonus{}, func() rules.Facts { f := facts(sub100); f.Chain = f.Chain[:1]; return f }(), ""},
		{"never a bonus on itself or twice, even in a looping chain", rules.SubAffiliateBonus{Depth: 5}, func() rules.Facts {
			f := facts(sub100)
			f.Chain = []affiliate.Affiliate{{ID: "a"}, {ID: "p"}, {ID: "a"}, {ID: "p"}}
			f.Tiers = []rules.Tier{standard, premium, standard, premium}
			return f
		}(), "p sub_affiliate_bonus 5.00 EUR @5% of 100.00 EUR [Premium]"},

		{"bounty on a paid payment", rules.Bounty{Amounts: []affiliate.Money{affiliate.MustParseMoney("50", "USD"), eur("100")}}, facts(sub100), "a bounty 100.00 EUR"},
		{"no bounty in an unlisted currency", rules.Bounty{Amounts: []affiliate.Money{affiliate.MustParseMoney("50", "USD")}}, facts(sub100), ""},
		{"no bounty on a tax-only invoice", rules.Bounty{Amounts: []affiliate.Money{eur("100")}}, facts(ln(affiliate.LineTax, "5")), ""},

		{"deferred: nothing before the last counted payment", rules.Deferred{Rate: affiliate.MustPercent("50"), Payments: 2}, facts(sub100), ""},
		{"deferred: every share at the last", rules.Deferred{Rate: affiliate.MustPercent("50"), Payments: 2}, func() rules.Facts {
			f := withPaid(facts(sub100), 1)
			first := affiliate.Payment{ID: "first", Customer: "c", PaidAt: jan15.AddDate(0, -1, 0), Currency: "EUR", Lines: []affiliate.Line{ln(affiliate.LineSubscription, "80")}}
			f.History = rules.History{Count: 1, FirstPaidAt: first.PaidAt, Earlier: []rules.PaymentFact{{ID: first.ID, PaidAt: first.PaidAt, Payment: first}}}
			return f
		}(), "a commission 40.00 EUR @50% of 80.00 EUR on first; a commission 50.00 EUR @50% of 100.00 EUR on pay"},
		{"deferred: nothing after", rules.Deferred{Rate: affiliate.MustPercent("50"), Payments: 2}, withPaid(facts(sub100), 2), ""},

		{"first payments: inside", rules.When{If: rules.FirstPayments(3), Then: thirty}, withPaid(facts(sub100), 2), "a commission 30.00 EUR @30% of 100.00 EUR"},
		{"first payments: outside", rules.When{If: rules.FirstPayments(3), Then: thirty}, withPaid(facts(sub100), 3), ""},
		{"country, any case", rules.When{If: rules.CountryIn{"fr", "DE"}, Then: thirty}, func() rules.Facts { f := facts(sub100); f.Payment.Country = "FR"; return f }(), "a commission 30.00 EUR @30% of 100.00 EUR"},
		{"country: none given", rules.When{If: rules.CountryIn{"FR"}, Then: thirty}, facts(sub100), ""},
		{"plan condition", rules.When{If: rules.PlanIn{"enterprise"}, Then: thirty}, facts(sub100), ""},
		{"SKU condition", rules.When{If: rules.SKUIn{"wl"}, Then: thirty}, facts(sub100, affiliate.Line{Kind: affiliate.LineAddOn, Amount: eur("10"), SKU: "wl"}), "a commission 33.00 EUR @30% of 110.00 EUR"},
		{"line kind condition", rules.When{If: rules.KindIn{affiliate.LineCredits}, Then: thirty}, facts(sub100), ""},
		{"payment index", rules.When{If: rules.PaymentIndex{From: 1}, Then: thirty}, withPaid(facts(sub100), 0), ""},
		{"payment index: the first paid payment", rules.When{If: rules.PaymentIndex{To: 1}, Then: thirty}, withPaid(facts(sub100), 0), "a commission 30.00 EUR @30% of 100.00 EUR"},
		// A trial before the first paid payment shares its PaidIndex (0) but
		// is not a paid payment: the condition does not hold for it.
		{"payment index never holds for a trial", rules.When{If: rules.PaymentIndex{To: 1}, Then: rules.Percent{Rate: affiliate.MustPercent("50"), Lines: rules.Lines{Kinds: []affiliate.LineKind{affiliate.LineTax}}}},
			facts(ln(affiliate.LineSubscription, "0"), ln(affiliate.LineTax, "4")), ""},
		{"not", rules.When{If: rules.Not{Condition: rules.PaymentIndex{From: 1}}, Then: thirty}, withPaid(facts(sub100), 0), "a commission 30.00 EUR @30% of 100.00 EUR"},
		{"every", rules.When{If: rules.Every{rules.Lifetime{}, rules.FirstPayments(1)}, Then: thirty}, withPaid(facts(sub100), 1), ""},

		{"all of", rules.AllOf{rules.TierRate{}, rules.SubAffiliateBonus{}}, facts(sub100), "a commission 15.00 EUR @15% of 100.00 EUR [Standard]; p sub_affiliate_bonus 5.00 EUR @5% of 100.00 EUR [Premium]"},
		{"first match", rules.FirstMatch{rules.When{If: rules.PlanIn{"enterprise"}, Then: rules.Percent{Rate: affiliate.MustPercent("40")}}, thirty}, facts(sub100), "a commission 30.00 EUR @30% of 100.00 EUR"},
		{"first match: a zero tier rate is no match", rules.FirstMatch{rules.TierRate{}, rules.Bounty{Amounts: []affiliate.Money{eur("1")}}}, facts(ln(affiliate.LineSubscription, "0.03")), "a bounty 1.00 EUR"},
		{"first match: with no match, the first zero", rules.FirstMatch{rules.TierRate{}, rules.Percent{Name: "p", Rate: affiliate.MustPercent("10")}}, facts(ln(affiliate.LineSubscription, "0.03")), "a commission 0.00 EUR @15% of 0.03 EUR [Standard]"},
		{"first match: with no rule matching at all, nothing", rules.FirstMatch{rules.Percent{Name: "p", Rate: affiliate.MustPercent("10")}}, facts(ln(affiliate.LineSubscription, "0.03")), ""},
		{"max of: the larger", rules.MaxOf{thirty, rules.Bounty{Amounts: []affiliate.Money{eur("50")}}}, facts(sub100), "a bounty 50.00 EUR"},
		{"max of: a tie keeps the first", rules.MaxOf{thirty, rules.Bounty{Amounts: []affiliate.Money{eur("30")}}}, facts(sub100), "a commission 30.00 EUR @30% of 100.00 EUR"},

		{"lifetime cap cuts the accrual that crosses it", rules.Cap{Name: "c", Limits: []affiliate.Money{eur("100")}, Rule: thirty}, func() rules.Facts {
			f := facts(sub100)
			f.Used = map[rules.CapKey]affiliate.Money{{Cap: "c", Beneficiary: "a", Currency: "EUR"}: eur("80")}
			return f
		}(), "a commission 20.00 EUR @30% of 100.00 EUR"},
		{"a full cap accrues nothing", rules.Cap{Name: "c", Limits: []affiliate.Money{eur("100")}, Rule: thirty}, func() rules.Facts {
			f := facts(sub100)
			f.Used = map[rules.CapKey]affiliate.Money{{Cap: "c", Beneficiary: "a", Currency: "EUR"}: eur("100")}
			return f
		}(), ""},
		{"a monthly cap opens again next month", rules.Cap{Name: "c", Monthly: true, Limits: []affiliate.Money{eur("100")}, Rule: thirty}, func() rules.Facts {
			f := facts(sub100)
			f.Used = map[rules.CapKey]affiliate.Money{{Cap: "c", Beneficiary: "a", Period: "2025-12", Currency: "EUR"}: eur("100")}
			return f
		}(), "a commission 30.00 EUR @30% of 100.00 EUR"},
		{"a cap is per beneficiary, across one call's accruals", rules.Cap{Name: "c", Limits: []affiliate.Money{eur("6")}, Rule: rules.SubAffiliateBonus{Of: rules.OfRevenue, Depth: 2, Rate: affiliate.MustPercent("5")}},
			facts(sub100), "p sub_affiliate_bonus 5.00 EUR @5% of 100.00 EUR; g sub_affiliate_bonus 5.00 EUR @5% of 100.00 EUR"},
		{"no limit in the currency: cut to nothing", rules.Cap{Name: "c", Limits: []affiliate.Money{affiliate.MustParseMoney("100", "USD")}, Rule: thirty}, facts(sub100), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := rules.Validate(tt.rule); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			accs, err := tt.rule.Accrue(tt.facts)
			if err != nil {
				t.Fatalf("Accrue: %v", err)
			}
			if got := render(accs); got != tt.want {
				t.Fatalf("accruals\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestCapRecordsWhatItCounts(t *testing.T) {
	r := rules.Cap{Name: "lifetime", Limits: []affiliate.Money{eur("40")}, Rule: rules.AllOf{
		rules.Percent{Name: "a", Rate: affiliate.MustPercent("30")},
		rules.Percent{Name: "b", Rate: affiliate.MustPercent("30")},
	}}
	accs, err := r.Accrue(facts(ln(affiliate.LineSubscription, "100")))
	if err != nil {
		t.Fatal(err)
	}
	if got := render(accs); got != "a commission 30.00 EUR @30% of 100.00 EUR; a commission 10.00 EUR @30% of 100.00 EUR" {
		t.Fatalf("accruals %q", got)
	}
	want := rules.CapKey{Cap: "lifetime", Beneficiary: "a", Currency: "EUR"}
	for _, a := range accs {
		if len(a.Counts) != 1 || a.Counts[0] != want {
			t.Fatalf("Counts = %v, want [%v]", a.Counts, want)
		}
	}
	if !strings.Contains(accs[1].Explanation, "capped at 10.00 EUR by lifetime cap") {
		t.Fatalf("explanation %q", accs[1].Explanation)
	}
}

func TestDurations(t *testing.T) {
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 23, 0, 0, 0, time.UTC) }
	months := func(n int, first, paid time.Time) bool {
		f := facts(ln(affiliate.LineSubscription, "10"))
		f.Payment.PaidAt = paid
		f.History.FirstPaidAt = first
		return rules.FirstMonths(n).Holds(f)
	}
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"the day before the month mark", months(1, at(2026, 1, 15), at(2026, 2, 14)), true},
		{"the renewal at the mark, whatever its hour", months(1, time.Date(2026, 1, 15, 23, 0, 0, 0, time.UTC), time.Date(2026, 2, 15, 0, 0, 1, 0, time.UTC)), false},
		{"Jan 31 + 1 month ends on Feb 28", months(1, at(2026, 1, 31), at(2026, 2, 27)), true},
		{"Jan 31 + 1 month: the Feb 28 renewal is outside", months(1, at(2026, 1, 31), at(2026, 2, 28)), false},
		{"twelve months", months(12, at(2026, 3, 1), at(2027, 2, 28)), true},
		{"no paid payment yet", months(12, time.Time{}, at(2027, 2, 28)), false},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	f := facts(ln(affiliate.LineSubscription, "10"))
	f.Payment.PaidAt = f.Binding.BoundAt.Add(90*24*time.Hour - time.Second)
	if !rules.WithinDays(90).Holds(f) {
		t.Error("a payment a second before day 90 is not within 90 days")
	}
	f.Payment.PaidAt = f.Binding.BoundAt.Add(90 * 24 * time.Hour)
	if rules.WithinDays(90).Holds(f) {
		t.Error("a payment at day 90 is within 90 days")
	}
	trial := facts(ln(affiliate.LineSubscription, "0"), ln(affiliate.LineTax, "0.50"))
	if rules.FirstPayments(1).Holds(trial) || rules.Paid(trial.Payment) {
		t.Error("a zero invoice counts as a paid payment")
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		rule rules.Rule
		is   error
	}{
		{"nil rule", nil, rules.ErrConfig},
		{"percent without a rate", rules.Percent{}, rules.ErrConfig},
		{"unknown line kind", rules.Percent{Rate: affiliate.MustPercent("1"), Lines: rules.Lines{Kinds: []affiliate.LineKind{"gift"}}}, rules.ErrConfig},
		{"line kind twice", rules.TierRate{Lines: rules.Lines{Kinds: []affiliate.LineKind{affiliate.LineAddOn, affiliate.LineAddOn}}}, rules.ErrConfig},
		{"bonus on the commission without one", rules.SubAffiliateBonus{Of: rules.OfCommission}, rules.ErrConfig},
		{"bonus of a negative depth", rules.SubAffiliateBonus{Depth: -1}, rules.ErrConfig},
		{"bounty without amounts", rules.Bounty{}, rules.ErrConfig},
		{"bounty currency twice", rules.Bounty{Amounts: []affiliate.Money{eur("1"), eur("2")}}, rules.ErrConfig},
		{"deferred of no payments", rules.Deferred{Rate: affiliate.MustPercent("50")}, rules.ErrConfig},
		{"cap without a name", rules.Cap{Limits: []affiliate.Money{eur("1")}, Rule: rules.TierRate{}}, rules.ErrConfig},
		{"cap of a negative limit", rules.Cap{Name: "c", Limits: []affiliate.Money{eur("-1")}, Rule: rules.TierRate{}}, rules.ErrConfig},
		{"when without a condition", rules.When{Then: rules.TierRate{}}, rules.ErrConfig},
		{"first payments of zero", rules.When{If: rules.FirstPayments(0), Then: rules.TierRate{}}, rules.ErrConfig},
		{"an empty payment index", rules.When{If: rules.PaymentIndex{From: 3, To: 3}, Then: rules.TierRate{}}, rules.ErrConfig},
		{"with hold of zero", rules.WithHold{Rule: rules.TierRate{}}, rules.ErrConfig},
		{"a nested bad rule", rules.FirstMatch{rules.TierRate{}, rules.Percent{}}, rules.ErrConfig},
		{"two rules under one name", rules.AllOf{rules.Percent{Rate: affiliate.MustPercent("1")}, rules.When{If: rules.Lifetime{}, Then: rules.Percent{Rate: affiliate.MustPercent("2")}}}, rules.ErrDuplicate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := rules.Validate(tt.rule)
			if !errors.Is(err, tt.is) || !errors.Is(err, affiliate.ErrInvalid) && !errors.Is(err, affiliate.ErrConflict) {
				t.Fatalf("Validate = %v, want %v", err, tt.is)
			}
		})
	}
	var ce *rules.ConfigError
	if err := rules.Validate(rules.Percent{Name: "rev"}); !errors.As(err, &ce) || ce.Rule != "rev" || ce.Field != "Rate" {
		t.Fatalf("ConfigError = %+v", ce)
	}
}

func TestDepths(t *testing.T) {
	r := rules.AllOf{
		rules.TierRate{},
		rules.When{If: rules.Lifetime{}, Then: rules.SubAffiliateBonus{Depth: 3}},
		rules.Cap{Name: "c", Limits: []affiliate.Money{eur("1")}, Rule: rules.Deferred{Rate: affiliate.MustPercent("1"), Payments: 4}},
	}
	if got := rules.HistoryDepth(r); got != 3 {
		t.Errorf("HistoryDepth = %d, want 3", got)
	}
	if got := rules.ChainDepth(r); got != 4 {
		t.Errorf("ChainDepth = %d, want 4", got)
	}
	if got := rules.ChainDepth(rules.RuleFunc(func(rules.Facts) ([]rules.Accrual, error) { return nil, nil })); got != 1 {
		t.Errorf("ChainDepth of a plain func = %d, want 1", got)
	}
}

// Rules do not modify their facts: the slices are shared with the engine.
func TestRulesDoNotModifyFacts(t *testing.T) {
	f := facts(ln(affiliate.LineSubscription, "100"), ln(affiliate.LineDiscount, "10"))
	f.Used = map[rules.CapKey]affiliate.Money{{Cap: "c", Beneficiary: "a", Currency: "EUR"}: eur("1")}
	before := fmt.Sprintf("%+v", f)
	all := rules.AllOf{
		rules.Cap{Name: "c", Limits: []affiliate.Money{eur("1000")}, Rule: rules.Percent{Rate: affiliate.MustPercent("30")}},
		rules.SubAffiliateBonus{Depth: 2, Of: rules.OfCommission, Commission: rules.TierRate{}},
		rules.WithHold{Hold: time.Hour, Rule: rules.Bounty{Name: "b", Amounts: []affiliate.Money{eur("5")}}},
	}
	for range 2 {
		if _, err := all.Accrue(f); err != nil {
			t.Fatal(err)
		}
	}
	if after := fmt.Sprintf("%+v", f); after != before {
		t.Fatalf("facts changed:\n%s\n%s", before, after)
	}
}
