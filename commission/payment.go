package commission

import (
	"context"
	"slices"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// planPayment plans the commit of a payment. A payment after every
// recorded one (by PaidAt, then ID) takes the fast path: priced from the
// summary alone, at a cost that does not grow with the customer's
// history. Any other goes through a recompute of the customer (replay).
// pl is the zero plan to fill on the fast path; it also holds the
// customer and the batch's months, whichever path is taken.
func (e *Engine) planPayment(ctx context.Context, s *summary, p affiliate.Payment, k eventKeys, pl *plan) (*plan, error) {
	// The lines are the host's: a rule a host wrote could write to them.
	if n := len(p.Lines); n <= len(pl.linesBuf) && p.Lines != nil {
		p.Lines = append(pl.linesBuf[:0:n], p.Lines...)
	} else {
		p.Lines = slices.Clone(p.Lines)
	}
	c := &pl.cust
	if err := e.loadCustomerInto(ctx, p.Customer, c); err != nil {
		return nil, err
	}
	b := batch{prefix: eventPrefix(p.ID), ids: k.entryIDs, event: p.ID, customer: p.Customer, months: &pl.monthsBuf}
	b.months.e = e
	if !e.summaryFits(s) || !s.after(p.PaidAt, p.ID) || s.Count > 0 && s.BoundTo != c.boundTo() {
		return e.planReplay(ctx, c, s, p, k.hash, b)
	}
	if s.Binding == nil || s.BoundTo != c.boundTo() {
		s.BoundTo, s.Binding = c.boundTo(), c.pricedWith()
	}
	pl.sum, pl.deltas, pl.batch = s, deltaSet{loc: e.loc}, b
	pl.batch.entries, pl.deltas.list = pl.entriesBuf[:0], pl.deltasBuf[:0]

	facts, ignored := effectiveRefunds(p, s.takeParked(p.ID))
	pr, err := e.price(ctx, c, s, p, pl.accsBuf[:0], &pl.scratch)
	if err != nil {
		return nil, err
	}
	ts := targets(pr, c, pl.targetsBuf[:0])
	pays := map[affiliate.EventID]payInfo{p.ID: payInfoOf(p, facts)}
	held := map[key]*holding{}
	for _, t := range ts {
		pid := t.key.payment
		if _, ok := pays[pid]; ok {
			continue
		}
		// An accrual about an earlier payment (a deferred reward's share):
		// read what the ledger holds for it, bounded by that payment.
		k := s.earlierIndex(pid)
		pays[pid] = payInfoOf(s.Earlier[k].Payment, s.Earlier[k].Refunds)
		entries, err := e.store.Entries(ctx, storage.EntryQuery{Payment: pid})
		if err != nil {
			return nil, err
		}
		h, _ := holdingsOf(entries)
		for hk, hv := range h {
			held[hk] = hv
		}
	}
	for _, t := range ts {
		if held[t.key] != nil {
			return nil, &RuleError{Terms: t.terms, Rule: t.key.rule, Payment: p.ID, Reason: "accrued on payment " + string(t.key.payment) + " for " + string(t.key.beneficiary) + ", which an earlier payment already accrued under the same rule name"}
		}
	}
	if err := pl.batch.converge(ctx, ts, held, pays); err != nil {
		return nil, err
	}

	// Aggregates, computed against the summary before this payment.
	e.paymentRevenue(&pl.deltas, p, pr.recordedFor)
	if pr.recordedFor != "" {
		period := pl.deltas.period(p.PaidAt)
		if s.BoundCount == 0 {
			pl.deltas.both(pr.recordedFor, period, affiliate.MetricConversions, affiliate.Money{}, 1)
		}
		if period != s.LastBoundPeriod {
			pl.deltas.both(pr.recordedFor, period, affiliate.MetricPayingCustomers, affiliate.Money{}, 1)
		}
	}
	e.refundDeltas(&pl.deltas, p, pr.recordedFor, nil, facts)
	pl.deltas.earnings(pl.batch.entries)

	if err := s.advance(p, pr.accs, facts, pr.recordedFor, e.loc); err != nil {
		return nil, err
	}
	pl.paymentBuf = p
	pl.recordBuf = affiliate.EventRecord{ID: p.ID, Customer: p.Customer, Time: p.PaidAt, Hash: k.hash, Payment: &pl.paymentBuf, Affiliate: pr.recordedFor}
	pl.record = &pl.recordBuf
	pl.result = Result{Unbound: pr.recordedFor == "", Ignored: ignored, Why: pr.why}
	return pl, nil
}

// summaryFits reports whether the summary was built for this engine's
// history depth (or holds every paid payment anyway); one built for a
// smaller depth lacks payments the rules now read, and is rebuilt, as is
// one decoded from an older format.
func (e *Engine) summaryFits(s *summary) bool {
	switch {
	case s.stale:
		return false
	case s.HistoryDepth == e.historyDepth:
		return true
	case s.HistoryDepth > e.historyDepth:
		if len(s.Earlier) > e.historyDepth {
			s.Earlier = s.Earlier[:e.historyDepth]
		}
		s.HistoryDepth = e.historyDepth
		return true
	case s.PaidCount <= len(s.Earlier):
		s.HistoryDepth = e.historyDepth
		return true
	}
	return false
}
