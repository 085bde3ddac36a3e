package portal

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/report"
)

// Locale says how a page writes numbers, money and dates. The portal
// carries a small table of them (Locales) instead of a dependency on
// CLDR data: a host whose affiliates need another adds it to the table
// before building the handler, or maps its tags onto these.
type Locale struct {
	Tag      string // BCP 47, such as "de-DE"
	Decimal  string // decimal separator
	Group    string // thousands separator
	Percent  string // between a number and "%": "" or a no-break space
	Date     string // time.Format layout of a day
	Month    string // time.Format layout of a month
	Currency map[affiliate.Currency]string
	// SymbolAfter writes "1.234,56 €" instead of "€1,234.56".
	SymbolAfter bool
}

const nbsp = "\u00a0"

// Locales are the locales a handler knows, by tag. Lookup falls back
// from "de-AT" to the first of the language ("de-DE"), then to en-US.
var Locales = map[string]Locale{
	"en-US": {Tag: "en-US", Decimal: ".", Group: ",", Date: "Jan 2, 2006", Month: "January 2006", Currency: symbols},
	"en-GB": {Tag: "en-GB", Decimal: ".", Group: ",", Date: "2 Jan 2006", Month: "January 2006", Currency: symbols},
	"de-DE": {Tag: "de-DE", Decimal: ",", Group: ".", Percent: nbsp, Date: "02.01.2006", Month: "01/2006", Currency: symbols, SymbolAfter: true},
	"fr-FR": {Tag: "fr-FR", Decimal: ",", Group: "\u202f", Percent: "\u202f", Date: "02/01/2006", Month: "01/2006", Currency: symbols, SymbolAfter: true},
	"es-ES": {Tag: "es-ES", Decimal: ",", Group: ".", Percent: nbsp, Date: "02/01/2006", Month: "01/2006", Currency: symbols, SymbolAfter: true},
	"nl-NL": {Tag: "nl-NL", Decimal: ",", Group: ".", Date: "02-01-2006", Month: "01-2006", Currency: symbols},
}

var symbols = map[affiliate.Currency]string{"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}

// LookupLocale returns the locale of tag: the exact tag, else the first
// locale (by tag) of its language, else en-US.
func LookupLocale(tag string) Locale {
	tag = strings.TrimSpace(tag)
	for k, l := range Locales {
		if strings.EqualFold(k, tag) {
			return l
		}
	}
	if l, ok := byLanguage(tag); ok {
		return l
	}
	return Locales["en-US"]
}

func byLanguage(tag string) (Locale, bool) {
	lang, _, _ := strings.Cut(tag, "-")
	best := ""
	for k := range Locales {
		if l, _, _ := strings.Cut(k, "-"); strings.EqualFold(l, lang) && (best == "" || k < best) {
			best = k
		}
	}
	return Locales[best], best != ""
}

// acceptLanguage picks the first tag of an Accept-Language header the
// table knows (by tag or language), ignoring q-values' order beyond the
// header's own: browsers send them sorted.
func acceptLanguage(r *http.Request) Locale {
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(part, ";")
		tag = strings.TrimSpace(tag)
		for k, l := range Locales {
			if strings.EqualFold(k, tag) {
				return l
			}
		}
		if l, ok := byLanguage(tag); ok && tag != "" && tag != "*" {
			return l
		}
	}
	return Locales["en-US"]
}

// Int writes n with the locale's thousands separator.
func (l Locale) Int(n int64) string {
	if n < 0 {
		return "-" + l.group(strconv.FormatUint(uint64(-n), 10)) // -MinInt64 wraps to itself, right as uint64
	}
	return l.group(strconv.FormatInt(n, 10))
}

// group puts the thousands separator into a string of digits.
func (l Locale) group(digits string) string {
	var b strings.Builder
	for i := range len(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(l.Group)
		}
		b.WriteByte(digits[i])
	}
	return b.String()
}

// Money writes m exactly, from its minor units at its currency's scale:
// "€1,234.56" in en-US, "1.234,56 €" in de-DE; a currency without a
// symbol is written by its code ("1,234 CHF"). No float is involved.
func (l Locale) Money(m affiliate.Money) string {
	c := m.Currency()
	if c == "" {
		return "–"
	}
	minor, scale := m.Minor(), int(c.Scale())
	neg := minor < 0
	abs := uint64(minor)
	if neg {
		abs = uint64(-minor)
	}
	digits := strconv.FormatUint(abs, 10)
	for len(digits) <= scale {
		digits = "0" + digits
	}
	whole, frac := digits[:len(digits)-scale], digits[len(digits)-scale:]
	num := l.group(whole)
	if scale > 0 {
		num += l.Decimal + frac
	}
	sign := ""
	if neg {
		sign = "-"
	}
	sym, ok := l.Currency[c]
	switch {
	case !ok:
		return sign + num + nbsp + string(c)
	case l.SymbolAfter:
		return sign + num + nbsp + sym
	}
	return sign + sym + num
}

// Ratio writes a funnel rate with one decimal ("12.5%", "12,5 %"), or
// "n/a".
func (l Locale) Ratio(r report.Ratio) string {
	if !r.Defined() {
		return "n/a"
	}
	return strings.Replace(r.Percent(1).StringFixed(1), ".", l.Decimal, 1) + l.Percent + "%"
}

// Rate writes a commission rate ("20%", "2,5 %").
func (l Locale) Rate(r affiliate.Rate) string {
	s := r.PercentString()
	num, ok := strings.CutSuffix(s, "%")
	if !ok {
		return s
	}
	return strings.Replace(num, ".", l.Decimal, 1) + l.Percent + "%"
}

// Day writes t's day in loc.
func (l Locale) Day(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "–"
	}
	return t.In(loc).Format(l.Date)
}

// Period writes a month ("January 2026", "01/2026").
func (l Locale) Period(p affiliate.Period) string { return p.Start().Format(l.Month) }
