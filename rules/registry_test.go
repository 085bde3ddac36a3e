package rules_test

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
)

func build(t *testing.T, reg *rules.Registry, doc string) (rules.Rule, error) {
	t.Helper()
	var s rules.Spec
	if err := json.Unmarshal([]byte(doc), &s); err != nil {
		t.Fatalf("spec %s: %v", doc, err)
	}
	return reg.Build(s)
}

func TestRegistryBuildsEveryBuiltin(t *testing.T) {
	reg := rules.NewRegistry()
	sub100 := facts(ln(affiliate.LineSubscription, "100"))
	tests := []struct {
		doc  string
		want string
	}{
		{`{"type":"percent","name":"rev_share","params":{"percent":"30"}}`, "a commission 30.00 EUR @30% of 100.00 EUR"},
		{`{"type":"percent","params":{"rate":"0.1","lines":{"kinds":["add_on"]}}}`, ""},
		{`{"type":"tier_rate"}`, "a commission 15.00 EUR @15% of 100.00 EUR [Standard]"},
		{`{"type":"sub_affiliate_bonus","params":{"depth":2}}`, "p sub_affiliate_bonus 5.00 EUR @5% of 100.00 EUR [Premium]; g sub_affiliate_bonus 5.00 EUR @5% of 100.00 EUR [Premium]"},
		{`{"type":"sub_affiliate_bonus","params":{"of":"commission","percent":"10"},"rules":[{"type":"tier_rate"}]}`, "p sub_affiliate_bonus 1.50 EUR @10% of 15.00 EUR"},
		{`{"type":"bounty","params":{"amounts":[{"amount":"100.00","currency":"EUR"}]}}`, "a bounty 100.00 EUR"},
		{`{"type":"deferred","params":{"percent":"50","payments":1}}`, "a commission 50.00 EUR @50% of 100.00 EUR on pay"},
		{`{"type":"cap","name":"max","params":{"limits":[{"amount":"20.00","currency":"EUR"}],"monthly":true,"location":"UTC"},"rules":[{"type":"percent","params":{"percent":"30"}}]}`, "a commission 20.00 EUR @30% of 100.00 EUR"},
		{`{"type":"with_hold","params":{"hold":"1440h"},"rules":[{"type":"tier_rate"}]}`, "a commission 15.00 EUR @15% of 100.00 EUR [Standard]"},
		{`{"type":"when","if":[{"type":"first_payments","params":{"n":12}},{"type":"country_in","params":{"values":["FR"]}}],"rules":[{"type":"tier_rate"}]}`, ""},
		{`{"type":"when","if":[{"type":"not","if":[{"type":"plan_in","params":{"values":["free"]}}]}],"rules":[{"type":"tier_rate"}]}`, "a commission 15.00 EUR @15% of 100.00 EUR [Standard]"},
		{`{"type":"when","if":[{"type":"every","if":[{"type":"lifetime"},{"type":"first_months","params":{"n":1}},{"type":"within_days","params":{"n":30}},{"type":"kind_in","params":{"values":["subscription"]}},{"type":"sku_in","params":{"values":[""]}},{"type":"payment_index","params":{"from":0,"to":1}}]}],"rules":[{"type":"tier_rate"}]}`, "a commission 15.00 EUR @15% of 100.00 EUR [Standard]"},
		{`{"type":"all_of","rules":[{"type":"tier_rate"},{"type":"sub_affiliate_bonus"}]}`, "a commission 15.00 EUR @15% of 100.00 EUR [Standard]; p sub_affiliate_bonus 5.00 EUR @5% of 100.00 EUR [Premium]"},
		{`{"type":"first_match","rules":[{"type":"when","if":[{"type":"plan_in","params":{"values":["x"]}}],"rules":[{"type":"tier_rate"}]},{"type":"percent","params":{"percent":"1"}}]}`, "a commission 1.00 EUR @1% of 100.00 EUR"},
		{`{"type":"max_of","rules":[{"type":"tier_rate"},{"type":"percent","name":"p","params":{"percent":"16"}}]}`, "a commission 16.00 EUR @16% of 100.00 EUR"},
	}
	sub100.History.FirstPaidAt = sub100.Payment.PaidAt
	for _, tt := range tests {
		r, err := build(t, reg, tt.doc)
		if err != nil {
			t.Errorf("%s: %v", tt.doc, err)
			continue
		}
		accs, err := r.Accrue(sub100)
		if err != nil {
			t.Errorf("%s: Accrue: %v", tt.doc, err)
			continue
		}
		if got := render(accs); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.doc, got, tt.want)
		}
	}
}

