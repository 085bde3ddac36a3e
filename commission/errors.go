package commission

import (
	"fmt"

	"github.com/openaffiliate/affiliate"
)

var (
	// ErrRefundExceedsPayment reports a refund larger than its payment.
	// (Refunds that together ask for more than the payment are accepted:
	// the last takes what remains.) It matches affiliate.ErrInvalid; the
	// typed form is *RefundError.
	ErrRefundExceedsPayment = fmt.Errorf("%w: refund exceeds its payment", affiliate.ErrInvalid)

	// ErrRefundTarget reports a refund that cannot apply to the payment it
	// names (the payment belongs to another customer, or the ID names a
	// refund), or a reinstatement that names no chargeback of its
	// customer. It matches affiliate.ErrInvalid; the typed form is
	// *RefundError.
	ErrRefundTarget = fmt.Errorf("%w: refund does not match its payment", affiliate.ErrInvalid)

	// ErrMissingConversion reports a payment in a currency other than the
	// program's, without a conversion to it, under
	// Config.RequireConversion. It matches affiliate.ErrInvalid.
	ErrMissingConversion = affiliate.ErrMissingConversion

	// ErrRule reports a rule that failed or returned an accrual the engine
	// refuses (another currency, a negative amount, more than rate times
	// base, a beneficiary outside the chain, the same entry twice). It
	// matches affiliate.ErrInvalid; the typed form is *RuleError. Nothing
	// is stored: fix the rule and deliver the event again.
	ErrRule = fmt.Errorf("%w: commission rule failed", affiliate.ErrInvalid)

	// ErrContention reports that Record lost the compare-and-swap on the
	// customer's summary Config.MaxAttempts times in a row. It matches
	// affiliate.ErrRetryable (and ErrConflict): nothing of the event is
	// stored, and delivering it again, after a backoff, is safe.
	ErrContention = fmt.Errorf("%w: %w: too many concurrent writers for one customer", affiliate.ErrConflict, affiliate.ErrRetryable)

	// ErrCorruptState reports a customer summary the engine cannot read.
	// It matches affiliate.ErrInvalid.
	ErrCorruptState = fmt.Errorf("%w: unreadable customer summary", affiliate.ErrInvalid)

	// ErrUnknownTerms reports a terms version that is not in the
	// configured schedule. It matches affiliate.ErrNotFound.
	ErrUnknownTerms = fmt.Errorf("%w: terms version", affiliate.ErrNotFound)
)

// RefundError says why a refund was refused: which refund, which
// payment, what it asked for and what remained. It unwraps to
// ErrRefundExceedsPayment, ErrRefundTarget or
// affiliate.ErrCurrencyMismatch, each of which matches
// affiliate.ErrInvalid: a refund refused is never worth retrying.
type RefundError struct {
	Refund    affiliate.EventID
	Payment   affiliate.EventID
	Requested affiliate.Money // the refund's amount; zero Money for a full refund
	Remaining affiliate.Money // what remained of the payment before it
	Reason    string
	Err       error
}

func (e *RefundError) Error() string {
	return fmt.Sprintf("commission: refund %q of payment %q: %s", e.Refund, e.Payment, e.Reason)
}

// Unwrap returns the sentinel the error matches.
func (e *RefundError) Unwrap() error { return e.Err }

// RuleError says which rule failed on which payment and why. It unwraps
// to both ErrRule and the rule's own error, when there is one.
type RuleError struct {
	Terms   string // the terms version whose rule ran
	Rule    string // the accrual's rule name, when the problem is one accrual
	Payment affiliate.EventID
	Reason  string
	Err     error // the rule's error, or nil when the engine refused its output
}

func (e *RuleError) Error() string {
	where := "terms " + quote(e.Terms)
	if e.Rule != "" {
		where += ", rule " + quote(e.Rule)
	}
	if e.Err != nil {
		return fmt.Sprintf("commission: %s on payment %q: %s: %v", where, e.Payment, e.Reason, e.Err)
	}
	return fmt.Sprintf("commission: %s on payment %q: %s", where, e.Payment, e.Reason)
}

// Unwrap returns ErrRule and the rule's error.
func (e *RuleError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrRule}
	}
	return []error{ErrRule, e.Err}
}

// ContentionError is the typed form of ErrContention.
type ContentionError struct {
	Customer affiliate.CustomerID
	Attempts int
	Last     error // the store's last conflict
}

func (e *ContentionError) Error() string {
	return fmt.Sprintf("commission: customer %q: gave up after %d conflicting commits: %v", e.Customer, e.Attempts, e.Last)
}

// Unwrap returns ErrContention.
func (e *ContentionError) Unwrap() error { return ErrContention }

func fieldErr(field, reason string) error {
	return &affiliate.FieldError{Field: field, Reason: reason}
}
