package rules_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// TenureRate is a team's own rule: partners earn Start on a customer's
// first After paid payments and Then on every later one, rewarding the
// customers who stay.
type TenureRate struct {
	Name        string
	Start, Then affiliate.Rate
	After       int
}

// Accrue implements rules.Rule. It is a pure function of the facts: no
// I/O, no clock, and it does not modify f.
func (r TenureRate) Accrue(f rules.Facts) ([]rules.Accrual, error) {
	if len(f.Chain) == 0 {
		return nil, nil // an unbound customer
	}
	rate, stage := r.Start, "first "+fmt.Sprint(r.After)+" payments"
	if f.PaidIndex >= r.After {
		rate, stage = r.Then, "tenured customer"
	}
	base, kinds, err := rules.Lines{}.Base(f.Payment) // the default base
	if err != nil || base.Sign() <= 0 {
		return nil, err
	}
	amount, err := base.MulRate(rate, f.Terms.Rounding) // round once, as the terms say
	if err != nil {
		return nil, err
	}
	return []rules.Accrual{{
		Beneficiary: f.Chain[0].ID,
		Kind:        affiliate.KindCommission,
		Base:        base,
		BaseLines:   kinds,
		Rate:        rate,
		Amount:      amount,
		Rule:        r.Name,
		Explanation: rate.PercentString() + " of " + base.String() + " (" + stage + ")",
	}}, nil
}

// Validate implements rules.Validator: the engine refuses a TenureRate
// it could not run.
func (r TenureRate) Validate() error {
	if r.Name == "" || r.Start.IsZero() || r.Then.IsZero() || r.After < 1 {
		return &rules.ConfigError{Rule: "tenure_rate", Field: "Name/Start/Then/After", Reason: "all are required"}
	}
	return nil
}

// buildTenureRate builds a TenureRate from a stored spec, for the Registry.
func buildTenureRate(_ *rules.Registry, s rules.Spec) (rules.Rule, error) {
	var p struct {
		Start, Then string
		After       int
	}
	if err := json.Unmarshal(s.Params, &p); err != nil {
		return nil, &rules.ConfigError{Rule: "tenure_rate", Field: "params", Reason: err.Error()}
	}
	start, err := affiliate.Percent(p.Start)
	if err != nil {
		return nil, err
	}
	then, err := affiliate.Percent(p.Then)
	if err != nil {
		return nil, err
	}
	return TenureRate{Name: s.Name, Start: start, Then: then, After: p.After}, nil
}

func Example_customRule() {
	// The program is stored as configuration; the team's type is
	// registered next to the built-in ones.
	reg := rules.NewRegistry()
	if err := reg.Register("tenure_rate", buildTenureRate); err != nil {
		fmt.Println(err)
		return
	}
	stored := `{"type": "all_of", "rules": [
		{"type": "tenure_rate", "name": "tenure", "params": {"Start": "20", "Then": "30", "After": 2}},
		{"type": "sub_affiliate_bonus", "params": {"percent": "5"}}
	]}`
	var spec rules.Spec
	if err := json.Unmarshal([]byte(stored), &spec); err != nil {
		fmt.Println(err)
		return
	}
	program, err := reg.Build(spec)
	if err != nil {
		fmt.Println(err)
		return
	}

	ctx := context.Background()
	store := memstore.New()
	_ = store.PutAffiliate(ctx, affiliate.Affiliate{ID: "agency", Status: affiliate.StatusActive})
	_ = store.PutAffiliate(ctx, affiliate.Affiliate{ID: "freelancer", Parent: "agency", Status: affiliate.StatusActive})
	_, _ = store.Bind(ctx, affiliate.Binding{Customer: "acme", Affiliate: "freelancer", Source: affiliate.BindByCode, BoundAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	eng, err := commission.New(commission.Config{Store: store, Terms: []commission.TermsVersion{{Version: "2026", Rule: program}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for m := range 3 {
		res, err := eng.Record(ctx, affiliate.Payment{
			ID: affiliate.EventID(fmt.Sprintf("inv-%d", m+1)), Customer: "acme", Currency: "EUR",
			PaidAt: time.Date(2026, time.Month(m+1), 10, 0, 0, 0, 0, time.UTC),
			Lines:  []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustParseMoney("100", "EUR")}},
		})
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, e := range res.Entries {
			fmt.Printf("%s: %s %s %s — %s\n", e.Payment, e.Beneficiary, e.Kind, e.Amount, e.Describe())
		}
	}
	// Output:
	// inv-1: freelancer commission 20.00 EUR — 20% of 100.00 EUR (first 2 payments)
	// inv-1: agency sub_affiliate_bonus 5.00 EUR — 5% of 100.00 EUR (subscription) referred by freelancer
	// inv-2: freelancer commission 20.00 EUR — 20% of 100.00 EUR (first 2 payments)
	// inv-2: agency sub_affiliate_bonus 5.00 EUR — 5% of 100.00 EUR (subscription) referred by freelancer
	// inv-3: freelancer commission 30.00 EUR — 30% of 100.00 EUR (tenured customer)
	// inv-3: agency sub_affiliate_bonus 5.00 EUR — 5% of 100.00 EUR (subscription) referred by freelancer
}
