package rules_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
)

// TestRatesAbove100PercentAreRefused: "rate": "5" meant as 5% pays 500%,
// so a rate above 1 is refused unless the spec says allow_over_100, and a
// negative rate never parses. Every refusal matches affiliate.ErrInvalid
// and says what to write instead.
func TestRatesAbove100PercentAreRefused(t *testing.T) {
	reg := rules.NewRegistry()
	tests := []struct {
		name, doc string
		ok        bool
		says      string // part of the error
	}{
		{"rate 5 (meant 5%)", `{"type":"percent","params":{"rate":"5"}}`, false, `"0.05" is 5%`},
		{"percent 500", `{"type":"percent","params":{"percent":"500"}}`, false, "allow_over_100"},
		{"rate 1.0001", `{"type":"percent","params":{"rate":"1.0001"}}`, false, "100.01%"},
		{"rate 1 (100%) is allowed", `{"type":"percent","params":{"rate":"1"}}`, true, ""},
		{"rate 5 allowed explicitly", `{"type":"percent","params":{"rate":"5","allow_over_100":true}}`, true, ""},
		{"negative rate", `{"type":"percent","params":{"rate":"-0.05"}}`, false, "not a plain decimal"},
		{"negative percent", `{"type":"percent","params":{"percent":"-5"}}`, false, "never negative"},
		{"deferred at 150%", `{"type":"deferred","params":{"percent":"150","months":2}}`, false, "allow_over_100"},
		{"deferred at 150% allowed", `{"type":"deferred","params":{"percent":"150","months":2,"allow_over_100":true}}`, true, ""},
		{"bonus rate 5", `{"type":"sub_affiliate_bonus","params":{"rate":"5"}}`, false, "AllowOver100"},
		{"nested, with its path", `{"type":"all_of","rules":[{"type":"tier_rate"},{"type":"percent","name":"x","params":{"rate":"30"}}]}`, false, "3000%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := build(t, reg, tt.doc)
			if tt.ok {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("err = %v, want one matching affiliate.ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tt.says) {
				t.Errorf("err = %q, want it to say %q", err, tt.says)
			}
		})
	}
	// Rules built in Go get the same check from Validate (the engine runs
	// it when it is built).
	for _, r := range []rules.Rule{
		rules.Percent{Rate: affiliate.MustRate("5")},
		rules.Deferred{Rate: affiliate.MustRate("2"), Months: 2},
		rules.SubAffiliateBonus{Rate: affiliate.MustRate("1.5")},
	} {
		var ce *rules.ConfigError
		if err := rules.Validate(r); !errors.As(err, &ce) || ce.Field != "Rate" {
			t.Errorf("Validate(%#v) = %v, want a *ConfigError on Rate", r, err)
		}
	}
	if err := rules.Validate(rules.Percent{Rate: affiliate.MustRate("5"), AllowOver100: true}); err != nil {
		t.Errorf("AllowOver100 still refused: %v", err)
	}
}
