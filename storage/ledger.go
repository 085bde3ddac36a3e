package storage

import (
	"context"
	"time"

	"github.com/openaffiliate/affiliate"
)

// EntryQuery selects ledger entries. Zero fields do not filter; the
// filters that are set must all hold. A store serves at least the
// Beneficiary, Customer, Event and Payment filters from an index.
type EntryQuery struct {
	Beneficiary affiliate.AffiliateID
	Customer    affiliate.CustomerID
	Event       affiliate.EventID
	Payment     affiliate.EventID
	Currency    affiliate.Currency
	// From and To select entries whose At lies in [From, To).
	From, To time.Time
	// AvailableBy, when set, keeps entries whose AvailableAt is not after it.
	AvailableBy time.Time
	// Unsettled keeps only entries that are in no payout whose status is
	// created or paid.
	Unsettled bool
}

// Ledger reads the append-only ledger. Entries are written by
// Events.Commit only.
type Ledger interface {
	// Entries returns the entries q selects, ordered by At, then ID.
	// Returns ErrInvalid for a query whose To is before its From.
	Entries(ctx context.Context, q EntryQuery) ([]affiliate.Entry, error)
}
