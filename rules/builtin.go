package rules

import (
	"reflect"
	"time"

	"github.com/openaffiliate/affiliate"
)

// The built-in types. Each is defined once, by the struct its params
// decode into: decode reads a Spec into it and Describe reads its fields,
// so what the Registry documents is what it parses.

// defineRule makes a rule type whose params decode into P.
func defineRule[P any](typ, doc string, rules, ifs Arity, build func(reg *Registry, s Spec, p P) (Rule, error)) entry[BuildFunc] {
	return entry[BuildFunc]{
		build: func(reg *Registry, s Spec) (Rule, error) {
			p, err := decode[P](s, rules, ifs)
			if err != nil {
				return nil, err
			}
			return build(reg, s, p)
		},
		doc: TypeDoc{Type: typ, Doc: doc, Params: paramsOf(reflect.TypeFor[P]()), Rules: rules, If: ifs},
	}
}

// defineCondition makes a condition type whose params decode into P.
func defineCondition[P any](typ, doc string, ifs Arity, build func(reg *Registry, s Spec, p P) (Condition, error)) entry[ConditionBuildFunc] {
	return entry[ConditionBuildFunc]{
		build: func(reg *Registry, s Spec) (Condition, error) {
			p, err := decode[P](s, NoneOf, ifs)
			if err != nil {
				return nil, err
			}
			return build(reg, s, p)
		},
		doc: TypeDoc{Type: typ, Condition: true, Doc: doc, Params: paramsOf(reflect.TypeFor[P]()), Rules: NoneOf, If: ifs},
	}
}

func decode[P any](s Spec, rules, ifs Arity) (P, error) {
	var p P
	if err := params(s, &p); err != nil {
		return p, err
	}
	if !rules.allows(len(s.Rules)) {
		return p, configErr(s.Type, "rules", "takes "+string(rules)+" wrapped rule(s), has "+itoa(len(s.Rules)))
	}
	if !ifs.allows(len(s.If)) {
		return p, configErr(s.Type, "if", "takes "+string(ifs)+" condition(s), has "+itoa(len(s.If)))
	}
	return p, nil
}

// rateParams reads a rate given either as "rate" (a decimal, "0.3") or as
// "percent" ("30"), but not both.
type rateParams struct {
	Rate         *affiliate.Rate `json:"rate,omitempty" doc:"the rate as a plain decimal fraction: \"0.3\" is 30%; give rate or percent"`
	Percent      string          `json:"percent,omitempty" format:"percent" doc:"the rate as a plain decimal percentage: \"30\" is 30%; give rate or percent"`
	AllowOver100 bool            `json:"allow_over_100,omitempty" doc:"accept a rate above 100%; without it \"rate\": \"5\" (500%) is refused"`
}

func (p rateParams) rate(typ string, required bool) (affiliate.Rate, error) {
	switch {
	case p.Rate != nil && p.Percent != "":
		return affiliate.Rate{}, configErr(typ, "params", "give rate or percent, not both")
	case p.Rate != nil:
		return *p.Rate, nil
	case p.Percent != "":
		r, err := affiliate.Percent(p.Percent)
		if err != nil {
			return affiliate.Rate{}, configErr(typ, "params.percent", quote(p.Percent)+" is not a plain decimal percentage such as \"5\" or \"2.5\" (no sign: a rate is never negative)")
		}
		return r, nil
	case required:
		return affiliate.Rate{}, configErr(typ, "params", "needs rate or percent")
	}
	return affiliate.Rate{}, nil
}

type linesParams struct {
	Lines Lines `json:"lines" doc:"the lines that make the base; every line but tax and shipping, discounts subtracted, when absent"`
}

func location(typ, name string) (*time.Location, error) {
	if name == "" {
		return nil, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, configErr(typ, "params.location", quote(name)+" is not a known time zone such as \"Europe/Paris\"")
	}
	return loc, nil
}

