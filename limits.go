package affiliate

import (
	"math"
	"time"
)

// The limits below are the one statement of what every store keeps and
// what the library accepts from outside. Configuration is checked against
// them when it is built (commission.New, program.New, attribution.New), and
// events when they arrive, so that nothing the engine accepts is refused
// later by a store: sqlstore keeps times as int64 nanoseconds, so a time
// must lie between MinStoredTime and MaxStoredTime; an event is dated
// between MinEventTime and MaxEventTime, and no configured duration (a
// hold, a window, a binding's lifetime) is longer than MaxDuration, so an
// event's time plus any duration still lies before MaxStoredTime.

// MinStoredTime and MaxStoredTime bound the times a store must keep: the
// range of int64 nanoseconds since the Unix epoch (1677–2262).
var (
	MinStoredTime = time.Unix(0, math.MinInt64+1).UTC()
	MaxStoredTime = time.Unix(0, math.MaxInt64).UTC()
)

// MinEventTime and MaxEventTime bound the time of an event (a payment, a
// refund, a touch, a lead) and the start of a terms version: the years
// 1900 to 2199.
var (
	MinEventTime = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	MaxEventTime = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

const (
	// MaxDuration bounds every configured duration: holds, attribution
	// windows, binding lifetimes, dedupe intervals. Fifty years: an event
	// dated at MaxEventTime plus MaxDuration is still storable.
	MaxDuration = 50 * 365 * 24 * time.Hour

	// MaxIDLen is the longest ID accepted, in bytes.
	MaxIDLen = 255

	// MaxTextLen is the longest free-text field accepted, in bytes: a
	// payment line's Plan, SKU and Description, a payment's Country, a
	// lead's company, website and profile.
	MaxTextLen = 2048

	// MaxLines is the most lines a payment may have. The engine reads a
	// customer's payments again when an event arrives out of order, so
	// one huge invoice would make every later event for that customer
	// slow.
	MaxLines = 1000

	// MaxRuleDepth is how deeply rules may nest (a rule wrapping a rule
	// wrapping ...; conditions count as a level). Real terms nest three or
	// four levels.
	MaxRuleDepth = 32
)

// CheckEventTime returns a *FieldError naming field when t is zero or
// outside MinEventTime to MaxEventTime.
func CheckEventTime(field string, t time.Time) error {
	switch {
	case t.IsZero():
		return fieldErr(field, "zero time")
	case t.Before(MinEventTime) || !t.Before(MaxEventTime):
		return fieldErr(field, t.UTC().Format(time.RFC3339)+" is outside the years 1900–2199")
	}
	return nil
}

// CheckDuration returns a *FieldError naming field when d is negative or
// longer than MaxDuration.
func CheckDuration(field string, d time.Duration) error {
	switch {
	case d < 0:
		return fieldErr(field, "negative")
	case d > MaxDuration:
		return fieldErr(field, d.String()+" is longer than the 50 years (438000h) a store can date")
	}
	return nil
}
