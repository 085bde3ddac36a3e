package rules

import (
	"fmt"

	"github.com/openaffiliate/affiliate"
)

var (
	// ErrConfig marks a rule or condition whose configuration is unusable:
	// a missing rate, an unknown line kind, a cap without a name. It
	// matches affiliate.ErrInvalid. The typed form is *ConfigError.
	ErrConfig = fmt.Errorf("%w: rule configuration", affiliate.ErrInvalid)

	// ErrUnknownType reports a Spec whose type no Registry builder knows.
	// It matches affiliate.ErrInvalid.
	ErrUnknownType = fmt.Errorf("%w: unknown rule type", affiliate.ErrInvalid)

	// ErrDuplicate reports a name used twice: a type registered twice in
	// one Registry, or two rules under AllOf that record the same rule
	// name. It matches affiliate.ErrConflict.
	ErrDuplicate = fmt.Errorf("%w: duplicate name", affiliate.ErrConflict)
)

// ConfigError says which setting of which rule is unusable and why. It
// unwraps to ErrConfig.
type ConfigError struct {
	Rule   string // the rule's type or name, "percent" or "rev_share"
	Field  string // the setting, "Rate" or "Lines.Kinds[2]"
	Reason string
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("rules: %s: %s: %s", e.Rule, e.Field, e.Reason)
}

// Unwrap returns ErrConfig.
func (e *ConfigError) Unwrap() error { return ErrConfig }

func configErr(rule, field, reason string) error {
	return &ConfigError{Rule: rule, Field: field, Reason: reason}
}

// SpecError reports a Spec the Registry could not build: where in the spec
// tree, and why. It unwraps to the cause (ErrUnknownType, ErrConfig, a
// *ConfigError, or ErrInvalid for malformed parameters).
type SpecError struct {
	Path string // "rules[1].if[0]", "" for the root
	Type string
	Err  error
}

func (e *SpecError) Error() string {
	where := e.Path
	if where == "" {
		where = "spec"
	}
	return fmt.Sprintf("rules: %s (type %q): %v", where, e.Type, e.Err)
}

// Unwrap returns the cause.
func (e *SpecError) Unwrap() error { return e.Err }
