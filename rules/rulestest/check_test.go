package rulestest_test

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/rules/rulestest"
)

var (
	pct30 = affiliate.MustPercent("30")
	pct5  = affiliate.MustPercent("5")
)

// thirtyPercent is a correct hand-written rule: 30% of the default base
// to the referrer, rounded once with the terms' mode.
func thirtyPercent(f rules.Facts) ([]rules.Accrual, error) {
	base, err := f.Payment.Sum(func(k affiliate.LineKind) bool {
		return k != affiliate.LineTax && k != affiliate.LineShipping
	})
	if err != nil || base.Sign() <= 0 || len(f.Chain) == 0 {
		return nil, err
	}
	amt, err := base.MulRate(pct30, f.Terms.Rounding)
	if err != nil {
		return nil, err
	}
	return []rules.Accrual{{Beneficiary: f.Chain[0].ID, Kind: affiliate.KindCommission, Base: base, Rate: pct30, Amount: amt, Rule: "thirty"}}, nil
}

func TestCheckPassesCorrectRules(t *testing.T) {
	tiers := []rules.Tier{
		{Name: "Standard", Rate: affiliate.MustPercent("15"), BonusRate: pct5},
		{Name: "Premium", Rate: affiliate.MustPercent("20"), BonusRate: pct5},
	}
	for _, tc := range []struct {
		name string
		rule rules.Rule
		opts rulestest.Options
	}{
		{"hand-written 30%", rules.RuleFunc(thirtyPercent), rulestest.Options{MaxRate: pct30}},
		{"rules.Percent 30% (seed 001)", rules.Percent{Rate: pct30}, rulestest.Options{MaxRate: pct30}},
		{"rules.TierRate with seed 000's tiers", rules.TierRate{}, rulestest.Options{MaxRate: affiliate.MustPercent("20"), Tiers: tiers}},
		{"tier rate and 5% sub-affiliate bonus (seed 000)", rules.AllOf{rules.TierRate{}, rules.SubAffiliateBonus{Rate: pct5}}, rulestest.Options{MaxRate: affiliate.MustPercent("20"), Tiers: tiers}},
		{"max of two rates", rules.MaxOf{rules.Percent{Name: "a", Rate: pct5}, rules.Percent{Name: "b", Rate: pct30}}, rulestest.Options{MaxRate: pct30}},
		{"bonus on the child's commission", rules.SubAffiliateBonus{Of: rules.OfCommission, Commission: rules.Percent{Rate: pct30}, Rate: pct5}, rulestest.Options{}},
		{"nothing at all", rules.RuleFunc(func(rules.Facts) ([]rules.Accrual, error) { return nil, nil }), rulestest.Options{}},
		{"a first-payment bounty (flat: no rate to keep to)", rules.When{If: rules.FirstPayments(1), Then: rules.Bounty{Amounts: []affiliate.Money{
			affiliate.MustMoney(10000, "EUR"), affiliate.MustMoney(10000, "USD"), affiliate.MustMoney(15000, "JPY"),
		}}}, rulestest.Options{MaxRate: pct30}},
		{"30% capped at 100 EUR a month", rules.Cap{Name: "monthly_100", Monthly: true, Limits: []affiliate.Money{affiliate.MustMoney(10000, "EUR")}, Rule: rules.Percent{Rate: pct30}}, rulestest.Options{MaxRate: pct30}},
		{"50% of the first two months, deferred (seed 002)", rules.Deferred{Rate: affiliate.MustPercent("50"), Payments: 2}, rulestest.Options{MaxRate: affiliate.MustPercent("50")}},
		{"30% on the pro plan only", rules.When{If: rules.PlanIn{"pro"}, Then: rules.Percent{Rate: pct30}}, rulestest.Options{MaxRate: pct30}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rulestest.Check(t, tc.rule, tc.opts)
		})
	}
}

// The broken rules below each break one property; Check must fail them
// and say which property, in plain words.

var calls atomic.Int64

func nondeterministic(f rules.Facts) ([]rules.Accrual, error) {
	as, err := thirtyPercent(f)
	if len(as) > 0 && calls.Add(1)%2 == 0 {
		as[0].Explanation = "second call"
	}
	return as, err
}

func mutating(f rules.Facts) ([]rules.Accrual, error) {
	as, err := thirtyPercent(f)
	f.Payment.Lines[0].Description = "seen by the rule"
	return as, err
}

func currencyChanging(f rules.Facts) ([]rules.Accrual, error) {
	as, err := thirtyPercent(f)
	for i := range as {
		other := affiliate.Currency("USD")
		if f.Payment.Currency == other {
			other = "EUR"
		}
		as[i].Amount = affiliate.MustMoney(as[i].Amount.Minor(), other)
	}
	return as, err
}

