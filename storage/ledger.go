package storage

import (
	"context"
	"time"

	"github.com/openaffiliate/affiliate"
)

// AppendBatch is one atomic, idempotent write to the ledger.
type AppendBatch struct {
	// Key is the idempotency key; it shares one key space with
	// Commit.Key. Required.
	Key string
	// Hash identifies the payload the key stands for, so a replay can be
	// told from a reuse. Required.
	Hash string
	// Entries are appended in order. They may be empty (a key that records
	// that nothing was owed).
	Entries []affiliate.Entry
	// Deltas are added to the running aggregates in the same write.
	Deltas []AggregateDelta
}

// AppendResult is what an append wrote, or what an earlier append with
// the same key wrote when Replayed is true.
type AppendResult struct {
	Entries  []affiliate.Entry
	Replayed bool
}

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

// Ledger is the append-only ledger.
type Ledger interface {
	// Append writes every entry and delta of b, or nothing.
	//
	// A key seen before with the same Hash is a replay: nothing is written
	// and the earlier entries come back with Replayed set. A key seen
	// before with another Hash returns ErrIdempotencyMismatch.
	//
	// Returns ErrInvalid when Key or Hash is empty, an entry fails
	// Validate, or two entries share an ID; ErrConflict when an entry ID is
	// already stored.
	Append(ctx context.Context, b AppendBatch) (AppendResult, error)

	// Entries returns the entries q selects, ordered by At, then ID.
	// Returns ErrInvalid for a query whose To is before its From.
	Entries(ctx context.Context, q EntryQuery) ([]affiliate.Entry, error)
}
