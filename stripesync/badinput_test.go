package stripesync_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/stripesync"
)

// Bad input gets its status, and nothing is stored: no ledger entry, no
// event, no binding. Authentic events refused for good are kept as dead
// letters; unauthenticated bodies are not kept at all. Run with -v for
// the table "payload, expected, actual".
func TestBadInput(t *testing.T) {
	jan := fixture(t, "invoice_paid_jan.json")
	otherPayload := edit(t, jan, func(ev map[string]any) {
		ev["id"] = "evt_invoice_paid_jan_edited"
		inv := ev["data"].(map[string]any)["object"].(map[string]any)
		inv["status_transitions"].(map[string]any)["paid_at"] = 1767300000 // another payment time
	})
	unbalanced := edit(t, fixture(t, "invoice_paid_feb.json"), func(ev map[string]any) {
		ev["data"].(map[string]any)["object"].(map[string]any)["total"] = 99999
	})
	unknownCurrency := edit(t, fixture(t, "invoice_paid_feb.json"), func(ev map[string]any) {
		ev["data"].(map[string]any)["object"].(map[string]any)["currency"] = "xxq"
	})
	signed := func(b []byte) string { return sign(b, testSecret, clock) }
	cases := []struct {
		name   string
		body   []byte
		header string
		method string
		status int
		result string
		dead   bool // kept as a dead letter
	}{
		{"wrong secret", jan, sign(jan, "whsec_other", clock), "", 400, "error", false},
		{"expired signature", jan, sign(jan, testSecret, clock.Add(-6*time.Minute)), "", 400, "error", false},
		{"future signature", jan, sign(jan, testSecret, clock.Add(6*time.Minute)), "", 400, "error", false},
		{"missing signature", jan, "", "", 400, "error", false},
		{"malformed signature header", jan, "t=abc,v1", "", 400, "error", false},
		{"malformed body", []byte(`{"id":"evt_1","object":"event",`), signed([]byte(`{"id":"evt_1","object":"event",`)), "", 400, "error", false},
		{"body not an event", []byte(`{"id":"ch_1","object":"charge"}`), signed([]byte(`{"id":"ch_1","object":"charge"}`)), "", 400, "error", false},
		{"oversized body", bytes.Repeat([]byte(" "), stripesync.MaxPayload+1), "t=1,v1=00", "", 413, "error", false},
		{"GET", jan, signed(jan), http.MethodGet, 405, "error", false},
		{"unknown event type", fixture(t, "plan_created.json"), signed(fixture(t, "plan_created.json")), "", 200, "skipped", false},
		{"duplicate delivery", jan, signed(jan), "", 200, "replayed", false},
		{"same invoice, another payload", otherPayload, signed(otherPayload), "", 202, "dead_lettered", true},
		{"unbalanced invoice", unbalanced, signed(unbalanced), "", 202, "dead_lettered", true},
		{"unknown currency", unknownCurrency, signed(unknownCurrency), "", 202, "dead_lettered", true},
	}
	t.Log("| payload | expected | actual |")
	t.Log("|---|---|---|")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			if status, out := h.post(jan, signed(jan)); status != 200 || out.Result != "recorded" {
				t.Fatalf("setup: %d %+v", status, out)
			}
			before := h.snapshot()
			req := httptest.NewRequest(http.MethodPost, "/webhooks/stripe", bytes.NewReader(c.body))
			if c.method != "" {
				req.Method = c.method
			}
			if c.header != "" {
				req.Header.Set("Stripe-Signature", c.header)
			}
			rec := httptest.NewRecorder()
			h.sync.ServeHTTP(rec, req)
			var out stripesync.Outcome
			if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
				t.Fatalf("answer %q: %v", rec.Body.String(), err)
			}
			t.Logf("| %s | %d %s | %d %s (%s) |", c.name, c.status, c.result, rec.Code, out.Result, out.Reason)
			if rec.Code != c.status || out.Result != c.result {
				t.Errorf("got %d %s (%s), want %d %s", rec.Code, out.Result, out.Reason, c.status, c.result)
			}
			if diff := cmp.Diff(before, h.snapshot(), cmp.AllowUnexported(snapshot{})); diff != "" {
				t.Errorf("storage changed (-before +after):\n%s", diff)
			}
			letters, err := h.dead.DeadLetters(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got := len(letters) == 1; got != c.dead {
				t.Errorf("dead letters = %d, want kept=%v", len(letters), c.dead)
			}
			if c.dead && (!bytes.Equal(letters[0].Payload, c.body) || letters[0].Reason == "" || !strings.HasPrefix(letters[0].Event, "evt_")) {
				t.Errorf("dead letter %+v does not keep the payload and the reason", letters[0])
			}
		})
	}
}

// A dead letter delivered again counts its attempts; once the cause is
// fixed, Replay records it and removes the letter.
func TestReplay(t *testing.T) {
	failing := true
	body := fixture(t, "invoice_paid_feb.json")
	h := newHarness(t, func(c *stripesync.Config) {
		inner := c.Recorder
		c.Recorder = recorderFunc(func(ctx context.Context, e affiliate.Event) (res commission.Result, err error) {
			if failing {
				return res, errBadRule
			}
			return inner.Record(ctx, e)
		})
	})
	for range 2 {
		if status, out := h.post(body, sign(body, testSecret, clock)); status != 202 {
			t.Fatalf("%d %+v", status, out)
		}
	}
	letters, _ := h.dead.DeadLetters(context.Background())
	if len(letters) != 1 || letters[0].Attempts != 2 {
		t.Fatalf("letters = %+v, want one with 2 attempts", letters)
	}
	if _, err := h.sync.Replay(context.Background(), "evt_unknown"); err == nil {
		t.Error("replaying an unknown letter: no error")
	}
	failing = false
	out, err := h.sync.Replay(context.Background(), "evt_invoice_paid_feb")
	if err != nil || out.Result != "recorded" {
		t.Fatalf("replay: %+v, %v", out, err)
	}
	if letters, _ := h.dead.DeadLetters(context.Background()); len(letters) != 0 {
		t.Errorf("letters after a good replay = %d, want 0", len(letters))
	}
	if got := h.net("in_feb").AmountString(); got != "79.50" {
		t.Errorf("net on in_feb = %s, want 79.50", got)
	}
}

// edit decodes an event, lets f change it and encodes it again.
func edit(t *testing.T, body []byte, f func(map[string]any)) []byte {
	t.Helper()
	var ev map[string]any
	if err := json.Unmarshal(body, &ev); err != nil {
		t.Fatal(err)
	}
	f(ev)
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
