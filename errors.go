package affiliate

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the module returns matches at least one of
// them through errors.Is, so callers branch on the sentinel and read the
// typed error (errors.As) for details. They say what to do:
//
//   - ErrInvalid: the input is wrong; fix it, do not retry. Nothing was
//     stored.
//   - ErrRetryable: a temporary failure; call again, with a backoff.
//     Nothing was stored, and the retry is safe (every call is
//     idempotent).
//   - ErrNotFound, ErrConflict: the stored state does not allow the call
//     (a missing record, a duplicate, a state already moved on); look at
//     the state, a plain retry does not help.
//
// No error matches both ErrInvalid and ErrRetryable. Context errors
// (context.Canceled, DeadlineExceeded) pass through as they are: the call
// stored nothing, and whether to try again is the caller's decision.
var (
	// ErrInvalid marks input that fails validation. Typed errors such as
	// *FieldError unwrap to it.
	ErrInvalid = errors.New("affiliate: invalid input")

	// ErrRetryable marks a failure that a later attempt of the same call
	// can cure: a write that kept losing a race with concurrent writers
	// for one customer, a store whose transaction failed transiently on
	// every attempt.
	ErrRetryable = errors.New("affiliate: temporary failure, try again")

	// ErrNotFound reports that a looked-up record does not exist.
	ErrNotFound = errors.New("affiliate: not found")

	// ErrConflict reports a write that collides with stored state: a
	// duplicate ID or code, a second binding, a stale version, an entry
	// already in a payout.
	ErrConflict = errors.New("affiliate: conflict with stored state")

	// ErrIdempotencyMismatch reports an idempotency key (an event ID, a
	// run key) that was used before with a different payload. It also
	// matches ErrInvalid: no retry makes the two payloads one.
	ErrIdempotencyMismatch = fmt.Errorf("%w: idempotency key reused with a different payload", ErrInvalid)

	// ErrCurrencyMismatch reports arithmetic or a comparison across two
	// currencies, such as a refund in another currency than its payment.
	// The typed form is *CurrencyMismatchError. It also matches
	// ErrInvalid.
	ErrCurrencyMismatch = fmt.Errorf("%w: currency mismatch", ErrInvalid)

	// ErrUnknownCurrency reports a code missing from the bundled ISO 4217
	// table. It also matches ErrInvalid.
	ErrUnknownCurrency = fmt.Errorf("%w: unknown currency", ErrInvalid)

	// ErrOverflow reports an amount that does not fit the int64 minor-unit
	// range. It also matches ErrInvalid.
	ErrOverflow = fmt.Errorf("%w: amount out of range", ErrInvalid)

	// ErrPeriodOpen reports a close or run for a period that has not ended
	// at the given as-of time. It also matches ErrInvalid.
	ErrPeriodOpen = fmt.Errorf("%w: period has not ended", ErrInvalid)

	// ErrMissingConversion reports a payment in a currency other than the
	// program's without the host's conversion rate, where a figure in the
	// program currency is needed (tier metrics). It also matches ErrInvalid.
	ErrMissingConversion = fmt.Errorf("%w: payment has no conversion to the program currency", ErrInvalid)

	// ErrAlreadyBound reports a second binding for a customer. It also
	// matches ErrConflict.
	ErrAlreadyBound = fmt.Errorf("%w: customer already bound", ErrConflict)
)

// FieldError is the typed form of a validation failure: which field of
// which value, and what is wrong with it. It unwraps to Err, which is
// ErrInvalid unless a more specific sentinel applies.
type FieldError struct {
	Field  string // dotted path, for example "Payment.Lines[1].Amount"
	Reason string // what is wrong, in a few words
	Err    error  // the sentinel it matches; ErrInvalid when nil
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("affiliate: invalid %s: %s", e.Field, e.Reason)
}

// Unwrap returns the sentinels the error matches: Err, and ErrInvalid
// when Err does not match it already (a currency mismatch found while
// validating input is invalid input too).
func (e *FieldError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrInvalid}
	}
	if errors.Is(e.Err, ErrInvalid) {
		return []error{e.Err}
	}
	return []error{e.Err, ErrInvalid}
}

func fieldErr(field, reason string) error {
	return &FieldError{Field: field, Reason: reason}
}

// CurrencyMismatchError is the typed form of ErrCurrencyMismatch.
type CurrencyMismatchError struct {
	Want, Got Currency
}

func (e *CurrencyMismatchError) Error() string {
	return fmt.Sprintf("affiliate: currency mismatch: %s and %s", e.Want, e.Got)
}

// Unwrap returns ErrCurrencyMismatch.
func (e *CurrencyMismatchError) Unwrap() error { return ErrCurrencyMismatch }
