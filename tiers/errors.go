package tiers

import (
	"fmt"

	"github.com/openaffiliate/affiliate"
)

// Sentinel errors. Each wraps a root sentinel, so callers may branch on
// either: errors.Is(err, tiers.ErrThresholdOrder) and
// errors.Is(err, affiliate.ErrInvalid) both hold for an unsorted schedule.
var (
	// ErrSchedule marks an invalid schedule. The typed form is
	// *ScheduleError, which unwraps to one of the more specific sentinels
	// below. It matches affiliate.ErrInvalid.
	ErrSchedule = fmt.Errorf("%w: invalid tier schedule", affiliate.ErrInvalid)

	// ErrEmptySchedule reports a schedule with no tiers.
	ErrEmptySchedule = fmt.Errorf("%w: no tiers", ErrSchedule)

	// ErrThresholdOrder reports thresholds that do not strictly increase:
	// a tier listed out of order, or two tiers with one threshold
	// (overlapping bounds), or a first tier whose threshold is not zero.
	ErrThresholdOrder = fmt.Errorf("%w: thresholds must start at zero and strictly increase", ErrSchedule)

	// ErrRateRange reports a rate or bonus rate above 1.
	ErrRateRange = fmt.Errorf("%w: rates run from 0 to 1", ErrSchedule)

	// ErrZeroRate reports a tier whose rate (or bonus rate) is zero while
	// another tier's is positive.
	ErrZeroRate = fmt.Errorf("%w: a zero rate among paying tiers", ErrSchedule)

	// ErrMissingConversion reports a payment in another currency than the
	// program's without a conversion to it, while the metric (revenue)
	// needs one. The typed form is *ConversionError. It matches
	// affiliate.ErrInvalid.
	ErrMissingConversion = affiliate.ErrMissingConversion

	// ErrUnknownTier reports stored data naming a tier the schedule does
	// not have: a snapshot written under an older schedule. It matches
	// affiliate.ErrConflict.
	ErrUnknownTier = fmt.Errorf("%w: tier not in the schedule", affiliate.ErrConflict)
)

// ScheduleError is the typed form of a schedule validation failure: which
// tier (by position), which field, and what is wrong. It unwraps to
// ErrEmptySchedule, ErrThresholdOrder, ErrRateRange, ErrZeroRate, or ErrSchedule for
// other problems (a missing or repeated name, a threshold of the wrong
// kind).
type ScheduleError struct {
	Index  int    // the tier's position in the schedule; -1 for the schedule as a whole
	Field  string // "Name", "Threshold", "Rate", "BonusRate", or "" for the schedule
	Reason string
	Err    error // the sentinel it matches
}

func (e *ScheduleError) Error() string {
	if e.Index < 0 {
		return "tiers: invalid schedule: " + e.Reason
	}
	return fmt.Sprintf("tiers: invalid schedule: tier %d %s: %s", e.Index, e.Field, e.Reason)
}

// Unwrap returns the sentinel the error matches.
func (e *ScheduleError) Unwrap() error {
	if e.Err == nil {
		return ErrSchedule
	}
	return e.Err
}

// ConversionError is the typed form of ErrMissingConversion: the payment
// and what its conversion lacked.
type ConversionError struct {
	Payment  affiliate.EventID
	Currency affiliate.Currency // the payment's currency
	To       affiliate.Currency // the program's currency
}

func (e *ConversionError) Error() string {
	return fmt.Sprintf("tiers: payment %s is in %s and carries no conversion to %s, which the revenue metric needs", e.Payment, e.Currency, e.To)
}

// Unwrap returns ErrMissingConversion.
func (e *ConversionError) Unwrap() error { return ErrMissingConversion }