func TestRegistryErrors(t *testing.T) {
	reg := rules.NewRegistry()
	tests := []struct {
		doc  string
		is   error
		path string
	}{
		{`{"type":"percentage"}`, rules.ErrUnknownType, ""},
		{`{"type":"percent"}`, rules.ErrConfig, ""},
		{`{"type":"percent","params":{"percent":"30","rate":"0.3"}}`, rules.ErrConfig, ""},
		{`{"type":"percent","params":{"rate":0.3}}`, rules.ErrConfig, ""},
		{`{"type":"percent","params":{"percnt":"30"}}`, rules.ErrConfig, ""},
		{`{"type":"percent","params":{"percent":"30"},"rules":[{"type":"tier_rate"}]}`, rules.ErrConfig, ""},
		{`{"type":"all_of","rules":[{"type":"tier_rate"},{"type":"nope"}]}`, rules.ErrUnknownType, "rules[1]"},
		{`{"type":"when","if":[{"type":"first_payments","params":{"n":0}}],"rules":[{"type":"tier_rate"}]}`, rules.ErrConfig, ""},
		{`{"type":"when","if":[{"type":"sometimes"}],"rules":[{"type":"tier_rate"}]}`, rules.ErrUnknownType, "if[0]"},
		{`{"type":"all_of","rules":[{"type":"when","if":[{"type":"not","if":[{"type":"x"}]}],"rules":[{"type":"tier_rate"}]}]}`, rules.ErrUnknownType, "rules[0].if[0].if[0]"},
		{`{"type":"cap","params":{"limits":[{"amount":"1.00","currency":"EUR"}],"location":"Mars/Olympus"},"rules":[{"type":"tier_rate"}]}`, rules.ErrConfig, ""},
		{`{"type":"with_hold","params":{"hold":"a month"},"rules":[{"type":"tier_rate"}]}`, rules.ErrConfig, ""},
		{`{"type":"all_of","rules":[{"type":"tier_rate"},{"type":"tier_rate"}]}`, rules.ErrDuplicate, ""},
		{`{"type":"all_of"}`, rules.ErrConfig, ""},
	}
	for _, tt := range tests {
		_, err := build(t, reg, tt.doc)
		var se *rules.SpecError
		if !errors.Is(err, tt.is) || !errors.As(err, &se) {
			t.Errorf("%s: err = %v, want a *SpecError matching %v", tt.doc, err, tt.is)
			continue
		}
		if se.Path != tt.path {
			t.Errorf("%s: path %q, want %q", tt.doc, se.Path, tt.path)
		}
	}
}

