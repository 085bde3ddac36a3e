package commission

import (
	"errors"
	"maps"
	"slices"
	"sync"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// defaultRemembered is Config.RememberedCustomers' zero value: about a
// kilobyte a customer, a few megabytes in all.
const defaultRemembered = 4096

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
}

// recalled is one customer's remembered facts, and the expectation a
// commit planned from them carries.
type recalled struct {
	facts  storage.BatchFacts
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
// remembered, or the event's month's run was not asked). The caller
// recalls only on a BatchReader.
func (e *Engine) recall(ev affiliate.Event) (*prefetch, *storage.Expectation) {
	c := ev.EventCustomer()
	r := e.remembered.get(c)
	if r == nil {
		return nil, nil
	}
	if r.facts.Runs != nil {
		if k := e.runKey(affiliate.PeriodOf(ev.EventTime(), e.loc)); !e.knownClosed(k.Period) {
			if _, ok := r.facts.Runs[k]; !ok {
				return nil, nil
			}
		}
	}
	p := &prefetch{
		customers: map[affiliate.CustomerID]bool{c: true},
		events:    map[affiliate.EventID]bool{ev.EventID(): true}, // absent: a claimed key refuses the commit
		facts:     r.facts,
	}
	return p, &r.expect
}

// remember keeps, after w committed for its customer, what the
// customer's next Record would read: the state w wrote and the facts the
// attempt planned from (p: read, or recalled).
func (e *Engine) remember(p *prefetch, w *pendingWrite) {
	if p == nil || len(p.customers) != 1 {
		return
	}
	c := w.commit.State.Customer
	st := w.commit.State
	st.Data = slices.Clone(st.Data) // the write is recycled
	b, bound := p.facts.Bindings[c]
	r := &recalled{
		facts: storage.BatchFacts{
			States:     map[affiliate.CustomerID]storage.CustomerState{c: st},
			Bindings:   p.facts.Bindings,
			Runs:       p.facts.Runs,
			Affiliates: p.facts.Affiliates,
		},
		expect: storage.Expectation{Binding: b, Bound: bound, Runs: p.facts.Runs},
	}
	for _, id := range slices.Sorted(maps.Keys(p.facts.Affiliates)) {
		r.expect.Affiliates = append(r.expect.Affiliates, p.facts.Affiliates[id])
	}
	e.remembered.put(c, r)
}

// stale reports whether a commit's error may come from facts that
// changed since they were remembered: the attempt is then made again
// from a read.
func stale(err error) bool {
	return errors.Is(err, affiliate.ErrConflict) || errors.Is(err, affiliate.ErrIdempotencyMismatch)
}
