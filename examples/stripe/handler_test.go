package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

const testSecret = "whsec_test"

// clock is the handler's now: the tests sign each delivery at clock, so
// that signatures are checked against a fixed time.
var clock = time.Date(2026, time.April, 1, 12, 0, 0, 0, time.UTC)

type harness struct {
	t     *testing.T
	store *memstore.Store
	h     *Handler
	calls int // Record calls that reached the engine
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	store, eng, err := program(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	hs := &harness{t: t, store: store}
	rec := recorderFunc(func(ctx context.Context, e affiliate.Event) (commission.Result, error) {
		hs.calls++
		return eng.Record(ctx, e)
	})
	hs.h, err = NewHandler(HandlerConfig{Secrets: []string{testSecret}, Links: &MemoryLinks{}, Engine: rec, Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	return hs
}

type recorderFunc func(ctx context.Context, e affiliate.Event) (commission.Result, error)

func (f recorderFunc) Record(ctx context.Context, e affiliate.Event) (commission.Result, error) {
	return f(ctx, e)
}

// post delivers body signed with secret at clock, as Stripe does.
func (hs *harness) post(body []byte, secret string) (int, Reply) {
	hs.t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/webhooks/stripe", bytes.NewReader(body))
	req.Header.Set("Stripe-Signature", SignatureFor(body, secret, clock))
	rec := httptest.NewRecorder()
	hs.h.ServeHTTP(rec, req)
	var rep Reply
	if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
		hs.t.Fatalf("reply %q is not JSON: %v", rec.Body.String(), err)
	}
	if rec.Code == http.StatusServiceUnavailable && rec.Header().Get("Retry-After") == "" {
		hs.t.Errorf("503 without Retry-After")
	}
	return rec.Code, rep
}

// net returns what Ann nets from a payment.
func (hs *harness) net(payment affiliate.EventID) affiliate.Money {
	hs.t.Helper()
	entries, err := hs.store.Entries(context.Background(), storage.EntryQuery{Payment: payment})
	if err != nil {
		hs.t.Fatal(err)
	}
	sum := affiliate.Zero("USD")
	for _, e := range entries {
		if sum, err = sum.Add(e.Amount); err != nil {
			hs.t.Fatal(err)
		}
	}
	return sum
}

func (hs *harness) ledger() []affiliate.Entry {
	hs.t.Helper()
	entries, err := hs.store.Entries(context.Background(), storage.EntryQuery{Beneficiary: "aff_ann"})
	if err != nil {
		hs.t.Fatal(err)
	}
	return entries
}

// TestWebhookStory delivers the fixtures as Stripe would, with a replay,
// events out of order and a bad signature among them, and checks every
// answer and what Ann earns.
func TestWebhookStory(t *testing.T) {
	hs := newHarness(t)
	steps := []struct {
		fixture string
		secret  string
		status  int
		outcome string
		entries int
		then    func()
	}{
		{"invoice_paid_trial.json", testSecret, 200, "skipped", 0, nil},
		// Out of order: the refund names its invoice, so the engine parks it.
		{"charge_refunded_jan_half.json", testSecret, 200, "parked", 0, func() {
			if got := hs.net("in_jan"); !got.IsZero() {
				t.Errorf("a parked refund moved the ledger: %v", got)
			}
		}},
		{"invoice_paid_jan.json", testSecret, 200, "recorded", 2, func() {
			// 30% of $220 is $66, and the parked half refund takes back $33.
			if got := hs.net("in_jan"); got != usd(3300) {
				t.Errorf("January nets %v, want 33.00 USD", got)
			}
		}},
		{"invoice_paid_jan.json", testSecret, 200, "replayed", 0, nil},
		{"invoice_paid_feb.json", "whsec_someone_else", 400, "error", 0, func() {
			if got := hs.net("in_feb"); !got.IsZero() {
				t.Errorf("a badly signed event was recorded: %v", got)
			}
		}},
		{"invoice_paid_feb.json", testSecret, 200, "recorded", 1, func() {
			// 30% of $20 − $5 + $200 + $50 = $79.50; tax earns nothing.
			if got := hs.net("in_feb"); got != usd(7950) {
				t.Errorf("February nets %v, want 79.50 USD", got)
			}
		}},
		{"charge_refunded_jan_rest.json", testSecret, 200, "recorded", 1, func() {
			if got := hs.net("in_jan"); !got.IsZero() {
				t.Errorf("January fully refunded nets %v, want 0", got)
			}
		}},
		{"charge_refunded_jan_rest.json", testSecret, 200, "replayed", 0, nil},
		{"dispute_created_feb.json", testSecret, 200, "recorded", 1, func() {
			if got := hs.net("in_feb"); !got.IsZero() {
				t.Errorf("February disputed in full nets %v, want 0", got)
			}
		}},
		// Out of order on API 2025-03-31: the charge does not name its
		// invoice, so the handler asks Stripe to come back later.
		{"charge_refunded_mar_basil.json", testSecret, 503, "error", 0, nil},
		{"invoice_paid_mar_basil.json", testSecret, 200, "recorded", 1, nil},
		{"charge_refunded_mar_basil.json", testSecret, 200, "recorded", 1, func() {
			if got := hs.net("in_mar"); got != usd(5940) {
				t.Errorf("March with 10%% refunded nets %v, want 59.40 USD", got)
			}
		}},
		{"plan_created.json", testSecret, 200, "skipped", 0, nil},
	}
	for i, s := range steps {
		status, rep := hs.post(fixture(t, s.fixture), s.secret)
		if status != s.status || rep.Outcome != s.outcome || rep.Entries != s.entries {
			t.Fatalf("step %d (%s): %d %+v, want %d %s with %d entries", i+1, s.fixture, status, rep, s.status, s.outcome, s.entries)
		}
		if s.then != nil {
			s.then()
		}
	}
	var balance int64
	for _, e := range hs.ledger() {
		balance += e.Amount.Minor()
	}
	if balance != 5940 {
		t.Errorf("Ann's balance is %v, want 59.40 USD", usd(balance))
	}
}

// TestBadRequestsChangeNothing: whatever is wrong with a request, the
// answer says so and the engine is never called.
func TestBadRequestsChangeNothing(t *testing.T) {
	body := fixture(t, "invoice_paid_jan.json")
	for _, tc := range []struct {
		name   string
		req    func() *http.Request
		status int
		says   string
	}{
		{"GET", func() *http.Request { return httptest.NewRequest(http.MethodGet, "/", nil) }, 405, "POSTed"},
		{"no signature", func() *http.Request { return httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body)) }, 400, "no Stripe-Signature header"},
		{"signed an hour ago (replayed by an attacker)", func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
			r.Header.Set("Stripe-Signature", SignatureFor(body, testSecret, clock.Add(-time.Hour)))
			return r
		}, 400, "timestamp outside the tolerance window"},
		{"body changed after signing", func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(bytes.Replace(body, []byte("24200"), []byte("94200"), 1)))
			r.Header.Set("Stripe-Signature", SignatureFor(body, testSecret, clock))
			return r
		}, 400, "no v1 signature matches"},
		{"not a Stripe event", func() *http.Request {
			b := []byte(`{"hello":"world"}`)
			r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(b))
			r.Header.Set("Stripe-Signature", SignatureFor(b, testSecret, clock))
			return r
		}, 400, "id: missing"},
		{"too large", func() *http.Request {
			b := bytes.Repeat([]byte(" "), maxPayload+1)
			r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(b))
			r.Header.Set("Stripe-Signature", SignatureFor(b, testSecret, clock))
			return r
		}, 413, "body over"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hs := newHarness(t)
			rec := httptest.NewRecorder()
			hs.h.ServeHTTP(rec, tc.req())
			if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.says) {
				t.Errorf("%d %s, want %d saying %q", rec.Code, rec.Body.String(), tc.status, tc.says)
			}
			if hs.calls != 0 || len(hs.ledger()) != 0 {
				t.Errorf("the engine was called %d times; the ledger holds %d entries", hs.calls, len(hs.ledger()))
			}
		})
	}
}

