package affiliate

import (
	"strings"
)

// Currency is an ISO 4217 alphabetic code such as "EUR". Only codes in the
// bundled table are valid: the active codes of ISO 4217 list one that have
// a minor unit (see iso4217.go); the table gives each one's minor units
// (its scale), which fixes where amounts round.
type Currency string

// ParseCurrency reads a three-letter code in any letter case ("eur" as
// Stripe sends it, or "EUR") and returns the canonical upper-case Currency.
// It returns ErrUnknownCurrency (wrapped in a *FieldError) for a code that
// is not in the bundled table.
func ParseCurrency(code string) (Currency, error) {
	c := Currency(strings.ToUpper(strings.TrimSpace(code)))
	if err := c.Validate(); err != nil {
		return "", err
	}
	return c, nil
}

// Validate returns nil for a canonical code in the bundled table, and a
// *FieldError matching ErrUnknownCurrency otherwise.
func (c Currency) Validate() error {
	if c.Scale() < 0 {
		if c == "" {
			return &FieldError{Field: "Currency", Reason: "missing", Err: ErrUnknownCurrency}
		}
		return &FieldError{Field: "Currency", Reason: quote(string(c)) + " is not a known ISO 4217 code", Err: ErrUnknownCurrency}
	}
	return nil
}

// Scale returns the number of minor-unit digits (2 for EUR, 0 for JPY, 3
// for KWD), or -1 for an unknown currency.
func (c Currency) Scale() int32 {
	if len(c) != 3 {
		return -1
	}
	// Unsigned, a byte below 'A' wraps past 25 too: one test a letter.
	a, b, d := uint(c[0])-'A', uint(c[1])-'A', uint(c[2])-'A'
	if a > 25 || b > 25 || d > 25 {
		return -1
	}
	return int32(scales[(a*26+b)*26+d])
}

// scales is minorUnits indexed by a code's three letters in base 26, -1
// where no code is: every payment, line and entry checks its currency, and
// an array index costs a fraction of a string map's hash and probe.
var scales = func() (t [26 * 26 * 26]int8) {
	for i := range t {
		t[i] = -1
	}
	for c, s := range minorUnits {
		t[(int(c[0]-'A')*26+int(c[1]-'A'))*26+int(c[2]-'A')] = int8(s)
	}
	return t
}()

// Currencies returns every code in the bundled table, sorted.
func Currencies() []Currency {
	out := make([]Currency, 0, len(minorUnits))
	for c := range minorUnits {
		out = append(out, c)
	}
	sortCurrencies(out)
	return out
}
