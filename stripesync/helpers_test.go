package stripesync_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
	"github.com/openaffiliate/affiliate/stripesync"
	"github.com/stripe/stripe-go/v85"
	"github.com/stripe/stripe-go/v85/webhook"
)

const testSecret = "whsec_test"

// clock is the handler's now; deliveries are signed at it unless a test
// says otherwise.
var clock = time.Date(2026, time.April, 1, 12, 0, 0, 0, time.UTC)

// harness is seed 001 (a 30% lifetime revenue share) with Ann, who
// referred cus_ann_1, behind a Sync.
type harness struct {
	t        *testing.T
	store    *memstore.Store
	sync     *stripesync.Sync
	dead     *stripesync.MemoryDeadLetters
	records  []affiliate.Event   // every Record call, in order
	recorder stripesync.Recorder // the Sync's, for events a host records itself
}

func newHarness(t *testing.T, configure ...func(*stripesync.Config)) *harness {
	t.Helper()
	ctx := context.Background()
	store := memstore.New()
	ann := affiliate.Affiliate{ID: "aff_ann", Status: affiliate.StatusActive, Name: "Ann", Email: "ann@partners.example", Codes: []string{"ANN"}, PayoutMethodOnFile: true}
	if err := store.PutAffiliate(ctx, ann); err != nil {
		t.Fatal(err)
	}
	bound := time.Date(2025, time.December, 20, 9, 0, 0, 0, time.UTC)
	if _, err := store.Bind(ctx, affiliate.Binding{Customer: "cus_ann_1", Affiliate: ann.ID, Source: affiliate.BindByCode, Code: "ann", BoundAt: bound}); err != nil {
		t.Fatal(err)
	}
	eng, err := commission.New(commission.Config{
		Store: store,
		Terms: []commission.TermsVersion{{Version: "2026-01", Rule: rules.Percent{Name: "lifetime_30", Rate: affiliate.MustPercent("30")}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	tracker, err := attribution.New(attribution.Config{Store: store, Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, store: store, dead: &stripesync.MemoryDeadLetters{}}
	cfg := stripesync.Config{
		Secrets: []string{testSecret},
		Now:     func() time.Time { return clock },
		Recorder: recorderFunc(func(ctx context.Context, e affiliate.Event) (commission.Result, error) {
			h.records = append(h.records, e)
			return eng.Record(ctx, e)
		}),
		Binder:      tracker,
		DeadLetters: h.dead,
		Events:      store,
	}
	for _, c := range configure {
		c(&cfg)
	}
	h.recorder = cfg.Recorder
	if h.sync, err = stripesync.New(cfg); err != nil {
		t.Fatal(err)
	}
	return h
}

type recorderFunc func(ctx context.Context, e affiliate.Event) (commission.Result, error)

func (f recorderFunc) Record(ctx context.Context, e affiliate.Event) (commission.Result, error) {
	return f(ctx, e)
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sign returns the Stripe-Signature header stripe-go's test signer makes.
func sign(body []byte, secret string, at time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: secret, Timestamp: at}).Header
}

// post delivers body with header and decodes the answer.
func (h *harness) post(body []byte, header string) (int, stripesync.Outcome) {
	h.t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/webhooks/stripe", bytes.NewReader(body))
	if header != "" {
		req.Header.Set("Stripe-Signature", header)
	}
	rec := httptest.NewRecorder()
	h.sync.ServeHTTP(rec, req)
	var out stripesync.Outcome
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		h.t.Fatalf("answer %q is not JSON: %v", rec.Body.String(), err)
	}
	if rec.Code == http.StatusServiceUnavailable && rec.Header().Get("Retry-After") == "" {
		h.t.Errorf("503 without Retry-After")
	}
	return rec.Code, out
}

// deliver posts a fixture signed at clock with the test secret.
func (h *harness) deliver(name string) (int, stripesync.Outcome) {
	h.t.Helper()
	body := fixture(h.t, name)
	return h.post(body, sign(body, testSecret, clock))
}

// net returns what the ledger holds on a payment, all kinds summed.
func (h *harness) net(payment affiliate.EventID) affiliate.Money {
	h.t.Helper()
	entries, err := h.store.Entries(context.Background(), storage.EntryQuery{Payment: payment})
	if err != nil {
		h.t.Fatal(err)
	}
	total := affiliate.Zero("USD")
	for _, e := range entries {
		if total, err = total.Add(e.Amount); err != nil {
			h.t.Fatal(err)
		}
	}
	return total
}

// snapshot is everything a refused delivery must leave as it was.
type snapshot struct {
	entries int
	events  int
	binding map[affiliate.CustomerID]bool
}

func (h *harness) snapshot() snapshot {
	h.t.Helper()
	ctx := context.Background()
	entries, err := h.store.Entries(ctx, storage.EntryQuery{Beneficiary: "aff_ann"})
	if err != nil {
		h.t.Fatal(err)
	}
	s := snapshot{entries: len(entries), binding: map[affiliate.CustomerID]bool{}}
	for _, c := range []affiliate.CustomerID{"cus_ann_1", "cus_new_1", "cus_new_2", "cus_x"} {
		evs, err := h.store.Events(ctx, storage.EventQuery{Customer: c})
		if err != nil {
			h.t.Fatal(err)
		}
		s.events += len(evs)
		_, err = h.store.Binding(ctx, c)
		s.binding[c] = err == nil
	}
	return s
}

// event wraps obj in Stripe's event envelope.
func event(t testing.TB, id string, typ stripe.EventType, apiVersion string, obj any) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"id": id, "object": "event", "api_version": apiVersion, "created": clock.Unix() - 60,
		"type": typ, "livemode": false, "data": map[string]any{"object": obj},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fakeStripe serves canned JSON by request path, for lookups whose
// answers a test must control (stripe-mock answers generated objects);
// stripemock_test.go runs the same lookups against stripe-mock.
func fakeStripe(t *testing.T, routes map[string]func(r *http.Request) any) *stripe.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route, ok := routes[r.URL.Path]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"error":{"type":"invalid_request_error","code":"resource_missing","message":"no such object: ` + r.URL.Path + `"}}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(route(r))
	}))
	t.Cleanup(srv.Close)
	return apiClient(srv.URL)
}

func apiClient(url string) *stripe.Client {
	noRetries := int64(0)
	return stripe.NewClient("sk_test_123", stripe.WithBackends(stripe.NewBackendsWithConfig(&stripe.BackendConfig{
		URL: stripe.String(url), MaxNetworkRetries: &noRetries, LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelNull},
	})))
}

// list is a Stripe list page.
func list(url string, hasMore bool, data ...any) map[string]any {
	if data == nil {
		data = []any{}
	}
	return map[string]any{"object": "list", "url": url, "has_more": hasMore, "data": data}
}

// errBadRule stands for a refusal the host fixes later (a rule, a
// configuration): it matches affiliate.ErrInvalid.
var errBadRule = &affiliate.FieldError{Field: "rule", Reason: "misconfigured", Err: affiliate.ErrInvalid}