func TestRefusedEvents(t *testing.T) {
	hs := newHarness(t)
	if status, _ := hs.post(fixture(t, "invoice_paid_jan.json"), testSecret); status != 200 {
		t.Fatal(status)
	}
	before := hs.ledger()

	// The same invoice ID with other lines: the engine refuses the reuse.
	changed := patchedJSON(t, "invoice_paid_jan.json", func(obj map[string]any) {
		line := obj["lines"].(map[string]any)["data"].([]any)[0].(map[string]any)
		line["amount"] = 3000
		obj["total"] = 25200
	})
	if status, rep := hs.post(changed, testSecret); status != 409 || !strings.Contains(rep.Reason, "another payload") {
		t.Errorf("a changed invoice: %d %+v, want 409", status, rep)
	}
	// An invoice whose lines do not add up: refused before the engine.
	unbalanced := patchedJSON(t, "invoice_paid_feb.json", func(obj map[string]any) { obj["total"] = 1 })
	calls := hs.calls
	if status, rep := hs.post(unbalanced, testSecret); status != 422 || hs.calls != calls {
		t.Errorf("an unbalanced invoice: %d %+v (engine called %d times), want 422 before the engine", status, rep, hs.calls-calls)
	}
	// A refund of more than the payment: the engine refuses it.
	over := patchedJSON(t, "charge_refunded_jan_half.json", func(obj map[string]any) { obj["amount_refunded"] = 99999 })
	if status, rep := hs.post(over, testSecret); status != 422 || !strings.Contains(rep.Reason, "refund") {
		t.Errorf("an over-refund: %d %+v, want 422", status, rep)
	}
	if after := hs.ledger(); len(after) != len(before) {
		t.Errorf("refused events changed the ledger: %d entries, then %d", len(before), len(after))
	}
}

