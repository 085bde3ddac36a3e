package stripesync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/stripe/stripe-go/v85"
)

// Recorder records library events: *commission.Engine is one.
type Recorder interface {
	Record(ctx context.Context, e affiliate.Event) (commission.Result, error)
}

// Config configures a Sync. Secrets and Recorder are required.
type Config struct {
	// Secrets are the endpoint's signing secrets ("whsec_…"). List two
	// while rolling the secret: a request signed with either passes.
	Secrets []string
	// Tolerance is how far a signature's timestamp may be from now, in
	// either direction; zero means five minutes.
	Tolerance time.Duration
	// Now is the clock the tolerance and dead letters use; nil means
	// time.Now.
	Now func() time.Time
	// Recorder records payments, refunds, chargebacks and reinstatements.
	Recorder Recorder
	// Binder binds customers from Checkout sessions and promotion codes;
	// nil skips those events.
	Binder Binder
	// Client is the host's Stripe API client, for what events hold only
	// as IDs or first pages, and for Reconcile. Nil is allowed: events
	// that need a lookup are then dead-lettered.
	Client *stripe.Client
	// DeadLetters keeps refused events; nil means a MemoryDeadLetters.
	DeadLetters DeadLetters
	// Events reads the engine's event log, for Reconcile (a
	// storage.Events is one); nil makes Reconcile fail.
	Events EventLog
	// Log receives one line per event; nil discards.
	Log *slog.Logger
}

// DefaultTolerance is the signature tolerance when Config.Tolerance is 0.
const DefaultTolerance = 5 * time.Minute

// Sync maps Stripe events to the library: the webhook endpoint
// (ServeHTTP), dead-letter replay (Replay) and Reconcile.
type Sync struct {
	cfg    Config
	lookup lookup
	log    *slog.Logger
}

