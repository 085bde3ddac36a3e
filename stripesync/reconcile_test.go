package stripesync_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/stripesync"
)

// Reconcile pages through Stripe, reports what the ledger lacks or holds
// differently, records the missing with RecordMissing, and finds
// nothing more to do on a second run.
func TestReconcile(t *testing.T) {
	invoice := func(id string, amount int64) map[string]any {
		inv := paidInvoice("usd", amount, amount, subLine(amount))
		inv["id"] = id
		return inv
	}
	var invoicePages []string
	client := fakeStripe(t, map[string]func(*http.Request) any{
		"/v1/invoices": func(r *http.Request) any {
			q := r.URL.Query()
			if q.Get("status") != "paid" || q.Get("created[gte]") == "" || q.Get("created[lt]") == "" {
				t.Errorf("invoices listed with %v, want paid ones in a created range", q)
			}
			invoicePages = append(invoicePages, q.Get("starting_after"))
			if q.Get("starting_after") == "" {
				return list("/v1/invoices", true, invoice("in_a", 1000))
			}
			return list("/v1/invoices", false, invoice("in_b", 2000))
		},
		"/v1/refunds": func(*http.Request) any {
			return list("/v1/refunds", false, map[string]any{"id": "re_a", "object": "refund", "amount": 500, "currency": "usd",
				"status": "succeeded", "created": clock.Unix() - 3600, "charge": "ch_a", "payment_intent": "pi_a"})
		},
		"/v1/invoice_payments": func(*http.Request) any {
			return list("/v1/invoice_payments", false, map[string]any{"id": "inpay_a", "object": "invoice_payment",
				"invoice": map[string]any{"id": "in_a", "object": "invoice", "customer": "cus_ann_1"}})
		},
		"/v1/disputes": func(*http.Request) any { return list("/v1/disputes", false) },
	})
	h := newHarness(t, func(c *stripesync.Config) { c.Client = client })
	ctx := context.Background()
	// in_b was recorded by hand with another amount.
	other := affiliate.Payment{ID: "in_b", Customer: "cus_ann_1", PaidAt: time.Unix(1772359200, 0), Currency: "USD",
		Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(2500, "USD")}}}
	if _, err := h.recorder.Record(ctx, other); err != nil {
		t.Fatal(err)
	}
	from, to := clock.AddDate(0, -1, 0), clock

	rep, err := h.sync.Reconcile(ctx, from, to, stripesync.ReconcileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"in_a missing", "in_b different", "re_a missing"}
	if diff := cmp.Diff(want, findings(rep)); diff != "" {
		t.Errorf("first run, report only (-want +got):\n%s", diff)
	}
	if len(h.records) != 1 {
		t.Errorf("a report-only run recorded %d events", len(h.records)-1)
	}
	if cmp.Diff([]string{"", "in_a"}, invoicePages) != "" {
		t.Errorf("invoice pages after %q, want every page", invoicePages)
	}

	rep, err = h.sync.Reconcile(ctx, from, to, stripesync.ReconcileOptions{RecordMissing: true})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"in_a recorded", "in_b different", "re_a recorded"}, findings(rep)); diff != "" {
		t.Errorf("second run, recording (-want +got):\n%s", diff)
	}
	if got := h.net("in_a").AmountString(); got != "1.50" {
		t.Errorf("net on in_a = %s, want 1.50 (30%% of 10.00, half refunded)", got)
	}

	rep, err = h.sync.Reconcile(ctx, from, to, stripesync.ReconcileOptions{RecordMissing: true})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"in_b different"}, findings(rep)); diff != "" || rep.Matched != 2 {
		t.Errorf("third run: %d matched, findings (-want +got):\n%s", rep.Matched, diff)
	}
}

func TestReconcileNeedsClientAndLog(t *testing.T) {
	h := newHarness(t)
	if _, err := h.sync.Reconcile(context.Background(), clock.AddDate(0, -1, 0), clock, stripesync.ReconcileOptions{}); !errors.Is(err, affiliate.ErrInvalid) {
		t.Errorf("without a client: %v, want ErrInvalid", err)
	}
	h = newHarness(t, func(c *stripesync.Config) { c.Client = apiClient("http://127.0.0.1:1") })
	if _, err := h.sync.Reconcile(context.Background(), clock, clock, stripesync.ReconcileOptions{}); !errors.Is(err, affiliate.ErrInvalid) {
		t.Errorf("empty period: %v, want ErrInvalid", err)
	}
	if _, err := h.sync.Reconcile(context.Background(), clock.AddDate(0, -1, 0), clock, stripesync.ReconcileOptions{}); !errors.Is(err, stripesync.ErrStripeUnavailable) {
		t.Errorf("Stripe unreachable: %v, want ErrStripeUnavailable", err)
	}
}

func findings(r stripesync.Report) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Stripe+" "+f.Status)
	}
	return out
}
