package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/openaffiliate/affiliate"
)

// A stored spec is outside input: a typo must not become a silently
// ignored setting, and a hostile document must not cost more than its
// size. So a Spec decodes strictly: unknown fields ("parms") and keys
// that appear twice in one object (in any case: json matches keys
// case-insensitively) are refused, and the document may nest
// no deeper than a tree of affiliate.MaxRuleDepth rules (with room for
// their params) — checked by reading tokens, before anything is decoded.

// maxJSONDepth is the JSON nesting a spec of MaxRuleDepth rules needs:
// each rule level is an object in an array ({"rules": [{...}]}), and a
// rule's params may nest a few levels of their own.
const maxJSONDepth = 2*affiliate.MaxRuleDepth + 8

// specFields mirrors Spec without its UnmarshalJSON, so the whole tree
// decodes in one pass with one decoder.
type specFields struct {
	Type   string          `json:"type"`
	Name   string          `json:"name,omitempty"`
	Params json.RawMessage `json:"params,omitempty"`
	Rules  []specFields    `json:"rules,omitempty"`
	If     []specFields    `json:"if,omitempty"`
}

// UnmarshalJSON decodes a spec document strictly (see above). Errors are *SpecError
// values matching ErrConfig (hence affiliate.ErrInvalid), with the path of
// the offending field.
func (s *Spec) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil // as json.Unmarshal treats null
	}
	if err := checkJSON(data); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f specFields
	if err := dec.Decode(&f); err != nil {
		return &SpecError{Err: configErr("spec", "JSON", strings.TrimPrefix(err.Error(), "json: "))}
	}
	spec := f.spec()
	if err := checkDepth(spec); err != nil {
		return err
	}
	*s = spec
	return nil
}

func (f specFields) spec() Spec {
	s := Spec{Type: f.Type, Name: f.Name, Params: f.Params}
	for _, c := range f.Rules {
		s.Rules = append(s.Rules, c.spec())
	}
	for _, c := range f.If {
		s.If = append(s.If, c.spec())
	}
	return s
}

// jsonLevel is one open object or array of the document checkJSON reads.
type jsonLevel struct {
	object  bool
	wantKey bool            // an object's next token is a key or its end
	keys    map[string]bool // an object's keys so far
	key     string          // the key of the value being read
	index   int             // an array's index of the value being read
}

// valueDone moves l past the value it was reading.
func (l *jsonLevel) valueDone() {
	if l.object {
		l.wantKey = true
	} else {
		l.index++
	}
}

// checkJSON refuses a key twice in one object and nesting deeper than
// maxJSONDepth. It reads tokens only: time linear in the document, memory
// bounded by the depth.
func checkJSON(data []byte) error {
	var stack []*jsonLevel
	refuse := func(field, reason string) error {
		var b strings.Builder
		for _, l := range stack {
			switch {
			case !l.object:
				b.WriteString("[" + strconv.Itoa(l.index) + "]")
			case l.wantKey: // no value under way: the object itself is at fault
			default:
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(l.key)
			}
		}
		return &SpecError{Path: b.String(), Err: configErr("spec", field, reason)}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return refuse("JSON", strings.TrimPrefix(err.Error(), "json: "))
		}
		var top *jsonLevel
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		delim, isDelim := tok.(json.Delim)
		switch {
		case top != nil && top.wantKey && !isDelim:
			key, _ := tok.(string)
			if top.keys[foldKey(key)] {
				return refuse(key, "appears twice in one object")
			}
			top.keys[foldKey(key)], top.key, top.wantKey = true, key, false
		case isDelim && (delim == '{' || delim == '['):
			if len(stack) >= maxJSONDepth {
				return refuse("JSON", "nested deeper than "+strconv.Itoa(maxJSONDepth)+" levels (rules nest at most "+strconv.Itoa(affiliate.MaxRuleDepth)+" deep)")
			}
			l := &jsonLevel{object: delim == '{', wantKey: delim == '{'}
			if l.object {
				l.keys = make(map[string]bool)
			}
			stack = append(stack, l)
		case isDelim: // '}' or ']'
			stack = stack[:len(stack)-1]
			if len(stack) > 0 {
				stack[len(stack)-1].valueDone()
			}
		case top != nil:
			top.valueDone()
		}
	}
}

// foldKey folds a key the way encoding/json does when it matches keys to
// fields (ASCII case, and per rune ToUpper(ToLower(r)), so the Kelvin
// sign is "K" and the long s is "S"): "type" and "TYPE" set one field,
// so they are the same key twice.
func foldKey(key string) string {
	return strings.ToUpper(strings.ToLower(key))
}

// checkDepth refuses a spec built in Go (not decoded) that nests deeper
// than affiliate.MaxRuleDepth, before anything is built from it.
func checkDepth(s Spec) error {
	if specDepth(s, affiliate.MaxRuleDepth+1) > affiliate.MaxRuleDepth {
		return &SpecError{Type: s.Type, Err: configErr("spec", "rules", "nested deeper than "+strconv.Itoa(affiliate.MaxRuleDepth)+" levels")}
	}
	return nil
}

// specDepth is how many levels s nests (1 for a spec without children),
// counted no further than limit.
func specDepth(s Spec, limit int) int {
	if limit <= 1 {
		return 1
	}
	deepest := 0
	for _, c := range append(slices.Clip(s.Rules), s.If...) {
		deepest = max(deepest, specDepth(c, limit-1))
	}
	return 1 + deepest
}
