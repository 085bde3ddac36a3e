package rules

import (
	"slices"
	"strings"

	"github.com/openaffiliate/affiliate"
)

// Condition decides from the facts whether a rule applies to a payment.
// Like a Rule it is pure: no I/O, no clock, no state.
type Condition interface {
	Holds(f Facts) bool
}

// ConditionFunc adapts a function to Condition.
type ConditionFunc func(f Facts) bool

// Holds calls fn(f).
func (fn ConditionFunc) Holds(f Facts) bool { return fn(f) }

// When applies Then to the payments for which If holds, and accrues
// nothing on the others.
type When struct {
	If   Condition
	Then Rule
}

// Accrue implements Rule.
func (w When) Accrue(f Facts) ([]Accrual, error) {
	if w.If == nil || w.Then == nil {
		return nil, configErr("when", "If/Then", "both are required")
	}
	if !w.If.Holds(f) {
		return nil, nil
	}
	return w.Then.Accrue(f)
}

// Validate checks both the condition and the rule.
func (w When) Validate() error {
	if w.If == nil || w.Then == nil {
		return configErr("when", "If/Then", "both are required")
	}
	if v, ok := w.If.(Validator); ok {
		if err := v.Validate(); err != nil {
			return err
		}
	}
	return validate(w.Then)
}

// HistoryDepth implements HistoryDepther.
func (w When) HistoryDepth() int { return historyDepth(w.Then) }

// ChainDepth implements ChainDepther.
func (w When) ChainDepth() int { return chainDepth(w.Then) }

func (w When) ruleNames() []string { return ruleNames(w.Then) }

// Every holds when all of its conditions hold (and when it is empty).
type Every []Condition

// Holds implements Condition.
func (c Every) Holds(f Facts) bool {
	for _, x := range c {
		if !x.Holds(f) {
			return false
		}
	}
	return true
}

// Validate checks every condition.
func (c Every) Validate() error {
	for i, x := range c {
		if x == nil {
			return configErr("every", "["+itoa(i)+"]", "nil condition")
		}
		if v, ok := x.(Validator); ok {
			if err := v.Validate(); err != nil {
				return err
			}
		}
	}
	return nil
}

// Not holds when its condition does not.
type Not struct{ Condition Condition }

// Holds implements Condition.
func (c Not) Holds(f Facts) bool { return !c.Condition.Holds(f) }

// Validate checks the negated condition.
func (c Not) Validate() error {
	if c.Condition == nil {
		return configErr("not", "Condition", "missing")
	}
	if v, ok := c.Condition.(Validator); ok {
		return v.Validate()
	}
	return nil
}

// PlanIn holds when a line of the payment has one of the plans.
type PlanIn []string

// Holds implements Condition.
func (c PlanIn) Holds(f Facts) bool {
	return slices.ContainsFunc(f.Payment.Lines, func(l affiliate.Line) bool { return slices.Contains(c, l.Plan) })
}

// SKUIn holds when a line of the payment has one of the SKUs.
type SKUIn []string

// Holds implements Condition.
func (c SKUIn) Holds(f Facts) bool {
	return slices.ContainsFunc(f.Payment.Lines, func(l affiliate.Line) bool { return slices.Contains(c, l.SKU) })
}

// KindIn holds when a line of the payment is of one of the kinds.
type KindIn []affiliate.LineKind

// Holds implements Condition.
func (c KindIn) Holds(f Facts) bool {
	return slices.ContainsFunc(f.Payment.Lines, func(l affiliate.Line) bool { return slices.Contains(c, l.Kind) })
}

// Validate refuses unknown kinds.
func (c KindIn) Validate() error {
	for i, k := range c {
		if !k.Valid() {
			return configErr("kind_in", "["+itoa(i)+"]", quote(string(k))+" is not a line kind")
		}
	}
	return nil
}

// CountryIn holds when the payment's country is one of the codes,
// compared without regard to letter case ("fr" matches "FR"). A payment
// without a country matches none.
type CountryIn []string

// Holds implements Condition.
func (c CountryIn) Holds(f Facts) bool {
	if f.Payment.Country == "" {
		return false
	}
	return slices.ContainsFunc(c, func(s string) bool { return strings.EqualFold(s, f.Payment.Country) })
}

// PaymentIndex holds for the paid payments (see Paid) whose 0-based
// position among the customer's paid payments (Facts.PaidIndex) lies in
// [From, To). To zero or below means no upper bound: PaymentIndex{From: 1}
// is "every paid payment after the first". It never holds for a payment
// that is not paid, such as a trial invoice, which shares the PaidIndex
// of the next paid payment.
type PaymentIndex struct{ From, To int }

// Holds implements Condition.
func (c PaymentIndex) Holds(f Facts) bool {
	return f.PaidIndex >= c.From && (c.To <= 0 || f.PaidIndex < c.To) && Paid(f.Payment)
}

// Validate refuses a negative From and an empty range.
func (c PaymentIndex) Validate() error {
	if c.From < 0 {
		return configErr("payment_index", "From", "negative")
	}
	if c.To > 0 && c.To <= c.From {
		return configErr("payment_index", "To", "not above From")
	}
	return nil
}