func builtinRules() map[string]entry[BuildFunc] {
	type percentParams struct {
		rateParams
		linesParams
	}
	type bonusParams struct {
		rateParams
		Of    string `json:"of" enum:"revenue,commission" doc:"what the bonus is a percentage of: the referred revenue (default), or the child's commission computed by the one wrapped rule"`
		Depth int    `json:"depth" doc:"how many levels of parents earn; 0 and 1 mean the direct parent only"`
		linesParams
	}
	type bountyParams struct {
		Amounts []affiliate.Money `json:"amounts" doc:"the flat amount per currency; a payment in a currency not listed earns none"`
	}
	type deferredParams struct {
		rateParams
		Months   int    `json:"months" doc:"how many paying months (calendar months with a paid payment) the reward covers: 2 for \"the first two months\"; give months or payments"`
		Payments int    `json:"payments" doc:"instead of months: how many paid payments (invoices) the reward covers"`
		PerMonth int    `json:"per_month" doc:"with months: the most paid payments a customer makes in one month that the reward counts exactly; 8 when 0"`
		Location string `json:"location" format:"time-zone" doc:"with months: the time zone of the months; UTC when absent"`
		linesParams
	}
	type capParams struct {
		Limits   []affiliate.Money `json:"limits" doc:"the ceiling per currency; an accrual in a currency not listed is cut to nothing"`
		Monthly  bool              `json:"monthly" doc:"the ceiling is per calendar month, not for the customer's lifetime"`
		Location string            `json:"location" format:"time-zone" doc:"the time zone of a monthly cap's months; UTC when absent"`
	}
	type holdParams struct {
		Hold string `json:"hold" format:"duration" doc:"the hold of the wrapped rule's entries, a Go duration: \"1440h\"; negative for none"`
	}
	type none struct{}
	combinator := func(typ, doc string, mk func([]Rule) Rule) entry[BuildFunc] {
		return defineRule(typ, doc, OneOrMore, NoneOf, func(reg *Registry, s Spec, _ none) (Rule, error) {
			rs, err := reg.children(s)
			return mk(rs), err
		})
	}
	return map[string]entry[BuildFunc]{
		"percent": defineRule("percent", "A fixed rate of the payment's base to the referrer (seed 001: 30% for life).", NoneOf, NoneOf,
			func(_ *Registry, s Spec, p percentParams) (Rule, error) {
				rate, err := p.rate(s.Type, true)
				return Percent{Name: s.Name, Rate: rate, AllowOver100: p.AllowOver100, Lines: p.Lines}, err
			}),
		"tier_rate": defineRule("tier_rate", "The rate of the referrer's tier at the payment (seed 000: 15% or 20%).", NoneOf, NoneOf,
			func(_ *Registry, s Spec, p linesParams) (Rule, error) {
				return TierRate{Name: s.Name, Lines: p.Lines}, nil
			}),
		"sub_affiliate_bonus": defineRule("sub_affiliate_bonus", "A bonus to the referrer's parents, at a fixed rate or each parent's tier bonus rate (seed 000: 5% of the revenue).", NoneOrOne, NoneOf,
			func(reg *Registry, s Spec, p bonusParams) (Rule, error) {
				rate, err := p.rate(s.Type, false)
				if err != nil {
					return nil, err
				}
				b := SubAffiliateBonus{Name: s.Name, Rate: rate, AllowOver100: p.AllowOver100, Depth: p.Depth, Lines: p.Lines}
				switch p.Of {
				case "", "revenue":
					if len(s.Rules) > 0 {
						return nil, configErr(s.Type, "rules", "a bonus on the revenue takes no wrapped rule")
					}
					return b, nil
				case "commission":
					if len(s.Rules) != 1 {
						return nil, configErr(s.Type, "rules", "a bonus on the commission needs exactly one rule, the child's commission")
					}
					b.Of = OfCommission
					b.Commission, err = reg.child(s, 0)
					return b, err
				}
				return nil, configErr(s.Type, "params.of", quote(p.Of)+" is not revenue or commission")
			}),
		"bounty": defineRule("bounty", "A flat amount per paid payment, in the payment's currency.", NoneOf, NoneOf,
			func(_ *Registry, s Spec, p bountyParams) (Rule, error) {
				return Bounty{Name: s.Name, Amounts: p.Amounts}, nil
			}),
		"deferred": defineRule("deferred", "A rate of what the customer paid in its first paying months (or first payments), earned once they are over (seed 002: 50% of the first two months).", NoneOf, NoneOf,
			func(_ *Registry, s Spec, p deferredParams) (Rule, error) {
				rate, err := p.rate(s.Type, true)
				if err != nil {
					return nil, err
				}
				loc, err := location(s.Type, p.Location)
				return Deferred{Name: s.Name, Rate: rate, AllowOver100: p.AllowOver100, Months: p.Months, Payments: p.Payments,
					PerMonth: p.PerMonth, Location: loc, Lines: p.Lines}, err
			}),
		"cap": defineRule("cap", "A ceiling on what the one wrapped rule pays each beneficiary per customer, for its lifetime or per month.", ExactlyOne, NoneOf,
			func(reg *Registry, s Spec, p capParams) (Rule, error) {
				loc, err := location(s.Type, p.Location)
				if err != nil {
					return nil, err
				}
				c := Cap{Name: s.Name, Limits: p.Limits, Monthly: p.Monthly, Location: loc}
				c.Rule, err = reg.child(s, 0)
				return c, err
			}),
		"with_hold": defineRule("with_hold", "The one wrapped rule's entries with a hold of their own.", ExactlyOne, NoneOf,
			func(reg *Registry, s Spec, p holdParams) (Rule, error) {
				d, err := time.ParseDuration(p.Hold)
				if err != nil {
					return nil, configErr(s.Type, "params.hold", quote(p.Hold)+" is not a duration such as \"720h\"")
				}
				w := WithHold{Hold: d}
				w.Rule, err = reg.child(s, 0)
				return w, err
			}),
		"when": defineRule("when", "The one wrapped rule, on the payments for which every condition holds.", ExactlyOne, OneOrMore,
			func(reg *Registry, s Spec, _ none) (Rule, error) {
				conds, err := reg.conditions(s)
				if err != nil {
					return nil, err
				}
				then, err := reg.child(s, 0)
				if err != nil {
					return nil, err
				}
				if len(conds) == 1 {
					return When{If: conds[0], Then: then}, nil
				}
				return When{If: Every(conds), Then: then}, nil
			}),
		"all_of":      combinator("all_of", "Every wrapped rule; all their accruals.", func(rs []Rule) Rule { return AllOf(rs) }),
		"first_match": combinator("first_match", "The accruals of the first wrapped rule that pays a positive amount.", func(rs []Rule) Rule { return FirstMatch(rs) }),
		"max_of":      combinator("max_of", "The accruals of the wrapped rule that pays the most; the earlier on a tie.", func(rs []Rule) Rule { return MaxOf(rs) }),
	}
}

