package affiliate

import (
	"time"
)

// Event is a billing event the commission engine records: a Payment, a
// Refund or a Reinstatement. The set is closed; the engine switches on
// the concrete type.
type Event interface {
	EventID() EventID
	EventCustomer() CustomerID
	EventTime() time.Time
	Validate() error
	isEvent()
}

// LineKind classifies an invoice line. Rules choose which kinds count
// toward a commission base.
type LineKind string

const (
	LineSubscription LineKind = "subscription"
	LineAddOn        LineKind = "add_on"
	LineCredits      LineKind = "credits"
	LineUsage        LineKind = "usage"
	LineOneTime      LineKind = "one_time"
	LineSetupFee     LineKind = "setup_fee"
	LineTax          LineKind = "tax"
	LineShipping     LineKind = "shipping"
	// LineDiscount lines carry a non-negative amount that is subtracted.
	LineDiscount LineKind = "discount"
)

// LineKinds lists every kind, in a fixed order.
var LineKinds = []LineKind{LineSubscription, LineAddOn, LineCredits, LineUsage, LineOneTime, LineSetupFee, LineTax, LineShipping, LineDiscount}

// Valid reports whether k is one of LineKinds.
func (k LineKind) Valid() bool {
	for _, v := range LineKinds {
		if k == v {
			return true
		}
	}
	return false
}

// Line is one line of a paid invoice. Amount is never negative: a
// discount is a LineDiscount line whose amount is subtracted.
type Line struct {
	Kind        LineKind
	Amount      Money
	Plan        string // the plan or price, for rule conditions
	SKU         string // the product, for rule conditions
	Description string
}

// Conversion is the host's exchange rate for an event: one unit of the
// event's currency is worth Rate units of To. It is stored with the event,
// so reports and tier metrics convert with the rate of the day, never a
// rate looked up later.
type Conversion struct {
	To   Currency
	Rate Rate
}

// Payment is money a customer paid: one paid invoice. ID is the host's
// event ID and the idempotency key.
type Payment struct {
	ID       EventID
	Customer CustomerID
	PaidAt   time.Time
	Currency Currency
	Lines    []Line
	Country  string // the customer's ISO 3166 country, optional, for conditions
	// Conversion, optional, converts the payment into the program's
	// currency for tier metrics and reports.
	Conversion Conversion
}

func (p Payment) EventID() EventID          { return p.ID }
func (p Payment) EventCustomer() CustomerID { return p.Customer }
func (p Payment) EventTime() time.Time      { return p.PaidAt }
func (Payment) isEvent()                    {}

// Validate checks IDs (ValidateEventID), time (CheckEventTime), currency
// and lines: at most MaxLines, every line in the payment's currency with
// a known kind and a non-negative amount, and a total above zero. Plan,
// SKU, Description and Country are at most MaxTextLen bytes of UTF-8
// without NUL. Errors are *FieldError values naming the field.
func (p Payment) Validate() error {
	if err := ValidateEventID("Payment.ID", p.ID); err != nil {
		return err
	}
	if err := validateID("Payment.Customer", string(p.Customer)); err != nil {
		return err
	}
	if err := CheckEventTime("Payment.PaidAt", p.PaidAt); err != nil {
		return err
	}
	if err := p.Currency.Validate(); err != nil {
		return &FieldError{Field: "Payment.Currency", Reason: err.(*FieldError).Reason, Err: ErrUnknownCurrency}
	}
	if len(p.Lines) == 0 {
		return fieldErr("Payment.Lines", "no lines")
	}
	if len(p.Lines) > MaxLines {
		return fieldErr("Payment.Lines", itoa(len(p.Lines))+" lines, more than MaxLines ("+itoa(MaxLines)+")")
	}
	if err := validateText("Payment.Country", p.Country); err != nil {
		return err
	}
	for i, l := range p.Lines {
		// The field's name is built only for an error: this runs for every
		// line of every payment recorded.
		field := func(name string) string { return "Payment.Lines[" + itoa(i) + "]" + name }
		if !l.Kind.Valid() {
			return fieldErr(field(".Kind"), quote(string(l.Kind))+" is not a line kind")
		}
		for _, f := range [...]struct{ name, v string }{{".Plan", l.Plan}, {".SKU", l.SKU}, {".Description", l.Description}} {
			if validateText("", f.v) != nil {
				return validateText(field(f.name), f.v)
			}
		}
		if l.Amount.Currency() != p.Currency {
			return &FieldError{Field: field(".Amount"), Reason: "currency " + quote(string(l.Amount.Currency())) + " differs from the payment's " + string(p.Currency), Err: ErrCurrencyMismatch}
		}
		if l.Amount.Sign() < 0 {
			return fieldErr(field(".Amount"), "negative amount "+l.Amount.String())
		}
	}
	total, err := p.Total()
	if err != nil {
		return &FieldError{Field: "Payment.Lines", Reason: "total out of range", Err: ErrOverflow}
	}
	if total.Sign() <= 0 {
		return fieldErr("Payment.Lines", "total "+total.String()+" is not above zero")
	}
	if p.Conversion != (Conversion{}) {
		if err := p.Conversion.To.Validate(); err != nil {
			return &FieldError{Field: "Payment.Conversion.To", Reason: err.(*FieldError).Reason, Err: ErrUnknownCurrency}
		}
		if p.Conversion.Rate.IsZero() {
			return fieldErr("Payment.Conversion.Rate", "zero rate")
		}
	}
	return nil
}

