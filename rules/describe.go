package rules

import (
	"encoding/json"
	"reflect"
	"strings"

	"github.com/openaffiliate/affiliate"
)

// TypeDoc describes one rule or condition type a Registry builds, for a
// host that builds terms from a form. The built-in types' TypeDocs are
// read, with reflect, from the very structs their parameters are decoded
// into, so the description cannot drift from what the parser accepts.
type TypeDoc struct {
	Type string
	// Condition is set for a condition type (used under "if").
	Condition bool
	Doc       string
	// Params are the keys "params" accepts; nil for a type registered
	// with Register, whose parameters the Registry does not know.
	Params []Param
	// Rules and If say how many wrapped rules and conditions the spec
	// takes.
	Rules, If Arity
}

// Arity is how many wrapped rules or conditions a spec takes.
type Arity string

// The arities.
const (
	NoneOf     Arity = "none"
	ExactlyOne Arity = "exactly one"
	OneOrMore  Arity = "one or more"
	AnyNumber  Arity = "any number"
	NoneOrOne  Arity = "none, or one"
)

func (a Arity) allows(n int) bool {
	switch a {
	case NoneOf:
		return n == 0
	case ExactlyOne:
		return n == 1
	case OneOrMore:
		return n >= 1
	case NoneOrOne:
		return n <= 1
	}
	return true
}

// Param is one key of a spec's "params" object.
type Param struct {
	Name string
	// Type is the JSON type: "string", "integer", "boolean", "array" or
	// "object".
	Type string
	// Format, for a string, says what it holds: "rate" (a plain decimal
	// fraction, "0.3"), "percent" (a plain decimal percentage, "30"),
	// "decimal" (an amount, "12.30"), "duration" (Go's form, "720h"),
	// "time-zone" (an IANA name, "Europe/Paris"), "currency" (ISO 4217)
	// or "line-kind"; "money" for an object {amount, currency}.
	Format string
	Doc    string
	Enum   []string
	Items  *Param  // the elements of an array
	Fields []Param // the keys of an object
}

var (
	rateType     = reflect.TypeFor[affiliate.Rate]()
	moneyType    = reflect.TypeFor[affiliate.Money]()
	lineKindType = reflect.TypeFor[affiliate.LineKind]()
)

// paramsOf describes the JSON keys of the struct type t as encoding/json
// decodes them: tagged names, embedded structs flattened. The doc, format
// and enum struct tags supply the words.
func paramsOf(t reflect.Type) []Param {
	out := make([]Param, 0, t.NumField()) // not nil: none is known, not unknown
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && f.Type.Kind() == reflect.Struct && name == "" {
			out = append(out, paramsOf(f.Type)...)
			continue
		}
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		p := paramOf(f.Type)
		p.Name = name
		p.Doc = f.Tag.Get("doc")
		if v := f.Tag.Get("format"); v != "" {
			p.Format = v
		}
		if v := f.Tag.Get("enum"); v != "" {
			p.Enum = strings.Split(v, ",")
		}
		out = append(out, p)
	}
	return out
}

func paramOf(t reflect.Type) Param {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t {
	case rateType:
		return Param{Type: "string", Format: "rate"}
	case moneyType:
		return Param{Type: "object", Format: "money", Fields: []Param{
			{Name: "amount", Type: "string", Format: "decimal", Doc: "the amount in major units, as a string: \"100.00\""},
			{Name: "currency", Type: "string", Format: "currency", Doc: "an ISO 4217 code: \"EUR\""},
		}}
	case lineKindType:
		kinds := make([]string, len(affiliate.LineKinds))
		for i, k := range affiliate.LineKinds {
			kinds[i] = string(k)
		}
		return Param{Type: "string", Format: "line-kind", Enum: kinds}
	}
	switch t.Kind() {
	case reflect.String:
		return Param{Type: "string"}
	case reflect.Bool:
		return Param{Type: "boolean"}
	case reflect.Int, reflect.Int64, reflect.Int32:
		return Param{Type: "integer"}
	case reflect.Slice:
		items := paramOf(t.Elem())
		return Param{Type: "array", Items: &items}
	case reflect.Struct:
		return Param{Type: "object", Fields: paramsOf(t)}
	}
	panic("rules: no JSON description for " + t.String()) // a built-in's params use a new type: add it above
}

// JSONSchema returns a JSON Schema (draft 2020-12) of a Spec of this
// type: its "type", "name", "params" (every key, closed to others) and how
// many "rules" and "if" it takes.
func (d TypeDoc) JSONSchema() ([]byte, error) {
	props := map[string]any{
		"type": map[string]any{"const": d.Type},
		"name": map[string]any{"type": "string", "description": "recorded on the entries of the rule it builds; names a cap's usage"},
	}
	if d.Params != nil {
		params := objectSchema(d.Params)
		props["params"] = params
	}
	for key, a := range map[string]Arity{"rules": d.Rules, "if": d.If} {
		s := map[string]any{"type": "array", "items": map[string]any{"type": "object"}, "description": string(a)}
		switch a {
		case NoneOf:
			s["maxItems"] = 0
		case ExactlyOne:
			s["minItems"], s["maxItems"] = 1, 1
		case OneOrMore:
			s["minItems"] = 1
		case NoneOrOne:
			s["maxItems"] = 1
		}
		props[key] = s
	}
	return json.MarshalIndent(map[string]any{
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"title":                d.Type,
		"description":          d.Doc,
		"type":                 "object",
		"required":             []string{"type"},
		"additionalProperties": false,
		"properties":           props,
	}, "", "  ")
}

func objectSchema(ps []Param) map[string]any {
	props := make(map[string]any, len(ps))
	for _, p := range ps {
		props[p.Name] = paramSchema(p)
	}
	return map[string]any{"type": "object", "additionalProperties": false, "properties": props}
}

func paramSchema(p Param) map[string]any {
	s := map[string]any{"type": p.Type}
	if p.Type == "object" {
		s = objectSchema(p.Fields)
	}
	if p.Doc != "" {
		s["description"] = p.Doc
	}
	if p.Format != "" && p.Format != "money" {
		s["format"] = p.Format
	}
	switch p.Format {
	case "rate", "percent", "decimal":
		s["pattern"] = `^[0-9]+(\.[0-9]+)?$`
	case "currency":
		s["pattern"] = `^[A-Z]{3}$`
	}
	if len(p.Enum) > 0 {
		s["enum"] = p.Enum
	}
	if p.Items != nil {
		s["items"] = paramSchema(*p.Items)
	}
	return s
}
