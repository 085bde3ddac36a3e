package affiliate

import (
	"strconv"
	"strings"
)

// Describe is the entry's one line for people: "tier \"Standard\": 15% of
// 29.00 EUR (subscription)". It is rendered when asked for, from the
// fields, so that recording a payment builds no text.
//
// A commission or sub-affiliate bonus with a rate and a base is rendered
// from Rate, Base, BaseLines and Tier; a bonus says whose earning it is
// paid on from Chain: of the revenue (it has base lines) "… referred by"
// Chain[0], of the commission "Chain[0]'s commission …" (Chain is the
// child and the beneficiary), of a bonus further down "X's bonus …" (X
// the affiliate just below the beneficiary).
//
// The stored Explanation (a note) then decides: empty, the rendered line;
// starting with "; " (what Cap appends to the accrual it cuts), the
// rendered line followed by the note; anything else, the note alone. That
// last case keeps every entry that carries its own words, and every entry
// stored before explanations were rendered, reading as it always did.
func (e Entry) Describe() string {
	if e.Explanation != "" && !strings.HasPrefix(e.Explanation, "; ") || !e.rated() {
		return e.Explanation
	}
	b := make([]byte, 0, 64+len(e.Explanation))
	if e.Tier != "" {
		b = strconv.AppendQuote(append(b, "tier "...), e.Tier)
		if e.Kind == KindBonus {
			b = append(b, " bonus"...)
		}
		b = append(b, ": "...)
	}
	b = append(append(b, e.Rate.PercentString()...), " of "...)
	switch child := len(e.Chain) - 2; {
	case e.Kind == KindCommission || child < 0:
		b = appendBase(b, e.Base, e.BaseLines)
	case len(e.BaseLines) > 0:
		b = append(append(appendBase(b, e.Base, e.BaseLines), " referred by "...), e.Chain[0]...)
	case child == 0:
		b = e.Base.AppendString(append(append(b, e.Chain[0]...), "'s commission "...))
	default:
		b = e.Base.AppendString(append(append(b, e.Chain[child]...), "'s bonus "...))
	}
	return string(append(b, e.Explanation...))
}

// rated reports whether e is a commission or bonus with a rate and a
// base, the entries Describe renders.
func (e Entry) rated() bool {
	return (e.Kind == KindCommission || e.Kind == KindBonus) && !e.Rate.IsZero() && e.Base.Currency() != ""
}

// appendBase appends "220.00 USD (subscription, add_on)" to b.
func appendBase(b []byte, base Money, kinds []LineKind) []byte {
	b = base.AppendString(b)
	if len(kinds) > 0 {
		b = append(b, " ("...)
		for i, k := range kinds {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = append(b, k...)
		}
		b = append(b, ')')
	}
	return b
}
