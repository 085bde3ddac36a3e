package affiliate_test

import (
	"slices"
	"testing"

	"github.com/openaffiliate/affiliate"
)

// listOne is ISO 4217 list one as published on 2025-05-12 with Amendment
// 179 (SIX Financial Information, list-one.xml): every active code and its
// CcyMnrUnts, "N.A." written as -1. It is typed out again here, apart
// from the package's table, so that a slip in one shows up against the
// other.
var listOne = map[affiliate.Currency]int32{
	"AED": 2, "AFN": 2, "ALL": 2, "AMD": 2, "AOA": 2, "ARS": 2, "AUD": 2, "AWG": 2,
	"AZN": 2, "BAM": 2, "BBD": 2, "BDT": 2, "BGN": 2, "BHD": 3, "BIF": 0, "BMD": 2,
	"BND": 2, "BOB": 2, "BOV": 2, "BRL": 2, "BSD": 2, "BTN": 2, "BWP": 2, "BYN": 2,
	"BZD": 2, "CAD": 2, "CDF": 2, "CHE": 2, "CHF": 2, "CHW": 2, "CLF": 4, "CLP": 0,
	"CNY": 2, "COP": 2, "COU": 2, "CRC": 2, "CUP": 2, "CVE": 2, "CZK": 2, "DJF": 0,
	"DKK": 2, "DOP": 2, "DZD": 2, "EGP": 2, "ERN": 2, "ETB": 2, "EUR": 2, "FJD": 2,
	"FKP": 2, "GBP": 2, "GEL": 2, "GHS": 2, "GIP": 2, "GMD": 2, "GNF": 0, "GTQ": 2,
	"GYD": 2, "HKD": 2, "HNL": 2, "HTG": 2, "HUF": 2, "IDR": 2, "ILS": 2, "INR": 2,
	"IQD": 3, "IRR": 2, "ISK": 0, "JMD": 2, "JOD": 3, "JPY": 0, "KES": 2, "KGS": 2,
	"KHR": 2, "KMF": 0, "KPW": 2, "KRW": 0, "KWD": 3, "KYD": 2, "KZT": 2, "LAK": 2,
	"LBP": 2, "LKR": 2, "LRD": 2, "LSL": 2, "LYD": 3, "MAD": 2, "MDL": 2, "MGA": 2,
	"MKD": 2, "MMK": 2, "MNT": 2, "MOP": 2, "MRU": 2, "MUR": 2, "MVR": 2, "MWK": 2,
	"MXN": 2, "MXV": 2, "MYR": 2, "MZN": 2, "NAD": 2, "NGN": 2, "NIO": 2, "NOK": 2,
	"NPR": 2, "NZD": 2, "OMR": 3, "PAB": 2, "PEN": 2, "PGK": 2, "PHP": 2, "PKR": 2,
	"PLN": 2, "PYG": 0, "QAR": 2, "RON": 2, "RSD": 2, "RUB": 2, "RWF": 0, "SAR": 2,
	"SBD": 2, "SCR": 2, "SDG": 2, "SEK": 2, "SGD": 2, "SHP": 2, "SLE": 2, "SOS": 2,
	"SRD": 2, "SSP": 2, "STN": 2, "SVC": 2, "SYP": 2, "SZL": 2, "THB": 2, "TJS": 2,
	"TMT": 2, "TND": 3, "TOP": 2, "TRY": 2, "TTD": 2, "TWD": 2, "TZS": 2, "UAH": 2,
	"UGX": 0, "USD": 2, "USN": 2, "UYI": 0, "UYU": 2, "UYW": 4, "UZS": 2, "VED": 2,
	"VES": 2, "VND": 0, "VUV": 0, "WST": 2, "XAD": 2, "XAF": 0, "XCD": 2, "XCG": 2,
	"XOF": 0, "XPF": 0, "YER": 2, "ZAR": 2, "ZMW": 2, "ZWG": 2,
	"XAG": -1, "XAU": -1, "XBA": -1, "XBB": -1, "XBC": -1, "XBD": -1, "XDR": -1,
	"XPD": -1, "XPT": -1, "XSU": -1, "XTS": -1, "XUA": -1, "XXX": -1,
}

// TestCurrenciesAreISO4217ListOne: the bundled table is exactly the codes
// of list one that have a minor unit, each with that minor unit; the
// "N.A." codes are unknown (Scale -1).
func TestCurrenciesAreISO4217ListOne(t *testing.T) {
	if len(listOne) != 179 {
		t.Fatalf("the reference table has %d codes; list one of 2025-05-12 has 179", len(listOne))
	}
	var want []affiliate.Currency
	for c, units := range listOne {
		if got := c.Scale(); got != units {
			t.Errorf("%s.Scale() = %d, list one says %d", c, got, units)
		}
		if units >= 0 {
			want = append(want, c)
		}
	}
	slices.Sort(want)
	if got := affiliate.Currencies(); !slices.Equal(got, want) {
		t.Errorf("Currencies() has %d codes, list one has %d with a minor unit; extra or missing: %v",
			len(got), len(want), symmetricDifference(got, want))
	}
}

// TestCurrenciesNamedInIssue12 pins the codes the issue found missing and
// the historic ones that must stay out.
func TestCurrenciesNamedInIssue12(t *testing.T) {
	for _, c := range []affiliate.Currency{"FKP", "GIP", "GYD", "HTG", "LRD", "LSL", "SBD", "SHP", "STN", "TJS", "XCG", "ZWG", "SLE", "VED"} {
		if err := c.Validate(); err != nil {
			t.Errorf("%s, an active ISO 4217 code, is refused: %v", c, err)
		}
	}
	for _, c := range []affiliate.Currency{"STD", "ANG", "HRK", "SLL", "CUC", "ZWL", "XAU", "XXX", "XTS"} {
		if err := c.Validate(); err == nil {
			t.Errorf("%s is accepted; it is historic or has no minor unit", c)
		}
	}
}

func symmetricDifference(a, b []affiliate.Currency) []affiliate.Currency {
	var out []affiliate.Currency
	for _, c := range a {
		if !slices.Contains(b, c) {
			out = append(out, c)
		}
	}
	for _, c := range b {
		if !slices.Contains(a, c) {
			out = append(out, c)
		}
	}
	return out
}