func patchedJSON(t *testing.T, name string, fn func(obj map[string]any)) []byte {
	t.Helper()
	var raw map[string]any
	if err := json.Unmarshal(fixture(t, name), &raw); err != nil {
		t.Fatal(err)
	}
	fn(raw["data"].(map[string]any)["object"].(map[string]any))
	b, err := json.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestNewHandlerValidates(t *testing.T) {
	ok := HandlerConfig{Secrets: []string{"s"}, Links: &MemoryLinks{}, Engine: recorderFunc(nil)}
	for _, tc := range []struct {
		name  string
		patch func(c *HandlerConfig)
	}{
		{"no secret", func(c *HandlerConfig) { c.Secrets = nil }},
		{"empty secret", func(c *HandlerConfig) { c.Secrets = []string{"s", ""} }},
		{"no links", func(c *HandlerConfig) { c.Links = nil }},
		{"no engine", func(c *HandlerConfig) { c.Engine = nil }},
		{"negative tolerance", func(c *HandlerConfig) { c.Tolerance = -time.Second }},
	} {
		c := ok
		tc.patch(&c)
		if _, err := NewHandler(c); !errors.Is(err, affiliate.ErrInvalid) {
			t.Errorf("%s: NewHandler = %v, want ErrInvalid", tc.name, err)
		}
	}
	if _, err := NewHandler(ok); err != nil {
		t.Errorf("a valid config: %v", err)
	}
}

// TestDemo runs the command as `go run ./examples/stripe` does and checks
// its figures.
func TestDemo(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, ""); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"outcome":"parked"`,
		`"outcome":"replayed"`,
		"→ 400",
		"→ 503",
		"commission   66.00  in_jan  30% of 220.00 USD (subscription, add_on)",
		"commission   79.50  in_feb",
		"reversal     -6.60  in_mar",
		"balance 59.40 USD",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the demo does not print %q:\n%s", want, out.String())
		}
	}
}
