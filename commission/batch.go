package commission

import (
	"context"
	"fmt"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// IsolatedTiers is an optional interface of a TierSource. TiersIsolated
// reports that the tier TierAt gives an affiliate never depends on what
// other customers' events wrote (FixedTier's does not). RecordBatch then
// prices the payments of many customers of one affiliate against the same
// store; for any other source it writes at most one event per affiliate
// in each store call, so that every payment sees the revenue of those
// recorded before it, as Record would.
type IsolatedTiers interface {
	TiersIsolated() bool
}

// BatchError reports the events of a RecordBatch that were not recorded;
// the others were. Errs is parallel to the events, nil for each one
// recorded, and each error is what Record would have returned for it.
type BatchError struct {
	Errs []error
}

func (e *BatchError) Error() string {
	n, first := 0, -1
	for i, err := range e.Errs {
		if err != nil {
			n++
			if first < 0 {
				first = i
			}
		}
	}
	if first < 0 {
		return "commission: every event of the batch was recorded"
	}
	return fmt.Sprintf("commission: %d of %d events not recorded; event %d: %v", n, len(e.Errs), first, e.Errs[first])
}

// Unwrap returns the events' errors, so errors.Is and errors.As find any
// of them.
func (e *BatchError) Unwrap() []error {
	var out []error
	for _, err := range e.Errs {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}

// RecordBatch records events as Record would one by one in that order,
// with one store call (Events.CommitBatch) for many of them. The results
// are parallel to events; the error is nil when every event was recorded,
// and otherwise a *BatchError holding, for each event that was not, the
// error Record would have returned, while the others are recorded.
//
// Bad input is refused per event before anything is stored. The rest
// runs in rounds: a round is the longest run of consecutive events in
// which no customer writes twice (nor, unless the tiers are isolated, an
// affiliate), each prepared against the store as the earlier rounds left
// it, and committed together with one CommitBatch, in order, so that the
// ledger, the outbox and the aggregates are exactly Record's. A replay is
// answered without a write. When a round's CommitBatch fails (a
// concurrent writer, an idempotency mismatch between events of the
// batch), that round's events are recorded one by one with Record, which
// retries and tells each event's own error.
func (e *Engine) RecordBatch(ctx context.Context, events []affiliate.Event) ([]Result, error) {
	results := make([]Result, len(events))
	errs := make([]error, len(events))
	var items []batchItem
	for i, ev := range events {
		ev, err := e.canonical(ev)
		if err == nil {
			var k eventKeys
			if k, err = keysOf(ev); err == nil {
				items = append(items, batchItem{i, ev, k})
			}
		}
		errs[i] = err
	}
	t, ok := e.tiers.(IsolatedTiers)
	r := round{e: e, isolated: ok && t.TiersIsolated(), results: results, errs: errs}
	// The batch reads each affiliate of the chains once (a store that
	// reads affiliates along is told which it has), and each month found
	// open once; it memoizes no tier (see memo).
	ctx = context.WithValue(ctx, memoKey{}, &memo{affiliates: map[affiliate.AffiliateID]affiliate.Affiliate{}, open: map[monthKey]bool{}})
	limit := len(items)
	for len(items) > 0 {
		if err := ctx.Err(); err != nil {
			for _, it := range items {
				errs[it.i] = err
			}
			break
		}
		n := r.run(ctx, window(items, limit))
		if !r.isolated { // rounds end at a repeated affiliate: read ahead twice the last
			limit = max(32, 2*n)
		}
		items = items[n:]
	}
	for _, err := range errs {
		if err != nil {
			return results, &BatchError{Errs: errs}
		}
	}
	return results, nil
}

// batchItem is the i-th event of a batch, canonical, with its keys.
type batchItem struct {
	i    int
	ev   affiliate.Event
	keys eventKeys
}

// round records a batch's events a round at a time into results and errs.
type round struct {
	e        *Engine
	isolated bool
	results  []Result
	errs     []error
}

// window is the longest prefix of items, at most limit long, in which no
// customer appears twice: the most a round can take.
func window(items []batchItem, limit int) []batchItem {
	seen := make(map[affiliate.CustomerID]bool)
	for n, it := range items[:min(limit, len(items))] {
		if seen[it.ev.EventCustomer()] {
			return items[:n]
		}
		seen[it.ev.EventCustomer()] = true
	}
	return items[:min(limit, len(items))]
}

// run records a round of items, a window, and returns how many events it
// took (at least one).
func (r round) run(ctx context.Context, items []batchItem) int {
	rctx, err := r.e.withPrefetch(ctx, items)
	if err != nil { // let Record read and report, one event at a time
		it := items[0]
		r.results[it.i], r.errs[it.i] = r.e.record(ctx, it.ev, it.keys)
		return 1
	}
	var (
		writers   []batchItem
		writes    []*pendingWrite
		customers = make(map[affiliate.CustomerID]bool)
		touched   = make(map[affiliate.AffiliateID]bool)
		n         int
	)
	for n < len(items) {
		it := items[n]
		if customers[it.ev.EventCustomer()] {
			break
		}
		w, res, retry, err := r.e.prepare(rctx, it.ev, it.keys)
		if w == nil && retry { // raced: let Record retry it, after the round
			if len(writes) == 0 {
				r.results[it.i], r.errs[it.i] = r.e.record(ctx, it.ev, it.keys)
				n++
			}
			break
		}
		if w == nil { // a replay or a refusal: nothing to write
			r.results[it.i], r.errs[it.i] = res, err
			n++
			continue
		}
		if !r.isolated && touchesAny(w.commit, touched) {
			break // its tier may depend on what the round writes
		}
		customers[it.ev.EventCustomer()] = true
		markTouched(w.commit, touched)
		writers, writes = append(writers, it), append(writes, w)
		n++
	}
	if len(writes) == 0 {
		return n
	}
	commits := make([]storage.Commit, len(writes))
	for k, w := range writes {
		commits[k] = w.commit
	}
	crs, err := r.e.store.CommitBatch(ctx, commits)
	if err != nil {
		for _, it := range writers {
			r.results[it.i], r.errs[it.i] = r.e.record(ctx, it.ev, it.keys)
		}
		return n
	}
	for k, it := range writers {
		r.results[it.i] = writes[k].result(crs[k])
	}
	for _, w := range writes { // after every result is copied: a replay's entries may be another write's
		w.release()
	}
	return n
}

// touchesAny reports whether c writes for an affiliate in touched: the
// event's affiliate, or an entry's beneficiary or chain.
func touchesAny(c storage.Commit, touched map[affiliate.AffiliateID]bool) bool {
	found := false
	eachAffiliate(c, func(a affiliate.AffiliateID) { found = found || touched[a] })
	return found
}

func markTouched(c storage.Commit, touched map[affiliate.AffiliateID]bool) {
	eachAffiliate(c, func(a affiliate.AffiliateID) { touched[a] = true })
}

func eachAffiliate(c storage.Commit, fn func(affiliate.AffiliateID)) {
	if c.Event != nil && c.Event.Affiliate != "" {
		fn(c.Event.Affiliate)
	}
	for _, e := range c.Entries {
		fn(e.Beneficiary)
		for _, a := range e.Chain {
			fn(a)
		}
	}
}
