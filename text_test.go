package affiliate_test

import (
	"strings"
	"testing"

	"github.com/openaffiliate/affiliate"
)

// Text partners type and managers read is refused, not cleaned, when it
// holds what could rewrite a dashboard or a terminal.
func TestValidateDisplayText(t *testing.T) {
	cases := []struct {
		name, s string
		ok      bool
	}{
		{"plain", "Acme GmbH", true},
		{"accents and CJK", "Société Générale 株式会社", true},
		{"Arabic, right to left by itself", "شركة أكمي", true},
		{"empty", "", true},
		{"MaxTextLen bytes", strings.Repeat("a", affiliate.MaxTextLen), true},
		{"NUL", "Acme\x00", false},
		{"ANSI escape", "Acme\x1b[2J", false},
		{"newline", "Acme\nInc", false},
		{"tab", "Acme\tInc", false},
		{"DEL", "Acme\x7f", false},
		{"C1 CSI", "Acme\u009b31m", false},
		{"right-to-left override", "Acme \u202egnp.exe", false},
		{"left-to-right mark", "Acme\u200e", false},
		{"first strong isolate", "\u2068Acme", false},
		{"Arabic letter mark", "\u061cAcme", false},
		{"not UTF-8", "Acme\xff", false},
		{"too long", strings.Repeat("a", affiliate.MaxTextLen+1), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := affiliate.ValidateDisplayText("Lead.Company", tc.s)
			if tc.ok {
				if err != nil {
					t.Fatalf("ValidateDisplayText(%q) = %v, want nil", tc.s, err)
				}
				return
			}
			wantFieldError(t, err, "Lead.Company")
			l := affiliate.Lead{ID: "l1", Affiliate: "a1", Company: "Acme " + tc.s, Email: "dana@acme.com"}
			wantFieldError(t, l.Validate(), "Lead.Company")
		})
	}
}
