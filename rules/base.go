package rules

import (
	"slices"

	"github.com/openaffiliate/affiliate"
)

// DefaultKinds returns the line kinds a base counts when neither the rule
// nor the program names any: affiliate.DefaultRevenueKinds, everything the
// customer pays for with discount lines subtracted, never tax or shipping.
// A program that defines its revenue otherwise (Facts.Revenue) changes the
// default base of every rule with it.
func DefaultKinds() []affiliate.LineKind { return affiliate.DefaultRevenueKinds() }

// Lines chooses the lines of a payment that make up a base. The zero value
// is the default base: DefaultKinds, every plan and SKU.
type Lines struct {
	// Kinds are the line kinds that count; nil means the program's
	// revenue (Facts.Revenue, DefaultKinds unless the program says). A
	// LineDiscount line subtracts when LineDiscount is listed (it is in
	// the default) and is ignored otherwise.
	Kinds []affiliate.LineKind `json:"kinds,omitempty" doc:"the line kinds that count; a discount line subtracts; all but tax and shipping when absent"`
	// Plans, when not empty, keeps only lines whose Plan is listed. A
	// discount line then counts only when it names a listed plan.
	Plans []string `json:"plans,omitempty" doc:"only lines of these plans, when not empty"`
	// SKUs, when not empty, keeps only lines whose SKU is listed, with
	// the same rule for discounts.
	SKUs []string `json:"skus,omitempty" doc:"only lines of these SKUs, when not empty"`
}

// Validate refuses unknown and repeated line kinds.
func (l Lines) Validate() error {
	for i, k := range l.Kinds {
		if !k.Valid() {
			return configErr("lines", "Kinds["+itoa(i)+"]", quote(string(k))+" is not a line kind")
		}
		if slices.Contains(l.Kinds[:i], k) {
			return configErr("lines", "Kinds["+itoa(i)+"]", quote(string(k))+" is listed twice")
		}
	}
	return nil
}

// Of returns l with the program's revenue kinds in place of nil Kinds:
// the lines a rule's base counts when the rule names no kinds.
func (l Lines) Of(revenue affiliate.Revenue) Lines {
	if l.Kinds == nil {
		l.Kinds = revenue.Kinds
	}
	return l
}

// Includes reports whether line is part of the base.
func (l Lines) Includes(line affiliate.Line) bool {
	if !(affiliate.Revenue{Kinds: l.Kinds}).Counts(line.Kind) {
		return false
	}
	if len(l.Plans) > 0 && !slices.Contains(l.Plans, line.Plan) {
		return false
	}
	if len(l.SKUs) > 0 && !slices.Contains(l.SKUs, line.SKU) {
		return false
	}
	return true
}

// Base returns the base of p: the lines Includes keeps, discounts subtracted,
// in p's currency, never below zero (discounts larger than the lines they
// reduce leave a zero base, not a negative one). kinds lists the kind of
// every line that went into it, in line order. It returns an error only
// for a payment that fails its own validation: a
// *affiliate.CurrencyMismatchError for a counted line in another currency,
// a *affiliate.FieldError matching affiliate.ErrOverflow for a base out of
// range, or an error matching affiliate.ErrUnknownCurrency for an unknown
// currency.
func (l Lines) Base(p affiliate.Payment) (base affiliate.Money, kinds []affiliate.LineKind, err error) {
	return l.base(p, make([]affiliate.LineKind, 0, len(p.Lines)))
}

// base is Base appending the kinds to kinds, or not listing them when
// kinds is nil.
func (l Lines) base(p affiliate.Payment, kinds []affiliate.LineKind) (affiliate.Money, []affiliate.LineKind, error) {
	total := int64(0)
	for _, line := range p.Lines {
		if !l.Includes(line) {
			continue
		}
		if line.Amount.Currency() != p.Currency {
			return affiliate.Money{}, nil, &affiliate.CurrencyMismatchError{Want: p.Currency, Got: line.Amount.Currency()}
		}
		amt := line.Amount.Minor()
		if line.Kind == affiliate.LineDiscount {
			amt = -amt
		}
		sum := total + amt
		if (sum > total) != (amt > 0) && amt != 0 {
			return affiliate.Money{}, nil, &affiliate.FieldError{Field: "Payment.Lines", Reason: "base out of range", Err: affiliate.ErrOverflow}
		}
		total = sum
		if kinds != nil {
			kinds = append(kinds, line.Kind)
		}
	}
	if total < 0 {
		total = 0
	}
	base, err := affiliate.NewMoney(total, p.Currency)
	return base, kinds, err
}

// Paid reports whether p counts as a paid payment: its default base
// (Lines{}.Base) is above zero. A trial invoice of zero, or one that holds
// only tax or shipping, is not paid: it never uses up a count of "the
// first N payments" and does not start "the first N months".
func Paid(p affiliate.Payment) bool {
	b, _, err := Lines{}.base(p, nil)
	return err == nil && b.Sign() > 0
}
