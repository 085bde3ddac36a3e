package rulestest

import (
	"reflect"
	"time"

	"github.com/openaffiliate/affiliate/rules"
)

var locationType = reflect.TypeFor[*time.Location]()

// deepCopy returns a copy of f that shares no slice, map or pointer with
// it, so a rule that writes through one cannot reach the other. It walks
// the value with reflect rather than naming Facts' fields, so fields the
// rules package adds later are copied too.
func deepCopy(f rules.Facts) rules.Facts {
	v := reflect.ValueOf(f)
	out := reflect.New(v.Type()).Elem()
	copyInto(out, v)
	return out.Interface().(rules.Facts)
}

// copyInto sets dst, a settable value, to a deep copy of src. Unexported
// struct fields are copied as they are (by the struct assignment): the
// library's value types (Money, Rate, time.Time) hold nothing a rule can
// write through.
func copyInto(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := range src.Len() {
			copyInto(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Map:
		if src.IsNil() {
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		iter := src.MapRange()
		for iter.Next() {
			k := reflect.New(src.Type().Key()).Elem()
			copyInto(k, iter.Key())
			val := reflect.New(src.Type().Elem()).Elem()
			copyInto(val, iter.Value())
			m.SetMapIndex(k, val)
		}
		dst.Set(m)
	case reflect.Pointer:
		if src.IsNil() || src.Type() == locationType {
			dst.Set(src) // a *time.Location is shared and immutable
			return
		}
		p := reflect.New(src.Type().Elem())
		copyInto(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Struct:
		dst.Set(src)
		for i := range src.NumField() {
			if src.Type().Field(i).IsExported() {
				copyInto(dst.Field(i), src.Field(i))
			}
		}
	case reflect.Array:
		for i := range src.Len() {
			copyInto(dst.Index(i), src.Index(i))
		}
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		c := reflect.New(src.Elem().Type()).Elem()
		copyInto(c, src.Elem())
		dst.Set(c)
	default:
		dst.Set(src)
	}
}