func TestRegistryRegistration(t *testing.T) {
	var reg rules.Registry // the zero value is an empty registry
	if _, err := reg.Build(rules.Spec{Type: "percent"}); !errors.Is(err, rules.ErrUnknownType) {
		t.Fatalf("empty registry built a percent: %v", err)
	}
	mine := func(*rules.Registry, rules.Spec) (rules.Rule, error) { return rules.TierRate{}, nil }
	if err := reg.Register("mine", mine); err != nil {
		t.Fatal(err)
	}
	err := reg.Register("mine", mine)
	if !errors.Is(err, rules.ErrDuplicate) || !errors.Is(err, affiliate.ErrConflict) {
		t.Fatalf("registering twice: %v", err)
	}
	if err := rules.NewRegistry().Register("percent", mine); !errors.Is(err, rules.ErrDuplicate) {
		t.Fatalf("replacing a built-in: %v", err)
	}
	if err := reg.Register("", mine); !errors.Is(err, rules.ErrConfig) {
		t.Fatalf("empty name: %v", err)
	}
	if !slices.Equal(reg.Types(), []string{"mine"}) {
		t.Fatalf("Types = %v", reg.Types())
	}
	if got := rules.NewRegistry().Types(); len(got) != 11 {
		t.Fatalf("built-in types %v", got)
	}
}

// FuzzRegistryBuild feeds stored rule configurations (outside input) to
// the registry: it never panics, and a rule it builds accrues without
// panicking and within I4's bounds.
func FuzzRegistryBuild(f *testing.F) {
	for _, s := range []string{
		`{"type":"percent","params":{"percent":"30"}}`,
		`{"type":"all_of","rules":[{"type":"tier_rate"},{"type":"sub_affiliate_bonus","params":{"depth":3}}]}`,
		`{"type":"cap","name":"c","params":{"limits":[{"amount":"5.00","currency":"EUR"}]},"rules":[{"type":"deferred","params":{"percent":"50","payments":2}}]}`,
		`{"type":"deferred","params":{"percent":"50","months":2,"location":"Europe/Paris"}}`,
		`{"type":"when","if":[{"type":"payment_index","params":{"from":1,"to":4}}],"rules":[{"type":"bounty","params":{"amounts":[{"amount":"1","currency":"EUR"}]}}]}`,
	} {
		f.Add([]byte(s))
	}
	reg := rules.NewRegistry()
	f.Fuzz(func(t *testing.T, doc []byte) {
		var s rules.Spec
		if err := json.Unmarshal(doc, &s); err != nil {
			var syntax *json.SyntaxError
			if !errors.As(err, &syntax) && !errors.Is(err, rules.ErrConfig) {
				t.Fatalf("Unmarshal: %v matches no sentinel", err)
			}
			return
		}
		r, err := reg.Build(s)
		if err != nil {
			if !errors.Is(err, affiliate.ErrInvalid) && !errors.Is(err, affiliate.ErrConflict) {
				t.Fatalf("error %v matches no sentinel", err)
			}
			return
		}
		fx := facts(ln(affiliate.LineSubscription, "99.99"), ln(affiliate.LineAddOn, "0.01"))
		accs, err := r.Accrue(fx)
		if err != nil {
			return // a deferred rule without the history it asks for
		}
		checkBounds(t, fx, accs)
	})
}

type fataler interface{ Fatalf(string, ...any) }

// checkBounds is I4 for one payment's accruals: none negative, none above
// rate × base rounded up, all in the payment's currency.
func checkBounds(t fataler, f rules.Facts, accs []rules.Accrual) {
	for _, a := range accs {
		if a.Amount.Currency() != f.Payment.Currency {
			t.Fatalf("accrual in %s on a payment in %s", a.Amount.Currency(), f.Payment.Currency)
		}
		if a.Amount.Sign() < 0 {
			t.Fatalf("negative accrual %s", a.Amount)
		}
		if !a.Rate.IsZero() {
			ceiling, err := a.Base.MulRate(a.Rate, affiliate.HalfUp)
			if err != nil || a.Amount.Minor() > ceiling.Minor() {
				t.Fatalf("%s is more than %s × %s", a.Amount, a.Rate, a.Base)
			}
			total, _ := f.Payment.Total()
			if a.Kind == affiliate.KindCommission && a.Payment == "" && a.Base.Minor() > total.Minor() {
				t.Fatalf("base %s is more than the payment %s", a.Base, total)
			}
		}
	}
}
