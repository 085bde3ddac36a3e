package memstore

import (
	"context"
	"slices"
	"strings"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var (
	_ storage.Events         = (*Store)(nil)
	_ storage.CustomerStates = (*Store)(nil)
)

type eventTables struct {
	byID       map[affiliate.EventID]affiliate.EventRecord
	byCustomer map[affiliate.CustomerID][]affiliate.EventID
	byPayment  map[affiliate.EventID][]affiliate.EventID
	states     map[affiliate.CustomerID]storage.CustomerState
}

func (t *eventTables) init() {
	t.byID = make(map[affiliate.EventID]affiliate.EventRecord)
	t.byCustomer = make(map[affiliate.CustomerID][]affiliate.EventID)
	t.byPayment = make(map[affiliate.EventID][]affiliate.EventID)
	t.states = make(map[affiliate.CustomerID]storage.CustomerState)
}

func copyRecord(r affiliate.EventRecord) affiliate.EventRecord {
	if r.Payment != nil {
		p := *r.Payment
		p.Lines = slices.Clone(p.Lines)
		r.Payment = &p
	}
	if r.Refund != nil {
		f := *r.Refund
		r.Refund = &f
	}
	if r.Reinstatement != nil {
		x := *r.Reinstatement
		r.Reinstatement = &x
	}
	return r
}

func copyState(st storage.CustomerState) storage.CustomerState {
	st.Data = slices.Clone(st.Data)
	return st
}

// Commit implements storage.Events.
func (s *Store) Commit(ctx context.Context, c storage.Commit) (storage.CommitResult, error) {
	if err := ctx.Err(); err != nil {
		return storage.CommitResult{}, err
	}
	if err := validateCommit(c); err != nil {
		return storage.CommitResult{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commitLocked(c)
}

// commitLocked checks c against the store and writes it. Callers hold the
// write lock and have validated c.
func (s *Store) commitLocked(c storage.Commit) (storage.CommitResult, error) {
	rec, replay, err := s.ledger.checkKey(c.Key, c.Hash)
	if err != nil {
		return storage.CommitResult{}, err
	}
	if replay {
		return storage.CommitResult{Entries: s.ledger.copies(rec.entries), Replayed: true}, nil
	}
	if stored := s.events.states[c.State.Customer].Version; stored != c.State.Version-1 {
		return storage.CommitResult{}, conflict("customer %q state is at version %d, not %d", c.State.Customer, stored, c.State.Version-1)
	}
	if c.Event != nil {
		if _, ok := s.events.byID[c.Event.ID]; ok {
			return storage.CommitResult{}, conflict("event %q is already logged", c.Event.ID)
		}
	}
	if err := s.ledger.checkNewIDs(c.Entries); err != nil {
		return storage.CommitResult{}, err
	}
	// The aggregates go first: they are the one write that can still
	// fail, and it fails before anything else is written.
	if err := s.aggregates.add(c.Deltas); err != nil {
		return storage.CommitResult{}, err
	}
	if c.Event != nil {
		ev := copyRecord(*c.Event)
		s.events.byID[ev.ID] = ev
		s.events.byCustomer[ev.Customer] = append(s.events.byCustomer[ev.Customer], ev.ID)
		pid := ev.PaymentID()
		s.events.byPayment[pid] = append(s.events.byPayment[pid], ev.ID)
	}
	s.events.states[c.State.Customer] = copyState(c.State)
	s.ledger.add(c.Key, c.Hash, c.Entries)
	s.appendOutbox(storage.CommitEvents(c))
	// The store holds its own copies, so handing the caller's entries back
	// shares nothing stored.
	return storage.CommitResult{Entries: c.Entries}, nil
}

// validateCommit refuses a commit that is bad input whatever the store
// holds.
func validateCommit(c storage.Commit) error {
	if c.Key == "" || c.Hash == "" || c.State.Customer == "" {
		return invalid("Commit", "key, hash and state customer are required")
	}
	if c.Event != nil {
		if c.Event.Kinds() != 1 {
			return invalid("Commit.Event", "exactly one of Payment, Refund and Reinstatement must be set")
		}
		if c.Event.ID == "" || c.Event.Customer != c.State.Customer {
			return invalid("Commit.Event", "needs an ID and the state's customer")
		}
	}
	if err := storage.ValidateEntries(c.Entries); err != nil {
		return err
	}
	return storage.ValidateDeltas(c.Deltas)
}

// Event implements storage.Events.
func (s *Store) Event(ctx context.Context, id affiliate.EventID) (affiliate.EventRecord, error) {
	if err := ctx.Err(); err != nil {
		return affiliate.EventRecord{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.events.byID[id]
	if !ok {
		return affiliate.EventRecord{}, notFound("event", string(id))
	}
	return copyRecord(r), nil
}

// Events implements storage.Events.
func (s *Store) Events(ctx context.Context, q storage.EventQuery) ([]affiliate.EventRecord, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if (q.Customer == "") == (q.Payment == "") {
		return nil, invalid("EventQuery", "set exactly one of Customer and Payment")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var ids []affiliate.EventID
	if q.Customer != "" {
		ids = s.events.byCustomer[q.Customer]
	} else {
		ids = s.events.byPayment[q.Payment]
	}
	out := make([]affiliate.EventRecord, len(ids))
	for i, id := range ids {
		out[i] = copyRecord(s.events.byID[id])
	}
	slices.SortFunc(out, func(a, b affiliate.EventRecord) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		return strings.Compare(string(a.ID), string(b.ID))
	})
	return out, nil
}

// CustomerState implements storage.CustomerStates.
func (s *Store) CustomerState(ctx context.Context, c affiliate.CustomerID) (storage.CustomerState, error) {
	if err := ctx.Err(); err != nil {
		return storage.CustomerState{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	st, ok := s.events.states[c]
	if !ok {
		return storage.CustomerState{Customer: c}, nil
	}
	return copyState(st), nil
}
