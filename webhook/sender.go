package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// Errors of delivery, each wrapped in a *DeliveryError.
var (
	// ErrEndpoint reports an endpoint that failed: a 5xx, 408 or 429
	// answer, a timeout, a broken or garbled answer. It matches
	// affiliate.ErrRetryable: the sender tries again.
	ErrEndpoint = fmt.Errorf("%w: webhook endpoint failed", affiliate.ErrRetryable)
	// ErrRefused reports an endpoint that answered another 4xx or a 3xx:
	// it refuses the message. It matches affiliate.ErrInvalid.
	ErrRefused = fmt.Errorf("%w: webhook endpoint refused the message", affiliate.ErrInvalid)
	// ErrTooLarge reports a message above Config.MaxBody, or an endpoint
	// that answered 413. It matches affiliate.ErrInvalid.
	ErrTooLarge = fmt.Errorf("%w: webhook message too large", affiliate.ErrInvalid)
)

// DeliveryError reports an event the sender could not deliver. The
// event stays unacknowledged: the next Send starts with it.
type DeliveryError struct {
	Event    string // the event's ID
	Seq      int64
	Attempts int
	Status   int   // the last HTTP status, 0 when there was no answer
	Err      error // ErrEndpoint, ErrRefused or ErrTooLarge, or the context's error
	Cause    error // the transport's error, if any
}

func (e *DeliveryError) Error() string {
	s := fmt.Sprintf("webhook: event %s (seq %d) not delivered after %d attempts", e.Event, e.Seq, e.Attempts)
	if e.Status != 0 {
		s += fmt.Sprintf(", last status %d", e.Status)
	}
	if e.Cause != nil {
		s += ": " + e.Cause.Error()
	}
	return s
}

// Unwrap returns Err.
func (e *DeliveryError) Unwrap() error { return e.Err }

// Defaults of Config's zero fields.
const (
	DefaultMaxAttempts = 8
	DefaultBackoff     = time.Second
	DefaultTimeout     = 10 * time.Second
	DefaultMaxBody     = 256 << 10
	DefaultBatch       = 100
)

// Config configures a Sender. Outbox, Consumer, URL and Secrets are
// required.
type Config struct {
	Outbox storage.Outbox
	// Consumer names the sender's cursor in the outbox: one per endpoint.
	Consumer string
	URL      string
	Secrets  []Secret // every secret signs; rotate by adding the new one first
	Client   *http.Client
	// MaxAttempts bounds the tries of one event per Send; 0 means
	// DefaultMaxAttempts.
	MaxAttempts int
	// Backoff is the first pause after a failed attempt, doubled after
	// each; 0 means DefaultBackoff.
	Backoff time.Duration
	// Timeout bounds one attempt; 0 means DefaultTimeout.
	Timeout time.Duration
	// MaxBody bounds a message's body in bytes; 0 means DefaultMaxBody.
	MaxBody int
	// OnFailure, when set, is told of every failed attempt.
	OnFailure func(Failure)
	// Now stamps messages; nil means time.Now.
	Now func() time.Time
}

// Failure is one failed attempt, for the host's logs and alerts.
type Failure struct {
	Event   string
	Seq     int64
	Attempt int
	Status  int
	Err     error
}

// Sender delivers the outbox to one endpoint, in order, at least once.
type Sender struct {
	cfg Config
}

