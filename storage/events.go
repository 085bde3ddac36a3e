package storage

import (
	"context"
	"time"

	"github.com/openaffiliate/affiliate"
)

// EventRecord is a billing event as the commission engine logged it.
// Exactly one of Payment, Refund and Reinstatement is set.
type EventRecord struct {
	ID       affiliate.EventID
	Customer affiliate.CustomerID
	Time     time.Time // the event's own time (PaidAt or RefundedAt)
	Hash     string    // hash of the event's payload, for idempotency
	Payment  *affiliate.Payment
	Refund   *affiliate.Refund
	// Reinstatement undoes the chargeback it names (a won dispute).
	Reinstatement *affiliate.Reinstatement
	// Affiliate is the affiliate the customer was bound to when the event
	// was recorded, or "" when it was not bound. For a refund it is the
	// refunded payment's affiliate ("" while the refund is parked waiting
	// for its payment).
	Affiliate affiliate.AffiliateID
}

// Kinds returns how many of Payment, Refund and Reinstatement are set: a
// valid record has exactly one.
func (r EventRecord) Kinds() int {
	n := 0
	for _, set := range []bool{r.Payment != nil, r.Refund != nil, r.Reinstatement != nil} {
		if set {
			n++
		}
	}
	return n
}

// PaymentID returns the payment an event is about: its own ID for a
// payment, the referenced one for a refund. A reinstatement names a
// chargeback, not a payment: it is filed under its own ID.
func (r EventRecord) PaymentID() affiliate.EventID {
	if r.Refund != nil {
		return r.Refund.Payment
	}
	return r.ID
}

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
	// Key and Hash make the commit idempotent, in the key space shared
	// with AppendBatch.Key.
	Key  string
	Hash string
	// Event, when not nil, is logged and indexed by ID, customer and
	// payment. A commit that only corrects (a recompute) has none.
	Event *EventRecord
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
	Event(ctx context.Context, id affiliate.EventID) (EventRecord, error)

	// Events returns the events q selects, ordered by Time, then ID.
	// Returns ErrInvalid unless exactly one field of q is set.
	Events(ctx context.Context, q EventQuery) ([]EventRecord, error)
}

// CustomerStates reads the engine's per-customer summaries.
type CustomerStates interface {
	// CustomerState returns the customer's state; a customer never
	// committed has Version 0 and no Data (and no error).
	CustomerState(ctx context.Context, customer affiliate.CustomerID) (CustomerState, error)
}