// New validates cfg and returns a Sync. A missing secret or recorder, or
// a negative tolerance, gets a *affiliate.FieldError.
func New(cfg Config) (*Sync, error) {
	switch {
	case len(cfg.Secrets) == 0:
		return nil, &affiliate.FieldError{Field: "Config.Secrets", Reason: "no signing secret", Err: affiliate.ErrInvalid}
	case cfg.Recorder == nil:
		return nil, &affiliate.FieldError{Field: "Config.Recorder", Reason: "missing", Err: affiliate.ErrInvalid}
	case cfg.Tolerance < 0:
		return nil, &affiliate.FieldError{Field: "Config.Tolerance", Reason: "negative", Err: affiliate.ErrInvalid}
	}
	for i, s := range cfg.Secrets {
		if s == "" {
			return nil, &affiliate.FieldError{Field: fmt.Sprintf("Config.Secrets[%d]", i), Reason: "empty", Err: affiliate.ErrInvalid}
		}
	}
	if cfg.Tolerance == 0 {
		cfg.Tolerance = DefaultTolerance
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.DeadLetters == nil {
		cfg.DeadLetters = &MemoryDeadLetters{}
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Sync{cfg: cfg, lookup: lookup{cfg.Client}, log: log}, nil
}

// Mapped is what one Stripe event maps to: library events to record,
// signups to bind, or the reason there is nothing to do.
type Mapped struct {
	Events  []affiliate.Event
	Signups []attribution.Signup
	Skipped string
}

// Map maps a verified event without recording anything. Unmapped types
// are skipped, not refused: an endpoint receives what it subscribed to.
func (s *Sync) Map(ctx context.Context, ev stripe.Event) (Mapped, error) {
	if ev.Data == nil || len(ev.Data.Raw) == 0 {
		return Mapped{}, &PayloadError{Field: "data.object", Reason: "missing"}
	}
	raw := ev.Data.Raw
	switch ev.Type {
	case stripe.EventTypeInvoicePaid:
		var inv stripe.Invoice
		if err := decode(raw, &inv); err != nil {
			return Mapped{}, err
		}
		return s.paymentOf(ctx, &inv, raw)
	case stripe.EventTypeInvoicePaymentPaid:
		var ip stripe.InvoicePayment
		if err := decode(raw, &ip); err != nil {
			return Mapped{}, err
		}
		if ip.Invoice == nil || ip.Invoice.ID == "" {
			return Mapped{}, &PayloadError{Field: "invoice_payment.invoice", Reason: "missing"}
		}
		inv, err := s.lookup.invoice(ctx, ip.Invoice.ID)
		if err != nil {
			return Mapped{}, err
		}
		return s.paymentOf(ctx, inv, nil)
	case stripe.EventTypeChargeRefunded:
		return s.chargeRefunded(ctx, raw)
	case stripe.EventTypeRefundCreated, stripe.EventTypeRefundUpdated, stripe.EventTypeChargeRefundUpdated:
		return s.refundObject(ctx, raw)
	case stripe.EventTypeChargeDisputeCreated, stripe.EventTypeChargeDisputeClosed:
		return s.dispute(ctx, ev)
	case stripe.EventTypeCheckoutSessionCompleted, stripe.EventTypeCustomerDiscountCreated:
		if s.cfg.Binder == nil {
			return Mapped{Skipped: "no Binder configured"}, nil
		}
		var (
			signups []attribution.Signup
			skip    string
			err     error
		)
		if ev.Type == stripe.EventTypeCheckoutSessionCompleted {
			var cs stripe.CheckoutSession
			if err := decode(raw, &cs); err != nil {
				return Mapped{}, err
			}
			signups, skip, err = s.checkoutSignups(ctx, &cs)
		} else {
			var d stripe.Discount
			if err := decode(raw, &d); err != nil {
				return Mapped{}, err
			}
			signups, skip, err = s.discountSignups(ctx, &d)
		}
		return Mapped{Signups: signups, Skipped: skip}, err
	}
	return Mapped{Skipped: "event type " + string(ev.Type) + " is not mapped"}, nil
}

func (s *Sync) paymentOf(ctx context.Context, inv *stripe.Invoice, raw json.RawMessage) (Mapped, error) {
	p, skip, err := s.payment(ctx, inv, raw)
	if err != nil || skip != "" {
		return Mapped{Skipped: skip}, err
	}
	return Mapped{Events: []affiliate.Event{p}}, nil
}

// Outcome is what handling one event came to; the handler answers it as
// JSON, which Stripe's dashboard shows.
type Outcome struct {
	Status  int      `json:"-"`
	Event   string   `json:"event,omitempty"`   // Stripe's event ID
	Type    string   `json:"type,omitempty"`    // Stripe's event type
	Result  string   `json:"result"`            // see the package doc
	Records []string `json:"records,omitempty"` // the library events recorded
	Entries int      `json:"entries,omitempty"` // ledger entries appended
	Reason  string   `json:"reason,omitempty"`
}

// Handle maps and records a verified event (payload is its body, kept if
// it is dead-lettered) and reports the outcome; it never panics on a bad
// payload.
func (s *Sync) Handle(ctx context.Context, ev stripe.Event, payload []byte) Outcome {
	out := Outcome{Status: http.StatusOK, Event: ev.ID, Type: string(ev.Type)}
	m, err := s.Map(ctx, ev)
	if err != nil {
		return s.fail(ctx, out, payload, err)
	}
	switch {
	case len(m.Signups) > 0:
		if err := s.bind(ctx, m.Signups, &out); err != nil {
			return s.fail(ctx, out, payload, err)
		}
		return out
	case len(m.Events) == 0:
		out.Result, out.Reason = "skipped", m.Skipped
		return out
	}
	out.Result = "replayed"
	for _, e := range m.Events {
		res, err := s.cfg.Recorder.Record(ctx, e)
		if err != nil {
			return s.fail(ctx, out, payload, fmt.Errorf("recording %s: %w", e.EventID(), err))
		}
		out.Records = append(out.Records, string(e.EventID()))
		if res.Replayed {
			continue
		}
		out.Entries += len(res.Entries)
		switch {
		case res.Parked:
			out.Result, out.Reason = "parked", "the refund waits for its payment"
		case res.Unbound:
			out.Result, out.Reason = "unbound", "the customer was referred by no affiliate"
		default:
			out.Result = "recorded"
		}
	}
	return out
}

// fail answers an error with the status that tells Stripe whether to
// deliver again. Refusals that another delivery cannot change are
// dead-lettered and answered 202, so Stripe stops; the rest get 503 or
// 500, so Stripe retries.
func (s *Sync) fail(ctx context.Context, out Outcome, payload []byte, err error) Outcome {
	out.Result, out.Reason = "error", err.Error()
	switch {
	case errors.Is(err, ErrStripeUnavailable),
		errors.Is(err, affiliate.ErrConflict) && !errors.Is(err, affiliate.ErrIdempotencyMismatch):
		out.Status = http.StatusServiceUnavailable
	case errors.Is(err, affiliate.ErrInvalid), errors.Is(err, affiliate.ErrIdempotencyMismatch), errors.Is(err, ErrLookupImpossible):
		now := s.cfg.Now()
		d := DeadLetter{Event: out.Event, Type: out.Type, Payload: payload, Reason: err.Error(), Attempts: 1, FirstAt: now, LastAt: now}
		if perr := s.cfg.DeadLetters.PutDeadLetter(ctx, d); perr != nil {
			out.Status, out.Reason = http.StatusInternalServerError, fmt.Sprintf("%v; and the dead letter failed: %v", err, perr)
			return out
		}
		out.Status, out.Result = http.StatusAccepted, "dead_lettered"
	default:
		out.Status = http.StatusInternalServerError
	}
	return out
}

// Replay handles a dead-lettered event again and removes its letter
// unless it is refused again. An unknown event ID matches
// affiliate.ErrNotFound.
func (s *Sync) Replay(ctx context.Context, event string) (Outcome, error) {
	letters, err := s.cfg.DeadLetters.DeadLetters(ctx)
	if err != nil {
		return Outcome{}, err
	}
	for _, d := range letters {
		if d.Event != event {
			continue
		}
		var ev stripe.Event
		if err := json.Unmarshal(d.Payload, &ev); err != nil {
			return Outcome{}, &PayloadError{Field: "payload", Reason: "not a Stripe event", Err: err}
		}
		out := s.Handle(ctx, ev, d.Payload)
		if out.Status < 300 && out.Result != "dead_lettered" {
			if err := s.cfg.DeadLetters.DeleteDeadLetter(ctx, event); err != nil {
				return out, err
			}
		}
		return out, nil
	}
	return Outcome{}, fmt.Errorf("stripesync: dead letter %s: %w", event, affiliate.ErrNotFound)
}
