package memstore

import (
	"context"
	"strconv"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// CommitBatch implements storage.Events: under one lock it checks every
// commit against the store as the earlier ones would leave it, and only
// when all pass applies them one by one, so a failure writes nothing.
func (s *Store) CommitBatch(ctx context.Context, cs []storage.Commit) ([]storage.CommitResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i, c := range cs {
		if err := validateCommit(c); err != nil {
			return nil, &storage.BatchError{Index: i, Err: err}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkBatch(cs); err != nil {
		return nil, err
	}
	out := make([]storage.CommitResult, len(cs))
	for i, c := range cs {
		res, err := s.commitLocked(c)
		if err != nil { // checkBatch let through what commitLocked refuses
			panic("memstore: commit " + strconv.Itoa(i) + " of a checked batch failed: " + err.Error())
		}
		out[i] = res
	}
	return out, nil
}

// checkBatch is commitLocked's checks for each commit of cs, against the
// store plus what the commits before it write. Callers hold the lock.
func (s *Store) checkBatch(cs []storage.Commit) error {
	keys := make(map[string]string) // key → hash, of the batch's new commits
	versions := make(map[affiliate.CustomerID]int64)
	events := make(map[affiliate.EventID]bool)
	entries := make(map[affiliate.EntryID]bool)
	sums := make(map[aggKey]storage.Aggregate)
	for i, c := range cs {
		fail := func(err error) error { return &storage.BatchError{Index: i, Err: err} }
		_, replay, err := s.ledger.checkKey(c.Key, c.Hash)
		if hash, ok := keys[c.Key]; ok {
			replay, err = true, nil
			if hash != c.Hash {
				err = &affiliate.FieldError{Field: "Key", Reason: "key " + c.Key + " was used with another payload", Err: affiliate.ErrIdempotencyMismatch}
			}
		}
		if err != nil {
			return fail(err)
		}
		if replay {
			continue
		}
		stored, ok := versions[c.State.Customer]
		if !ok {
			stored = s.events.states[c.State.Customer].Version
		}
		if stored != c.State.Version-1 {
			return fail(conflict("customer %q state is at version %d, not %d", c.State.Customer, stored, c.State.Version-1))
		}
		if c.Event != nil {
			if _, ok := s.events.byID[c.Event.ID]; ok || events[c.Event.ID] {
				return fail(conflict("event %q is already logged", c.Event.ID))
			}
		}
		if err := s.ledger.checkNewIDs(c.Entries); err != nil {
			return fail(err)
		}
		for _, e := range c.Entries {
			if entries[e.ID] {
				return fail(conflict("entry %q is already in the ledger", e.ID))
			}
		}
		for _, d := range c.Deltas {
			k := aggKey{d.Affiliate, d.Period.String(), d.Metric, d.Amount.Currency()}
			cur, ok := sums[k]
			if !ok {
				if cur, ok = s.aggregates.values[k]; !ok {
					cur = storage.Aggregate{Affiliate: d.Affiliate, Period: d.Period, Metric: d.Metric, Amount: zeroLike(d.Amount)}
				}
			}
			if sums[k], err = storage.AddDelta(cur, d); err != nil {
				return fail(err)
			}
		}
		keys[c.Key] = c.Hash
		versions[c.State.Customer] = c.State.Version
		if c.Event != nil {
			events[c.Event.ID] = true
		}
		for _, e := range c.Entries {
			entries[e.ID] = true
		}
	}
	return nil
}

var _ storage.BatchReader = (*Store)(nil)

// ReadBatch implements storage.BatchReader.
func (s *Store) ReadBatch(ctx context.Context, customers []affiliate.CustomerID, events []affiliate.EventID) (storage.BatchFacts, error) {
	if err := ctx.Err(); err != nil {
		return storage.BatchFacts{}, err
	}
	f := storage.BatchFacts{
		States:   make(map[affiliate.CustomerID]storage.CustomerState, len(customers)),
		Events:   make(map[affiliate.EventID]affiliate.EventRecord),
		Bindings: make(map[affiliate.CustomerID]affiliate.Binding, len(customers)),
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, c := range customers {
		if st, ok := s.events.states[c]; ok {
			f.States[c] = copyState(st)
		}
		if b, ok := s.bindings.byCustomer[c]; ok {
			f.Bindings[c] = b
		}
	}
	for _, id := range events {
		if r, ok := s.events.byID[id]; ok {
			f.Events[id] = copyRecord(r)
		}
	}
	return f, nil
}
