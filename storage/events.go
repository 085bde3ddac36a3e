package storage

import (
	"context"

	"github.com/openaffiliate/affiliate"
)

// CustomerState is the commission engine's per-customer summary: opaque
// bytes the engine encodes, and a version that every commit for the
// customer increments. A customer with no state has version 0.
type CustomerState struct {
	Customer affiliate.CustomerID
	Version  int64
	Data     []byte
}

// Commit is the commission engine's one atomic write: an event, the
// customer's new state, the entries the event produced and the aggregate
// deltas, all or nothing.
type Commit struct {
	// Key and Hash make the commit idempotent: the same Key with the same
	// Hash is a replay.
	Key  string
	Hash string
	// Event, when not nil, is logged and indexed by ID, customer and
	// payment. A commit that only corrects (a recompute) has none.
	Event *affiliate.EventRecord
	// State replaces the customer's state when the stored version is
	// State.Version-1; otherwise the commit fails with ErrConflict.
	State   CustomerState
	Entries []affiliate.Entry
	Deltas  []AggregateDelta
}

// CommitResult is what a commit wrote, or what the earlier commit with the
// same key wrote when Replayed is true.
type CommitResult struct {
	Entries  []affiliate.Entry
	Replayed bool
}

// EventQuery selects logged events: the customer's, or the events about one
// payment (the payment and the refunds that reference it). Exactly one
// field is set.
type EventQuery struct {
	Customer affiliate.CustomerID
	Payment  affiliate.EventID
}

// Events is the commission engine's event log.
type Events interface {
	// Commit writes c atomically.
	//
	// A key seen before with the same Hash is a replay: nothing is written
	// and the earlier entries come back with Replayed set, whatever the
	// state version. A key seen before with another Hash returns
	// ErrIdempotencyMismatch. A State.Version that is not the stored
	// version plus one returns ErrConflict, as does an event ID or entry ID
	// that is already stored.
	//
	// Returns ErrInvalid when Key, Hash or State.Customer is empty, the
	// event's customer differs from the state's, or an entry fails
	// Validate.
	Commit(ctx context.Context, c Commit) (CommitResult, error)

	// Event returns the logged event with id, or ErrNotFound.
	Event(ctx context.Context, id affiliate.EventID) (affiliate.EventRecord, error)

	// Events returns the events q selects, ordered by Time, then ID.
	// Returns ErrInvalid unless exactly one field of q is set.
	Events(ctx context.Context, q EventQuery) ([]affiliate.EventRecord, error)
}

// CustomerStates reads the engine's per-customer summaries.
type CustomerStates interface {
	// CustomerState returns the customer's state; a customer never
	// committed has Version 0 and no Data (and no error).
	CustomerState(ctx context.Context, customer affiliate.CustomerID) (CustomerState, error)
}
