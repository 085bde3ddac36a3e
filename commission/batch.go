package commission

import (
	"context"
	"fmt"
	"slices"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
)

// TierReads is an optional interface of a TierSource, which lets
// RecordBatch record many payments of one affiliate with one store call.
// TierReadsBefore returns a period such that the tier TierAt gives any
// affiliate a for payment p is decided by a, that period, and nothing the
// engine writes but a's aggregates of months before it (compared by year
// and month, as the stores key aggregates): every payment for which it
// returns the same period gets the same tier from the same store, and an
// aggregate the engine writes for a in that month or later cannot change
// it. FixedTier, which reads nothing, returns the zero Period. ok is
// false when the tier may depend on p otherwise or read anything the
// engine writes for a; a source returns false too for a payment TierAt
// refuses, so that TierAt is asked and says why.
//
// RecordBatch asks TierAt once per affiliate and period in a round (the
// store is the round's until it commits), and ends the round before an
// event priced at a tier that may have read what an earlier event of the
// round writes: for a bounded tier of a, an aggregate of a's in a month
// before the period; for any other tier of a, anything written for a or
// for an affiliate the event writes for. Every payment thus sees the
// revenue of those recorded before it, as Record would.
type TierReads interface {
	TierReadsBefore(p affiliate.Payment) (before affiliate.Period, ok bool)
}

