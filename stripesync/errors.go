package stripesync

import (
	"fmt"

	"github.com/openaffiliate/affiliate"
)

var (
	// ErrUnbalancedInvoice reports an invoice whose mapped lines do not add
	// up to its total: commission on it would be paid on a wrong base. It
	// matches affiliate.ErrInvalid.
	ErrUnbalancedInvoice = fmt.Errorf("%w: invoice lines do not add up to its total", affiliate.ErrInvalid)
	// ErrLookupImpossible reports an event that needs a Stripe API lookup
	// that cannot succeed: no Client was configured, or Stripe answered
	// that the object does not exist. It matches affiliate.ErrNotFound;
	// the event is dead-lettered rather than retried.
	ErrLookupImpossible = fmt.Errorf("%w: stripe lookup cannot succeed", affiliate.ErrNotFound)
	// ErrStripeUnavailable reports a lookup that failed for a reason that
	// may pass (network, rate limit, Stripe's 5xx): Stripe is asked to
	// deliver the event again. It matches affiliate.ErrRetryable.
	ErrStripeUnavailable = fmt.Errorf("stripesync: stripe API unavailable: %w", affiliate.ErrRetryable)
	// ErrSignature reports a request whose Stripe-Signature header is
	// missing, malformed, signed with none of the secrets, or timestamped
	// outside the tolerance. It matches affiliate.ErrInvalid.
	ErrSignature = fmt.Errorf("%w: stripe signature", affiliate.ErrInvalid)
)

// PayloadError reports a field of a Stripe object that cannot be mapped.
// It matches affiliate.ErrInvalid, and Err when set.
type PayloadError struct {
	Field  string // the JSON path in the event, e.g. data.object.lines.data[2].amount
	Reason string
	Err    error
}

func (e *PayloadError) Error() string {
	s := "stripesync: " + e.Field + ": " + e.Reason
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns affiliate.ErrInvalid and Err.
func (e *PayloadError) Unwrap() []error {
	if e.Err == nil {
		return []error{affiliate.ErrInvalid}
	}
	return []error{affiliate.ErrInvalid, e.Err}
}
