package commission

import (
	"context"
	"errors"
	"slices"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// planRefund plans the commit of a refund or chargeback.
//
// A refund of a recorded payment is checked against it (customer,
// currency, not more than the payment) and reverses its entries pro rata; its cost is
// bounded by that payment's events and entries. A refund whose payment is
// not recorded yet is Parked: recorded with no entries and applied when
// the payment arrives (see the package doc).
func (e *Engine) planRefund(ctx context.Context, s *summary, r affiliate.Refund, hash string) (*plan, error) {
	payRec, err := e.store.Event(ctx, r.Payment)
	void := s.voided(r) // a chargeback already reinstated
	switch {
	case errors.Is(err, affiliate.ErrNotFound) && void:
		return e.inert(s, r, hash, ""), nil
	case errors.Is(err, affiliate.ErrNotFound):
		return e.park(s, r, hash), nil
	case err != nil:
		return nil, err
	}
	refuse := func(sentinel error, reason string, remaining affiliate.Money) error {
		return &RefundError{Refund: r.ID, Payment: r.Payment, Requested: r.Amount, Remaining: remaining, Reason: reason, Err: sentinel}
	}
	if payRec.Payment == nil {
		return nil, refuse(ErrRefundTarget, "event "+quote(string(r.Payment))+" is a refund, not a payment", affiliate.Money{})
	}
	p := *payRec.Payment
	if payRec.Customer != r.Customer {
		return nil, refuse(ErrRefundTarget, "the payment belongs to customer "+quote(string(payRec.Customer)), affiliate.Money{})
	}
	if !r.Full && r.Amount.Currency() != p.Currency {
		return nil, refuse(affiliate.ErrCurrencyMismatch, "refund in "+string(r.Amount.Currency())+" of a payment in "+string(p.Currency), affiliate.Money{})
	}
	if void {
		return e.inert(s, r, hash, s.countsFor(p.ID, payRec.Affiliate)), nil
	}
	evs, err := e.store.Events(ctx, storage.EventQuery{Payment: p.ID})
	if err != nil {
		return nil, err
	}
	var prior []affiliate.Refund
	for _, ev := range evs {
		if ev.Refund != nil && !s.voided(*ev.Refund) {
			prior = append(prior, *ev.Refund)
		}
	}
	facts, _ := effectiveRefunds(p, prior)
	total, _ := p.Total()
	before := refunded(facts, total.Minor())
	remaining := mustMoney(total.Minor()-before, p.Currency)
	// A refund larger than its payment is refused; one that asks for more
	// than the other refunds left takes what remains (prorata.go), in any
	// arrival order.
	if !r.Full && r.Amount.Minor() > total.Minor() {
		return nil, refuse(ErrRefundExceedsPayment, "asks for "+r.Amount.String()+" of a payment of "+total.String(), remaining)
	}
	fact := refundFact{ID: r.ID, At: r.RefundedAt, Full: r.Full, Amount: r.Amount.Minor()}
	all := insertFact(facts, fact)

	b := e.newBatch(eventPrefix(r.ID), r.ID, r.Customer)
	// Rules see an earlier payment's refunds dated up to the payment they
	// price: a refund of one of the customer's first payments dated before
	// a later recorded payment changes what that payment saw. A binding
	// made since the payments were priced re-prices them all.
	bound, err := e.boundTo(ctx, r.Customer)
	if err != nil {
		return nil, err
	}
	changesLater := s.earlierIndex(p.ID) >= 0 && p.ID != s.LastID && !r.RefundedAt.After(s.LastAt)
	if !e.summaryFits(s) || s.BoundTo != bound || changesLater {
		c, err := e.loadCustomer(ctx, r.Customer)
		if err != nil {
			return nil, err
		}
		pl, err := e.planReplay(ctx, c, s, r, hash, b)
		if err != nil {
			return nil, err
		}
		pl.result.Reordered = changesLater
		pl.record.Affiliate = pl.countsFor[p.ID]
		e.refundDeltas(&pl.deltas, p, pl.countsFor[p.ID], facts, all)
		return pl, nil
	}

	entries, err := e.store.Entries(ctx, storage.EntryQuery{Payment: p.ID})
	if err != nil {
		return nil, err
	}
	held, order := holdingsOf(entries)
	ts := make([]target, 0, len(order))
	for _, k := range order {
		t := heldTarget(k, held[k])
		t.rounding = e.roundingOf(held[k].root.Terms)
		ts = append(ts, t)
	}
	pl := &plan{sum: s, deltas: deltaSet{loc: e.loc}, batch: b}
	if err := pl.batch.converge(ctx, ts, held, map[affiliate.EventID]payInfo{p.ID: payInfoOf(p, all)}); err != nil {
		return nil, err
	}
	if i := s.earlierIndex(p.ID); i >= 0 {
		s.Earlier[i].Refunds = insertFact(s.Earlier[i].Refunds, fact)
	}
	countsFor := s.countsFor(p.ID, payRec.Affiliate)
	e.refundDeltas(&pl.deltas, p, countsFor, facts, all)
	pl.deltas.earnings(pl.batch.entries)
	pl.record = &affiliate.EventRecord{ID: r.ID, Customer: r.Customer, Time: r.RefundedAt, Hash: hash, Refund: &r, Affiliate: countsFor}
	return pl, nil
}

// park records a refund whose payment is unknown, in the summary.
func (e *Engine) park(s *summary, r affiliate.Refund, hash string) *plan {
	i, _ := slices.BinarySearchFunc(s.Parked, r, cmpRefund)
	s.Parked = slices.Insert(s.Parked, i, r)
	return &plan{
		sum:    s,
		deltas: deltaSet{loc: e.loc},
		record: &affiliate.EventRecord{ID: r.ID, Customer: r.Customer, Time: r.RefundedAt, Hash: hash, Refund: &r},
		result: Result{Parked: true},
	}
}

// inert records a chargeback whose reinstatement came first: it takes
// nothing back, so it changes neither the ledger nor the aggregates.
func (e *Engine) inert(s *summary, r affiliate.Refund, hash string, countsFor affiliate.AffiliateID) *plan {
	return &plan{
		sum:    s,
		deltas: deltaSet{loc: e.loc},
		record: &affiliate.EventRecord{ID: r.ID, Customer: r.Customer, Time: r.RefundedAt, Hash: hash, Refund: &r, Affiliate: countsFor},
	}
}

// insertFact returns facts with f added in (time, ID) order, as a new
// slice.
func insertFact(facts []refundFact, f refundFact) []refundFact {
	out := slices.Clone(facts)
	i, _ := slices.BinarySearchFunc(out, f, func(a, b refundFact) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return compareIDs(a.ID, b.ID)
	})
	return slices.Insert(out, i, f)
}

func compareIDs(a, b affiliate.EventID) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