// NewSender checks cfg and returns a sender. It returns an error matching
// affiliate.ErrInvalid for a missing outbox, consumer, secret or an URL
// that is not absolute http(s).
func NewSender(cfg Config) (*Sender, error) {
	if cfg.Outbox == nil || len(cfg.Secrets) == 0 {
		return nil, &affiliate.FieldError{Field: "webhook.Config", Reason: "Outbox and Secrets are required"}
	}
	if err := storage.ValidateConsumer(cfg.Consumer); err != nil {
		return nil, err
	}
	if u, err := url.Parse(cfg.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &affiliate.FieldError{Field: "webhook.Config.URL", Reason: "is not an absolute http or https URL"}
	}
	if cfg.Client == nil {
		cfg.Client = http.DefaultClient
	}
	if cfg.MaxAttempts == 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.Backoff == 0 {
		cfg.Backoff = DefaultBackoff
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Sender{cfg: cfg}, nil
}

// Send delivers every event after the consumer's cursor, acknowledging
// each once its endpoint answered 2xx, and returns how many it delivered.
// It stops at the first event it cannot deliver (a *DeliveryError), so
// nothing is skipped or reordered; the next Send starts there. A stop
// between a delivery and its ack redelivers that event: at least once.
func (s *Sender) Send(ctx context.Context) (int, error) {
	cur, err := s.cfg.Outbox.Cursor(ctx, s.cfg.Consumer)
	if err != nil {
		return 0, err
	}
	sent := 0
	for {
		evs, _, err := s.cfg.Outbox.Read(ctx, cur, DefaultBatch)
		if err != nil || len(evs) == 0 {
			return sent, err
		}
		for _, ev := range evs {
			if err := s.deliver(ctx, ev); err != nil {
				return sent, err
			}
			cur = storage.Cursor(ev.Seq)
			if err := s.cfg.Outbox.Ack(ctx, s.cfg.Consumer, cur); err != nil {
				return sent, err
			}
			sent++
		}
	}
}

// Run calls Send until ctx is done, pausing poll between calls that find
// nothing and after a call that failed. It returns ctx's error.
func (s *Sender) Run(ctx context.Context, poll time.Duration) error {
	for {
		n, _ := s.Send(ctx)
		if n == 0 {
			t := time.NewTimer(poll)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// message is the body a receiver gets: the envelope the specification
// suggests (type, timestamp, data) with the event's fields.
type message struct {
	Type      affiliate.OutboxEventType `json:"type"`
	Timestamp time.Time                 `json:"timestamp"`
	Program   string                    `json:"program,omitempty"`
	Affiliate affiliate.AffiliateID     `json:"affiliate"`
	Data      json.RawMessage           `json:"data"`
}

// Body returns the JSON body the sender posts for ev.
func Body(ev affiliate.OutboxEvent) ([]byte, error) {
	return json.Marshal(message{Type: ev.Type, Timestamp: ev.At.UTC(), Program: ev.Program, Affiliate: ev.Affiliate, Data: ev.Payload})
}

func (s *Sender) deliver(ctx context.Context, ev affiliate.OutboxEvent) error {
	body, err := Body(ev)
	if err != nil {
		return &DeliveryError{Event: ev.ID, Seq: ev.Seq, Err: ErrRefused, Cause: err}
	}
	if len(body) > s.cfg.MaxBody {
		return &DeliveryError{Event: ev.ID, Seq: ev.Seq, Err: ErrTooLarge, Cause: fmt.Errorf("%d bytes, limit %d", len(body), s.cfg.MaxBody)}
	}
	pause := s.cfg.Backoff
	for attempt := 1; ; attempt++ {
		status, cause, kind := s.post(ctx, ev.ID, body)
		if kind == nil {
			return nil
		}
		if s.cfg.OnFailure != nil {
			s.cfg.OnFailure(Failure{Event: ev.ID, Seq: ev.Seq, Attempt: attempt, Status: status, Err: kind})
		}
		if !errors.Is(kind, ErrEndpoint) || attempt >= s.cfg.MaxAttempts || ctx.Err() != nil {
			if ctx.Err() != nil {
				kind = ctx.Err()
			}
			return &DeliveryError{Event: ev.ID, Seq: ev.Seq, Attempts: attempt, Status: status, Err: kind, Cause: cause}
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return &DeliveryError{Event: ev.ID, Seq: ev.Seq, Attempts: attempt, Status: status, Err: ctx.Err(), Cause: cause}
		case <-t.C:
		}
		pause *= 2
	}
}

// post makes one attempt: the status, the transport's error, and the
// class of failure (nil on 2xx).
func (s *Sender) post(ctx context.Context, id string, body []byte) (int, error, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err, ErrRefused
	}
	req.Header.Set("Content-Type", "application/json")
	SignHeaders(req.Header, s.cfg.Secrets, id, s.cfg.Now(), body)
	resp, err := s.cfg.Client.Do(req)
	if err != nil {
		return 0, err, ErrEndpoint
	}
	// The answer's body means nothing; read a little so the connection
	// can be reused, and no more, whatever the endpoint sends.
	_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
	resp.Body.Close()
	switch c := resp.StatusCode; {
	case c >= 200 && c < 300:
		return c, nil, nil
	case c == http.StatusRequestEntityTooLarge:
		return c, nil, ErrTooLarge
	case c >= 500, c == http.StatusRequestTimeout, c == http.StatusTooManyRequests:
		return c, nil, ErrEndpoint
	default:
		return c, nil, ErrRefused
	}
}
