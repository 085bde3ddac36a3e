package affiliatetest

import (
	"context"
	"fmt"
	"sync"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// ErrInjected is the error a FaultStore returns for the call it fails.
var ErrInjected = fmt.Errorf("affiliatetest: injected store failure: %w", affiliate.ErrRetryable)

// FaultMode says how a FaultStore fails a call.
type FaultMode int

const (
	// FailBefore fails the call before it reaches the store: nothing is
	// written, as when the connection drops on the way.
	FailBefore FaultMode = iota
	// FailAfter lets a write reach the store, then returns ErrInjected, as
	// when the answer is lost on the way back: the write happened, and
	// the caller does not know it.
	FailAfter
)

func (m FaultMode) String() string {
	if m == FailAfter {
		return "after it reached the store (a lost answer)"
	}
	return "before it reached the store"
}

// Faults decides which store call a FaultStore fails. It counts the calls
// made since it was last armed or disarmed. The zero value is disarmed.
// It is safe for concurrent use.
type Faults struct {
	mu    sync.Mutex
	calls []string
	at    int // 1-based call to fail; 0: none
	mode  FaultMode
}

// Arm makes the call-th store call from now fail, as mode says.
func (f *Faults) Arm(call int, mode FaultMode) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls, f.at, f.mode = nil, call, mode
}

// Disarm stops failing calls and starts counting afresh.
func (f *Faults) Disarm() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls, f.at = nil, 0
}

// Calls returns the methods called since the last Arm or Disarm, in
// order ("Events.Commit", "Ledger.Entries"…).
func (f *Faults) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

// enter records a call and says whether to fail it before, or after, it
// runs.
func (f *Faults) enter(method string, write bool) (failBefore, failAfter bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, method)
	if f.at == 0 || len(f.calls) != f.at {
		return false, false
	}
	if f.mode == FailAfter && write {
		return false, true
	}
	return true, false
}

func (f *Faults) injected(method string, mode FaultMode) error {
	return fmt.Errorf("%w: %s failed %s", ErrInjected, method, mode)
}

// FaultableStore is what a FaultStore wraps and forwards: what the
// commission engine calls, with the whole of Bindings and Affiliates for
// engines that bind or read affiliates themselves. memstore.Store and
// sqlstore.Store implement it.
type FaultableStore interface {
	storage.Events
	storage.CustomerStates
	storage.Ledger
	storage.Bindings
	storage.Affiliates
}

// FaultStore wraps a store and fails the calls its Faults say; the calls
// it does not fail it forwards. Build the engine over a FaultStore and
// read the results from the wrapped store, so that reads by the checker
// are not counted.
type FaultStore struct {
	inner  FaultableStore
	faults *Faults
}

// NewFaultStore wraps inner; f decides which calls fail.
func NewFaultStore(inner FaultableStore, f *Faults) *FaultStore {
	return &FaultStore{inner: inner, faults: f}
}

var _ FaultableStore = (*FaultStore)(nil)

// call runs fn on the wrapped store, failing it as the Faults say.
func call[R any](s *FaultStore, method string, write bool, fn func(FaultableStore) (R, error)) (R, error) {
	var zero R
	before, after := s.faults.enter(method, write)
	if before {
		return zero, s.faults.injected(method, FailBefore)
	}
	r, err := fn(s.inner)
	if after && err == nil {
		return zero, s.faults.injected(method, FailAfter)
	}
	return r, err
}

// Commit implements storage.Events.
func (s *FaultStore) Commit(ctx context.Context, c storage.Commit) (storage.CommitResult, error) {
	return call(s, "Events.Commit", true, func(x FaultableStore) (storage.CommitResult, error) { return x.Commit(ctx, c) })
}

// CommitBatch implements storage.Events.
func (s *FaultStore) CommitBatch(ctx context.Context, cs []storage.Commit) ([]storage.CommitResult, error) {
	return call(s, "Events.CommitBatch", true, func(x FaultableStore) ([]storage.CommitResult, error) { return x.CommitBatch(ctx, cs) })
}

// Event implements storage.Events.
func (s *FaultStore) Event(ctx context.Context, id affiliate.EventID) (affiliate.EventRecord, error) {
	return call(s, "Events.Event", false, func(x FaultableStore) (affiliate.EventRecord, error) { return x.Event(ctx, id) })
}

// Events implements storage.Events.
func (s *FaultStore) Events(ctx context.Context, q storage.EventQuery) ([]affiliate.EventRecord, error) {
	return call(s, "Events.Events", false, func(x FaultableStore) ([]affiliate.EventRecord, error) { return x.Events(ctx, q) })
}

// CustomerState implements storage.CustomerStates.
func (s *FaultStore) CustomerState(ctx context.Context, c affiliate.CustomerID) (storage.CustomerState, error) {
	return call(s, "CustomerStates.CustomerState", false, func(x FaultableStore) (storage.CustomerState, error) { return x.CustomerState(ctx, c) })
}

// Entries implements storage.Ledger.
func (s *FaultStore) Entries(ctx context.Context, q storage.EntryQuery) ([]affiliate.Entry, error) {
	return call(s, "Ledger.Entries", false, func(x FaultableStore) ([]affiliate.Entry, error) { return x.Entries(ctx, q) })
}

// Bind implements storage.Bindings.
func (s *FaultStore) Bind(ctx context.Context, b affiliate.Binding) (affiliate.Binding, error) {
	return call(s, "Bindings.Bind", true, func(x FaultableStore) (affiliate.Binding, error) { return x.Bind(ctx, b) })
}

// Binding implements storage.Bindings.
func (s *FaultStore) Binding(ctx context.Context, c affiliate.CustomerID) (affiliate.Binding, error) {
	return call(s, "Bindings.Binding", false, func(x FaultableStore) (affiliate.Binding, error) { return x.Binding(ctx, c) })
}

// PutAffiliate implements storage.Affiliates.
func (s *FaultStore) PutAffiliate(ctx context.Context, a affiliate.Affiliate) error {
	_, err := call(s, "Affiliates.PutAffiliate", true, func(x FaultableStore) (struct{}, error) { return struct{}{}, x.PutAffiliate(ctx, a) })
	return err
}

// Affiliate implements storage.Affiliates.
func (s *FaultStore) Affiliate(ctx context.Context, id affiliate.AffiliateID) (affiliate.Affiliate, error) {
	return call(s, "Affiliates.Affiliate", false, func(x FaultableStore) (affiliate.Affiliate, error) { return x.Affiliate(ctx, id) })
}

// AffiliateByCode implements storage.Affiliates.
func (s *FaultStore) AffiliateByCode(ctx context.Context, code string) (affiliate.Affiliate, error) {
	return call(s, "Affiliates.AffiliateByCode", false, func(x FaultableStore) (affiliate.Affiliate, error) { return x.AffiliateByCode(ctx, code) })
}