func builtinConditions() map[string]entry[ConditionBuildFunc] {
	type countParams struct {
		N int `json:"n" doc:"the count, at least 1"`
	}
	type valuesParams struct {
		Values []string `json:"values" doc:"the values, at least one"`
	}
	type kindParams struct {
		Values []affiliate.LineKind `json:"values" doc:"the line kinds, at least one"`
	}
	type indexParams struct {
		From int `json:"from" doc:"the first 0-based position among the paid payments"`
		To   int `json:"to" doc:"the position after the last; 0 for no end"`
	}
	type none struct{}
	count := func(typ, doc string, mk func(int) Condition) entry[ConditionBuildFunc] {
		return defineCondition(typ, doc, NoneOf, func(_ *Registry, _ Spec, p countParams) (Condition, error) { return mk(p.N), nil })
	}
	values := func(typ, doc string, mk func([]string) Condition) entry[ConditionBuildFunc] {
		return defineCondition(typ, doc, NoneOf, func(_ *Registry, s Spec, p valuesParams) (Condition, error) {
			if len(p.Values) == 0 {
				return nil, configErr(s.Type, "params.values", "needs at least one value")
			}
			return mk(p.Values), nil
		})
	}
	return map[string]entry[ConditionBuildFunc]{
		"first_payments": count("first_payments", "The customer's first n paid payments.", func(n int) Condition { return FirstPayments(n) }),
		"first_months":   count("first_months", "Payments in the first n months after the customer's first paid payment.", func(n int) Condition { return FirstMonths(n) }),
		"within_days":    count("within_days", "Payments less than n days after the customer was bound.", func(n int) Condition { return WithinDays(n) }),
		"lifetime": defineCondition("lifetime", "Always: for as long as the customer pays.", NoneOf, func(*Registry, Spec, none) (Condition, error) {
			return Lifetime{}, nil
		}),
		"plan_in":    values("plan_in", "A line of the payment has one of the plans.", func(v []string) Condition { return PlanIn(v) }),
		"sku_in":     values("sku_in", "A line of the payment has one of the SKUs.", func(v []string) Condition { return SKUIn(v) }),
		"country_in": values("country_in", "The payment's country is one of the codes, in any letter case.", func(v []string) Condition { return CountryIn(v) }),
		"kind_in": defineCondition("kind_in", "A line of the payment is of one of the kinds.", NoneOf, func(_ *Registry, s Spec, p kindParams) (Condition, error) {
			if len(p.Values) == 0 {
				return nil, configErr(s.Type, "params.values", "needs at least one value")
			}
			return KindIn(p.Values), nil
		}),
		"payment_index": defineCondition("payment_index", "Paid payments whose position among the paid ones is in [from, to).", NoneOf, func(_ *Registry, _ Spec, p indexParams) (Condition, error) {
			return PaymentIndex(p), nil
		}),
		"every": defineCondition("every", "Every condition under if holds.", AnyNumber, func(reg *Registry, s Spec, _ none) (Condition, error) {
			conds, err := reg.conditions(s)
			return Every(conds), err
		}),
		"not": defineCondition("not", "The one condition under if does not hold.", ExactlyOne, func(reg *Registry, s Spec, _ none) (Condition, error) {
			conds, err := reg.conditions(s)
			if err != nil {
				return nil, err
			}
			return Not{Condition: conds[0]}, nil
		}),
	}
}
