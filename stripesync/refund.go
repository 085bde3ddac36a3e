package stripesync

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/stripe/stripe-go/v85"
)

// paidInvoice is the invoice a charge paid: the library payment that a
// refund or a dispute of the charge takes back.
type paidInvoice struct {
	ID       affiliate.EventID
	Customer affiliate.CustomerID
}

// invoiceOfCharge finds the invoice a charge paid. Before API version
// 2025-03-31 the charge names it (legacyInvoice, the raw "invoice" field:
// "null" for a charge no invoice made); from then on it is looked up
// through the charge's invoice payments. It reports false for a charge
// that paid no invoice: the library never saw its payment.
func (s *Sync) invoiceOfCharge(ctx context.Context, charge, paymentIntent, customer string, legacyInvoice json.RawMessage) (paidInvoice, bool, error) {
	if len(legacyInvoice) > 0 {
		if bytes.Equal(legacyInvoice, []byte("null")) {
			return paidInvoice{}, false, nil
		}
		var inv stripe.Invoice
		if err := json.Unmarshal(legacyInvoice, &inv); err != nil || inv.ID == "" {
			return paidInvoice{}, false, &PayloadError{Field: "charge.invoice", Reason: "not an invoice ID", Err: err}
		}
		if customer == "" {
			return paidInvoice{}, false, &PayloadError{Field: "charge.customer", Reason: "missing"}
		}
		return paidInvoice{ID: affiliate.EventID(inv.ID), Customer: affiliate.CustomerID(customer)}, true, nil
	}
	inv, ok, err := s.lookup.invoiceOfPayment(ctx, charge, paymentIntent)
	if err != nil || !ok {
		return paidInvoice{}, false, err
	}
	if inv.Customer == nil || inv.Customer.ID == "" {
		return paidInvoice{}, false, &PayloadError{Field: "invoice.customer", Reason: "missing on invoice " + inv.ID}
	}
	return paidInvoice{ID: affiliate.EventID(inv.ID), Customer: affiliate.CustomerID(inv.Customer.ID)}, true, nil
}

// refund maps one Stripe refund of a paid invoice to a Refund whose ID is
// the Stripe refund's: charge.refunded and refund.created name the same
// refund, and the engine records it once. The amount is always the
// refund's own (never "full"), so both paths give the same payload; the
// engine reverses pro rata and never more than remains. It returns a
// reason instead for a refund that has not succeeded: a pending one is
// recorded by its refund.updated.
func refund(r *stripe.Refund, inv paidInvoice) (affiliate.Event, string, error) {
	if r.Status != stripe.RefundStatusSucceeded {
		return nil, fmt.Sprintf("refund %s is %q: recorded when it succeeds", r.ID, r.Status), nil
	}
	amount, err := toMoney(r.Amount, r.Currency, "refund.amount")
	if err != nil {
		return nil, "", err
	}
	e := affiliate.Refund{
		ID:         affiliate.EventID(r.ID),
		Payment:    inv.ID,
		Customer:   inv.Customer,
		RefundedAt: time.Unix(r.Created, 0).UTC(),
		Kind:       affiliate.KindRefund,
		Amount:     amount,
	}
	if err := e.Validate(); err != nil {
		return nil, "", err
	}
	return e, "", nil
}

// chargeRefunded maps every succeeded refund of the charge: those the
// charge lists (API versions before 2022-11-15), else all of them from the
// API.
func (s *Sync) chargeRefunded(ctx context.Context, raw json.RawMessage) (Mapped, error) {
	var ch stripe.Charge
	var legacy struct {
		Invoice json.RawMessage `json:"invoice"`
	}
	if err := decode(raw, &ch, &legacy); err != nil {
		return Mapped{}, err
	}
	if ch.ID == "" {
		return Mapped{}, &PayloadError{Field: "charge.id", Reason: "missing"}
	}
	inv, ok, err := s.invoiceOfCharge(ctx, ch.ID, piID(ch.PaymentIntent), customerID(ch.Customer), legacy.Invoice)
	if err != nil {
		return Mapped{}, err
	}
	if !ok {
		return Mapped{Skipped: fmt.Sprintf("charge %s paid no invoice", ch.ID)}, nil
	}
	refunds, err := s.refundsOf(ctx, &ch)
	if err != nil {
		return Mapped{}, err
	}
	var m Mapped
	for _, r := range refunds {
		if r == nil {
			continue
		}
		e, skip, err := refund(r, inv)
		if err != nil {
			return Mapped{}, err
		}
		if e != nil {
			m.Events = append(m.Events, e)
		} else {
			m.Skipped = skip
		}
	}
	if len(m.Events) > 0 {
		m.Skipped = ""
	} else if m.Skipped == "" {
		m.Skipped = fmt.Sprintf("charge %s lists no refund", ch.ID)
	}
	return m, nil
}

// refundsOf returns the charge's refunds: the list the charge carries
// when it accounts for all of amount_refunded (API versions before
// 2022-11-15 send it), else every refund from the API.
func (s *Sync) refundsOf(ctx context.Context, ch *stripe.Charge) ([]*stripe.Refund, error) {
	if ch.Refunds != nil && !ch.Refunds.HasMore {
		var listed int64
		for _, r := range ch.Refunds.Data {
			if r != nil && r.Status == stripe.RefundStatusSucceeded {
				listed += r.Amount
			}
		}
		if listed == ch.AmountRefunded {
			return ch.Refunds.Data, nil
		}
	}
	return s.lookup.refundsOfCharge(ctx, ch.ID)
}

