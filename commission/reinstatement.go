package commission

import (
	"context"
	"errors"
	"slices"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// A reinstatement (a chargeback the merchant won) makes its chargeback
// ineffective: the ledger is a function of the set of events, and a
// chargeback whose reinstatement is in the set takes nothing back. So
// whatever the arrival order, the net ledger is as if the chargeback had
// never come:
//
//   - a reinstatement of a recorded chargeback re-prices the customer
//     without it (the replay path), restoring what it took;
//   - one that comes first is Parked: the customer's summary remembers
//     the chargeback, which is recorded without effect when it arrives;
//   - a second reinstatement of the same chargeback changes nothing.
//
// Only a chargeback of the same customer can be reinstated; a refund the
// host made is not undone by a won dispute.

// reinstated reports whether a reinstatement of chargeback id is
// recorded for the customer.
func (s *summary) reinstated(id affiliate.EventID) bool {
	_, ok := slices.BinarySearch(s.Reinstated, id)
	return ok
}

func (s *summary) reinstate(id affiliate.EventID) {
	if i, ok := slices.BinarySearch(s.Reinstated, id); !ok {
		s.Reinstated = slices.Insert(s.Reinstated, i, id)
	}
}

// voided reports whether r takes nothing back: a chargeback reinstated.
func (s *summary) voided(r affiliate.Refund) bool {
	return r.Kind == affiliate.KindChargeback && s.reinstated(r.ID)
}

// effective drops the voided refunds of rs, as a new slice.
func (s *summary) effective(rs []affiliate.Refund) []affiliate.Refund {
	if len(s.Reinstated) == 0 {
		return rs
	}
	return slices.DeleteFunc(slices.Clone(rs), s.voided)
}

// planReinstatement plans the commit of a reinstatement.
func (e *Engine) planReinstatement(ctx context.Context, s *summary, r affiliate.Reinstatement, hash string) (*plan, error) {
	record := &affiliate.EventRecord{ID: r.ID, Customer: r.Customer, Time: r.ReinstatedAt, Hash: hash, Reinstatement: &r}
	cbRec, err := e.store.Event(ctx, r.Chargeback)
	switch {
	case errors.Is(err, affiliate.ErrNotFound):
		s.reinstate(r.Chargeback)
		return &plan{sum: s, deltas: deltaSet{loc: e.loc}, record: record, result: Result{Parked: true}}, nil
	case err != nil:
		return nil, err
	}
	cb := cbRec.Refund
	refuse := func(reason string) error {
		return &RefundError{Refund: r.ID, Payment: cbRec.PaymentID(), Reason: reason, Err: ErrRefundTarget}
	}
	switch {
	case cb == nil || cb.Kind != affiliate.KindChargeback:
		return nil, refuse("event " + quote(string(r.Chargeback)) + " is not a chargeback")
	case cbRec.Customer != r.Customer:
		return nil, refuse("chargeback " + quote(string(r.Chargeback)) + " belongs to customer " + quote(string(cbRec.Customer)))
	}
	// The chargeback's payment, if recorded, with its effective refunds
	// before and after, for the revenue aggregates.
	var (
		pay        *affiliate.Payment
		old, now   []refundFact
		wasVoided  = s.voided(*cb)
		payRecAffi affiliate.AffiliateID
	)
	if payRec, err := e.store.Event(ctx, cb.Payment); err == nil && payRec.Payment != nil && payRec.Customer == r.Customer {
		pay, payRecAffi = payRec.Payment, payRec.Affiliate
		evs, err := e.store.Events(ctx, storage.EventQuery{Payment: pay.ID})
		if err != nil {
			return nil, err
		}
		var refunds []affiliate.Refund
		for _, ev := range evs {
			if ev.Refund != nil {
				refunds = append(refunds, *ev.Refund)
			}
		}
		old, _ = effectiveRefunds(*pay, s.effective(refunds))
		s.reinstate(r.Chargeback)
		now, _ = effectiveRefunds(*pay, s.effective(refunds))
	} else if err != nil && !errors.Is(err, affiliate.ErrNotFound) {
		return nil, err
	}
	c, err := e.loadCustomer(ctx, r.Customer)
	if err != nil {
		return nil, err
	}
	b := e.newBatch(eventPrefix(r.ID), r.ID, r.Customer)
	pl, err := e.planReplay(ctx, c, s, r, hash, b)
	if err != nil {
		return nil, err
	}
	pl.record = record
	if pay != nil && !wasVoided {
		countsFor := pl.countsFor[pay.ID]
		if _, ok := pl.countsFor[pay.ID]; !ok {
			countsFor = s.countsFor(pay.ID, payRecAffi)
		}
		record.Affiliate = countsFor
		e.refundDeltas(&pl.deltas, *pay, countsFor, old, now)
	}
	return pl, nil
}
