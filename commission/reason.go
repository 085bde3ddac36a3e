package commission

import (
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
)

// Reason says why a payment earned nothing, in terms a host can show to
// support staff ("why did my referral pay me nothing?"). The zero value,
// Earned, means it earned something, or the event is not a payment.
type Reason uint8

const (
	Earned             Reason = iota
	NoBinding                 // the customer is bound to no affiliate
	BindingExpired            // the binding ended before the payment
	AffiliateSuspended        // the bound affiliate is suspended: it earns nothing new
	TermsNotInEffect          // the payment predates the first terms version
	NoRevenue                 // the payment holds no revenue (only tax or shipping, or fully discounted)
	NotConvertible            // the payment has no conversion to the program's currency
	ConditionNotMet           // the rule accrued nothing: a condition, a count or a deferral not met
)

var reasonNames = [...]string{"earned", "no binding", "binding expired", "affiliate suspended", "terms not in effect", "no revenue", "currency not convertible", "condition not met"}

func (r Reason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return "reason(" + itoa(int(r)) + ")"
}

// Why is the reason a payment earned nothing with the detail that names
// the binding, affiliate, terms or rule involved.
type Why struct {
	Reason Reason
	Detail string
}

func (w Why) String() string {
	if w.Detail == "" {
		return w.Reason.String()
	}
	return w.Reason.String() + ": " + w.Detail
}

// whyNothing explains a payment whose pricing accrued nothing about it,
// checked from the most specific reason to the least. It is called once a
// binding active at the payment and terms in effect were found.
func (e *Engine) whyNothing(c *customer, p affiliate.Payment, tv TermsVersion) Why {
	switch {
	case len(c.chain) > 0 && c.chain[0].Status == affiliate.StatusSuspended:
		return Why{AffiliateSuspended, "affiliate " + quote(string(c.chain[0].ID)) + " is suspended"}
	case e.revenueOf(p).IsZero():
		return Why{NoRevenue, "nothing in payment " + quote(string(p.ID)) + " counts as revenue"}
	case e.currency != "" && p.Currency != e.currency && p.Conversion.To != e.currency:
		return Why{NotConvertible, "payment " + quote(string(p.ID)) + " is in " + string(p.Currency) + " with no conversion to " + string(e.currency)}
	}
	return Why{ConditionNotMet, "the rule of terms " + quote(tv.Version) + " accrued nothing on payment " + quote(string(p.ID))}
}

// whyUnpriced explains a payment priced before any rule ran: no binding,
// an expired one, or no terms in effect.
func (e *Engine) whyUnpriced(c *customer, p affiliate.Payment) Why {
	switch {
	case !c.bound:
		return Why{NoBinding, "customer " + quote(string(c.id)) + " is bound to no affiliate"}
	case !c.binding.Active(p.PaidAt):
		return Why{BindingExpired, "the binding to " + quote(string(c.binding.Affiliate)) + " ended at " + c.binding.ExpiresAt.UTC().Format(time.RFC3339)}
	}
	from := e.terms[0].From.UTC().Format(time.RFC3339)
	return Why{TermsNotInEffect, "payment at " + p.PaidAt.UTC().Format(time.RFC3339) + " precedes the first terms version, from " + from}
}

// earnsOn reports whether accs hold a positive accrual about payment id.
func earnsOn(accs []rules.Accrual, id affiliate.EventID) bool {
	for _, a := range accs {
		if a.Payment == id && a.Amount.Sign() > 0 {
			return true
		}
	}
	return false
}