// refundObject maps refund.created and refund.updated.
func (s *Sync) refundObject(ctx context.Context, raw json.RawMessage) (Mapped, error) {
	var r stripe.Refund
	if err := decode(raw, &r); err != nil {
		return Mapped{}, err
	}
	return s.refundOf(ctx, &r)
}

// refundOf maps one refund object, looking up the invoice it takes back.
func (s *Sync) refundOf(ctx context.Context, r *stripe.Refund) (Mapped, error) {
	if r.ID == "" {
		return Mapped{}, &PayloadError{Field: "refund.id", Reason: "missing"}
	}
	if r.Status != stripe.RefundStatusSucceeded {
		return Mapped{Skipped: fmt.Sprintf("refund %s is %q: recorded when it succeeds", r.ID, r.Status)}, nil
	}
	if r.Charge == nil || r.Charge.ID == "" {
		return Mapped{Skipped: fmt.Sprintf("refund %s refunds no charge", r.ID)}, nil
	}
	inv, ok, err := s.invoiceOfCharge(ctx, r.Charge.ID, piID(r.PaymentIntent), "", nil)
	if err != nil {
		return Mapped{}, err
	}
	if !ok {
		return Mapped{Skipped: fmt.Sprintf("charge %s paid no invoice", r.Charge.ID)}, nil
	}
	e, skip, err := refund(r, inv)
	if err != nil || e == nil {
		return Mapped{Skipped: skip}, err
	}
	return Mapped{Events: []affiliate.Event{e}}, nil
}

// dispute maps charge.dispute.created and charge.dispute.closed. A
// dispute whose funds were withdrawn is a chargeback (a partial Refund of
// the disputed amount, ID the dispute's); an inquiry (warning_*) or a
// prevented dispute withdrew nothing and is skipped. closed with "lost"
// maps to the same chargeback, a replay when created was recorded; "won"
// adds the Reinstatement that undoes it, whose ID is the dispute's with
// "/won".
func (s *Sync) dispute(ctx context.Context, ev stripe.Event) (Mapped, error) {
	var d stripe.Dispute
	if err := decode(ev.Data.Raw, &d); err != nil {
		return Mapped{}, err
	}
	return s.chargebackOf(ctx, &d, ev.Type, ev.Created)
}

// chargebackOf maps one dispute object; closedAt is when a won dispute's
// reinstatement happened (the closing event's time).
func (s *Sync) chargebackOf(ctx context.Context, d *stripe.Dispute, typ stripe.EventType, closedAt int64) (Mapped, error) {
	if d.ID == "" || d.Charge == nil || d.Charge.ID == "" {
		return Mapped{}, &PayloadError{Field: "dispute.id", Reason: "missing, or no charge"}
	}
	if strings.HasPrefix(string(d.Status), "warning_") || d.Status == stripe.DisputeStatusPrevented {
		return Mapped{Skipped: fmt.Sprintf("dispute %s is %q: no funds were withdrawn", d.ID, d.Status)}, nil
	}
	inv, ok, err := s.invoiceOfCharge(ctx, d.Charge.ID, piID(d.PaymentIntent), "", nil)
	if err != nil {
		return Mapped{}, err
	}
	if !ok {
		return Mapped{Skipped: fmt.Sprintf("charge %s paid no invoice", d.Charge.ID)}, nil
	}
	amount, err := toMoney(d.Amount, d.Currency, "dispute.amount")
	if err != nil {
		return Mapped{}, err
	}
	cb := affiliate.Refund{
		ID:         affiliate.EventID(d.ID),
		Payment:    inv.ID,
		Customer:   inv.Customer,
		RefundedAt: time.Unix(d.Created, 0).UTC(),
		Kind:       affiliate.KindChargeback,
		Amount:     amount,
	}
	if err := cb.Validate(); err != nil {
		return Mapped{}, err
	}
	m := Mapped{Events: []affiliate.Event{cb}}
	if typ == stripe.EventTypeChargeDisputeClosed && d.Status == stripe.DisputeStatusWon {
		m.Events = append(m.Events, affiliate.Reinstatement{
			ID:           cb.ID + "/won",
			Chargeback:   cb.ID,
			Customer:     cb.Customer,
			ReinstatedAt: time.Unix(closedAt, 0).UTC(),
		})
	}
	return m, nil
}

// decode unmarshals a Stripe object into each of vs.
func decode(raw json.RawMessage, vs ...any) error {
	for _, v := range vs {
		if err := json.Unmarshal(raw, v); err != nil {
			return &PayloadError{Field: "data.object", Reason: "does not decode", Err: err}
		}
	}
	return nil
}

func piID(p *stripe.PaymentIntent) string {
	if p == nil {
		return ""
	}
	return p.ID
}

func customerID(c *stripe.Customer) string {
	if c == nil {
		return ""
	}
	return c.ID
}
