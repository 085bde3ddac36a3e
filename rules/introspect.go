package rules

import (
	"fmt"
	"reflect"
	"slices"
)

// Validate checks r's configuration when r implements Validator (every
// built-in rule and combinator does, recursively), and refuses a nil rule.
// The built-in rules return a *ConfigError (matching ErrConfig, hence
// affiliate.ErrInvalid), or, for two rules under one AllOf recording the
// same name, an error matching both ErrDuplicate and ErrConfig.
func Validate(r Rule) error { return validate(r) }

// HistoryDepth returns how many of the customer's earliest paid payments r
// reads from History.Earlier: its HistoryDepth when it implements
// HistoryDepther; otherwise the largest HistoryDepth of the rules it
// holds in exported fields (see ChainDepth), else 0.
func HistoryDepth(r Rule) int { return historyDepth(r) }

// ChainDepth returns how many affiliates of the beneficiary chain r reads:
// its ChainDepth when it implements ChainDepther; otherwise the largest
// ChainDepth of the rules it holds in exported fields, else 1 (the
// referrer).
//
// The fields are looked at so that a wrapper cannot lose the depth of
// what it wraps: type logged struct{ rules.Rule } does not have the
// ChainDepth of the SubAffiliateBonus it embeds (an embedded interface
// promotes only Accrue), and without this the engine would load the
// referrer alone and the parent's bonus would silently be lost. A rule
// that keeps its rules where reflect cannot see them (an unexported
// field, a closure) must forward ChainDepth and HistoryDepth itself;
// rulestest.Check fails one that reads beyond what it declares.
func ChainDepth(r Rule) int { return chainDepth(r) }

func validate(r Rule) error {
	if r == nil {
		return configErr("rule", "Rule", "missing")
	}
	if v, ok := r.(Validator); ok {
		return v.Validate()
	}
	return nil
}

func historyDepth(r Rule) int { return historyDepthIn(r, 0) }

func chainDepth(r Rule) int { return chainDepthIn(r, 0) }

func historyDepthIn(r Rule, nesting int) int {
	if d, ok := r.(HistoryDepther); ok {
		return max(d.HistoryDepth(), 0)
	}
	m := 0
	for _, w := range wrapped(r, nesting) {
		m = max(m, historyDepthIn(w, nesting+1))
	}
	return m
}

func chainDepthIn(r Rule, nesting int) int {
	if d, ok := r.(ChainDepther); ok {
		return max(d.ChainDepth(), 1)
	}
	m := 1
	for _, w := range wrapped(r, nesting) {
		m = max(m, chainDepthIn(w, nesting+1))
	}
	return m
}

// wrapped returns the rules r holds in its exported fields, directly or
// in slices and arrays. nesting stops a rule that holds itself.
func wrapped(r Rule, nesting int) []Rule {
	v := reflect.ValueOf(r)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	if nesting > 32 || v.Kind() != reflect.Struct {
		return nil
	}
	var out []Rule
	for i := range v.NumField() {
		if v.Type().Field(i).IsExported() {
			out = collectRules(v.Field(i), out)
		}
	}
	return out
}

func collectRules(v reflect.Value, out []Rule) []Rule {
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer, reflect.Slice, reflect.Func, reflect.Map:
		if v.IsNil() {
			return out
		}
	}
	if r, ok := v.Interface().(Rule); ok {
		return append(out, r)
	}
	if v.Kind() == reflect.Slice || v.Kind() == reflect.Array {
		for i := range v.Len() {
			out = collectRules(v.Index(i), out)
		}
	}
	return out
}

// namer is implemented by the built-in rules: the names they may record on
// accruals, for AllOf's duplicate check.
type namer interface{ ruleNames() []string }

func ruleNames(r Rule) []string {
	if n, ok := r.(namer); ok {
		return n.ruleNames()
	}
	return nil
}

func namesOver(rs []Rule) []string {
	var out []string
	for _, r := range rs {
		out = append(out, ruleNames(r)...)
	}
	return dedupe(out)
}

func dedupe(names []string) []string {
	out := slices.Clone(names)
	slices.Sort(out)
	return slices.Compact(out)
}

func maxOver(rs []Rule, f func(Rule) int) int {
	m := 0
	for _, r := range rs {
		m = max(m, f(r))
	}
	return m
}

func validateAll(kind string, rs []Rule) error {
	for i, r := range rs {
		if r == nil {
			return configErr(kind, "["+itoa(i)+"]", "nil rule")
		}
		if err := validate(r); err != nil {
			return err
		}
	}
	return nil
}

// duplicateError is a name recorded by two rules under one AllOf.
type duplicateError struct{ name string }

func (e *duplicateError) Error() string {
	return fmt.Sprintf("rules: two rules under all_of record the name %q: give one a Name", e.name)
}

func (e *duplicateError) Unwrap() []error { return []error{ErrDuplicate, ErrConfig} }
