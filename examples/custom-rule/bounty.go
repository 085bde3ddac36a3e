package main

import (
	"fmt"
	"maps"
	"slices"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
)

// planBounty is the team's own rule: a bounty of Rate of the subscription
// lines, capped by plan. The program applies it to a customer's first paid
// invoice only, with the built-in rules.When and rules.FirstPayments: the
// rule itself prices any payment it is given, which keeps it small and
// lets rulestest draw any payment for it.
//
// Like every rule it is a pure function of its facts: no I/O, no clock,
// no state, and it does not modify the facts.
type planBounty struct {
	Rate affiliate.Rate
	// Caps bounds the bounty per plan. Subscription lines of a plan not
	// listed earn nothing, and so does a payment in another currency than
	// its plan's cap: the engine never converts. When an invoice holds
	// several listed plans, the highest of their caps applies.
	Caps map[string]affiliate.Money
}

// Accrue implements rules.Rule.
func (b planBounty) Accrue(f rules.Facts) ([]rules.Accrual, error) {
	if len(f.Chain) == 0 {
		return nil, nil // an unbound customer
	}
	// The base: the subscription lines of the capped plans, less the
	// discounts that name those plans.
	lines := rules.Lines{Kinds: []affiliate.LineKind{affiliate.LineSubscription, affiliate.LineDiscount}}
	var limit affiliate.Money
	for _, l := range f.Payment.Lines {
		c, ok := b.Caps[l.Plan]
		if l.Kind != affiliate.LineSubscription || !ok || c.Currency() != f.Payment.Currency {
			continue
		}
		if !slices.Contains(lines.Plans, l.Plan) {
			lines.Plans = append(lines.Plans, l.Plan)
		}
		if limit.IsZero() || c.Minor() > limit.Minor() {
			limit = c
		}
	}
	if len(lines.Plans) == 0 {
		return nil, nil
	}
	base, kinds, err := lines.Base(f.Payment)
	if err != nil || base.Sign() <= 0 {
		return nil, err
	}
	amount, err := base.MulRate(b.Rate, f.Terms.Rounding) // the one rounding
	if err != nil {
		return nil, err
	}
	note := "within the plan's cap of"
	if amount.Minor() > limit.Minor() {
		amount, note = limit, "capped at the plan's"
	}
	return []rules.Accrual{{
		Beneficiary: f.Chain[0].ID,
		Kind:        affiliate.KindBounty,
		Base:        base,
		BaseLines:   kinds,
		Rate:        b.Rate,
		Amount:      amount,
		Rule:        "plan_bounty",
		Explanation: fmt.Sprintf("%s of %s of subscription, %s %s", b.Rate.PercentString(), base, note, limit),
	}}, nil
}

// Validate implements rules.Validator, so commission.New refuses a
// bounty it could not run.
func (b planBounty) Validate() error {
	if b.Rate.IsZero() || b.Rate.Cmp(affiliate.MustRate("1")) > 0 {
		return &rules.ConfigError{Rule: "plan_bounty", Field: "Rate", Reason: "must be above 0 and at most 100%"}
	}
	if len(b.Caps) == 0 {
		return &rules.ConfigError{Rule: "plan_bounty", Field: "Caps", Reason: "no plan has a cap"}
	}
	for _, plan := range slices.Sorted(maps.Keys(b.Caps)) { // report the same plan every time
		if c := b.Caps[plan]; c.Validate() != nil || c.Sign() <= 0 {
			return &rules.ConfigError{Rule: "plan_bounty", Field: "Caps[" + plan + "]", Reason: "must be a positive amount"}
		}
	}
	return nil
}
