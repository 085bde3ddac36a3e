package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/openaffiliate/affiliate"
)

// Spec describes a rule as a host stores it (a row, a JSON document):
// the type a Registry knows it by, the name to record on entries, the
// type's parameters, and the rules and conditions it wraps.
//
//	{"type": "when",
//	 "if":    [{"type": "first_payments", "params": {"n": 12}}],
//	 "rules": [{"type": "percent", "name": "rev_share", "params": {"percent": "30"}}]}
type Spec struct {
	Type string `json:"type"`
	// Name is recorded on the entries of the rule it builds (for the
	// rule types that record one) and names a cap's usage.
	Name   string          `json:"name,omitempty"`
	Params json.RawMessage `json:"params,omitempty"`
	// Rules are the wrapped rules: every one for all_of, first_match and
	// max_of; exactly one for when, cap and with_hold; the commission rule
	// of a sub_affiliate_bonus paid on the commission.
	Rules []Spec `json:"rules,omitempty"`
	// If holds conditions: all must hold, for when; one, for not; any
	// number, for every.
	If []Spec `json:"if,omitempty"`
}

// BuildFunc builds a rule from its Spec. It may call reg.Build for the
// spec's Rules and reg.BuildCondition for its conditions.
type BuildFunc func(reg *Registry, s Spec) (Rule, error)

// ConditionBuildFunc builds a condition from its Spec.
type ConditionBuildFunc func(reg *Registry, s Spec) (Condition, error)

// Registry builds rules and conditions from Specs by type name. It is an
// ordinary value, not a global: a program makes one (NewRegistry has the
// built-in types), registers its own types, and builds its stored rules.
// Registering a type name twice is an error, never a silent replace.
//
// The zero Registry is empty and ready to use. A Registry is safe for
// concurrent use.
type Registry struct {
	mu    sync.RWMutex
	rules map[string]BuildFunc
	conds map[string]ConditionBuildFunc
}

// NewRegistry returns a Registry holding the built-in rule types
// (percent, tier_rate, sub_affiliate_bonus, bounty, deferred, cap,
// with_hold, when, all_of, first_match, max_of) and condition types
// (first_payments, first_months, within_days, lifetime, plan_in, sku_in,
// country_in, kind_in, payment_index, every, not).
func NewRegistry() *Registry {
	r := &Registry{}
	for typ, fn := range builtinRules() {
		_ = r.Register(typ, fn) // the names are distinct
	}
	for typ, fn := range builtinConditions() {
		_ = r.RegisterCondition(typ, fn)
	}
	return r
}

