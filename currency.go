package affiliate

import (
	"strings"
)

// Currency is an ISO 4217 alphabetic code such as "EUR". Only codes in the
// bundled table are valid; the table gives each one's minor units (its
// scale), which fixes where amounts round.
type Currency string

// minorUnits is the bundled ISO 4217 table: code to number of digits after
// the decimal point. It holds the currencies in active use for card and
// bank payments; a host that needs another one asks for it to be added.
var minorUnits = map[Currency]int32{
	"AED": 2, "AFN": 2, "ALL": 2, "AMD": 2, "ANG": 2, "AOA": 2, "ARS": 2, "AUD": 2,
	"AWG": 2, "AZN": 2, "BAM": 2, "BBD": 2, "BDT": 2, "BGN": 2, "BHD": 3, "BIF": 0,
	"BMD": 2, "BND": 2, "BOB": 2, "BRL": 2, "BSD": 2, "BWP": 2, "BYN": 2, "BZD": 2,
	"CAD": 2, "CDF": 2, "CHF": 2, "CLF": 4, "CLP": 0, "CNY": 2, "COP": 2, "CRC": 2,
	"CVE": 2, "CZK": 2, "DJF": 0, "DKK": 2, "DOP": 2, "DZD": 2, "EGP": 2, "ETB": 2,
	"EUR": 2, "FJD": 2, "GBP": 2, "GEL": 2, "GHS": 2, "GMD": 2, "GNF": 0, "GTQ": 2,
	"HKD": 2, "HNL": 2, "HUF": 2, "IDR": 2, "ILS": 2, "INR": 2, "IQD": 3, "ISK": 0,
	"JMD": 2, "JOD": 3, "JPY": 0, "KES": 2, "KGS": 2, "KHR": 2, "KMF": 0, "KRW": 0,
	"KWD": 3, "KYD": 2, "KZT": 2, "LAK": 2, "LBP": 2, "LKR": 2, "LYD": 3, "MAD": 2,
	"MDL": 2, "MGA": 2, "MKD": 2, "MMK": 2, "MNT": 2, "MOP": 2, "MUR": 2, "MVR": 2,
	"MWK": 2, "MXN": 2, "MYR": 2, "MZN": 2, "NAD": 2, "NGN": 2, "NIO": 2, "NOK": 2,
	"NPR": 2, "NZD": 2, "OMR": 3, "PAB": 2, "PEN": 2, "PGK": 2, "PHP": 2, "PKR": 2,
	"PLN": 2, "PYG": 0, "QAR": 2, "RON": 2, "RSD": 2, "RUB": 2, "RWF": 0, "SAR": 2,
	"SCR": 2, "SEK": 2, "SGD": 2, "SLE": 2, "SOS": 2, "SRD": 2, "SZL": 2, "THB": 2,
	"TND": 3, "TOP": 2, "TRY": 2, "TTD": 2, "TWD": 2, "TZS": 2, "UAH": 2, "UGX": 0,
	"USD": 2, "UYI": 0, "UYU": 2, "UYW": 4, "UZS": 2, "VND": 0, "VUV": 0, "WST": 2,
	"XAF": 0, "XCD": 2, "XOF": 0, "XPF": 0, "YER": 2, "ZAR": 2, "ZMW": 2,
}

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
	if _, ok := minorUnits[c]; !ok {
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
	s, ok := minorUnits[c]
	if !ok {
		return -1
	}
	return s
}

// Currencies returns every code in the bundled table, sorted.
func Currencies() []Currency {
	out := make([]Currency, 0, len(minorUnits))
	for c := range minorUnits {
		out = append(out, c)
	}
	sortCurrencies(out)
	return out
}
