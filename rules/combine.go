package rules

import (
	"slices"
	"time"

	"github.com/openaffiliate/affiliate"
)

// AllOf runs every rule and keeps all their accruals, in order: a tier
// commission and a sub-affiliate bonus, say. Two of its rules must not
// record the same rule name (Validate checks the built-in ones), or their
// entries could not be told apart.
type AllOf []Rule

// Accrue implements Rule.
func (rs AllOf) Accrue(f Facts) ([]Accrual, error) {
	var out []Accrual
	for _, r := range rs {
		accs, err := r.Accrue(f)
		if err != nil {
			return nil, err
		}
		if out == nil { // the rule's slice is ours: no copy for the first
			out = slices.Clip(accs)
			continue
		}
		out = append(out, accs...)
	}
	return out, nil
}

// Validate checks every rule and that no name is recorded by two of them.
func (rs AllOf) Validate() error {
	seen := map[string]bool{}
	for i, r := range rs {
		if r == nil {
			return configErr("all_of", "["+itoa(i)+"]", "nil rule")
		}
		if err := validate(r); err != nil {
			return err
		}
		for _, n := range dedupe(ruleNames(r)) {
			if seen[n] {
				return &duplicateError{name: n}
			}
			seen[n] = true
		}
	}
	return nil
}

// HistoryDepth implements HistoryDepther.
func (rs AllOf) HistoryDepth() int { return maxOver(rs, historyDepth) }

// ChainDepth implements ChainDepther.
func (rs AllOf) ChainDepth() int { return maxOver(rs, chainDepth) }

func (rs AllOf) ruleNames() []string { return namesOver(rs) }

// FirstMatch runs its rules in order and keeps the accruals of the first
// that accrues a positive amount: an enterprise rate for enterprise plans,
// and the standard rate otherwise. A rule that returns only zero accruals
// does not match; when no rule matches, the first non-empty result is
// kept (a tier rate rounding to zero, whose 0.00 the engine keeps).
type FirstMatch []Rule

// Accrue implements Rule.
func (rs FirstMatch) Accrue(f Facts) ([]Accrual, error) {
	var zeros []Accrual
	for _, r := range rs {
		accs, err := r.Accrue(f)
		if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(accs, func(a Accrual) bool { return a.Amount.Sign() > 0 }) {
			return accs, nil
		}
		if zeros == nil && len(accs) > 0 {
			zeros = accs
		}
	}
	return zeros, nil
}

// Validate checks every rule.
func (rs FirstMatch) Validate() error { return validateAll("first_match", rs) }

// HistoryDepth implements HistoryDepther.
func (rs FirstMatch) HistoryDepth() int { return maxOver(rs, historyDepth) }

// ChainDepth implements ChainDepther.
func (rs FirstMatch) ChainDepth() int { return maxOver(rs, chainDepth) }

func (rs FirstMatch) ruleNames() []string { return namesOver(rs) }

// MaxOf runs every rule and keeps the accruals of the one that pays the
// most in total, counted in the payment's currency; on a tie, the earlier
// rule wins. "30% or 50 EUR, whichever is more" is MaxOf{Percent,
// Bounty}.
type MaxOf []Rule

// Accrue implements Rule.
func (rs MaxOf) Accrue(f Facts) ([]Accrual, error) {
	var best []Accrual
	bestTotal := int64(0)
	for _, r := range rs {
		accs, err := r.Accrue(f)
		if err != nil {
			return nil, err
		}
		total := int64(0)
		for _, a := range accs {
			if a.Amount.Currency() == f.Payment.Currency {
				total += a.Amount.Minor()
			}
		}
		if len(accs) > 0 && (best == nil || total > bestTotal) {
			best, bestTotal = accs, total
		}
	}
	return best, nil
}

// Validate checks every rule.
func (rs MaxOf) Validate() error { return validateAll("max_of", rs) }

// HistoryDepth implements HistoryDepther.
func (rs MaxOf) HistoryDepth() int { return maxOver(rs, historyDepth) }

// ChainDepth implements ChainDepther.
func (rs MaxOf) ChainDepth() int { return maxOver(rs, chainDepth) }

func (rs MaxOf) ruleNames() []string { return namesOver(rs) }

// WithHold gives Rule's accruals their own hold instead of the terms' one:
// a bounty that waits 60 days while commissions wait 30. A negative Hold
// makes them available at once.
type WithHold struct {
	Hold time.Duration
	Rule Rule
}

// Accrue implements Rule.
func (w WithHold) Accrue(f Facts) ([]Accrual, error) {
	if w.Rule == nil {
		return nil, configErr("with_hold", "Rule", "missing")
	}
	accs, err := w.Rule.Accrue(f)
	if err != nil {
		return nil, err
	}
	for i := range accs {
		accs[i].Hold = w.Hold
	}
	return accs, nil
}

// Validate refuses a zero hold (it would mean "the terms' hold") and
// checks the rule.
func (w WithHold) Validate() error {
	if w.Hold == 0 {
		return configErr("with_hold", "Hold", "zero; use a negative hold for none")
	}
	if w.Hold > affiliate.MaxDuration {
		return configErr("with_hold", "Hold", w.Hold.String()+" is longer than affiliate.MaxDuration")
	}
	if w.Rule == nil {
		return configErr("with_hold", "Rule", "missing")
	}
	return validate(w.Rule)
}

// HistoryDepth implements HistoryDepther.
func (w WithHold) HistoryDepth() int { return historyDepth(w.Rule) }

// ChainDepth implements ChainDepther.
func (w WithHold) ChainDepth() int { return chainDepth(w.Rule) }

func (w WithHold) ruleNames() []string { return ruleNames(w.Rule) }
