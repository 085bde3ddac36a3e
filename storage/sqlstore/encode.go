package sqlstore

import (
	"encoding/json"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/openaffiliate/affiliate"
)

// Times are stored as int64 nanoseconds since the Unix epoch: exact to the
// nanosecond as time.Time is, ordered as time.Time.Compare orders, and the
// same on both dialects (PostgreSQL's timestamptz keeps microseconds only).
// The zero time.Time maps to math.MinInt64 so that it still sorts first.
// Times come back in UTC; they are Equal to what was stored.

var (
	minTime = affiliate.MinStoredTime
	maxTime = affiliate.MaxStoredTime
)

const zeroTimeNS = math.MinInt64

func checkTime(field string, t time.Time) error {
	if t.IsZero() {
		return nil
	}
	if t.Before(minTime) || t.After(maxTime) {
		return invalid(field, t.UTC().Format(time.RFC3339)+" is outside the years 1678–2262 that sqlstore stores")
	}
	return nil
}

func timeNS(t time.Time) int64 {
	if t.IsZero() {
		return zeroTimeNS
	}
	return t.UnixNano()
}

func nsTime(ns int64) time.Time {
	if ns == zeroTimeNS {
		return time.Time{}
	}
	return time.Unix(0, ns).UTC()
}

// MaxKeyLen is the longest string sqlstore accepts in an indexed column
// that no ID validation already bounds: an idempotency key, a payload
// hash, an aggregate's period or metric, an entry's Customer, Event,
// Payment or Corrects. PostgreSQL cannot index much longer values.
const MaxKeyLen = 1024

// textCheck collects the first string that the database could not hold as
// given. PostgreSQL's text type refuses NUL bytes and invalid UTF-8, so
// sqlstore refuses them on both dialects, up front, rather than storing a
// mangled copy or failing halfway through a write.
type textCheck struct{ err error }

func (c *textCheck) text(field, s string) {
	if c.err != nil {
		return
	}
	if !utf8.ValidString(s) {
		c.err = invalid(field, "not valid UTF-8")
	} else if strings.IndexByte(s, 0) >= 0 {
		c.err = invalid(field, "contains a NUL byte")
	}
}

func (c *textCheck) key(field, s string) {
	c.text(field, s)
	if c.err == nil && len(s) > MaxKeyLen {
		c.err = invalid(field, "longer than 1024 bytes")
	}
}

func (c *textCheck) time(field string, t time.Time) {
	if c.err == nil {
		c.err = checkTime(field, t)
	}
}

// money splits m into the columns amount_minor and currency; the zero
// Money (no currency) is (0, "").
func money(m affiliate.Money) (int64, string) {
	return m.Minor(), string(m.Currency())
}

func toMoney(minor int64, cur string) (affiliate.Money, error) {
	if cur == "" {
		return affiliate.Money{}, nil
	}
	return affiliate.NewMoney(minor, affiliate.Currency(cur))
}

// A list column holds a JSON array, or JSON null for a nil slice, so that
// nil and empty slices come back as they went in (memstore's copies keep
// the difference too).

func encodeList[T ~string](xs []T) string {
	if xs == nil {
		return "null"
	}
	b, _ := json.Marshal(xs) // a slice of strings always marshals
	return string(b)
}

func decodeList[T ~string](s string) ([]T, error) {
	var xs []T
	if err := json.Unmarshal([]byte(s), &xs); err != nil {
		return nil, err
	}
	return xs, nil
}
