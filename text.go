package affiliate

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// validateText refuses free text no store keeps as given: longer than
// MaxTextLen, not UTF-8, or holding a NUL byte.
func validateText(field, s string) error {
	switch {
	case len(s) > MaxTextLen:
		return fieldErr(field, itoa(len(s))+" bytes, more than MaxTextLen ("+itoa(MaxTextLen)+")")
	case !utf8.ValidString(s):
		return fieldErr(field, "not valid UTF-8")
	case strings.IndexByte(s, 0) >= 0:
		return fieldErr(field, "contains a NUL byte")
	}
	return nil
}

// ValidateDisplayText is the one rule for text that partners type and
// managers read (a lead's company, e-mail, website and profile): at most
// MaxTextLen bytes of UTF-8 holding no control character (U+0000–U+001F,
// U+007F–U+009F: NUL, newlines, ANSI escapes) and no bidirectional
// formatting character (U+061C, U+200E, U+200F, U+202A–U+202E,
// U+2066–U+2069), which could make a name read as another in a dashboard
// or a terminal. Such text is refused, never stripped, so what is stored
// is what was sent, on every store. It returns a *FieldError naming field.
func ValidateDisplayText(field, s string) error {
	if err := validateText(field, s); err != nil {
		return err
	}
	for _, r := range s {
		if r < 0x20 || (r >= 0x7f && r <= 0x9f) {
			return fieldErr(field, "contains the control character "+quoteRune(r))
		}
		if isBidiControl(r) {
			return fieldErr(field, "contains the bidirectional formatting character "+quoteRune(r))
		}
	}
	return nil
}

func isBidiControl(r rune) bool {
	return r == 0x061c || r == 0x200e || r == 0x200f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

func quoteRune(r rune) string { return fmt.Sprintf("U+%04X", r) }
