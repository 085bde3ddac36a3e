package portal_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/portal"
	"github.com/openaffiliate/affiliate/report"
)

func TestLocaleMoney(t *testing.T) {
	m := func(s string, c affiliate.Currency) affiliate.Money { return affiliate.MustParseMoney(s, string(c)) }
	cases := []struct {
		tag  string
		m    affiliate.Money
		want string
	}{
		{"en-US", m("1234567.89", "USD"), "$1,234,567.89"},
		{"en-US", m("-0.05", "EUR"), "-€0.05"},
		{"en-GB", m("1000", "GBP"), "£1,000.00"},
		{"de-DE", m("1234.5", "EUR"), "1.234,50\u00a0€"},
		{"de-AT", m("1234.5", "EUR"), "1.234,50\u00a0€"}, // the language's first locale
		{"fr-FR", m("1234567", "EUR"), "1\u202f234\u202f567,00\u00a0€"},
		{"nl-NL", m("-1234.5", "EUR"), "-€1.234,50"},
		{"en-US", m("1500", "JPY"), "¥1,500"},          // no minor unit
		{"en-US", m("1.234", "BHD"), "1.234\u00a0BHD"}, // three places, no symbol
		{"xx", m("999", "CHF"), "999.00\u00a0CHF"},     // unknown tag: en-US
		{"de-DE", affiliate.Money{}, "–"},
	}
	for _, tc := range cases {
		if got := portal.LookupLocale(tc.tag).Money(tc.m); got != tc.want {
			t.Errorf("%s: Money(%s) = %q, want %q", tc.tag, tc.m, got, tc.want)
		}
	}
	de := portal.LookupLocale("de-DE")
	if got := de.Ratio(report.Ratio{Num: 1, Den: 8}); got != "12,5\u00a0%" {
		t.Errorf("de-DE Ratio(1/8) = %q", got)
	}
	if got := de.Rate(affiliate.MustPercent("2.5")); got != "2,5\u00a0%" {
		t.Errorf("de-DE Rate(2.5%%) = %q", got)
	}
	if got := portal.LookupLocale("en-US").Ratio(report.Ratio{}); got != "n/a" {
		t.Errorf("Ratio without a denominator = %q", got)
	}
}

// A formatted amount is the amount: stripping the locale's marks gives
// back Money's own decimal string, for any amount and locale.
func TestLocaleMoneyIsExact(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tag := rapid.SampledFrom([]string{"en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "nl-NL"}).Draw(t, "tag")
		cur := rapid.SampledFrom([]affiliate.Currency{"EUR", "USD", "JPY", "BHD", "CHF"}).Draw(t, "currency")
		m := affiliate.MustMoney(rapid.Int64Range(-1e15, 1e15).Draw(t, "minor"), cur)
		l := portal.LookupLocale(tag)
		s := l.Money(m)
		for _, sym := range []string{"€", "$", "¥", "£", string(cur), "\u00a0"} {
			s = strings.ReplaceAll(s, sym, "")
		}
		s = strings.ReplaceAll(s, l.Group, "")
		s = strings.Replace(s, l.Decimal, ".", 1)
		if s != m.AmountString() {
			t.Fatalf("%s %s → %q → %q, want %q", tag, m, l.Money(m), s, m.AmountString())
		}
	})
}

func TestMaskEmail(t *testing.T) {
	for in, want := range map[string]string{
		"jane.doe@acme.com":   "j•••@a•••.com",
		"ops@mail.acme.co.uk": "o•••@m•••.uk",
		"no-at-sign":          "n•••",
		"":                    "•••",
		"élodie@café.fr":      "é•••@c•••.fr",
	} {
		if got := portal.MaskEmail(in); got != want {
			t.Errorf("MaskEmail(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzAcceptLanguage: any header picks a known locale, and never panics.
func FuzzAcceptLanguage(f *testing.F) {
	for _, s := range []string{"de-CH,de;q=0.9,en;q=0.8", "*", "", ",,;q=", "fr", "zz-ZZ, nl"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		w := newWorldOnce(t)
		r := httptest.NewRequest("GET", "/portal/", nil)
		r.Header.Set("Accept-Language", header)
		r.Header.Set("X-Test-Affiliate", "ann")
		rec := serve(w, r)
		if rec.Code != 200 {
			t.Fatalf("Accept-Language %q: %d", header, rec.Code)
		}
		lang := strings.Split(strings.Split(rec.Body.String(), `<html lang="`)[1], `"`)[0]
		if _, ok := portal.Locales[lang]; !ok {
			t.Fatalf("Accept-Language %q gave lang %q, not a known locale", header, lang)
		}
	})
}
