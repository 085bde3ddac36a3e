package commission

import (
	"context"
	"errors"
	"slices"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// planReplay is the slow path: it prices every payment of the customer
// again, in (PaidAt, ID) order, with ev among them when it is not nil,
// and appends to b what brings the ledger to the result. It rebuilds the
// summary from the event log (keeping s.Pinned), and computes the count
// aggregates' corrections. The caller adds ev's revenue deltas.
//
// It runs for an out-of-order payment, for a refund that changes what a
// later payment saw, for an event of a customer bound (or rebound) since
// its payments were priced, for a summary built for a smaller history
// depth or in an older format, and for Recompute, Reprice, Retier and
// Bound (ev nil). Its cost grows with the
// customer's history; events that arrive in order never take it.
func (e *Engine) planReplay(ctx context.Context, c *customer, s *summary, ev affiliate.Event, hash string, b batch) (*plan, error) {
	recs, err := e.store.Events(ctx, storage.EventQuery{Customer: c.id})
	if err != nil {
		return nil, err
	}
	entries, err := e.store.Entries(ctx, storage.EntryQuery{Customer: c.id})
	if err != nil {
		return nil, err
	}
	var newRec *affiliate.EventRecord
	// countedFor is the affiliate each payment's aggregates count for
	// before this plan; countsFor, after it.
	countedFor := map[affiliate.EventID]affiliate.AffiliateID{}
	for _, r := range recs {
		if r.Payment != nil {
			countedFor[r.ID] = s.countsFor(r.ID, r.Affiliate)
		}
	}
	before := paymentsOf(recs, countedFor)
	if ev != nil {
		newRec = &affiliate.EventRecord{ID: ev.EventID(), Customer: c.id, Time: ev.EventTime(), Hash: hash}
		switch v := ev.(type) {
		case affiliate.Payment:
			newRec.Payment = &v
		case affiliate.Refund:
			newRec.Refund = &v
		case affiliate.Reinstatement:
			newRec.Reinstatement = &v
		}
		recs = append(recs, *newRec)
	}

	// Reinstated chargebacks take nothing back (see reinstatement.go).
	var void summary
	for _, r := range recs {
		if r.Reinstatement != nil {
			void.reinstate(r.Reinstatement.Chargeback)
		}
	}
	var payments []affiliate.Payment
	recordedFor := map[affiliate.EventID]affiliate.AffiliateID{} // as its event record says
	refundsOf := map[affiliate.EventID][]affiliate.Refund{}
	for _, r := range recs {
		if r.Payment != nil {
			payments = append(payments, *r.Payment)
			recordedFor[r.ID] = r.Affiliate
		} else if r.Refund != nil && !void.voided(*r.Refund) {
			refundsOf[r.Refund.Payment] = append(refundsOf[r.Refund.Payment], *r.Refund)
		}
	}
	slices.SortFunc(payments, func(a, b affiliate.Payment) int { return comparePaymentKey(a.PaidAt, a.ID, b.PaidAt, b.ID) })

	pl := &plan{record: newRec, deltas: deltaSet{loc: e.loc}, batch: b}
	ns := &summary{HistoryDepth: e.historyDepth, Pinned: s.Pinned, BoundTo: c.boundTo(), Binding: c.pricedWith(), Reinstated: void.Reinstated}
	pl.sum = ns
	pl.countsFor = map[affiliate.EventID]affiliate.AffiliateID{}
	var want []target
	seen := map[key]bool{}
	pays := map[affiliate.EventID]payInfo{}
	pinned := map[affiliate.AffiliateID]*customer{}
	for _, p := range payments {
		facts, ignored := effectiveRefunds(p, refundsOf[p.ID])
		pc, err := e.paidUnder(ctx, c, s, countedFor[p.ID], p, pinned)
		if err != nil {
			return nil, err
		}
		pr, err := e.price(ctx, pc, ns, p, nil, nil)
		if err != nil {
			return nil, err
		}
		if newRec != nil && p.ID == newRec.ID {
			recordedFor[p.ID] = pr.recordedFor
			newRec.Affiliate = pr.recordedFor
			pl.result.Unbound = pr.recordedFor == ""
			pl.result.Ignored = ignored
			pl.result.Why = pr.why
		} else if was := countedFor[p.ID]; was != pr.recordedFor {
			// The refund being recorded, if any, adds its own deltas.
			counted := slices.DeleteFunc(slices.Clone(facts), func(f refundFact) bool { return newRec != nil && f.ID == newRec.ID })
			e.moveRevenue(&pl.deltas, p, was, pr.recordedFor, counted)
		}
		if pr.recordedFor != recordedFor[p.ID] {
			if ns.Rebound == nil {
				ns.Rebound = map[affiliate.EventID]affiliate.AffiliateID{}
			}
			ns.Rebound[p.ID] = pr.recordedFor
		}
		pl.countsFor[p.ID] = pr.recordedFor
		for _, t := range targets(pr, pc, nil) {
			if seen[t.key] {
				return nil, &RuleError{Terms: t.terms, Rule: t.key.rule, Payment: p.ID, Reason: "accrued on payment " + string(t.key.payment) + " for " + string(t.key.beneficiary) + ", which an earlier payment already accrued under the same rule name"}
			}
			seen[t.key] = true
			want = append(want, t)
		}
		pays[p.ID] = payInfoOf(p, facts)
		if err := ns.advance(p, pr.accs, facts, pr.recordedFor, e.loc); err != nil {
			return nil, err
		}
	}
	ns.PaidUnder = paidBindings(pinned)
	for _, r := range recs {
		if r.Refund != nil && !void.voided(*r.Refund) {
			if _, ok := pays[r.Refund.Payment]; !ok {
				ns.Parked = append(ns.Parked, *r.Refund)
			}
		}
	}
	slices.SortFunc(ns.Parked, cmpRefund)

	// Keys the ledger holds that the replay no longer wants go to zero,
	// except a suspended affiliate's, which stay as they are: suspension
	// stops new earnings and leaves the ledger alone.
	held, order := holdingsOf(entries)
	status := map[affiliate.AffiliateID]affiliate.AffiliateStatus{}
	for i, a := range c.chain {
		status[c.ids[i]] = a.Status
	}
	for _, k := range order {
		if seen[k] {
			continue
		}
		if _, ok := pays[k.payment]; !ok {
			continue // not a payment of this customer
		}
		st, ok := status[k.beneficiary]
		if !ok {
			a, err := e.affiliate(ctx, k.beneficiary)
			switch {
			case err == nil:
				st = a.Status
			case !errors.Is(err, affiliate.ErrNotFound):
				return nil, err
			}
			status[k.beneficiary] = st
		}
		h := held[k]
		t := heldTarget(k, h)
		t.rounding = e.roundingOf(h.root.Terms)
		if st != affiliate.StatusSuspended {
			t.amount, t.base, t.heldGross = 0, 0, nil
			t.explanation = "no longer earned"
		}
		want = append(want, t)
	}
	if err := pl.batch.converge(ctx, want, held, pays); err != nil {
		return nil, err
	}

	if newRec != nil && newRec.Payment != nil {
		recs[len(recs)-1] = *newRec // now with the affiliate it is recorded for
		p := *newRec.Payment
		e.paymentRevenue(&pl.deltas, p, newRec.Affiliate)
		facts, _ := effectiveRefunds(p, refundsOf[p.ID])
		e.refundDeltas(&pl.deltas, p, newRec.Affiliate, nil, facts)
	}
	pl.deltas.countDeltas(counts(before, e.loc), counts(paymentsOf(recs, pl.countsFor), e.loc))
	pl.deltas.earnings(pl.batch.entries)
	// Only a payment dated before one already recorded is out of order
	// (planRefund says so for refunds); a rebuilt summary or a new binding
	// takes this path too.
	if newRec != nil && newRec.Payment != nil {
		pl.result.Reordered = payments[len(payments)-1].ID != newRec.ID
	}
	return pl, nil
}

// paymentsOf lists the recorded payments as the count aggregates see
// them, with the affiliate each counts for, in (PaidAt, ID) order.
func paymentsOf(recs []affiliate.EventRecord, countsFor map[affiliate.EventID]affiliate.AffiliateID) []recordedPayment {
	type rp struct {
		recordedPayment
		id affiliate.EventID
	}
	var ps []rp
	for _, r := range recs {
		if r.Payment != nil {
			ps = append(ps, rp{recordedPayment{at: r.Payment.PaidAt, affiliate: countsFor[r.ID]}, r.ID})
		}
	}
	slices.SortFunc(ps, func(a, b rp) int { return comparePaymentKey(a.at, a.id, b.at, b.id) })
	out := make([]recordedPayment, len(ps))
	for i, p := range ps {
		out[i] = p.recordedPayment
	}
	return out
}