func negative(f rules.Facts) ([]rules.Accrual, error) {
	as, err := thirtyPercent(f)
	for i := range as {
		as[i].Amount = as[i].Amount.Neg()
	}
	return as, err
}

// overRate claims 30% and pays 31%.
func overRate(f rules.Facts) ([]rules.Accrual, error) {
	as, err := thirtyPercent(f)
	for i := range as {
		as[i].Amount, _ = as[i].Base.MulRate(affiliate.MustPercent("31"), affiliate.HalfUp)
	}
	return as, err
}

// naiveMultiply multiplies minor units before dividing, in int64: right
// on everyday amounts, wrong once the product overflows.
func naiveMultiply(f rules.Facts) ([]rules.Accrual, error) {
	as, err := thirtyPercent(f)
	for i := range as {
		as[i].Amount = affiliate.MustMoney(as[i].Base.Minor()*30/100, as[i].Base.Currency())
	}
	return as, err
}

func panicsOnTinyPayments(f rules.Facts) ([]rules.Accrual, error) {
	total, _ := f.Payment.Total()
	if total.Minor() == 1 {
		var lines []affiliate.Line
		_ = lines[0] // the author assumed there is always a second line
	}
	return thirtyPercent(f)
}

func failsOnZeroBase(f rules.Facts) ([]rules.Accrual, error) {
	as, err := thirtyPercent(f)
	if len(as) == 0 && err == nil {
		return nil, errors.New("no base")
	}
	return as, err
}

func paysAStranger(f rules.Facts) ([]rules.Accrual, error) {
	as, err := thirtyPercent(f)
	for i := range as {
		as[i].Beneficiary = "aff_stranger"
	}
	return as, err
}

func bonusToItself(f rules.Facts) ([]rules.Accrual, error) {
	as, err := thirtyPercent(f)
	for i := range as {
		as[i].Kind = affiliate.KindBonus
	}
	return as, err
}

func reverses(f rules.Facts) ([]rules.Accrual, error) {
	as, err := thirtyPercent(f)
	for i := range as {
		as[i].Kind = affiliate.KindReversal
	}
	return as, err
}

func aboutUnknownPayment(f rules.Facts) ([]rules.Accrual, error) {
	as, err := thirtyPercent(f)
	for i := range as {
		as[i].Payment = "pay_elsewhere"
	}
	return as, err
}

// dropsTheBonus wraps seed 000's bonus in a closure: RuleFunc declares a
// chain of one, so the engine would never give it the parent.
func dropsTheBonus(f rules.Facts) ([]rules.Accrual, error) {
	return rules.SubAffiliateBonus{Rate: pct5}.Accrue(f)
}

func TestCheckCatchesBrokenRules(t *testing.T) {
	for _, tc := range []struct {
		name string
		rule rules.RuleFunc
		opts rulestest.Options
		want []string // substrings of the report
	}{
		{"nondeterministic", nondeterministic, rulestest.Options{}, []string{string(rulestest.Deterministic), "-first +second", "second call"}},
		{"mutating", mutating, rulestest.Options{}, []string{string(rulestest.NoMutation), "seen by the rule"}},
		{"currency-changing", currencyChanging, rulestest.Options{}, []string{string(rulestest.KeepsCurrency), "but the payment is in"}},
		{"negative", negative, rulestest.Options{}, []string{string(rulestest.NotNegative), "a negative amount"}},
		{"over its rate", overRate, rulestest.Options{}, []string{string(rulestest.WithinRate), "more than its rate 0.3 times its base"}},
		{"above the maximum rate", thirtyPercent, rulestest.Options{MaxRate: affiliate.MustPercent("20")}, []string{string(rulestest.WithinMaxRate), "above the maximum 0.2"}},
		{"overflowing on huge payments", naiveMultiply, rulestest.Options{}, []string{"on a huge payment"}},
		{"panicking on the smallest payment", panicsOnTinyPayments, rulestest.Options{}, []string{"on the smallest payment (0.01 EUR)", string(rulestest.NoPanic), "index out of range"}},
		{"failing on a zero base", failsOnZeroBase, rulestest.Options{}, []string{"on a zero base", string(rulestest.NoError), "no base"}},
		{"paying outside the chain", paysAStranger, rulestest.Options{}, []string{string(rulestest.ChainOnly), "aff_stranger"}},
		{"paying a bonus to the referrer", bonusToItself, rulestest.Options{}, []string{string(rulestest.NoBonusOnItself), "the referrer itself"}},
		{"emitting reversals", reverses, rulestest.Options{}, []string{string(rulestest.KnownKinds), "reversal"}},
		{"accruing on an unknown payment", aboutUnknownPayment, rulestest.Options{}, []string{string(rulestest.KnownPayments), "pay_elsewhere"}},
		{"reading beyond its declared chain", dropsTheBonus, rulestest.Options{}, []string{string(rulestest.DeclaresDepth), "must forward ChainDepth"}},
		{"reading beyond its declared chain, found by rapid alone", dropsTheBonus, rulestest.Options{SkipBoundary: true}, []string{"[rapid] failed", string(rulestest.DeclaresDepth)}},
		{"mutating, found by rapid alone", mutating, rulestest.Options{SkipBoundary: true}, []string{"[rapid] failed", string(rulestest.NoMutation)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t.Name(), func(tb rapid.TB) { rulestest.Check(tb, tc.rule, tc.opts) })
			if !r.Failed() {
				t.Fatalf("Check passed a rule that is %s; output:\n%s", tc.name, r.text())
			}
			for _, w := range tc.want {
				if !strings.Contains(r.text(), w) {
					t.Errorf("the report does not say %q; it says:\n%s", w, r.text())
				}
			}
		})
	}
}

