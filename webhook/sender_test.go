package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
	"github.com/openaffiliate/affiliate/webhook"
)

var testSecret = webhook.Secret([]byte("the-test-secret-of-32-bytes-long"))

// receiver is an endpoint that verifies what it gets and records the
// event IDs in arrival order; fail decides, per request, how to answer
// instead (nil answers 204).
type receiver struct {
	t    *testing.T
	mu   sync.Mutex
	got  []string
	n    int
	fail func(n int, w http.ResponseWriter) bool
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.n++
	n, fail := rc.n, rc.fail
	rc.mu.Unlock()
	if fail != nil && fail(n, w) {
		return
	}
	if err := (webhook.Verifier{Secrets: []webhook.Secret{testSecret}}).Verify(r.Header, body); err != nil {
		rc.t.Errorf("request %d does not verify: %v", n, err)
	}
	var m struct {
		Type string          `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &m); err != nil || m.Type == "" || len(m.Data) == 0 {
		rc.t.Errorf("request %d body %s: %v", n, body, err)
	}
	rc.mu.Lock()
	rc.got = append(rc.got, r.Header.Get(webhook.HeaderID))
	rc.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (rc *receiver) ids() []string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return slices.Clone(rc.got)
}

// filled is a store whose outbox holds n customer.bound events.
func filled(t *testing.T, n int) (*memstore.Store, []string) {
	s := memstore.New()
	var ids []string
	for i := range n {
		c := affiliate.CustomerID(fmt.Sprintf("cus-%02d", i))
		if _, err := s.Bind(context.Background(), affiliate.Binding{Customer: c, Affiliate: "ann", Source: affiliate.BindByManual, BoundAt: time.Unix(1750000000, 0)}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, "bound:"+string(c))
	}
	return s, ids
}

func newSender(t *testing.T, s storage.Outbox, url string, change func(*webhook.Config)) *webhook.Sender {
	t.Helper()
	cfg := webhook.Config{Outbox: s, Consumer: "hooks", URL: url, Secrets: []webhook.Secret{testSecret}, Backoff: time.Millisecond, Timeout: 200 * time.Millisecond, MaxAttempts: 3}
	if change != nil {
		change(&cfg)
	}
	snd, err := webhook.NewSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return snd
}

func cursorOf(t *testing.T, s storage.Outbox) storage.Cursor {
	t.Helper()
	c, err := s.Cursor(context.Background(), "hooks")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSendDeliversInOrderAndAcks(t *testing.T) {
	s, ids := filled(t, 5)
	rc := &receiver{t: t}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	snd := newSender(t, s, srv.URL, nil)
	if n, err := snd.Send(context.Background()); n != 5 || err != nil {
		t.Fatalf("Send = %d, %v; want 5, nil", n, err)
	}
	if n, err := snd.Send(context.Background()); n != 0 || err != nil {
		t.Fatalf("Send again = %d, %v; want 0, nil", n, err)
	}
	if got := rc.ids(); !slices.Equal(got, ids) {
		t.Errorf("received %v; want %v", got, ids)
	}
	if c := cursorOf(t, s); c != 5 {
		t.Errorf("cursor %d; want 5", c)
	}
}

func TestSendRetries(t *testing.T) {
	for _, tc := range []struct {
		name string
		fail func(n int, w http.ResponseWriter) bool
	}{
		{"500 twice", func(n int, w http.ResponseWriter) bool {
			if n <= 2 {
				w.WriteHeader(http.StatusInternalServerError)
			}
			return n <= 2
		}},
		{"timeout once", func(n int, w http.ResponseWriter) bool {
			if n == 1 {
				time.Sleep(400 * time.Millisecond)
			}
			return n == 1
		}},
		{"429 once", func(n int, w http.ResponseWriter) bool {
			if n == 1 {
				w.WriteHeader(http.StatusTooManyRequests)
			}
			return n == 1
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, ids := filled(t, 3)
			rc := &receiver{t: t, fail: tc.fail}
			srv := httptest.NewServer(rc)
			defer srv.Close()
			var failures []webhook.Failure
			snd := newSender(t, s, srv.URL, func(c *webhook.Config) { c.OnFailure = func(f webhook.Failure) { failures = append(failures, f) } })
			if n, err := snd.Send(context.Background()); n != 3 || err != nil {
				t.Fatalf("Send = %d, %v; want 3, nil", n, err)
			}
			if got := rc.ids(); !slices.Equal(got, ids) {
				t.Errorf("received %v; want %v", got, ids)
			}
			if len(failures) == 0 || failures[0].Event != ids[0] || !errors.Is(failures[0].Err, webhook.ErrEndpoint) {
				t.Errorf("failures recorded %+v; want the first event's ErrEndpoint", failures)
			}
		})
	}
}

// TestSendFailsWithoutLoss: every failure is a typed error, acknowledges
// nothing past the last delivered event, and a later Send with a healthy
// endpoint delivers everything, in order.
func TestSendFailsWithoutLoss(t *testing.T) {
	garbage := func(n int, w http.ResponseWriter) bool {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			panic(err)
		}
		buf.WriteString("this is not HTTP\r\n\r\n")
		buf.Flush()
		conn.Close()
		return true
	}
	status := func(code int) func(int, http.ResponseWriter) bool {
		return func(_ int, w http.ResponseWriter) bool { w.WriteHeader(code); return true }
	}
	for _, tc := range []struct {
		name     string
		fail     func(int, http.ResponseWriter) bool
		change   func(*webhook.Config)
		want     error
		attempts int
	}{
		{"always 503", status(503), nil, webhook.ErrEndpoint, 3},
		{"garbage answer", garbage, nil, webhook.ErrEndpoint, 3},
		{"400", status(400), nil, webhook.ErrRefused, 1},
		{"redirect", status(304), nil, webhook.ErrRefused, 1},
		{"413", status(413), nil, webhook.ErrTooLarge, 1},
		{"body above MaxBody", nil, func(c *webhook.Config) { c.MaxBody = 50 }, webhook.ErrTooLarge, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, ids := filled(t, 4)
			rc := &receiver{t: t}
			srv := httptest.NewServer(rc)
			defer srv.Close()
			// The first two go through; then the endpoint turns bad.
			if n, err := newSender(t, s, srv.URL, func(c *webhook.Config) { c.MaxBody = 0 }).Send(context.Background()); n != 4 || err != nil {
				t.Fatalf("healthy Send = %d, %v", n, err)
			}
			more, moreIDs := 3, []string{}
			for i := range more {
				c := affiliate.CustomerID(fmt.Sprintf("cus-x%d", i))
				if _, err := s.Bind(context.Background(), affiliate.Binding{Customer: c, Affiliate: "bob", Source: affiliate.BindByManual, BoundAt: time.Unix(1750000000, 0)}); err != nil {
					t.Fatal(err)
				}
				moreIDs = append(moreIDs, "bound:"+string(c))
			}
			rc.mu.Lock()
			rc.fail = tc.fail
			rc.mu.Unlock()
			n, err := newSender(t, s, srv.URL, tc.change).Send(context.Background())
			var de *webhook.DeliveryError
			if n != 0 || !errors.Is(err, tc.want) || !errors.As(err, &de) || de.Event != moreIDs[0] || de.Attempts != tc.attempts {
				t.Fatalf("Send = %d, %v; want 0 and a *DeliveryError %v for %s after %d attempts", n, err, tc.want, moreIDs[0], tc.attempts)
			}
			if c := cursorOf(t, s); c != 4 {
				t.Errorf("cursor %d after the failure; want 4 (nothing acknowledged past it)", c)
			}
			rc.mu.Lock()
			rc.fail = nil
			rc.mu.Unlock()
			if n, err := newSender(t, s, srv.URL, nil).Send(context.Background()); n != 3 || err != nil {
				t.Fatalf("Send after the endpoint healed = %d, %v; want 3, nil", n, err)
			}
			if got, want := rc.ids(), append(ids, moreIDs...); !slices.Equal(got, want) {
				t.Errorf("received %v; want %v", got, want)
			}
		})
	}
}

// TestStopAndResume stops a sender while an event is in flight and starts
// another: nothing is lost, order holds, and only the event in flight may
// arrive twice.
func TestStopAndResume(t *testing.T) {
	s, ids := filled(t, 6)
	ctx, stop := context.WithCancel(context.Background())
	rc := &receiver{t: t}
	rc.fail = func(n int, w http.ResponseWriter) bool {
		if n == 4 {
			stop()
			time.Sleep(50 * time.Millisecond)
		}
		return false
	}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	n, err := newSender(t, s, srv.URL, func(c *webhook.Config) { c.Timeout = time.Second }).Send(ctx)
	if !errors.Is(err, context.Canceled) || n != 3 {
		t.Fatalf("stopped Send = %d, %v; want 3, context.Canceled", n, err)
	}
	if n, err := newSender(t, s, srv.URL, nil).Send(context.Background()); err != nil || n != 3 {
		t.Fatalf("resumed Send = %d, %v; want 3, nil", n, err)
	}
	got := slices.Compact(rc.ids()) // the event in flight may come twice in a row
	if !slices.Equal(got, ids) {
		t.Errorf("received %v; want %v", rc.ids(), ids)
	}
}

func TestNewSenderRefusesBadConfig(t *testing.T) {
	s := memstore.New()
	for _, cfg := range []webhook.Config{
		{Consumer: "c", URL: "http://x", Secrets: []webhook.Secret{testSecret}},
		{Outbox: s, URL: "http://x", Secrets: []webhook.Secret{testSecret}},
		{Outbox: s, Consumer: "c", URL: "ftp://x", Secrets: []webhook.Secret{testSecret}},
		{Outbox: s, Consumer: "c", URL: "/relative", Secrets: []webhook.Secret{testSecret}},
		{Outbox: s, Consumer: "c", URL: "http://x"},
	} {
		if _, err := webhook.NewSender(cfg); !errors.Is(err, affiliate.ErrInvalid) {
			t.Errorf("NewSender(%+v) = %v; want ErrInvalid", cfg, err)
		}
	}
}

// TestRun polls the outbox: events written while it runs are delivered,
// and it returns the context's error once stopped.
func TestRun(t *testing.T) {
	s, ids := filled(t, 2)
	rc := &receiver{t: t}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- newSender(t, s, srv.URL, nil).Run(ctx, 5*time.Millisecond) }()
	if _, err := s.Bind(context.Background(), affiliate.Binding{Customer: "cus-late", Affiliate: "ann", Source: affiliate.BindByManual, BoundAt: time.Unix(1750000000, 0)}); err != nil {
		t.Fatal(err)
	}
	want := append(ids, "bound:cus-late")
	for deadline := time.Now().Add(10 * time.Second); len(rc.ids()) < len(want) && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	stop()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v; want context.Canceled", err)
	}
	if got := rc.ids(); !slices.Equal(got, want) {
		t.Errorf("received %v; want %v", got, want)
	}
}
