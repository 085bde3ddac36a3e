package storage

import (
	"context"
	"fmt"
	"hash/maphash"

	"github.com/openaffiliate/affiliate"
)

// CustomerState is the commission engine's per-customer summary: opaque
// bytes the engine encodes, and a version that every commit for the
// customer increments. A customer with no state has version 0. The Data a
// store returns is the caller's, and the store never writes to it again:
// the engine reads strings out of it without copying them.
type CustomerState struct {
	Customer affiliate.CustomerID
	Version  int64
	Data     []byte
}

// Commit is the commission engine's one atomic write: an event, the
// customer's new state, the entries the event produced and the aggregate
// deltas, all or nothing. The engine reuses a Commit's slices and its
// State.Data once the call returns, and copies the entries a CommitResult
// holds: a store copies in what it keeps. Strings are never reused, so a
// store may keep any string of a Commit as it is.
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
	// Expect, when not nil, holds the facts this commit was planned from
	// that the engine did not read again for it (see Expectation): Commit
	// checks them, and CommitBatch refuses a commit that carries them
	// (ErrInvalid).
	Expect *Expectation
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

	// CommitBatch writes cs in order as one atomic write: all of them or
	// none. Each commit is checked as Commit checks it, against the store
	// as the earlier commits of the batch leave it, so one customer may
	// appear several times, each State.Version one more than its last. A
	// commit whose Key was stored before, or by an earlier commit of the
	// batch, with the same Hash is a replay: it writes nothing and its
	// result has Replayed set (with the earlier commit's entries); with
	// another Hash it fails with ErrIdempotencyMismatch. When any commit
	// fails, nothing of the batch is written and the error is a
	// *BatchError naming the commit, which unwraps to that commit's error
	// (so errors.Is(err, affiliate.ErrConflict) still works). Outbox
	// events are derived for each commit exactly as Commit derives them.
	// An empty batch writes nothing and returns no error.
	CommitBatch(ctx context.Context, cs []Commit) ([]CommitResult, error)

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

// BatchError names the commit of a batch that failed (Events.CommitBatch);
// nothing of the batch was written.
type BatchError struct {
	Index int   // position in the batch
	Err   error // the commit's error
}

func (e *BatchError) Error() string {
	return fmt.Sprintf("storage: commit %d of the batch: %v", e.Index, e.Err)
}

// Unwrap returns the commit's error.
func (e *BatchError) Unwrap() error { return e.Err }

// BatchReader is an optional interface of a store: the engine's per-event
// reads (the customer's state, the event by ID, the customer's binding,
// whether the event's month has a payout run) for many events in one
// call. commission.Engine.RecordBatch uses it for each round and Record
// for each attempt at its one event, when the store has it; they read one
// by one otherwise. A store whose reads are round trips implements it
// (sqlstore); one in memory need not.
type BatchReader interface {
	// ReadBatch returns the states of q.Customers (one never committed
	// is absent, as if at version 0), the logged events among q.Events
	// and the bindings of q.Customers that have one. Keys the store
	// cannot hold are absent. It may answer q.Runs (BatchFacts.Runs).
	ReadBatch(ctx context.Context, q BatchQuery) (BatchFacts, error)
}

// ProcessHashes is an optional interface of a store whose records live no
// longer than the process that wrote them (memstore). An event's
// idempotency hash then only has to tell two payloads apart within this
// process, so the commission engine hashes the event (a payment's
// binary encoding, another event's canonical form) with the 64-bit
// hash/maphash under HashSeed (hashes starting "p1:") instead of SHA-256
// of the canonical form (affiliate.HashPrefix). A store that keeps its
// records across processes must not implement it: its hashes are compared
// with those of the next process, and of the next version.
type ProcessHashes interface {
	// HashSeed returns the seed of the store's event hashes, the same
	// for every call in the process.
	HashSeed() maphash.Seed
}

// BatchQuery is what BatchReader.ReadBatch is asked to read.
type BatchQuery struct {
	Customers []affiliate.CustomerID
	Events    []affiliate.EventID
	// Runs asks which of these payout runs exist (Payouts.PayoutRun
	// finds them): the engine dates nothing in a month that has one.
	Runs []PayoutRunKey
	// KnownAffiliates are affiliates the caller holds already: a store
	// that reads affiliates along (BatchFacts.Affiliates) need not read
	// these again. RecordBatch names those its earlier rounds read.
	KnownAffiliates []affiliate.AffiliateID
}

// PayoutRunKey names a payout run: its program and month. The engine
// asks with a Period whose Location is nil; a store answers by year and
// month whatever the location, as Payouts.PayoutRun finds a run, and keys
// BatchFacts.Runs with the key as asked.
type PayoutRunKey struct {
	Program string
	Period  affiliate.Period
}

// BatchFacts is what BatchReader.ReadBatch found.
type BatchFacts struct {
	States   map[affiliate.CustomerID]CustomerState
	Events   map[affiliate.EventID]affiliate.EventRecord
	Bindings map[affiliate.CustomerID]affiliate.Binding
	// Runs tells, for the runs of BatchQuery.Runs the store looked up,
	// whether each exists (keyed as asked); it may be nil, as sqlstore
	// answers only for one event on PostgreSQL. The engine asks the
	// store's Payouts about a run not here.
	Runs map[PayoutRunKey]bool
	// Affiliates may hold affiliates that Bindings name and their parents,
	// where the store read them along (sqlstore does); it may be nil. The
	// engine reads any affiliate not here from the store.
	Affiliates map[affiliate.AffiliateID]affiliate.Affiliate
}