// Total returns what the customer paid: every line, with discounts
// subtracted.
func (p Payment) Total() (Money, error) {
	return p.Sum(func(LineKind) bool { return true })
}

// Sum adds the lines whose kind include accepts, subtracting accepted
// discount lines, in the payment's currency.
func (p Payment) Sum(include func(LineKind) bool) (Money, error) {
	total, err := NewMoney(0, p.Currency)
	if err != nil {
		return Money{}, err
	}
	for _, l := range p.Lines {
		if !include(l.Kind) {
			continue
		}
		amt := l.Amount
		if l.Kind == LineDiscount {
			amt = amt.Neg()
		}
		if total, err = total.Add(amt); err != nil {
			return Money{}, err
		}
	}
	return total, nil
}

// RefundKind says why money went back to the customer.
type RefundKind string

const (
	KindRefund     RefundKind = "refund"     // the host refunded
	KindChargeback RefundKind = "chargeback" // the card network reversed it
)

// Refund returns some or all of a payment to the customer. It reverses the
// commission earned on that payment pro rata. A Full refund returns
// whatever remains of the payment; a partial one returns Amount.
type Refund struct {
	ID         EventID
	Payment    EventID
	Customer   CustomerID
	RefundedAt time.Time
	Kind       RefundKind
	Full       bool
	Amount     Money // required when !Full; must be zero or absent when Full
}

func (r Refund) EventID() EventID          { return r.ID }
func (r Refund) EventCustomer() CustomerID { return r.Customer }
func (r Refund) EventTime() time.Time      { return r.RefundedAt }
func (Refund) isEvent()                    {}

// Validate checks IDs, time, kind and amount. A partial refund needs a
// positive amount in a known currency; a full one may leave Amount empty.
func (r Refund) Validate() error {
	if err := ValidateEventID("Refund.ID", r.ID); err != nil {
		return err
	}
	if err := validateID("Refund.Payment", string(r.Payment)); err != nil {
		return err
	}
	if r.Payment == r.ID {
		return fieldErr("Refund.Payment", "a refund cannot reference itself")
	}
	if err := validateID("Refund.Customer", string(r.Customer)); err != nil {
		return err
	}
	if err := CheckEventTime("Refund.RefundedAt", r.RefundedAt); err != nil {
		return err
	}
	if r.Kind != KindRefund && r.Kind != KindChargeback {
		return fieldErr("Refund.Kind", quote(string(r.Kind))+" is not refund or chargeback")
	}
	if r.Full {
		if r.Amount != (Money{}) {
			return fieldErr("Refund.Amount", "a full refund takes no amount")
		}
		return nil
	}
	if err := r.Amount.Validate(); err != nil {
		return &FieldError{Field: "Refund.Amount", Reason: "a partial refund needs an amount in a known currency", Err: ErrUnknownCurrency}
	}
	if r.Amount.Sign() <= 0 {
		return fieldErr("Refund.Amount", r.Amount.String()+" is not above zero")
	}
	return nil
}
