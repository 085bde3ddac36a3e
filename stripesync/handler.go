package stripesync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v85"
	"github.com/stripe/stripe-go/v85/webhook"
)

// MaxPayload is the largest body the handler reads.
const MaxPayload = 1 << 20

// ServeHTTP is the webhook endpoint: it verifies the request, handles the
// event and answers its Outcome as JSON (statuses in the package doc).
func (s *Sync) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		s.reply(w, Outcome{Status: http.StatusMethodNotAllowed, Result: "error", Reason: "webhooks are POSTed"})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxPayload))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.reply(w, Outcome{Status: http.StatusRequestEntityTooLarge, Result: "error", Reason: fmt.Sprintf("body over %d bytes", MaxPayload)})
			return
		}
		s.reply(w, Outcome{Status: http.StatusBadRequest, Result: "error", Reason: "reading the body: " + err.Error()})
		return
	}
	ev, err := s.Verify(body, r.Header.Get("Stripe-Signature"))
	if err != nil {
		s.reply(w, Outcome{Status: http.StatusBadRequest, Result: "error", Reason: err.Error()})
		return
	}
	s.reply(w, s.Handle(r.Context(), ev, body))
}

// Verify checks a body against its Stripe-Signature header with each
// secret through stripe-go, then the header's timestamp against Now
// within the tolerance both ways (one from the future is as suspect as an
// old one), and returns the event. Errors match ErrSignature, or
// affiliate.ErrInvalid for a signed body that is not an event.
func (s *Sync) Verify(body []byte, header string) (stripe.Event, error) {
	var ev stripe.Event
	err := webhook.ErrNoValidSignature
	for _, secret := range s.cfg.Secrets {
		// The API version is not checked: the mapping reads events of
		// versions before and after 2025-03-31.
		ev, err = webhook.ConstructEventWithOptions(body, header, secret, webhook.ConstructEventOptions{IgnoreTolerance: true, IgnoreAPIVersionMismatch: true})
		if !errors.Is(err, webhook.ErrNoValidSignature) {
			break
		}
	}
	switch {
	case errors.Is(err, webhook.ErrNotSigned), errors.Is(err, webhook.ErrInvalidHeader), errors.Is(err, webhook.ErrNoValidSignature):
		return stripe.Event{}, fmt.Errorf("%w: %w", ErrSignature, err)
	case err != nil:
		return stripe.Event{}, &PayloadError{Field: "body", Reason: "not a Stripe event", Err: err}
	}
	at, err := signedAt(header)
	if err != nil {
		return stripe.Event{}, err
	}
	if d := s.cfg.Now().Sub(at); d > s.cfg.Tolerance || d < -s.cfg.Tolerance {
		when := "old"
		if d < 0 {
			when, d = "in the future", -d
		}
		return stripe.Event{}, fmt.Errorf("%w: timestamp %s is %s %s, beyond the tolerance of %s", ErrSignature, at.UTC().Format(time.RFC3339), d.Round(time.Second), when, s.cfg.Tolerance)
	}
	if ev.ID == "" || ev.Type == "" {
		return stripe.Event{}, &PayloadError{Field: "body", Reason: "an event needs an id and a type"}
	}
	return ev, nil
}

// signedAt reads the t= timestamp of a header stripe-go has verified;
// stripe-go measures its tolerance only backwards and on its own clock.
func signedAt(header string) (time.Time, error) {
	for part := range strings.SplitSeq(header, ",") {
		if v, ok := strings.CutPrefix(part, "t="); ok {
			if sec, err := strconv.ParseInt(v, 10, 64); err == nil {
				return time.Unix(sec, 0), nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("%w: no timestamp", ErrSignature)
}

func (s *Sync) reply(w http.ResponseWriter, out Outcome) {
	level := slog.LevelInfo
	if out.Status >= 300 {
		level = slog.LevelWarn
	}
	s.log.Log(context.Background(), level, "stripe webhook", "status", out.Status, "event", out.Event, "type", out.Type, "result", out.Result, "records", out.Records, "entries", out.Entries, "reason", out.Reason)
	if out.Status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "60")
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(out.Status)
	_ = json.NewEncoder(w).Encode(out)
}
