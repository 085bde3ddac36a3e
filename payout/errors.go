package payout

import (
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// Errors. Each matches a sentinel of package affiliate too, so callers can
// branch on either.
var (
	// ErrNegativeMinimum reports a payout minimum below zero. It matches
	// affiliate.ErrInvalid; the typed form is *MinimumError.
	ErrNegativeMinimum = fmt.Errorf("%w: negative payout minimum", affiliate.ErrInvalid)

	// ErrAlreadyPaid reports MarkPaid, MarkFailed or Cancel on a paid
	// payout. It matches affiliate.ErrConflict; the typed form is
	// *storage.PayoutStatusError, which holds the stored payout.
	ErrAlreadyPaid = storage.ErrPayoutPaid

	// ErrReleased reports MarkPaid, MarkFailed or Cancel on a payout that
	// failed or was cancelled. It matches affiliate.ErrConflict; the typed
	// form is *storage.PayoutStatusError.
	ErrReleased = storage.ErrPayoutReleased
)

// MinimumError is the typed form of a bad payout minimum: negative
// (matching ErrNegativeMinimum) or in another currency than the one it is
// listed under (matching affiliate.ErrCurrencyMismatch). Both match
// affiliate.ErrInvalid.
type MinimumError struct {
	Affiliate affiliate.AffiliateID // "" for Policy.Minimums
	Currency  affiliate.Currency    // the currency it is listed under
	Minimum   affiliate.Money
}

func (e *MinimumError) Error() string {
	where := "Policy.Minimums[" + string(e.Currency) + "]"
	if e.Affiliate != "" {
		where = "Policy.Overrides[" + string(e.Affiliate) + "][" + string(e.Currency) + "]"
	}
	if e.Minimum.Currency() != e.Currency {
		return fmt.Sprintf("payout: %s is %s, not in %s", where, e.Minimum, e.Currency)
	}
	return fmt.Sprintf("payout: %s is %s: a minimum cannot be negative", where, e.Minimum)
}

// Unwrap returns ErrNegativeMinimum, or affiliate.ErrInvalid and
// affiliate.ErrCurrencyMismatch.
func (e *MinimumError) Unwrap() []error {
	if e.Minimum.Currency() != e.Currency {
		return []error{affiliate.ErrInvalid, affiliate.ErrCurrencyMismatch}
	}
	return []error{ErrNegativeMinimum}
}

// PeriodOpenError reports a run for a period that has not ended at the
// run's as-of time. It matches affiliate.ErrPeriodOpen (and so
// affiliate.ErrInvalid).
type PeriodOpenError struct {
	Period affiliate.Period
	AsOf   time.Time
}

func (e *PeriodOpenError) Error() string {
	return fmt.Sprintf("payout: period %s ends at %s, after the as-of time %s",
		e.Period, e.Period.End().Format(time.RFC3339), e.AsOf.Format(time.RFC3339))
}

// Unwrap returns affiliate.ErrPeriodOpen.
func (e *PeriodOpenError) Unwrap() error { return affiliate.ErrPeriodOpen }

func fieldErr(field, reason string) error {
	return &affiliate.FieldError{Field: field, Reason: reason}
}
