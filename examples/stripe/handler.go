package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
)

// Recorder records library events: *commission.Engine is one.
type Recorder interface {
	Record(ctx context.Context, e affiliate.Event) (commission.Result, error)
}

// HandlerConfig configures a Handler. Secrets, Links and Engine are
// required.
type HandlerConfig struct {
	// Secrets are the endpoint's signing secrets ("whsec_…"). List two
	// while rolling the secret: a request signed with either passes.
	Secrets []string
	// Tolerance is how far a signature's timestamp may be from now; zero
	// means DefaultTolerance (five minutes).
	Tolerance time.Duration
	// Now is the clock the tolerance is measured with; nil means time.Now.
	Now func() time.Time
	// Links keeps which invoice each charge paid (see Links).
	Links Links
	// Engine records the mapped events.
	Engine Recorder
	// Log receives one line per request; nil discards.
	Log *slog.Logger
}

// Handler is the webhook endpoint: it verifies the Stripe-Signature
// header, maps the event and records it. Its status codes tell Stripe
// what to do:
//
//	200  recorded, replayed, or skipped on purpose (an unmapped type, a $0 invoice)
//	400  bad signature or not a Stripe event: Stripe should not retry, it will fail again
//	405  not a POST
//	409  the event ID was recorded before with another payload
//	413  body over 1 MiB
//	422  an event the library refuses (bad amounts, an unbalanced invoice)
//	503  not yet: a refund of a charge whose invoice has not arrived, or
//	     contention on the customer; Retry-After is set and Stripe retries
//	500  anything else (the store failed); Stripe retries
type Handler struct {
	cfg    HandlerConfig
	mapper *Mapper
	log    *slog.Logger
}

// NewHandler validates cfg and returns a Handler.
func NewHandler(cfg HandlerConfig) (*Handler, error) {
	switch {
	case len(cfg.Secrets) == 0:
		return nil, &affiliate.FieldError{Field: "HandlerConfig.Secrets", Reason: "no signing secret"}
	case cfg.Links == nil:
		return nil, &affiliate.FieldError{Field: "HandlerConfig.Links", Reason: "missing"}
	case cfg.Engine == nil:
		return nil, &affiliate.FieldError{Field: "HandlerConfig.Engine", Reason: "missing"}
	case cfg.Tolerance < 0:
		return nil, &affiliate.FieldError{Field: "HandlerConfig.Tolerance", Reason: "negative"}
	}
	for i, s := range cfg.Secrets {
		if s == "" {
			return nil, &affiliate.FieldError{Field: fmt.Sprintf("HandlerConfig.Secrets[%d]", i), Reason: "empty"}
		}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Handler{cfg: cfg, mapper: &Mapper{Links: cfg.Links}, log: log}, nil
}

// Reply is the JSON body the handler answers with, for the host's logs
// and for Stripe's dashboard, which shows it.
type Reply struct {
	Event   string `json:"event,omitempty"`   // Stripe's event ID
	Type    string `json:"type,omitempty"`    // Stripe's event type
	Outcome string `json:"outcome"`           // recorded, replayed, parked, unbound, skipped or error
	Records string `json:"records,omitempty"` // the library event's ID
	Entries int    `json:"entries,omitempty"` // ledger entries the event appended
	Reason  string `json:"reason,omitempty"`  // why it was skipped or refused
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.reply(w, http.StatusMethodNotAllowed, Reply{Outcome: "error", Reason: "webhooks are POSTed"})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxPayload))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.reply(w, http.StatusRequestEntityTooLarge, Reply{Outcome: "error", Reason: fmt.Sprintf("body over %d bytes", maxPayload)})
			return
		}
		h.reply(w, http.StatusBadRequest, Reply{Outcome: "error", Reason: "reading the body: " + err.Error()})
		return
	}
	if err := VerifySignature(body, r.Header.Get("Stripe-Signature"), h.cfg.Secrets, h.cfg.Now(), h.cfg.Tolerance); err != nil {
		h.reply(w, http.StatusBadRequest, Reply{Outcome: "error", Reason: err.Error()})
		return
	}
	ev, err := ParseEvent(body)
	if err != nil {
		h.reply(w, http.StatusBadRequest, Reply{Outcome: "error", Reason: err.Error()})
		return
	}
	rep := Reply{Event: ev.ID, Type: ev.Type}
	out, err := h.mapper.Map(r.Context(), ev)
	if err != nil {
		h.fail(w, rep, err)
		return
	}
	if out.Event == nil {
		rep.Outcome, rep.Reason = "skipped", out.Skipped
		h.reply(w, http.StatusOK, rep)
		return
	}
	rep.Records = string(out.Event.EventID())
	res, err := h.cfg.Engine.Record(r.Context(), out.Event)
	if err != nil {
		h.fail(w, rep, err)
		return
	}
	rep.Entries = len(res.Entries)
	switch {
	case res.Replayed:
		rep.Outcome, rep.Entries = "replayed", 0
	case res.Parked:
		rep.Outcome, rep.Reason = "parked", "the refund waits for its payment"
	case res.Unbound:
		rep.Outcome, rep.Reason = "unbound", "the customer was referred by no affiliate"
	default:
		rep.Outcome = "recorded"
	}
	h.reply(w, http.StatusOK, rep)
}

// fail answers an error with the status that tells Stripe whether to
// retry.
func (h *Handler) fail(w http.ResponseWriter, rep Reply, err error) {
	rep.Outcome, rep.Reason = "error", err.Error()
	status := http.StatusInternalServerError
	switch {
	case errors.Is(err, ErrUnknownCharge), errors.Is(err, affiliate.ErrConflict) && !errors.Is(err, affiliate.ErrIdempotencyMismatch):
		w.Header().Set("Retry-After", "60")
		status = http.StatusServiceUnavailable
	case errors.Is(err, affiliate.ErrIdempotencyMismatch):
		status = http.StatusConflict
	case errors.Is(err, affiliate.ErrInvalid):
		status = http.StatusUnprocessableEntity
	}
	h.reply(w, status, rep)
}

func (h *Handler) reply(w http.ResponseWriter, status int, rep Reply) {
	level := slog.LevelInfo
	if status >= 400 {
		level = slog.LevelWarn
	}
	h.log.Log(context.Background(), level, "stripe webhook", "status", status, "event", rep.Event, "type", rep.Type, "outcome", rep.Outcome, "records", rep.Records, "entries", rep.Entries, "reason", rep.Reason)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(rep)
}
