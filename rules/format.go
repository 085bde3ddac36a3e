package rules

import (
	"bytes"
	"strconv"

	"github.com/openaffiliate/affiliate"
)

// pct formats r as a percentage ("15%", "2.5%") without going through a
// decimal.
func pct(r affiliate.Rate) string { return string(appendPct(nil, r)) }

// appendPct appends pct(r) to b. Explanations are written on every
// accrual, so they are built with appends into one buffer and made a
// string once.
func appendPct(b []byte, r affiliate.Rate) []byte {
	var buf [48]byte
	intPart, frac, _ := bytes.Cut(r.AppendString(buf[:0]), []byte("."))
	var whole [48]byte
	w := append(whole[:0], intPart...)
	for i := range 2 {
		if i < len(frac) {
			w = append(w, frac[i])
		} else {
			w = append(w, '0')
		}
	}
	if w = bytes.TrimLeft(w, "0"); len(w) == 0 {
		w = append(w, '0')
	}
	b = append(b, w...)
	if len(frac) > 2 {
		if rest := bytes.TrimRight(frac[2:], "0"); len(rest) > 0 {
			b = append(append(b, '.'), rest...)
		}
	}
	return append(b, '%')
}

// describeBase renders "220.00 USD (subscription, add_on)".
func describeBase(base affiliate.Money, kinds []affiliate.LineKind) string {
	return string(appendBase(nil, base, kinds))
}

// appendBase appends describeBase(base, kinds) to b.
func appendBase(b []byte, base affiliate.Money, kinds []affiliate.LineKind) []byte {
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

func itoa(i int) string { return strconv.Itoa(i) }

func quote(s string) string { return strconv.Quote(s) }

func nameOr(name, def string) string {
	if name == "" {
		return def
	}
	return name
}