// TestCheckFactsReport pins the wording of one report: what broke, the
// amounts, and the facts.
func TestCheckFactsReport(t *testing.T) {
	f := rulestest.Boundary(rulestest.Options{})[0].Facts
	f.Payment.Lines = []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(2000, "EUR")}}
	err := rulestest.CheckFacts(rules.RuleFunc(overRate), f, rulestest.Options{})
	var fail *rulestest.Failure
	if !errors.As(err, &fail) {
		t.Fatalf("CheckFacts = %v, want a *Failure", err)
	}
	want := `the rule breaks "no accrual exceeds its rate times its base": accrual 1 (commission to aff_1) is 6.20 EUR, more than its rate 0.3 times its base 20.00 EUR (6.00 EUR at most)
	facts: payment pay_01 of 20.00 EUR (subscription 20.00), index 0, 0 earlier, chain aff_1 (Standard 100%, bonus 100%) → aff_2 (Standard 100%, bonus 100%), terms v1 rounding half-even`
	if got := err.Error(); got != want {
		t.Errorf("report:\n%s\nwant:\n%s", got, want)
	}
	if fail.Property != rulestest.WithinRate {
		t.Errorf("Property = %q, want %q", fail.Property, rulestest.WithinRate)
	}
}

// TestCheckFactsLeavesFactsAlone: even a mutating rule cannot change the
// caller's facts, because it is given copies.
func TestCheckFactsLeavesFactsAlone(t *testing.T) {
	f := rulestest.Boundary(rulestest.Options{})[0].Facts
	before := f.Payment.Lines[0].Description
	if err := rulestest.CheckFacts(rules.RuleFunc(mutating), f, rulestest.Options{}); err == nil {
		t.Fatal("CheckFacts passed a mutating rule")
	}
	if f.Payment.Lines[0].Description != before {
		t.Errorf("the caller's facts changed: %q", f.Payment.Lines[0].Description)
	}
}

func TestFactsAreValid(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		o := rulestest.Options{MaxRate: pct30}
		f := rulestest.Facts(o).Draw(t, "facts")
		if err := f.Payment.Validate(); err != nil {
			t.Fatalf("the payment is not valid: %v", err)
		}
		if err := f.Binding.Validate(); err != nil {
			t.Fatalf("the binding is not valid: %v", err)
		}
		if len(f.Chain) == 0 || len(f.Tiers) != len(f.Chain) {
			t.Fatalf("chain of %d with %d tiers", len(f.Chain), len(f.Tiers))
		}
		if f.Binding.Affiliate != f.Chain[0].ID {
			t.Fatalf("bound to %s, chain starts at %s", f.Binding.Affiliate, f.Chain[0].ID)
		}
		for i, a := range f.Chain {
			if err := a.Validate(); err != nil {
				t.Fatalf("chain[%d]: %v", i, err)
			}
			if f.Tiers[i].Rate.Cmp(pct30) > 0 {
				t.Fatalf("tier rate %s above the maximum", f.Tiers[i].Rate)
			}
		}
		if f.History.Count != f.Index || len(f.History.Earlier) > f.History.Count {
			t.Fatalf("history %d earlier (%d listed) at index %d", f.History.Count, len(f.History.Earlier), f.Index)
		}
		for _, e := range f.History.Earlier {
			if !e.PaidAt.Before(f.Payment.PaidAt) {
				t.Fatalf("earlier payment %s at %s is not before %s", e.ID, e.PaidAt, f.Payment.PaidAt)
			}
			total, _ := e.Payment.Total()
			if e.Refunded.Currency() != e.Payment.Currency || e.Refunded.Minor() > total.Minor() {
				t.Fatalf("earlier payment %s of %s has %s refunded", e.ID, total, e.Refunded)
			}
		}
	})
}

func TestBoundaryCasesAreValid(t *testing.T) {
	for _, c := range rulestest.Boundary(rulestest.Options{}) {
		if err := c.Facts.Payment.Validate(); err != nil {
			t.Errorf("%s: %v", c.Name, err)
		}
	}
}
