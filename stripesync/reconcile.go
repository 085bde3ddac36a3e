package stripesync

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/stripe/stripe-go/v85"
)

// EventLog reads the events the engine recorded: storage.Events is one.
type EventLog interface {
	Event(ctx context.Context, id affiliate.EventID) (affiliate.EventRecord, error)
}

// ReconcileOptions tunes Reconcile.
type ReconcileOptions struct {
	// RecordMissing records what Stripe has and the ledger lacks, through
	// the Recorder, as a webhook would have.
	RecordMissing bool
}

// Finding is one Stripe object Reconcile compared with the ledger.
type Finding struct {
	Stripe string            // the Stripe object: in_…, re_…, du_…
	Event  affiliate.EventID // the library event it maps to
	Status string            // "missing", "recorded" (missing, now recorded), "different" or "skipped"
	Detail string
}

// Report is what Reconcile found; objects that match are only counted.
type Report struct {
	Matched  int
	Findings []Finding
}

// Reconcile lists the paid invoices, refunds and disputes Stripe created
// in [from, to) (every page), maps each as its webhook would be, and
// compares it with the ledger's event of the same ID: missing, different
// (the payload the ledger holds is not the one Stripe's object maps to:
// a mapping or rule change since, or a host-made event), or skipped
// (what the webhook would skip, with why). With RecordMissing, missing
// events are recorded. This is how a host recovers from a webhook outage
// or backfills a program started late. Won disputes' reinstatements are
// not compared: the event log keeps payments and refunds only.
//
// It needs Config.Client and Config.Events; a lookup that fails stops it
// with the error, and what it found so far.
func (s *Sync) Reconcile(ctx context.Context, from, to time.Time, opt ReconcileOptions) (Report, error) {
	if s.cfg.Client == nil || s.cfg.Events == nil {
		return Report{}, &affiliate.FieldError{Field: "Config.Client/Config.Events", Reason: "Reconcile needs both", Err: affiliate.ErrInvalid}
	}
	if !from.Before(to) {
		return Report{}, &affiliate.FieldError{Field: "to", Reason: "not after from", Err: affiliate.ErrInvalid}
	}
	created := &stripe.RangeQueryParams{GreaterThanOrEqual: from.Unix(), LesserThan: to.Unix()}
	var rep Report
	c := s.cfg.Client

	ip := &stripe.InvoiceListParams{Status: stripe.String("paid"), CreatedRange: created}
	ip.Limit = stripe.Int64(100)
	for inv, err := range c.V1Invoices.List(ctx, ip).All(ctx) {
		if err != nil {
			return rep, classify(err, "listing invoices")
		}
		m, err := s.paymentOf(ctx, inv, nil)
		if err := s.compare(ctx, &rep, inv.ID, m, err, opt); err != nil {
			return rep, err
		}
	}
	rp := &stripe.RefundListParams{CreatedRange: created}
	rp.Limit = stripe.Int64(100)
	for r, err := range c.V1Refunds.List(ctx, rp).All(ctx) {
		if err != nil {
			return rep, classify(err, "listing refunds")
		}
		m, err := s.refundOf(ctx, r)
		if err := s.compare(ctx, &rep, r.ID, m, err, opt); err != nil {
			return rep, err
		}
	}
	dp := &stripe.DisputeListParams{CreatedRange: created}
	dp.Limit = stripe.Int64(100)
	for d, err := range c.V1Disputes.List(ctx, dp).All(ctx) {
		if err != nil {
			return rep, classify(err, "listing disputes")
		}
		m, err := s.chargebackOf(ctx, d, stripe.EventTypeChargeDisputeCreated, 0)
		if err := s.compare(ctx, &rep, d.ID, m, err, opt); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// compare files one Stripe object's mapping in rep. Mapping errors that
// a retry cannot fix are findings; others stop the run.
func (s *Sync) compare(ctx context.Context, rep *Report, object string, m Mapped, mapErr error, opt ReconcileOptions) error {
	switch {
	case errors.Is(mapErr, ErrStripeUnavailable):
		return mapErr
	case mapErr != nil:
		rep.Findings = append(rep.Findings, Finding{Stripe: object, Status: "skipped", Detail: mapErr.Error()})
		return nil
	case len(m.Events) == 0:
		rep.Findings = append(rep.Findings, Finding{Stripe: object, Status: "skipped", Detail: m.Skipped})
		return nil
	}
	for _, e := range m.Events {
		if _, ok := e.(affiliate.Reinstatement); ok {
			continue
		}
		got, err := s.cfg.Events.Event(ctx, e.EventID())
		switch {
		case errors.Is(err, affiliate.ErrNotFound):
			f := Finding{Stripe: object, Event: e.EventID(), Status: "missing"}
			if opt.RecordMissing {
				if _, err := s.cfg.Recorder.Record(ctx, e); err != nil {
					f.Detail = "recording failed: " + err.Error()
				} else {
					f.Status = "recorded"
				}
			}
			rep.Findings = append(rep.Findings, f)
		case err != nil:
			return err
		case !sameEvent(e, got):
			rep.Findings = append(rep.Findings, Finding{Stripe: object, Event: e.EventID(), Status: "different", Detail: fmt.Sprintf("Stripe maps to %v, the ledger holds %v", describe(e), describeRecord(got))})
		default:
			rep.Matched++
		}
	}
	return nil
}

// sameEvent reports whether the ledger holds exactly the event Stripe's
// object maps to.
func sameEvent(e affiliate.Event, r affiliate.EventRecord) bool {
	switch x := e.(type) {
	case affiliate.Payment:
		return r.Payment != nil && samePayment(x, *r.Payment)
	case affiliate.Refund:
		return r.Refund != nil && x == *r.Refund
	}
	return false
}

func samePayment(a, b affiliate.Payment) bool {
	return a.ID == b.ID && a.Customer == b.Customer && a.PaidAt.Equal(b.PaidAt) && a.Currency == b.Currency &&
		a.Country == b.Country && a.Conversion == b.Conversion && slices.Equal(a.Lines, b.Lines)
}

func describe(e affiliate.Event) string {
	switch x := e.(type) {
	case affiliate.Payment:
		total, _ := x.Total()
		return fmt.Sprintf("payment of %s in %d lines at %s", total, len(x.Lines), x.PaidAt.Format(time.RFC3339))
	case affiliate.Refund:
		return fmt.Sprintf("%s of %s on %s at %s", x.Kind, x.Amount, x.Payment, x.RefundedAt.Format(time.RFC3339))
	}
	return fmt.Sprintf("%T", e)
}

func describeRecord(r affiliate.EventRecord) string {
	switch {
	case r.Payment != nil:
		return describe(*r.Payment)
	case r.Refund != nil:
		return describe(*r.Refund)
	}
	return "an event of another kind"
}