// Register adds a rule type. It returns an error matching ErrDuplicate
// when typ is taken, and ErrConfig for an empty name or a nil func.
func (r *Registry) Register(typ string, fn BuildFunc) error {
	if typ == "" || fn == nil {
		return configErr("registry", "Register", "needs a type name and a build func")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return register(&r.rules, "rule type", typ, fn)
}

// register adds fn under typ to *m, refusing a taken name. Callers hold
// the registry's lock.
func register[F any](m *map[string]F, what, typ string, fn F) error {
	if _, ok := (*m)[typ]; ok {
		return &registryDuplicate{what: what, name: typ}
	}
	if *m == nil {
		*m = make(map[string]F)
	}
	(*m)[typ] = fn
	return nil
}

// RegisterCondition adds a condition type, with Register's errors.
func (r *Registry) RegisterCondition(typ string, fn ConditionBuildFunc) error {
	if typ == "" || fn == nil {
		return configErr("registry", "RegisterCondition", "needs a type name and a build func")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return register(&r.conds, "condition type", typ, fn)
}

// Types returns the registered rule types, sorted.
func (r *Registry) Types() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.rules))
	for t := range r.rules {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// Build builds the rule s describes and validates it. Errors are
// *SpecError values saying where in the spec the problem is; they match
// ErrUnknownType for a type nobody registered and ErrConfig (hence
// affiliate.ErrInvalid) for unusable parameters.
func (r *Registry) Build(s Spec) (Rule, error) {
	rule, err := r.build(s, "")
	if err != nil {
		return nil, err
	}
	if err := validate(rule); err != nil {
		return nil, &SpecError{Type: s.Type, Err: err}
	}
	return rule, nil
}

// BuildCondition builds the condition s describes and validates it.
func (r *Registry) BuildCondition(s Spec) (Condition, error) {
	c, err := r.buildCondition(s, "")
	if err != nil {
		return nil, err
	}
	if v, ok := c.(Validator); ok {
		if err := v.Validate(); err != nil {
			return nil, &SpecError{Type: s.Type, Err: err}
		}
	}
	return c, nil
}

func (r *Registry) build(s Spec, path string) (Rule, error) {
	r.mu.RLock()
	fn, ok := r.rules[s.Type]
	r.mu.RUnlock()
	if !ok {
		return nil, &SpecError{Path: path, Type: s.Type, Err: ErrUnknownType}
	}
	rule, err := fn(r, s)
	if err != nil {
		return nil, prefix(err, path, s.Type)
	}
	if rule == nil {
		return nil, &SpecError{Path: path, Type: s.Type, Err: configErr(s.Type, "build", "returned no rule")}
	}
	return rule, nil
}

func (r *Registry) buildCondition(s Spec, path string) (Condition, error) {
	r.mu.RLock()
	fn, ok := r.conds[s.Type]
	r.mu.RUnlock()
	if !ok {
		return nil, &SpecError{Path: path, Type: s.Type, Err: ErrUnknownType}
	}
	c, err := fn(r, s)
	if err != nil {
		return nil, prefix(err, path, s.Type)
	}
	if c == nil {
		return nil, &SpecError{Path: path, Type: s.Type, Err: configErr(s.Type, "build", "returned no condition")}
	}
	return c, nil
}

// prefix puts path in front of the path of a *SpecError from a nested
// build, or wraps any other error in a *SpecError at path.
func prefix(err error, path, typ string) error {
	var se *SpecError
	if errors.As(err, &se) {
		p := se.Path
		if path != "" && p != "" {
			p = path + "." + p
		} else if path != "" {
			p = path
		}
		return &SpecError{Path: p, Type: se.Type, Err: se.Err}
	}
	return &SpecError{Path: path, Type: typ, Err: err}
}

// registryDuplicate is a type name registered twice.
type registryDuplicate struct{ what, name string }

func (e *registryDuplicate) Error() string {
	return "rules: " + e.what + " " + quote(e.name) + " is already registered"
}

func (e *registryDuplicate) Unwrap() error { return ErrDuplicate }

// child builds s.Rules[i], with its path for errors.
func (r *Registry) child(s Spec, i int) (Rule, error) {
	return r.build(s.Rules[i], "rules["+itoa(i)+"]")
}

func (r *Registry) onlyChild(s Spec) (Rule, error) {
	if len(s.Rules) != 1 {
		return nil, configErr(s.Type, "rules", "needs exactly one rule, has "+itoa(len(s.Rules)))
	}
	return r.child(s, 0)
}

func (r *Registry) children(s Spec) ([]Rule, error) {
	if len(s.Rules) == 0 {
		return nil, configErr(s.Type, "rules", "needs at least one rule")
	}
	out := make([]Rule, len(s.Rules))
	for i := range s.Rules {
		c, err := r.child(s, i)
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

func (r *Registry) conditions(s Spec) ([]Condition, error) {
	out := make([]Condition, len(s.If))
	for i, cs := range s.If {
		c, err := r.buildCondition(cs, "if["+itoa(i)+"]")
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

// params decodes s.Params into v, refusing unknown fields and trailing
// data, so a typo in stored configuration is an error rather than a
// silently ignored setting.
func params(s Spec, v any) error {
	if len(bytes.TrimSpace(s.Params)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(s.Params))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return configErr(s.Type, "params", strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return configErr(s.Type, "params", "trailing data after the object")
	}
	return nil
}

// rateParams reads a rate given either as "rate" (a decimal, "0.3") or as
// "percent" ("30"), but not both.
type rateParams struct {
	Rate    *affiliate.Rate `json:"rate,omitempty"`
	Percent string          `json:"percent,omitempty"`
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
			return affiliate.Rate{}, configErr(typ, "params.percent", quote(p.Percent)+" is not a plain decimal percentage")
		}
		return r, nil
	case required:
		return affiliate.Rate{}, configErr(typ, "params", "needs rate or percent")
	}
	return affiliate.Rate{}, nil
}

func noChildren(s Spec) error {
	if len(s.Rules) > 0 || len(s.If) > 0 {
		return configErr(s.Type, "rules", "takes no wrapped rules or conditions")
	}
	return nil
}

func builtinRules() map[string]BuildFunc {
	return map[string]BuildFunc{
		"percent": func(_ *Registry, s Spec) (Rule, error) {
			var p struct {
				rateParams
				Lines Lines `json:"lines"`
			}
			if err := params(s, &p); err != nil {
				return nil, err
			}
			rate, err := p.rate(s.Type, true)
			if err != nil {
				return nil, err
			}
			return Percent{Name: s.Name, Rate: rate, Lines: p.Lines}, noChildren(s)
		},
		"tier_rate": func(_ *Registry, s Spec) (Rule, error) {
			var p struct {
				Lines Lines `json:"lines"`
			}
			if err := params(s, &p); err != nil {
				return nil, err
			}
			return TierRate{Name: s.Name, Lines: p.Lines}, noChildren(s)
		},
		"sub_affiliate_bonus": func(reg *Registry, s Spec) (Rule, error) {
			var p struct {
				rateParams
				Of    string `json:"of"`
				Depth int    `json:"depth"`
				Lines Lines  `json:"lines"`
			}
			if err := params(s, &p); err != nil {
				return nil, err
			}
			rate, err := p.rate(s.Type, false)
			if err != nil {
				return nil, err
			}
			b := SubAffiliateBonus{Name: s.Name, Rate: rate, Depth: p.Depth, Lines: p.Lines}
			switch p.Of {
			case "", "revenue":
				b.Of = OfRevenue
				return b, noChildren(s)
			case "commission":
				b.Of = OfCommission
				if b.Commission, err = reg.onlyChild(s); err != nil {
					return nil, err
				}
				return b, nil
			}
			return nil, configErr(s.Type, "params.of", quote(p.Of)+" is not revenue or commission")
		},
		"bounty": func(_ *Registry, s Spec) (Rule, error) {
			var p struct {
				Amounts []affiliate.Money `json:"amounts"`
			}
			if err := params(s, &p); err != nil {
				return nil, err
			}
			return Bounty{Name: s.Name, Amounts: p.Amounts}, noChildren(s)
		},
		"deferred": func(_ *Registry, s Spec) (Rule, error) {
			var p struct {
				rateParams
				Payments int   `json:"payments"`
				Lines    Lines `json:"lines"`
			}
			if err := params(s, &p); err != nil {
				return nil, err
			}
			rate, err := p.rate(s.Type, true)
			if err != nil {
				return nil, err
			}
			return Deferred{Name: s.Name, Rate: rate, Payments: p.Payments, Lines: p.Lines}, noChildren(s)
		},
		"cap": func(reg *Registry, s Spec) (Rule, error) {
			var p struct {
				Limits   []affiliate.Money `json:"limits"`
				Monthly  bool              `json:"monthly"`
				Location string            `json:"location"`
			}
			if err := params(s, &p); err != nil {
				return nil, err
			}
			c := Cap{Name: s.Name, Limits: p.Limits, Monthly: p.Monthly}
			if p.Location != "" {
				loc, err := time.LoadLocation(p.Location)
				if err != nil {
					return nil, configErr(s.Type, "params.location", quote(p.Location)+" is not a known time zone")
				}
				c.Location = loc
			}
			var err error
			c.Rule, err = reg.onlyChild(s)
			return c, err
		},
		"with_hold": func(reg *Registry, s Spec) (Rule, error) {
			var p struct {
				Hold string `json:"hold"`
			}
			if err := params(s, &p); err != nil {
				return nil, err
			}
			d, err := time.ParseDuration(p.Hold)
			if err != nil {
				return nil, configErr(s.Type, "params.hold", quote(p.Hold)+" is not a duration such as \"720h\"")
			}
			w := WithHold{Hold: d}
			w.Rule, err = reg.onlyChild(s)
			return w, err
		},
		"when": func(reg *Registry, s Spec) (Rule, error) {
			if err := params(s, &struct{}{}); err != nil {
				return nil, err
			}
			if len(s.If) == 0 {
				return nil, configErr(s.Type, "if", "needs at least one condition")
			}
			conds, err := reg.conditions(s)
			if err != nil {
				return nil, err
			}
			then, err := reg.onlyChild(s)
			if err != nil {
				return nil, err
			}
			if len(conds) == 1 {
				return When{If: conds[0], Then: then}, nil
			}
			return When{If: Every(conds), Then: then}, nil
		},
		"all_of": func(reg *Registry, s Spec) (Rule, error) {
			rs, err := combinator(reg, s)
			return AllOf(rs), err
		},
		"first_match": func(reg *Registry, s Spec) (Rule, error) {
			rs, err := combinator(reg, s)
			return FirstMatch(rs), err
		},
		"max_of": func(reg *Registry, s Spec) (Rule, error) {
			rs, err := combinator(reg, s)
			return MaxOf(rs), err
		},
	}
}

func combinator(reg *Registry, s Spec) ([]Rule, error) {
	if err := params(s, &struct{}{}); err != nil {
		return nil, err
	}
	if len(s.If) > 0 {
		return nil, configErr(s.Type, "if", "takes no conditions")
	}
	return reg.children(s)
}

func builtinConditions() map[string]ConditionBuildFunc {
	count := func(mk func(int) Condition) ConditionBuildFunc {
		return func(_ *Registry, s Spec) (Condition, error) {
			var p struct {
				N int `json:"n"`
			}
			if err := params(s, &p); err != nil {
				return nil, err
			}
			return mk(p.N), noChildren(s)
		}
	}
	values := func(mk func([]string) Condition) ConditionBuildFunc {
		return func(_ *Registry, s Spec) (Condition, error) {
			var p struct {
				Values []string `json:"values"`
			}
			if err := params(s, &p); err != nil {
				return nil, err
			}
			if len(p.Values) == 0 {
				return nil, configErr(s.Type, "params.values", "needs at least one value")
			}
			return mk(p.Values), noChildren(s)
		}
	}
	return map[string]ConditionBuildFunc{
		"first_payments": count(func(n int) Condition { return FirstPayments(n) }),
		"first_months":   count(func(n int) Condition { return FirstMonths(n) }),
		"within_days":    count(func(n int) Condition { return WithinDays(n) }),
		"lifetime": func(_ *Registry, s Spec) (Condition, error) {
			if err := params(s, &struct{}{}); err != nil {
				return nil, err
			}
			return Lifetime{}, noChildren(s)
		},
		"plan_in":    values(func(v []string) Condition { return PlanIn(v) }),
		"sku_in":     values(func(v []string) Condition { return SKUIn(v) }),
		"country_in": values(func(v []string) Condition { return CountryIn(v) }),
		"kind_in": values(func(v []string) Condition {
			ks := make(KindIn, len(v))
			for i, k := range v {
				ks[i] = affiliate.LineKind(k)
			}
			return ks
		}),
		"payment_index": func(_ *Registry, s Spec) (Condition, error) {
			var p PaymentIndex
			var raw struct {
				From int `json:"from"`
				To   int `json:"to"`
			}
			if err := params(s, &raw); err != nil {
				return nil, err
			}
			p.From, p.To = raw.From, raw.To
			return p, noChildren(s)
		},
		"every": func(reg *Registry, s Spec) (Condition, error) {
			if err := params(s, &struct{}{}); err != nil {
				return nil, err
			}
			if len(s.Rules) > 0 {
				return nil, configErr(s.Type, "rules", "takes no rules")
			}
			conds, err := reg.conditions(s)
			return Every(conds), err
		},
		"not": func(reg *Registry, s Spec) (Condition, error) {
			if err := params(s, &struct{}{}); err != nil {
				return nil, err
			}
			if len(s.If) != 1 || len(s.Rules) > 0 {
				return nil, configErr(s.Type, "if", "needs exactly one condition")
			}
			conds, err := reg.conditions(s)
			if err != nil {
				return nil, err
			}
			return Not{Condition: conds[0]}, nil
		},
	}
}
