package affiliatetest

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
)

// Variant is a copy of a value with one leaf field set to a non-zero
// value.
type Variant struct {
	Path  string // the field set, "Lines[0].Amount"
	Value any    // of the type given to FieldVariants
}

// FieldVariants returns, for every leaf field reachable from v's type
// (through structs, pointers, slices and string-keyed maps), a copy of v
// with that one leaf set to a non-zero value. A test that hashes each
// variant and expects a hash other than v's fails when a field added to a
// type falls outside the hash. Pass the zero value, so that no variant
// equals v. It panics on a kind it cannot set (func, chan, float).
func FieldVariants(v any) []Variant {
	base := reflect.ValueOf(v)
	var out []Variant
	for _, l := range leaves(base.Type(), "") {
		c := reflect.New(base.Type()).Elem()
		c.Set(base)
		l.set(c)
		out = append(out, Variant{Path: strings.TrimPrefix(l.path, "."), Value: c.Interface()})
	}
	return out
}

type leaf struct {
	path string
	set  func(reflect.Value)
}

var samples = map[reflect.Type]reflect.Value{
	reflect.TypeFor[time.Time]():       reflect.ValueOf(time.Date(2001, 2, 3, 4, 5, 6, 7, time.UTC)),
	reflect.TypeFor[*time.Location]():  reflect.ValueOf(time.FixedZone("Variant", 3600)),
	reflect.TypeFor[affiliate.Money](): reflect.ValueOf(affiliate.MustMoney(1, "EUR")),
	reflect.TypeFor[affiliate.Rate]():  reflect.ValueOf(affiliate.MustRate("0.5")),
}

func leaves(t reflect.Type, path string) []leaf {
	if s, ok := samples[t]; ok {
		return []leaf{{path, func(v reflect.Value) { v.Set(s) }}}
	}
	var out []leaf
	wrap := func(inner []leaf, suffix string, set func(v reflect.Value, l leaf)) {
		for _, l := range inner {
			out = append(out, leaf{path + suffix + l.path, func(v reflect.Value) { set(v, l) }})
		}
	}
	switch t.Kind() {
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				panic(fmt.Sprintf("affiliatetest: %s has unexported field %s", t, f.Name))
			}
			wrap(leaves(f.Type, ""), "."+f.Name, func(v reflect.Value, l leaf) { l.set(v.Field(i)) })
		}
	case reflect.Pointer:
		wrap(leaves(t.Elem(), ""), "*", func(v reflect.Value, l leaf) {
			p := reflect.New(t.Elem())
			l.set(p.Elem())
			v.Set(p)
		})
	case reflect.Slice:
		wrap(leaves(t.Elem(), ""), "[0]", func(v reflect.Value, l leaf) {
			s := reflect.MakeSlice(t, 1, 1)
			l.set(s.Index(0))
			v.Set(s)
		})
	case reflect.Map:
		wrap(leaves(t.Elem(), ""), "[k]", func(v reflect.Value, l leaf) {
			m := reflect.MakeMap(t)
			e := reflect.New(t.Elem()).Elem()
			l.set(e)
			m.SetMapIndex(reflect.ValueOf("k").Convert(t.Key()), e)
			v.Set(m)
		})
	case reflect.String:
		out = append(out, leaf{path, func(v reflect.Value) { v.SetString("x") }})
	case reflect.Bool:
		out = append(out, leaf{path, func(v reflect.Value) { v.SetBool(true) }})
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		out = append(out, leaf{path, func(v reflect.Value) { v.SetInt(1) }})
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		out = append(out, leaf{path, func(v reflect.Value) { v.SetUint(1) }})
	default:
		panic(fmt.Sprintf("affiliatetest: cannot set a %s", t))
	}
	return out
}
