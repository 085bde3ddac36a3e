package rules

import (
	"fmt"
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
// HistoryDepther, else 0.
func HistoryDepth(r Rule) int { return historyDepth(r) }

// ChainDepth returns how many affiliates of the beneficiary chain r reads:
// its ChainDepth when it implements ChainDepther, else 1 (the referrer).
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

func historyDepth(r Rule) int {
	if d, ok := r.(HistoryDepther); ok {
		return max(d.HistoryDepth(), 0)
	}
	return 0
}

func chainDepth(r Rule) int {
	if d, ok := r.(ChainDepther); ok {
		return max(d.ChainDepth(), 1)
	}
	return 1
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
