package commission

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// A prefetch holds, for one round of RecordBatch, the reads its events
// would make one by one (each customer's state, each event by ID, each
// customer's binding, whether each event's month has a payout run, and
// the affiliates a store reads along), read with one storage.BatchReader
// call. A round writes each customer once, so what was read at its start
// is what a Record would read. Outside a round, each attempt of Record reads so for
// its one event (prefetchOne). A store that is no BatchReader is read one
// by one.
type prefetch struct {
	customers map[affiliate.CustomerID]bool
	events    map[affiliate.EventID]bool
	facts     storage.BatchFacts
	// one, when set, answers instead for a Record planned from what the
	// engine remembers of the customer (recall); event is that Record's
	// event, not logged as far as the engine knows.
	one   *recalled
	event affiliate.EventID
}

// stateOf answers customerState for c, known false when the prefetch
// did not read c.
func (p *prefetch) stateOf(c affiliate.CustomerID) (st storage.CustomerState, known bool) {
	if p.one != nil {
		return p.one.state, c == p.one.state.Customer
	}
	if !p.customers[c] {
		return storage.CustomerState{}, false
	}
	if st, ok := p.facts.States[c]; ok {
		return st, true
	}
	return storage.CustomerState{Customer: c}, true
}

// eventOf answers event for id: found false for an event not logged.
func (p *prefetch) eventOf(id affiliate.EventID) (rec affiliate.EventRecord, found, known bool) {
	if p.one != nil {
		return affiliate.EventRecord{}, false, id == p.event
	}
	if !p.events[id] {
		return affiliate.EventRecord{}, false, false
	}
	rec, found = p.facts.Events[id]
	return rec, found, true
}

// bindingOf answers binding for c: found false for a customer unbound.
func (p *prefetch) bindingOf(c affiliate.CustomerID) (b affiliate.Binding, found, known bool) {
	if p.one != nil {
		return p.one.expect.Binding, p.one.expect.Bound, c == p.one.state.Customer
	}
	if !p.customers[c] {
		return affiliate.Binding{}, false, false
	}
	b, found = p.facts.Bindings[c]
	return b, found, true
}

// affiliateOf answers affiliate for id when the store read it along.
func (p *prefetch) affiliateOf(id affiliate.AffiliateID) (affiliate.Affiliate, bool) {
	if p.one != nil {
		for _, a := range p.one.expect.Affiliates {
			if a.ID == id {
				return a, true
			}
		}
		return affiliate.Affiliate{}, false
	}
	a, ok := p.facts.Affiliates[id]
	return a, ok
}

// runOf answers whether run k exists, when the store was asked.
func (p *prefetch) runOf(k storage.PayoutRunKey) (found, asked bool) {
	if p.one != nil {
		found, asked = p.one.expect.Runs[k]
		return found, asked
	}
	found, asked = p.facts.Runs[k]
	return found, asked
}

type prefetchKey struct{}

// errNotPrefetched is the ErrNotFound of a read answered from a prefetch.
var errNotPrefetched = fmt.Errorf("commission: %w", affiliate.ErrNotFound)

// withPrefetch reads the facts of items with one call when the store is a
// BatchReader; otherwise it returns ctx as it is.
func (e *Engine) withPrefetch(ctx context.Context, items []batchItem) (context.Context, error) {
	r, ok := e.store.(storage.BatchReader)
	if !ok {
		return ctx, nil
	}
	p := &prefetch{customers: make(map[affiliate.CustomerID]bool, len(items)), events: make(map[affiliate.EventID]bool, len(items))}
	customers := make([]affiliate.CustomerID, 0, len(items))
	ids := make([]affiliate.EventID, 0, len(items))
	var runs []storage.PayoutRunKey
	_, hasRuns := e.store.(PayoutRuns)
	for _, it := range items {
		if hasRuns {
			if k := e.runKey(affiliate.PeriodOf(it.ev.EventTime(), e.loc)); !e.knownClosed(k.Period) && !slices.Contains(runs, k) {
				runs = append(runs, k)
			}
		}
		c, id := it.ev.EventCustomer(), it.ev.EventID()
		if !p.customers[c] {
			p.customers[c] = true
			customers = append(customers, c)
		}
		if !p.events[id] {
			p.events[id] = true
			ids = append(ids, id)
		}
	}
	m := memoOf(ctx)
	var known []affiliate.AffiliateID
	if m != nil {
		m.mu.Lock()
		for id := range m.affiliates {
			known = append(known, id)
		}
		m.mu.Unlock()
	}
	facts, err := r.ReadBatch(ctx, storage.BatchQuery{Customers: customers, Events: ids, Runs: runs, KnownAffiliates: known})
	if err != nil {
		return ctx, err
	}
	p.facts = facts
	if facts.Runs != nil {
		e.remembered.answersRuns.Store(true)
	}
	if m != nil && len(facts.Affiliates) > 0 {
		// Later rounds take them from the memo and do not ask again.
		m.mu.Lock()
		maps.Copy(m.affiliates, facts.Affiliates)
		m.mu.Unlock()
	}
	return context.WithValue(ctx, prefetchKey{}, p), nil
}

// prefetchOne reads the facts of one attempt at ev with one call, outside
// a RecordBatch round, when the store is a BatchReader: on a database
// server that is one round trip instead of three. Each attempt reads
// afresh, so a retry never plans from facts its conflict made stale.
func (e *Engine) prefetchOne(ctx context.Context, ev affiliate.Event) (context.Context, error) {
	if prefetchOf(ctx) != nil {
		return ctx, nil
	}
	return e.withPrefetch(ctx, []batchItem{{ev: ev}})
}

func prefetchOf(ctx context.Context) *prefetch {
	p, _ := ctx.Value(prefetchKey{}).(*prefetch)
	return p
}

func (e *Engine) customerState(ctx context.Context, c affiliate.CustomerID) (storage.CustomerState, error) {
	if p := prefetchOf(ctx); p != nil {
		if st, known := p.stateOf(c); known {
			return st, nil
		}
	}
	return e.store.CustomerState(ctx, c)
}

func (e *Engine) event(ctx context.Context, id affiliate.EventID) (affiliate.EventRecord, error) {
	if p := prefetchOf(ctx); p != nil {
		if rec, found, known := p.eventOf(id); known {
			if !found {
				return affiliate.EventRecord{}, errNotPrefetched
			}
			return rec, nil
		}
	}
	return e.store.Event(ctx, id)
}

func (e *Engine) binding(ctx context.Context, c affiliate.CustomerID) (affiliate.Binding, error) {
	if p := prefetchOf(ctx); p != nil {
		if b, found, known := p.bindingOf(c); known {
			if !found {
				return affiliate.Binding{}, errNotPrefetched
			}
			return b, nil
		}
	}
	return e.store.Binding(ctx, c)
}
