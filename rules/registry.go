package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"sync"
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
	rules map[string]entry[BuildFunc]
	conds map[string]entry[ConditionBuildFunc]
}

// entry is a registered type: how to build it and what it takes.
type entry[F any] struct {
	build F
	doc   TypeDoc
}

// NewRegistry returns a Registry holding the built-in rule and condition
// types. Describe lists them with every parameter; in short ("|" is one
// or the other, rates are JSON strings, never numbers):
//
//	percent              rate | percent, allow_over_100, lines
//	tier_rate            lines
//	sub_affiliate_bonus  rate | percent, allow_over_100, of ("revenue" |
//	                     "commission", with one wrapped rule), depth, lines
//	bounty               amounts: [{"amount": "100.00", "currency": "EUR"}]
//	deferred             rate | percent, allow_over_100, months | payments,
//	                     per_month, location, lines
//	cap                  limits (as amounts), monthly, location; one rule
//	with_hold            hold ("720h"); one rule
//	when                 no params; one or more conditions (if), one rule
//	all_of, first_match, max_of   no params; one or more rules
//
//	first_payments, first_months, within_days   n
//	plan_in, sku_in, country_in                 values: ["pro", ...]
//	kind_in                                     values: line kinds
//	payment_index                               from, to
//	lifetime                                    no params
//	every                                       any number of conditions (if)
//	not                                         exactly one condition (if)
//
// The formats: "rate" is a plain decimal fraction ("0.3" is 30%),
// "percent" a plain decimal percentage ("30"); a rate above 100% is
// refused unless allow_over_100 is true, so "rate": "5" meant as 5% fails
// instead of paying 500%. "lines" selects the base: {"kinds": line kinds
// (subscription, add_on, credits, usage, one_time, setup_fee, tax,
// shipping, discount), "plans": [...], "skus": [...]}, all optional.
// "location" is an IANA time zone ("Europe/Paris"), "hold" a Go duration.
// Unknown keys are refused.
func NewRegistry() *Registry {
	r := &Registry{}
	for typ, e := range builtinRules() {
		_ = r.register(typ, e) // the names are distinct
	}
	for typ, e := range builtinConditions() {
		_ = r.registerCondition(typ, e)
	}
	return r
}

// Register adds a rule type. It returns an error matching ErrDuplicate
// when typ is taken, and ErrConfig for an empty name or a nil func.
// Describe lists it with its name only: the Registry does not know what
// its BuildFunc reads.
func (r *Registry) Register(typ string, fn BuildFunc) error {
	if typ == "" || fn == nil {
		return configErr("registry", "Register", "needs a type name and a build func")
	}
	return r.register(typ, entry[BuildFunc]{build: fn, doc: TypeDoc{Type: typ}})
}

// RegisterCondition adds a condition type, with Register's errors.
func (r *Registry) RegisterCondition(typ string, fn ConditionBuildFunc) error {
	if typ == "" || fn == nil {
		return configErr("registry", "RegisterCondition", "needs a type name and a build func")
	}
	return r.registerCondition(typ, entry[ConditionBuildFunc]{build: fn, doc: TypeDoc{Type: typ, Condition: true}})
}

func (r *Registry) register(typ string, e entry[BuildFunc]) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return register(&r.rules, "rule type", typ, e)
}

func (r *Registry) registerCondition(typ string, e entry[ConditionBuildFunc]) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return register(&r.conds, "condition type", typ, e)
}

// register adds e under typ to *m, refusing a taken name. Callers hold
// the registry's lock.
func register[F any](m *map[string]entry[F], what, typ string, e entry[F]) error {
	if _, ok := (*m)[typ]; ok {
		return &registryDuplicate{what: what, name: typ}
	}
	if *m == nil {
		*m = make(map[string]entry[F])
	}
	(*m)[typ] = e
	return nil
}

// Describe returns the registered rule types, then the condition types,
// each sorted by name, with their parameters: for a form that builds
// terms, or TypeDoc.JSONSchema for a JSON Schema of each.
func (r *Registry) Describe() []TypeDoc {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]TypeDoc, 0, len(r.rules)+len(r.conds))
	for _, typ := range slices.Sorted(maps.Keys(r.rules)) {
		out = append(out, r.rules[typ].doc)
	}
	for _, typ := range slices.Sorted(maps.Keys(r.conds)) {
		out = append(out, r.conds[typ].doc)
	}
	return out
}

// Types returns the registered rule types, sorted.
func (r *Registry) Types() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Sorted(maps.Keys(r.rules))
}

// Build builds the rule s describes and validates it. Errors are
// *SpecError values saying where in the spec the problem is; they match
// ErrUnknownType for a type nobody registered and ErrConfig (hence
// affiliate.ErrInvalid) for unusable parameters.
func (r *Registry) Build(s Spec) (Rule, error) {
	if err := checkDepth(s); err != nil {
		return nil, err
	}
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
	if err := checkDepth(s); err != nil {
		return nil, err
	}
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
	e, ok := r.rules[s.Type]
	r.mu.RUnlock()
	if !ok {
		return nil, &SpecError{Path: path, Type: s.Type, Err: ErrUnknownType}
	}
	rule, err := e.build(r, s)
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
	e, ok := r.conds[s.Type]
	r.mu.RUnlock()
	if !ok {
		return nil, &SpecError{Path: path, Type: s.Type, Err: ErrUnknownType}
	}
	c, err := e.build(r, s)
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

// children builds every rule of s; the caller checked how many there are.
func (r *Registry) children(s Spec) ([]Rule, error) {
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
	if err := checkJSON(s.Params); err != nil {
		var ce *ConfigError
		errors.As(err, &ce) // checkJSON's errors always hold one
		return configErr(s.Type, "params."+ce.Field, ce.Reason)
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
