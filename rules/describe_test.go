package rules_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/openaffiliate/affiliate/rules"
)

// TestDescribeEveryBuiltin: every built-in type has a description, and
// every parameter it lists has words and a JSON type.
func TestDescribeEveryBuiltin(t *testing.T) {
	docs := rules.NewRegistry().Describe()
	var ruleTypes, condTypes []string
	for _, d := range docs {
		if d.Condition {
			condTypes = append(condTypes, d.Type)
		} else {
			ruleTypes = append(ruleTypes, d.Type)
		}
		if d.Doc == "" || d.Params == nil || d.Rules == "" || d.If == "" {
			t.Errorf("%s: incomplete description %+v", d.Type, d)
		}
		walkParams(d.Params, func(path string, p rules.Param) {
			if p.Type == "" || (p.Doc == "" && !strings.HasPrefix(path, "values") && p.Type != "object") {
				t.Errorf("%s: parameter %s has no type or no words: %+v", d.Type, path, p)
			}
		})
		if _, err := d.JSONSchema(); err != nil {
			t.Errorf("%s: JSONSchema: %v", d.Type, err)
		}
	}
	if want := rules.NewRegistry().Types(); !slices.Equal(ruleTypes, want) {
		t.Errorf("described rule types %v, registered %v", ruleTypes, want)
	}
	if len(condTypes) != 11 {
		t.Errorf("described condition types %v, want the 11 built-in", condTypes)
	}
}

// TestDescribeIsWhatTheParserAccepts: each described key (nested ones
// too) gets past the parser's unknown-field check, and a key that is not
// described does not.
func TestDescribeIsWhatTheParserAccepts(t *testing.T) {
	reg := rules.NewRegistry()
	for _, d := range reg.Describe() {
		try := func(params string) error {
			s := rules.Spec{Type: d.Type, Params: json.RawMessage(params)}
			if d.Condition {
				_, err := reg.BuildCondition(s)
				return err
			}
			_, err := reg.Build(s)
			return err
		}
		walkParams(d.Params, func(path string, p rules.Param) {
			// {"a":{"b":null}} for the path a.b: null decodes into any type.
			doc := "null"
			keys := strings.Split(path, ".")
			for i := len(keys) - 1; i >= 0; i-- {
				doc = `{"` + keys[i] + `":` + doc + `}`
			}
			if err := try(doc); err != nil && strings.Contains(err.Error(), "unknown field") {
				t.Errorf("%s: the described parameter %s is refused: %v", d.Type, path, err)
			}
		})
		if err := try(`{"described_nowhere":1}`); err == nil || !strings.Contains(err.Error(), "unknown field") {
			t.Errorf("%s: an undescribed parameter is not refused as unknown: %v", d.Type, err)
		}
	}
}

// TestRegistryDocListsEveryParameter: go doc rules.NewRegistry names
// every built-in type and each of its top-level parameters.
func TestRegistryDocListsEveryParameter(t *testing.T) {
	file, err := parser.ParseFile(token.NewFileSet(), "registry.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var doc string
	for _, decl := range file.Decls {
		if fn, ok := decl.(*ast.FuncDecl); ok && fn.Name.Name == "NewRegistry" {
			doc = fn.Doc.Text()
		}
	}
	for _, d := range rules.NewRegistry().Describe() {
		line := ""
		for _, l := range strings.Split(doc, "\n") {
			if slices.Contains(strings.FieldsFunc(l, func(r rune) bool { return unicode.IsSpace(r) || r == ',' }), d.Type) {
				line = l
			}
		}
		if line == "" {
			t.Errorf("the NewRegistry doc does not list %s", d.Type)
			continue
		}
		for _, p := range d.Params {
			if !strings.Contains(doc, p.Name) {
				t.Errorf("the NewRegistry doc does not mention %s's parameter %s", d.Type, p.Name)
			}
		}
	}
}

func TestJSONSchemaOfPercent(t *testing.T) {
	for _, d := range rules.NewRegistry().Describe() {
		if d.Type != "percent" {
			continue
		}
		b, err := d.JSONSchema()
		if err != nil {
			t.Fatal(err)
		}
		var s struct {
			Properties struct {
				Params struct {
					AdditionalProperties bool `json:"additionalProperties"`
					Properties           map[string]struct {
						Type, Format, Pattern string
					}
				}
				Rules struct{ MaxItems *int }
			}
		}
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatal(err)
		}
		params := s.Properties.Params
		var keys []string
		for k := range params.Properties {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if want := []string{"allow_over_100", "lines", "percent", "rate"}; !slices.Equal(keys, want) {
			t.Errorf("params keys %v, want %v", keys, want)
		}
		if r := params.Properties["rate"]; r.Type != "string" || r.Format != "rate" || r.Pattern == "" {
			t.Errorf("rate is described as %+v, want a string of format rate with a pattern", r)
		}
		if params.AdditionalProperties || s.Properties.Rules.MaxItems == nil || *s.Properties.Rules.MaxItems != 0 {
			t.Errorf("the schema is not closed: %s", b)
		}
		return
	}
	t.Fatal("percent is not described")
}

func walkParams(ps []rules.Param, fn func(path string, p rules.Param)) {
	var walk func(prefix string, ps []rules.Param)
	walk = func(prefix string, ps []rules.Param) {
		for _, p := range ps {
			fn(prefix+p.Name, p)
			walk(prefix+p.Name+".", p.Fields)
		}
	}
	walk("", ps)
}
