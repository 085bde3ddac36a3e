package rules_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
)

// nested returns an all_of spec wrapping n-1 levels of all_of around a
// percent rule: n levels in all.
func nested(n int) string {
	return strings.Repeat(`{"type":"all_of","rules":[`, n-1) + `{"type":"percent","params":{"percent":"30"}}` + strings.Repeat(`]}`, n-1)
}

// A stored spec decodes strictly: what json.Unmarshal used to ignore (a
// misspelt field, a key given twice) or decode at any cost (thousands of
// levels) is refused with a *SpecError matching ErrConfig.
func TestSpecDecodesStrictly(t *testing.T) {
	cases := []struct {
		name, doc string
		path      string // the *SpecError's Path; "-" when the document is accepted
	}{
		{"a percent rule", `{"type":"percent","name":"rev","params":{"percent":"30"}}`, "-"},
		{"rules nested to the limit", nested(affiliate.MaxRuleDepth), "-"},
		{"a misspelt params", `{"type":"percent","parms":{"percent":"30"}}`, ""},
		{"a misspelt field in a child", `{"type":"all_of","rules":[{"type":"percent","nmae":"x"}]}`, ""},
		{"type twice", `{"type":"percent","type":"bounty"}`, ""},
		{"type twice in another case", `{"type":"percent","TYPE":"flat","params":{"rate":"10"}}`, ""},
		{"a param twice with a Kelvin sign", `{"type":"percent","params":{"k":"30","K":"300"}}`, "params"},
		{"a param twice", `{"type":"percent","params":{"percent":"30","percent":"300"}}`, "params"},
		{"a key twice in a child", `{"type":"all_of","rules":[{"type":"tier_rate"},{"type":"percent","params":{},"params":{}}]}`, "rules[1]"},
		{"rules nested one level too deep", nested(affiliate.MaxRuleDepth + 1), "*"},
		{"4,900 levels", nested(4900), "*"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var s rules.Spec
			err := json.Unmarshal([]byte(tc.doc), &s)
			if tc.path == "-" {
				if err != nil {
					t.Fatalf("Unmarshal: %v", err)
				}
				if _, err := rules.NewRegistry().Build(s); err != nil {
					t.Fatalf("Build: %v", err)
				}
				return
			}
			var se *rules.SpecError
			if !errors.As(err, &se) || !errors.Is(err, rules.ErrConfig) || !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("Unmarshal = %v; want a *SpecError matching ErrConfig", err)
			}
			if tc.path != "*" && se.Path != tc.path {
				t.Errorf("Path = %q, want %q (%v)", se.Path, tc.path, err)
			}
		})
	}
}

// A spec built in Go is bounded too, and params given as raw JSON are
// checked for keys given twice.
func TestBuildRefusesWhatDecodingWould(t *testing.T) {
	deep := rules.Spec{Type: "percent", Params: json.RawMessage(`{"percent":"30"}`)}
	for range affiliate.MaxRuleDepth {
		deep = rules.Spec{Type: "all_of", Rules: []rules.Spec{deep}}
	}
	twice := rules.Spec{Type: "percent", Params: json.RawMessage(`{"percent":"30","percent":"300"}`)}
	for name, s := range map[string]rules.Spec{"too deep": deep, "a param twice": twice} {
		if _, err := rules.NewRegistry().Build(s); !errors.Is(err, rules.ErrConfig) {
			t.Errorf("%s: Build = %v; want ErrConfig", name, err)
		}
	}
	if _, err := rules.NewRegistry().Build(deep.Rules[0]); err != nil {
		t.Errorf("a spec at the depth limit: %v", err)
	}
}
