package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
)

// BalanceQuery selects what a payout run may pay: the open entries (in
// no created or paid payout) earned before To and available by
// AvailableBy. Beneficiary, when set, keeps one affiliate's.
type BalanceQuery struct {
	Beneficiary affiliate.AffiliateID
	To          time.Time // required: entries whose At is before it
	AvailableBy time.Time // required: entries whose AvailableAt is not after it
}

// Validate returns a *affiliate.FieldError (ErrInvalid) for a zero To or
// AvailableBy.
func (q BalanceQuery) Validate() error {
	switch {
	case q.To.IsZero():
		return invalid("BalanceQuery.To", "zero time")
	case q.AvailableBy.IsZero():
		return invalid("BalanceQuery.AvailableBy", "zero time")
	}
	return nil
}

// OpenBalance is the sum of the entries a BalanceQuery selects for one
// affiliate in one currency.
type OpenBalance struct {
	Affiliate affiliate.AffiliateID
	Amount    affiliate.Money // may be zero or negative
	Entries   int             // how many entries it sums
}

// Balances is a read of open balances and the watermark it was read at.
type Balances struct {
	// Through is the ledger's watermark at the read: every entry appended
	// before the read is at or below it, every entry appended after is
	// above it. A payout run written with this Through takes no entry the
	// read did not see.
	Through uint64
	// Balances are ordered by affiliate, then currency; a key with no
	// selected entry is left out.
	Balances []OpenBalance
}

// BalanceReader is implemented by stores that keep running open balances,
// so that a payout run reads one sum per affiliate and currency instead of
// the open entries, and its payouts settle by watermark
// (affiliate.PayoutRun.Through): the store, not the caller, finds and
// claims each payout's entries. payout.Runner uses it when the store has
// it and the run neither caps nor reviews.
//
// A store that implements it accepts in CreatePayoutRun a run whose
// Through is set and whose payouts list no entries. Each such payout
// claims the open entries of its affiliate and currency earned before the
// period's end, available at the run's AsOf and at or below Through; when
// they do not sum to the payout's Amount (another run claimed some, or a
// released payout gave some back, since the read) the whole run fails
// with a *BalanceMovedError (ErrConflict) and writes nothing. The payouts
// the store returns and keeps list the claimed entries, ordered by At,
// then ID, and the run keeps Through. A store without BalanceReader
// refuses a run whose Through is set with ErrInvalid.
type BalanceReader interface {
	// OpenBalances returns the balances q selects and the watermark.
	// Returns ErrInvalid for a query that fails Validate.
	OpenBalances(ctx context.Context, q BalanceQuery) (Balances, error)
}

// BalanceMovedError reports a payout settled by watermark whose entries
// no longer sum to its amount: the balance changed between the run's read
// and its write. The run plans again. It matches affiliate.ErrConflict.
type BalanceMovedError struct {
	Payout affiliate.PayoutID
	Want   affiliate.Money // the payout's amount, as planned
	Got    affiliate.Money // what its entries sum to now
}

func (e *BalanceMovedError) Error() string {
	return fmt.Sprintf("storage: payout %s was planned at %s but its open entries now sum to %s", e.Payout, e.Want, e.Got)
}

// Unwrap returns affiliate.ErrConflict.
func (e *BalanceMovedError) Unwrap() error { return affiliate.ErrConflict }
