package commission

import (
	"strings"

	"github.com/openaffiliate/affiliate"
)

// Explain renders why an entry has its amount, in one line: who gets
// what, of which kind, on which payment; the rule and terms version that
// produced it; the rate, base and base lines; the tier; the beneficiary
// chain; the entry it corrects; and the entry's line for people
// (affiliate.Entry.Describe). It reads nothing but the entry, so it
// explains any entry, the engine's or not.
//
//	aff-1 earns 6.00 USD (commission) on payment pay-1 of customer c-1: rule "rev_share", terms "v1", 30% of 20.00 USD [subscription], chain aff-1 — 30% of 20.00 USD (subscription)
func Explain(e affiliate.Entry) string {
	why := e.Describe()
	var b strings.Builder
	b.Grow(160 + len(why))
	b.WriteString(string(e.Beneficiary))
	switch {
	case e.Kind == affiliate.KindReversal:
		b.WriteString(" gives back ")
		b.WriteString(e.Amount.Neg().String())
	case e.Amount.Sign() < 0:
		b.WriteString(" loses ")
		b.WriteString(e.Amount.Neg().String())
	default:
		b.WriteString(" earns ")
		b.WriteString(e.Amount.String())
	}
	b.WriteString(" (")
	b.WriteString(string(e.Kind))
	b.WriteString(")")
	if e.Payment != "" {
		b.WriteString(" on payment ")
		b.WriteString(string(e.Payment))
	}
	if e.Customer != "" {
		b.WriteString(" of customer ")
		b.WriteString(string(e.Customer))
	}
	b.WriteString(": rule ")
	b.WriteString(quote(e.Rule))
	b.WriteString(", terms ")
	b.WriteString(quote(e.Terms))
	if !e.Rate.IsZero() || e.Base.Currency() != "" {
		b.WriteString(", ")
		if !e.Rate.IsZero() {
			b.WriteString(e.Rate.PercentString())
			b.WriteString(" of ")
		} else {
			b.WriteString("base ")
		}
		if e.Base.Currency() != "" {
			b.WriteString(e.Base.String())
		} else {
			b.WriteString("no base")
		}
		if len(e.BaseLines) > 0 {
			b.WriteString(" [")
			for i, k := range e.BaseLines {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(string(k))
			}
			b.WriteString("]")
		}
	}
	if e.Tier != "" {
		b.WriteString(", tier ")
		b.WriteString(quote(e.Tier))
	}
	if len(e.Chain) > 0 {
		b.WriteString(", chain ")
		for i, a := range e.Chain {
			if i > 0 {
				b.WriteString(" → ")
			}
			b.WriteString(string(a))
		}
	}
	if e.Corrects != "" {
		b.WriteString(", corrects ")
		b.WriteString(string(e.Corrects))
	}
	if why != "" {
		b.WriteString(" — ")
		b.WriteString(why)
	}
	return b.String()
}

// Explain is the package's Explain, here so that an *Engine is all a host
// needs at hand.
func (*Engine) Explain(e affiliate.Entry) string { return Explain(e) }
