package payfile

import (
	"strings"
	"unicode"

	"github.com/openaffiliate/affiliate"
)

// SEPALatin returns s in the character set every SEPA bank must accept
// (the EPC's Latin set: a-z A-Z 0-9 / - ? : ( ) . , ' + and space), so a
// bank that takes nothing else neither rejects the file nor garbles a name.
// The rule:
//
//   - characters of the set stay;
//   - a Latin letter with a diacritic becomes its base letter (é → e,
//     ä → a, ł → l, ß → ss, æ → ae, þ → th); a combining mark is dropped;
//   - common punctuation has a look-alike in the set (& → +, _ → -,
//     " and typographic quotes → ', [ { < → (, ] } > → ), ; → ,, ! → .,
//     dashes → -); any other symbol, control or space character becomes a
//     space;
//   - runs of spaces collapse and the ends are trimmed.
//
// A letter or digit of another script (Cyrillic, Greek, Han...) has no
// faithful Latin form, so it is refused rather than guessed: the host
// stores a Latin name for that payee. Returns a *affiliate.FieldError
// (ErrInvalid) naming field for such a letter or when nothing is left.
func SEPALatin(field, s string) (string, error) {
	var b strings.Builder
	for _, r := range s {
		if t, ok := latin[r]; ok {
			b.WriteString(t)
			continue
		}
		switch {
		case epcLatin(r):
			b.WriteRune(r)
		case unicode.Is(unicode.Mn, r): // the accent of a decomposed letter
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			return "", &affiliate.FieldError{Field: field, Reason: "holds " + string(r) + ", which SEPA's Latin character set cannot carry; store a Latin spelling"}
		default:
			b.WriteByte(' ')
		}
	}
	out := strings.Join(strings.Fields(b.String()), " ")
	if out == "" {
		return "", &affiliate.FieldError{Field: field, Reason: "has nothing left in SEPA's Latin character set"}
	}
	return out, nil
}

// EndToEndID is the form of a payout ID a SEPA file carries as its
// EndToEndId, and the bank's status report sends back: "_" becomes "-"
// (payout IDs are "po_<period>_<hex>", and "_" is not in SEPA's Latin
// set). Apply accepts a payout by either form.
func EndToEndID(id affiliate.PayoutID) string { return strings.ReplaceAll(string(id), "_", "-") }

// validSEPAID reports why id cannot be a SEPA reference, or "": 1 to 35
// characters of the Latin set, not starting or ending with "/" and
// without "//" (the EPC's rule for identifiers).
func validSEPAID(id string) string {
	switch {
	case id == "" || len(id) > 35:
		return "must have 1 to ISO 20022's 35 characters"
	case strings.IndexFunc(id, func(r rune) bool { return !epcLatin(r) || r == ' ' }) >= 0:
		return "holds a character outside SEPA's Latin set"
	case strings.HasPrefix(id, "/") || strings.HasSuffix(id, "/") || strings.Contains(id, "//"):
		return `starts or ends with "/" or holds "//"`
	}
	return ""
}

func epcLatin(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("/-?:().,'+ ", r)
}

// latin maps the letters of Latin-1 and Latin Extended-A (and Romanian's
// comma-below letters) and common punctuation to the EPC set.
var latin = func() map[rune]string {
	m := make(map[rune]string)
	for from, to := range map[string]string{
		"ÀÁÂÃÄÅĀĂĄ": "A", "àáâãäåāăą": "a", "Æ": "AE", "æ": "ae",
		"ÇĆĈĊČ": "C", "çćĉċč": "c", "ĎĐÐ": "D", "ďđð": "d",
		"ÈÉÊËĒĔĖĘĚ": "E", "èéêëēĕėęě": "e", "ĜĞĠĢ": "G", "ĝğġģ": "g",
		"ĤĦ": "H", "ĥħ": "h", "ÌÍÎÏĨĪĬĮİ": "I", "ìíîïĩīĭįı": "i", "Ĳ": "IJ", "ĳ": "ij",
		"Ĵ": "J", "ĵ": "j", "Ķ": "K", "ķĸ": "k", "ĹĻĽĿŁ": "L", "ĺļľŀł": "l",
		"ÑŃŅŇŊ": "N", "ñńņňŉŋ": "n", "ÒÓÔÕÖØŌŎŐ": "O", "òóôõöøōŏő": "o", "Œ": "OE", "œ": "oe",
		"ŔŖŘ": "R", "ŕŗř": "r", "ŚŜŞŠȘ": "S", "śŝşšșſ": "s", "ß": "ss",
		"ŢŤŦȚ": "T", "ţťŧț": "t", "Þ": "TH", "þ": "th",
		"ÙÚÛÜŨŪŬŮŰŲ": "U", "ùúûüũūŭůűų": "u", "Ŵ": "W", "ŵ": "w",
		"ÝŶŸ": "Y", "ýÿŷ": "y", "ŹŻŽ": "Z", "źżž": "z",
		"&": "+", "_": "-", "\"`´‘’‚‛“”„": "'", "[{<«": "(", "]}>»": ")",
		";": ",", "!": ".", "‐‑‒–—": "-",
	} {
		for _, r := range from {
			m[r] = to
		}
	}
	return m
}()
