package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
)

// PayoutRunResult is what CreatePayoutRun wrote, or what the earlier run
// with the same key wrote when Replayed is true.
type PayoutRunResult struct {
	Run      affiliate.PayoutRun
	Replayed bool
}

// PayoutSettlement moves a created payout to paid, failed or cancelled.
type PayoutSettlement struct {
	ID     affiliate.PayoutID
	Status affiliate.PayoutStatus // PayoutPaid, PayoutFailed or PayoutCancelled
	// Reference is the host's transfer reference; required for PayoutPaid.
	Reference string
	Note      string    // why it failed or was cancelled, optional
	At        time.Time // when it happened; required
}

// Errors of SettlePayout. Both match affiliate.ErrConflict; the typed form
// is *PayoutStatusError.
var (
	// ErrPayoutPaid reports a transition out of paid: a paid payout is
	// final; it is never paid twice, failed or cancelled.
	ErrPayoutPaid = fmt.Errorf("%w: payout already paid", affiliate.ErrConflict)
	// ErrPayoutReleased reports a transition out of failed or cancelled:
	// the payout's entries went back to the ledger for the next run.
	ErrPayoutReleased = fmt.Errorf("%w: payout already failed or cancelled", affiliate.ErrConflict)
)

// PayoutStatusError is the typed form of ErrPayoutPaid and
// ErrPayoutReleased: the payout as it is stored, and the status the
// caller asked for. A host retrying MarkPaid after a lost answer finds
// its own reference in Payout.Reference.
type PayoutStatusError struct {
	Payout affiliate.Payout
	To     affiliate.PayoutStatus
}

func (e *PayoutStatusError) Error() string {
	s := fmt.Sprintf("storage: payout %s is %s", e.Payout.ID, e.Payout.Status)
	if e.Payout.Reference != "" {
		s += " (reference " + e.Payout.Reference + ")"
	}
	return s + "; it cannot become " + string(e.To)
}

// Unwrap returns ErrPayoutPaid for a paid payout and ErrPayoutReleased
// otherwise.
func (e *PayoutStatusError) Unwrap() error {
	if e.Payout.Status == affiliate.PayoutPaid {
		return ErrPayoutPaid
	}
	return ErrPayoutReleased
}

// EntrySettledError reports an entry that a new payout claims while it is
// in another payout that is created or paid. It matches
// affiliate.ErrConflict.
type EntrySettledError struct {
	Entry  affiliate.EntryID
	Payout affiliate.PayoutID // the payout that holds it
}

func (e *EntrySettledError) Error() string {
	return fmt.Sprintf("storage: entry %s is already in payout %s", e.Entry, e.Payout)
}

// Unwrap returns affiliate.ErrConflict.
func (e *EntrySettledError) Unwrap() error { return affiliate.ErrConflict }

// Payouts stores payout runs and the payouts' lifecycle. It is what makes
// "each entry is in at most one payout" true: the store, not the caller,
// refuses a second claim on an entry.
type Payouts interface {
	// CreatePayoutRun writes r atomically: the run record, every payout
	// (status created) and the claim of every payout's entries, or
	// nothing.
	//
	// A (Program, Period) seen before with the same Hash is a replay:
	// nothing is written and the earlier run comes back, its payouts as
	// they stand now, with Replayed set. With another Hash it returns
	// ErrIdempotencyMismatch. The key is checked before anything else, so
	// of concurrent calls with one key exactly one writes.
	//
	// Returns ErrInvalid when Program, Period or Hash is empty, AsOf is
	// zero, a payout is not status created, has no entries, repeats an ID
	// or an entry of the run, or its Amount is not the sum of its entries
	// (each the payout's beneficiary and currency); ErrNotFound when an
	// entry is not in the ledger; ErrConflict (*EntrySettledError) when an
	// entry is in a created or paid payout already, or a payout ID is
	// stored already.
	CreatePayoutRun(ctx context.Context, r affiliate.PayoutRun) (PayoutRunResult, error)

	// PayoutRun returns the run of program for period, its payouts as they
	// stand now and its Period in period's location, or ErrNotFound.
	PayoutRun(ctx context.Context, program string, period affiliate.Period) (affiliate.PayoutRun, error)

	// SettlePayout compares and sets: it moves a payout that is created to
	// s.Status and returns it. Only created payouts move. Failed and
	// cancelled release the payout's entries, so the next run can pay
	// them.
	//
	// Returns ErrNotFound for an unknown ID; *PayoutStatusError matching
	// ErrPayoutPaid (and ErrConflict) when the payout is paid, or
	// ErrPayoutReleased when it failed or was cancelled; ErrInvalid when
	// s.Status is not paid, failed or cancelled, a paid settlement has no
	// Reference, or At is zero.
	SettlePayout(ctx context.Context, s PayoutSettlement) (affiliate.Payout, error)
}

// PayoutHistory reads payouts for statements and dashboards. Every read
// is served from an index of the runs asked for; none scans every payout.
type PayoutHistory interface {
	// AffiliateRuns returns a's share of every run of program for periods
	// from through to (inclusive), ordered by period, in from's location;
	// within a run, payouts and carried balances are ordered by currency.
	// Returns ErrInvalid for an invalid period or when to is before from.
	AffiliateRuns(ctx context.Context, program string, a affiliate.AffiliateID, from, to affiliate.Period) ([]affiliate.AffiliateRun, error)

	// PayoutTotals returns the totals of program's payouts for periods
	// from through to, ordered by period (in from's location), currency,
	// then status (created, paid, failed, cancelled). Returns ErrInvalid
	// for an invalid period or when to is before from.
	PayoutTotals(ctx context.Context, program string, from, to affiliate.Period) ([]affiliate.PayoutTotal, error)
}
