package rules

import (
	"strconv"
	"strings"

	"github.com/openaffiliate/affiliate"
)

// pct formats r as a percentage ("15%", "2.5%") without going through a
// decimal: explanations are written on every accrual, so this is on the
// hot path.
func pct(r affiliate.Rate) string {
	s := r.String()
	intPart, frac, _ := strings.Cut(s, ".")
	for len(frac) < 2 {
		frac += "0"
	}
	whole := strings.TrimLeft(intPart+frac[:2], "0")
	if whole == "" {
		whole = "0"
	}
	if rest := strings.TrimRight(frac[2:], "0"); rest != "" {
		return whole + "." + rest + "%"
	}
	return whole + "%"
}

// describeBase renders "220.00 USD (subscription, add_on)".
func describeBase(base affiliate.Money, kinds []affiliate.LineKind) string {
	var b strings.Builder
	b.WriteString(base.String())
	if len(kinds) > 0 {
		b.WriteString(" (")
		for i, k := range kinds {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(string(k))
		}
		b.WriteByte(')')
	}
	return b.String()
}

func itoa(i int) string { return strconv.Itoa(i) }

func quote(s string) string { return strconv.Quote(s) }

func nameOr(name, def string) string {
	if name == "" {
		return def
	}
	return name
}
