package affiliate

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Canonical returns the one encoding the library hashes and stores values
// in: JSON with every exported field of every struct under its Go name, in
// declaration order (json tags are ignored, so no field can opt out),
// times in UTC with nanoseconds, locations by name, Money and Rate in
// their own exact JSON, maps with string keys in key order, and nil
// pointers, slices and maps as null. A field added to a type is encoded
// without anyone listing it.
//
// It refuses, with a *FieldError matching ErrInvalid, what it cannot
// encode exactly: a time outside the years 0–9999, a string that is not
// UTF-8, floats, maps without string keys, funcs, channels, and structs
// with unexported fields and no JSON of their own.
func Canonical(v any) ([]byte, error) {
	return AppendCanonical(make([]byte, 0, 256), v)
}

// HashPrefix starts every hash Hash returns. Hashes that earlier versions
// stored have no prefix; a reader that finds one compares by hashing the
// stored payload again.
const HashPrefix = "c1:"

// Hash returns HashPrefix and the hex SHA-256 of Canonical(v): the
// idempotency hash of a payload. Its errors are Canonical's.
func Hash(v any) (string, error) {
	var buf [512]byte
	b, err := AppendCanonical(buf[:0], v)
	if err != nil {
		return "", err
	}
	return HashOf(b), nil
}

// HashOf returns HashPrefix and the hex SHA-256 of canonical, with one
// allocation: the string.
func HashOf(canonical []byte) string {
	sum := sha256.Sum256(canonical)
	var out [len(HashPrefix) + 2*sha256.Size]byte
	copy(out[:], HashPrefix)
	hex.Encode(out[len(HashPrefix):], sum[:])
	return string(out[:])
}

var (
	timeType      = reflect.TypeFor[time.Time]()
	locationType  = reflect.TypeFor[*time.Location]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
)

func appendCanonical(b []byte, v reflect.Value) ([]byte, error) {
	if !v.IsValid() {
		return append(b, "null"...), nil
	}
	t := v.Type()
	switch {
	case t == locationType: // by name: nil and time.UTC are one location
		j, _ := json.Marshal(v.Interface().(*time.Location).String())
		return append(b, j...), nil
	case t == timeType:
		j, err := v.Interface().(time.Time).UTC().MarshalJSON()
		if err != nil {
			return nil, fieldErr("time", err.Error())
		}
		return append(b, j...), nil
	case t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface && t.Implements(marshalerType):
		j, err := v.Interface().(json.Marshaler).MarshalJSON()
		if err != nil {
			return nil, err
		}
		return append(b, j...), nil
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		// An event held by pointer, as a stored event record holds it, is
		// written by hand; a struct field of an event type stays on
		// reflection, which the hand-written encoders are tested against.
		if t.Kind() == reflect.Pointer && v.CanInterface() {
			if fast, ok := appendByHand(b, v.Interface()); ok {
				return fast, nil
			}
		}
		return appendCanonical(b, v.Elem())
	case reflect.Struct:
		b = append(b, '{')
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				return nil, fieldErr(t.String(), "unexported field "+f.Name+" cannot be encoded")
			}
			if i > 0 {
				b = append(b, ',')
			}
			b = append(append(append(b, '"'), f.Name...), `":`...)
			var err error
			if b, err = appendCanonical(b, v.Field(i)); err != nil {
				return nil, err
			}
		}
		return append(b, '}'), nil
	case reflect.Slice, reflect.Array:
		if t.Kind() == reflect.Slice && v.IsNil() {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i := range v.Len() {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendCanonical(b, v.Index(i)); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			break
		}
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		keys := v.MapKeys()
		slices.SortFunc(keys, func(x, y reflect.Value) int { return strings.Compare(x.String(), y.String()) })
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			j, _ := json.Marshal(k.String())
			b = append(append(b, j...), ':')
			var err error
			if b, err = appendCanonical(b, v.MapIndex(k)); err != nil {
				return nil, err
			}
		}
		return append(b, '}'), nil
	case reflect.String:
		if !utf8.ValidString(v.String()) {
			// encoding/json would replace the bytes, and two payloads
			// would encode alike.
			return nil, fieldErr(t.String(), "not valid UTF-8")
		}
		j, _ := json.Marshal(v.String())
		return append(b, j...), nil
	case reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		j, _ := json.Marshal(v.Interface())
		return append(b, j...), nil
	}
	return nil, fieldErr(t.String(), strings.ToLower(t.Kind().String())+" has no canonical encoding")
}