// TierBatch is an optional interface of a TierSource with TierReads,
// which lets a RecordBatch round ask the tiers of many affiliates with
// the source's reads shared: tiers.Program reads a month's close once
// for all of them instead of once per affiliate. At a round's first
// bounded tier of a period, the round asks TiersAt for every affiliate
// its payments of that period are bound to (with their parents, as far
// as the round read them) and keeps the answers for the round; what it
// did not ask, it asks TierAt.
type TierBatch interface {
	TierReads
	// TiersAt returns, for each of affiliates in order, what TierAt
	// returns for it at p, a payment for which TierReadsBefore is ok. On
	// an error the round asks TierAt one affiliate at a time.
	TiersAt(ctx context.Context, affiliates []affiliate.AffiliateID, p affiliate.Payment) ([]rules.Tier, error)
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
// which no customer writes twice, no refund or reinstatement names an
// event the round writes, and no tier may read what the round writes
// (see TierReads), each prepared against the store as the earlier
// rounds left it, and committed together with one CommitBatch, in order,
// so that the ledger, the outbox and the aggregates are exactly Record's.
// A replay is answered without a write. When a round's CommitBatch fails
// (a concurrent writer, an idempotency mismatch between events of the
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
			if k, err = e.hasher.keysOf(ev); err == nil {
				items = append(items, batchItem{i, ev, k})
			}
		}
		errs[i] = err
	}
	r := round{e: e, results: results, errs: errs}
	// The batch reads each affiliate of the chains once (a store that
	// reads affiliates along is told which it has), and each month found
	// open once; a tier is memoized for a round at most (see roundTiers).
	ctx = context.WithValue(ctx, memoKey{}, &memo{affiliates: map[affiliate.AffiliateID]affiliate.Affiliate{}, open: map[monthKey]bool{}})
	limit := len(items)
	for len(items) > 0 {
		if err := ctx.Err(); err != nil {
			for _, it := range items {
				errs[it.i] = err
			}
			break
		}
		n, byTier := r.run(ctx, window(items, limit))
		limit = len(items)
		if byTier { // rounds may end at a tier's read again: read ahead twice the last
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
	e       *Engine
	results []Result
	errs    []error
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
// took (at least one) and whether it ended before an event whose tier
// may have read what the round writes.
func (r round) run(ctx context.Context, items []batchItem) (n int, byTier bool) {
	rctx, err := r.e.withPrefetch(ctx, items)
	if err != nil { // let Record read and report, one event at a time
		it := items[0]
		r.results[it.i], r.errs[it.i] = r.e.record(ctx, it.ev, it.keys)
		return 1, false
	}
	tiers := &roundTiers{memo: make(map[tierRead]rules.Tier), pending: r.e.tierGroups(rctx, items)}
	rctx = context.WithValue(rctx, roundTiersKey{}, tiers)
	var (
		writers   []batchItem
		writes    []*pendingWrite
		customers = make(map[affiliate.CustomerID]bool)
		ids       = make(map[affiliate.EventID]bool)
		written   = make(roundWrites)
	)
	for n < len(items) {
		it := items[n]
		if customers[it.ev.EventCustomer()] || ids[referenced(it.ev)] {
			break // its reads would miss what the round writes
		}
		tiers.reads = tiers.reads[:0]
		w, res, retry, err := r.e.prepare(rctx, it.ev, it.keys)
		if w == nil && retry { // raced: let Record retry it, after the round
			if len(writes) == 0 {
				r.results[it.i], r.errs[it.i] = r.e.record(ctx, it.ev, it.keys)
				n++
			}
			break
		}
		var c *storage.Commit
		if w != nil {
			c = &w.commit
		}
		if written.seenBy(c, tiers.reads) {
			byTier = true
			break
		}
		if w == nil { // a replay or a refusal: nothing to write
			r.results[it.i], r.errs[it.i] = res, err
			n++
			continue
		}
		customers[it.ev.EventCustomer()] = true
		ids[it.ev.EventID()] = true
		written.add(w.commit)
		writers, writes = append(writers, it), append(writes, w)
		n++
	}
	if len(writes) == 0 {
		return n, byTier
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
		return n, byTier
	}
	for k, it := range writers {
		r.results[it.i] = writes[k].result(crs[k])
		r.e.remembered.forget(it.ev.EventCustomer()) // its state moved on
	}
	for _, w := range writes { // after every result is copied: a replay's entries may be another write's
		w.release()
	}
	return n, byTier
}

// roundTiers holds the tiers a round asked for. tierAt logs in reads
// those of one prepare, so that the round can tell whether they may have
// read what it writes; and it memoizes the bounded ones by affiliate and
// period, which TierReads promises give the same tier from the same
// store, as the round's is until it commits.
type roundTiers struct {
	reads []tierRead
	memo  map[tierRead]rules.Tier
	// pending holds, by period, the affiliates whose bounded tiers a
	// TierBatch source is to be asked together, at the period's first.
	pending map[monthKey]*tierGroup
}

// tierGroup is the affiliates the round's payments of one period are
// bound to, with their parents, and one of those payments.
type tierGroup struct {
	pay        affiliate.Payment
	affiliates []affiliate.AffiliateID
}

// tierGroups returns the round's tier groups: for a TierBatch source and
// a round with a prefetch (whose bindings name the affiliates), each
// bounded period's payments' bound affiliates and the parents the round
// read along, up to the chain's depth. Otherwise nil.
func (e *Engine) tierGroups(ctx context.Context, items []batchItem) map[monthKey]*tierGroup {
	src, ok := e.tiers.(TierBatch)
	pre := prefetchOf(ctx)
	if !ok || pre == nil {
		return nil
	}
	m := memoOf(ctx)
	parentOf := func(a affiliate.AffiliateID) affiliate.AffiliateID {
		if x, ok := pre.facts.Affiliates[a]; ok {
			return x.Parent
		}
		if m != nil {
			m.mu.Lock()
			defer m.mu.Unlock()
			return m.affiliates[a].Parent
		}
		return ""
	}
	groups := make(map[monthKey]*tierGroup)
	seen := make(map[tierRead]bool)
	for _, it := range items {
		p, ok := it.ev.(affiliate.Payment)
		if !ok {
			continue
		}
		b, bound := pre.facts.Bindings[p.Customer]
		before, bounded := src.TierReadsBefore(p)
		if !bound || !bounded {
			continue
		}
		k := keyOf(before)
		g := groups[k]
		if g == nil {
			g = &tierGroup{pay: p}
			groups[k] = g
		}
		for a, depth := b.Affiliate, 0; a != "" && depth <= e.chainDepth; a, depth = parentOf(a), depth+1 {
			if r := (tierRead{affiliate: a, before: k, bounded: true}); !seen[r] {
				seen[r] = true
				g.affiliates = append(g.affiliates, a)
			}
		}
	}
	return groups
}

// askGroup asks a TierBatch source the tiers of the group of read's
// period, once, with read's affiliate among them, and memoizes them.
func (e *Engine) askGroup(ctx context.Context, rt *roundTiers, read tierRead) {
	g := rt.pending[read.before]
	if g == nil {
		return
	}
	delete(rt.pending, read.before) // asked once, whatever it answers
	affs := g.affiliates
	if !slices.Contains(affs, read.affiliate) {
		affs = append(affs, read.affiliate)
	}
	ts, err := e.tiers.(TierBatch).TiersAt(ctx, affs, g.pay)
	if err != nil || len(ts) != len(affs) {
		return
	}
	for i, a := range affs {
		rt.memo[tierRead{affiliate: a, before: read.before, bounded: true}] = ts[i]
	}
}

type roundTiersKey struct{}

// tierRead is one tier asked for: affiliate's, for a payment whose tier
// source reads only its aggregates of months before before (bounded), or
// may read anything.
type tierRead struct {
	affiliate affiliate.AffiliateID
	before    monthKey
	bounded   bool
}

// roundTierAt is tierAt inside a round: it logs the read, and answers a
// bounded one from the round's memo when it can. inRound is false
// outside a round, where it does nothing.
func (e *Engine) roundTierAt(ctx context.Context, a affiliate.AffiliateID, p affiliate.Payment) (t rules.Tier, inRound bool, err error) {
	rt, _ := ctx.Value(roundTiersKey{}).(*roundTiers)
	if rt == nil {
		return rules.Tier{}, false, nil
	}
	read := tierRead{affiliate: a}
	if src, ok := e.tiers.(TierReads); ok {
		var before affiliate.Period
		before, read.bounded = src.TierReadsBefore(p)
		read.before = keyOf(before)
	}
	rt.reads = append(rt.reads, read)
	if !read.bounded {
		t, err = e.tiers.TierAt(ctx, a, p)
		return t, true, err
	}
	if t, hit := rt.memo[read]; hit {
		return t, true, nil
	}
	e.askGroup(ctx, rt, read)
	if t, hit := rt.memo[read]; hit {
		return t, true, nil
	}
	if t, err = e.tiers.TierAt(ctx, a, p); err == nil {
		rt.memo[read] = t
	}
	return t, true, err
}

// roundWrites holds, for each affiliate a round writes for, the earliest
// month of an aggregate of its the round writes (the zero key when none).
type roundWrites map[affiliate.AffiliateID]monthKey

// seenBy reports whether the tiers an event was priced at (reads) may
// have read what the round writes: for a bounded tier of a, an aggregate
// of a's before its period; for any other tier of a, anything written for
// a or for an affiliate the event's commit c writes for (c is nil for a
// refusal).
func (w roundWrites) seenBy(c *storage.Commit, reads []tierRead) bool {
	for _, r := range reads {
		if r.bounded {
			if m, ok := w[r.affiliate]; ok && m != (monthKey{}) && m.before(r.before) {
				return true
			}
			continue
		}
		if _, ok := w[r.affiliate]; ok {
			return true
		}
		found := false
		if c != nil {
			eachAffiliate(*c, func(a affiliate.AffiliateID) { _, ok := w[a]; found = found || ok })
		}
		if found {
			return true
		}
	}
	return false
}

// referenced is the event a refund or a reinstatement names, which its
// prepare reads whatever customer it is of; "" for a payment.
func referenced(ev affiliate.Event) affiliate.EventID {
	switch ev := ev.(type) {
	case affiliate.Refund:
		return ev.Payment
	case affiliate.Reinstatement:
		return ev.Chargeback
	}
	return ""
}

func (w roundWrites) add(c storage.Commit) {
	eachAffiliate(c, func(a affiliate.AffiliateID) {
		if _, ok := w[a]; !ok {
			w[a] = monthKey{}
		}
	})
	for _, d := range c.Deltas {
		if k := keyOf(d.Period); w[d.Affiliate] == (monthKey{}) || k.before(w[d.Affiliate]) {
			w[d.Affiliate] = k
		}
	}
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
