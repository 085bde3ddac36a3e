package commission

import (
	"errors"
	"maps"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// defaultRemembered is Config.RememberedCustomers' zero value: a
// kilobyte or less a customer, about 16 MiB in all.
const defaultRemembered = 16384

// remembered holds, for customers whose last Record this engine
// committed, what the customer's next Record would read: its state as
// committed, its binding, and the affiliates and payout runs the store
// read along. On a BatchReader the next Record plans from them without a
// read, and its commit carries them as an expectation the store checks
// (storage.Expectation). On a database server that saves the read's
// round trip, half of an event's.
//
// Each customer's facts are immutable once stored: put replaces them
// whole, and Records running at once share them. When full, put drops a
// customer at random (map order), which keeps a share of a working set
// larger than the room, where a least recently used order would keep
// none of one visited in a cycle.
type remembered struct {
	mu        sync.Mutex
	room      int
	customers map[affiliate.CustomerID]*recalled
	runs      sync.Map // runAnswer → its map of one entry, shared (sharedRuns)
	// answersRuns is set once a read answered runs (BatchFacts.Runs):
	// then a remembered customer whose event's month was not asked is
	// read, since the read would ask it in the same round trip.
	answersRuns atomic.Bool
}

// recalled is one customer's remembered facts: the state the engine
// committed, and the rest as the expectation a commit planned from them
// carries.
type recalled struct {
	state  storage.CustomerState
	expect storage.Expectation
}

func (r *remembered) get(c affiliate.CustomerID) *recalled {
	if r.room <= 0 {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.customers[c]
}

func (r *remembered) put(c affiliate.CustomerID, f *recalled) {
	if r.room <= 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.customers == nil {
		r.customers = make(map[affiliate.CustomerID]*recalled)
	}
	if _, ok := r.customers[c]; !ok && len(r.customers) >= r.room {
		for k := range r.customers {
			delete(r.customers, k)
			break
		}
	}
	r.customers[c] = f
}

func (r *remembered) forget(c affiliate.CustomerID) {
	if r.room <= 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.customers, c)
}

// recall returns a prefetch of ev's reads from what the engine remembers
// of its customer, and the expectation its commit must carry; nil when
// it remembers nothing that answers them all (the customer is not
// remembered, or the event's month's run was not asked of a store that
// answers runs). The caller recalls only on a BatchReader.
func (e *Engine) recall(ev affiliate.Event) (*prefetch, *storage.Expectation) {
	r := e.remembered.get(ev.EventCustomer())
	if r == nil {
		return nil, nil
	}
	if k := e.runKey(affiliate.PeriodOf(ev.EventTime(), e.loc)); !e.knownClosed(k.Period) && e.remembered.answersRuns.Load() {
		// A store that answers runs answers this one with the read, in
		// the same round trip; a remembered answer saves it.
		if _, ok := r.expect.Runs[k]; !ok {
			return nil, nil
		}
	}
	// The event is taken as not logged: a commit whose key is claimed is
	// refused, and the read that follows finds the event.
	return &prefetch{one: r, event: ev.EventID()}, &r.expect
}

// remember keeps, after w committed for its customer, what the
// customer's next Record would read: the state w wrote and the facts the
// attempt planned from (p: read, or recalled).
func (e *Engine) remember(p *prefetch, w *pendingWrite) {
	st := w.commit.State
	st.Data = slices.Clone(st.Data) // the write is recycled
	r := &recalled{state: st}
	if p.one != nil {
		r.expect = p.one.expect
	} else {
		if len(p.customers) != 1 {
			return
		}
		b, bound := p.facts.Bindings[st.Customer]
		r.expect = storage.Expectation{Binding: b, Bound: bound, Runs: e.sharedRuns(p.facts.Runs)}
		for _, id := range slices.Sorted(maps.Keys(p.facts.Affiliates)) {
			r.expect.Affiliates = append(r.expect.Affiliates, p.facts.Affiliates[id])
		}
	}
	e.remembered.put(st.Customer, r)
}

// sharedRuns returns runs, or for a single answer the engine's one map
// holding it: most customers remembered share their month's answer, and
// a map of one entry costs a few hundred bytes each.
func (e *Engine) sharedRuns(runs map[storage.PayoutRunKey]bool) map[storage.PayoutRunKey]bool {
	if len(runs) != 1 {
		return runs
	}
	for k, v := range runs {
		shared, _ := e.remembered.runs.LoadOrStore(runAnswer{k, v}, runs)
		return shared.(map[storage.PayoutRunKey]bool)
	}
	return runs
}

// runAnswer is a single run's answer, the key of remembered.runs.
type runAnswer struct {
	key    storage.PayoutRunKey
	exists bool
}

// stale reports whether a commit's error may come from facts that
// changed since they were remembered: the attempt is then made again
// from a read.
func stale(err error) bool {
	return errors.Is(err, affiliate.ErrConflict) || errors.Is(err, affiliate.ErrIdempotencyMismatch)
}
