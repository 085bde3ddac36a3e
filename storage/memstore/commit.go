package memstore

import (
	"context"
	"slices"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// Commit implements storage.Events.
func (s *Store) Commit(ctx context.Context, c storage.Commit) (storage.CommitResult, error) {
	var res [1]storage.CommitResult
	if _, err := s.commit(ctx, []storage.Commit{c}, res[:]); err != nil {
		return storage.CommitResult{}, err
	}
	return res[0], nil
}

// CommitBatch implements storage.Events: it writes cs in order as one
// atomic write, each commit checked against the store as the earlier ones
// leave it, or returns a *storage.BatchError naming the commit that
// failed and writes nothing.
func (s *Store) CommitBatch(ctx context.Context, cs []storage.Commit) ([]storage.CommitResult, error) {
	if len(cs) == 0 {
		return nil, nil
	}
	for i, c := range cs {
		if c.Expect != nil {
			return nil, &storage.BatchError{Index: i, Err: invalid("Commit.Expect", "CommitBatch checks no expectation: Commit does")}
		}
	}
	res := make([]storage.CommitResult, len(cs))
	if i, err := s.commit(ctx, cs, res); err != nil {
		if i < 0 {
			return nil, err
		}
		return nil, &storage.BatchError{Index: i, Err: err}
	}
	return res, nil
}

// batchSeen is what the earlier commits of a batch will write, so that
// later ones are checked against it as if it were stored.
type batchSeen struct {
	keys     map[string]int // the commit that writes each key
	versions map[affiliate.CustomerID]int64
	events   map[affiliate.EventID]bool
	entries  map[affiliate.EntryID]bool
}

// commit checks every commit of cs, then writes those that are not
// replays, with their results in results (as long as cs); nothing is
// written when one fails. It returns the failing commit's position, or
// -1 for an error of the whole call.
func (s *Store) commit(ctx context.Context, cs []storage.Commit, results []storage.CommitResult) (int, error) {
	if err := ctx.Err(); err != nil {
		return -1, err
	}
	if len(cs) == 1 {
		// A single commit is validated before the lock is taken.
		if err := validateCommit(&cs[0]); err != nil {
			return 0, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var seen *batchSeen
	if len(cs) > 1 {
		seen = &batchSeen{keys: map[string]int{}, versions: map[affiliate.CustomerID]int64{}, events: map[affiliate.EventID]bool{}, entries: map[affiliate.EntryID]bool{}}
	}
	sums := &s.aggregates.sums
	sums.reset()
	for i := range cs {
		if seen != nil {
			// In a batch each commit is validated in turn, so the error is
			// the first one the commits would meet one by one.
			if err := validateCommit(&cs[i]); err != nil {
				return i, err
			}
		}
		replay, err := s.check(cs, i, seen, sums, &results[i])
		if err != nil {
			return i, err
		}
		if replay {
			continue
		}
		if seen != nil {
			c := &cs[i]
			seen.keys[c.Key] = i
			seen.versions[c.State.Customer] = c.State.Version
			if c.Event != nil {
				seen.events[c.Event.ID] = true
			}
			for _, e := range c.Entries {
				seen.entries[e.ID] = true
			}
		}
	}
	// Everything is checked: from here on nothing can fail.
	s.aggregates.apply(sums)
	for i := range cs {
		if results[i].Replayed {
			continue
		}
		c := &cs[i]
		keyed := eventKeyed(c)
		var hash blobAt
		if c.Event != nil {
			hash = s.logEvent(c.Event, uint32(s.ledger.commits.len()), c.Hash, keyed)
		} else {
			hash = s.addHash(c.Hash)
		}
		s.putState(c.State)
		first := s.ledger.rows.len()
		s.addEntries(c.Key, hash, keyed, c.Entries)
		s.appendEntryEvents(first, len(c.Entries))
		// The store holds its own copies, so handing the caller's entries
		// back shares nothing stored.
		results[i].Entries = c.Entries
	}
	return -1, nil
}

func validateCommit(c *storage.Commit) error {
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

// check checks commit i of cs against the store and what the batch's
// earlier commits write (seen, nil for a single commit), and adds its
// deltas to sums. A replay fills res and reports true. Callers hold the
// lock.
func (s *Store) check(cs []storage.Commit, i int, seen *batchSeen, sums *aggSums, res *storage.CommitResult) (replay bool, err error) {
	c := &cs[i]
	mismatch := func() error {
		return &affiliate.FieldError{Field: "Key", Reason: "key " + c.Key + " was used with another payload", Err: affiliate.ErrIdempotencyMismatch}
	}
	if c.Expect != nil {
		if err := s.checkExpect(c); err != nil {
			return false, err
		}
	}
	if stored, ok := s.commitOf(c.Key); ok {
		if !s.sameHash(stored, c.Hash) {
			return false, mismatch()
		}
		*res = storage.CommitResult{Entries: s.commitEntries(stored), Replayed: true}
		return true, nil
	}
	if seen != nil {
		if j, ok := seen.keys[c.Key]; ok {
			if cs[j].Hash != c.Hash {
				return false, mismatch()
			}
			*res = storage.CommitResult{Entries: slices.Clone(cs[j].Entries), Replayed: true}
			return true, nil
		}
	}
	version, batched := int64(0), false
	if seen != nil {
		version, batched = seen.versions[c.State.Customer]
	}
	if !batched {
		version = s.stateVersion(c.State.Customer)
	}
	if version != c.State.Version-1 {
		return false, conflict("customer %q state is at version %d, not %d", c.State.Customer, version, c.State.Version-1)
	}
	if c.Event != nil && (s.eventLogged(c.Event.ID) || seen != nil && seen.events[c.Event.ID]) {
		return false, conflict("event %q is already logged", c.Event.ID)
	}
	for _, e := range c.Entries {
		if _, ok := s.entryPos(e.ID); ok || seen != nil && seen.entries[e.ID] {
			return false, conflict("entry %q is already in the ledger", e.ID)
		}
	}
	return false, s.checkDeltas(c.Deltas, sums)
}

var _ storage.ExpectationChecker = (*Store)(nil)

// ChecksExpectations implements storage.ExpectationChecker: Commit checks
// a commit's expectation (checkExpect).
func (s *Store) ChecksExpectations() {}

// checkExpect refuses a commit whose expectation no longer holds
// (storage.Expectation): its key claimed, or the binding, an affiliate or
// a run other than as it was read. A claimed key is a conflict here, not
// a replay: the engine reads the event and answers the replay as a read
// finds it. Callers hold the lock.
func (s *Store) checkExpect(c *storage.Commit) error {
	x := c.Expect
	if _, claimed := s.commitOf(c.Key); claimed {
		return conflict("commit %q: the key was claimed since its facts were read", c.Key)
	}
	r := s.bindingOf(c.State.Customer)
	if (r != nil) != x.Bound || r != nil && !storage.SameBinding(s.bindingOut(r), x.Binding) {
		return conflict("customer %q's binding changed since the commit's facts were read", c.State.Customer)
	}
	for _, want := range x.Affiliates {
		if a := s.affiliate(want.ID); a == nil || !storage.SameAffiliate(*a, want) {
			return conflict("affiliate %q changed since the commit's facts were read", want.ID)
		}
	}
	for k, want := range x.Runs {
		key, ok := keyOf(k.Period)
		if !ok {
			return invalid("Commit.Expect.Runs", "period "+k.Period.String()+" is outside the years 1 to 9999")
		}
		if _, found := s.payouts.runs[runKey{k.Program, key}]; found != want {
			return conflict("payout run %s %s exists or not otherwise than when the commit's facts were read", k.Program, k.Period)
		}
	}
	return nil
}
