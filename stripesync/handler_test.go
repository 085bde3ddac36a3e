package stripesync_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/stripesync"
)

// The fixtures delivered in a hostile order, as a host without a Stripe
// API client sees them: pre-basil events need no lookup, basil refunds
// and every dispute need one and are dead-lettered.
func TestStoryWithoutClient(t *testing.T) {
	h := newHarness(t)
	steps := []struct {
		fixture string
		status  int
		result  string
	}{
		{"invoice_paid_trial.json", 200, "skipped"},
		{"charge_refunded_jan_half.json", 200, "parked"}, // before its invoice
		{"invoice_paid_jan.json", 200, "recorded"},
		{"invoice_paid_jan.json", 200, "replayed"},
		{"invoice_paid_feb.json", 200, "recorded"},
		{"charge_refunded_jan_rest.json", 200, "recorded"}, // re_jan_1 replayed, re_jan_2 recorded
		{"dispute_created_feb.json", 202, "dead_lettered"},
		{"invoice_paid_mar_basil.json", 200, "recorded"},
		{"charge_refunded_mar_basil.json", 202, "dead_lettered"},
		{"refund_created_mar_basil.json", 202, "dead_lettered"},
		{"plan_created.json", 200, "skipped"},
		{"checkout_session_completed.json", 200, "bound"},
		{"customer_discount_created.json", 200, "bound"},
		{"customer_discount_created.json", 200, "already_bound"},
	}
	for _, s := range steps {
		status, out := h.deliver(s.fixture)
		if status != s.status || out.Result != s.result {
			t.Errorf("%s: got %d %s (%s), want %d %s", s.fixture, status, out.Result, out.Reason, s.status, s.result)
		}
	}
	for payment, want := range map[affiliate.EventID]string{"in_jan": "0.00", "in_feb": "79.50", "in_mar": "66.00"} {
		if got := h.net(payment).AmountString(); got != want {
			t.Errorf("net on %s = %s, want %s", payment, got, want)
		}
	}
	letters, err := h.dead.DeadLetters(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(letters) != 3 {
		t.Fatalf("dead letters = %d, want 3", len(letters))
	}
	for _, d := range letters {
		if !strings.Contains(d.Reason, "Config.Client is nil") || len(d.Payload) == 0 || d.Attempts != 1 {
			t.Errorf("dead letter %+v: want the payload, one attempt and the missing client as the reason", d.Event)
		}
	}
}

// With the host's API client, the basil refund finds its invoice through
// invoice payments, and charge.refunded and refund.created name the same
// refund, which is recorded once.
func TestBasilRefundThroughTheAPI(t *testing.T) {
	client := fakeStripe(t, map[string]func(*http.Request) any{
		"/v1/invoice_payments": func(r *http.Request) any {
			if got := r.URL.Query().Get("payment[payment_intent]"); got != "pi_mar" {
				t.Errorf("invoice payments listed for %q, want pi_mar", got)
			}
			return list("/v1/invoice_payments", false, map[string]any{
				"id": "inpay_mar", "object": "invoice_payment", "status": "paid",
				"invoice": map[string]any{"id": "in_mar", "object": "invoice", "customer": "cus_ann_1"},
			})
		},
		"/v1/refunds": func(*http.Request) any {
			return list("/v1/refunds", false, object(t, "refund_created_mar_basil.json"))
		},
		"/v1/invoices/in_mar/lines": func(*http.Request) any {
			return list("/v1/invoices/in_mar/lines", false,
				line("il_mar_pro", 2000, 200, "price_pro_monthly", "recurring", nil),
				line("il_mar_wl", 20000, 2000, "price_whitelabel", "recurring", map[string]string{"affiliate_line_kind": "add_on"}))
		},
	})
	h := newHarness(t, func(c *stripesync.Config) { c.Client = client })
	for _, f := range []string{"invoice_paid_mar_basil.json", "charge_refunded_mar_basil.json", "refund_created_mar_basil.json"} {
		if status, out := h.deliver(f); status != 200 {
			t.Fatalf("%s: %d %+v", f, status, out)
		}
	}
	if got := h.net("in_mar").AmountString(); got != "59.40" {
		t.Errorf("net on in_mar = %s, want 59.40 (66.00 less 10%%, once)", got)
	}
}

// object returns a fixture's data.object.
func object(t *testing.T, name string) any {
	var ev struct {
		Data struct{ Object any } `json:"data"`
	}
	if err := json.Unmarshal(fixture(t, name), &ev); err != nil {
		t.Fatal(err)
	}
	return ev.Data.Object
}

// line is an invoice line as the API returns it with its price expanded.
func line(id string, amount, tax int64, price, priceType string, md map[string]string) map[string]any {
	return map[string]any{
		"id": id, "object": "line_item", "amount": amount, "currency": "usd", "description": id, "metadata": md,
		"taxes":   []any{map[string]any{"amount": tax, "tax_behavior": "exclusive", "type": "tax_rate_details"}},
		"pricing": map[string]any{"type": "price_details", "price_details": map[string]any{"price": map[string]any{"id": price, "object": "price", "type": priceType, "metadata": md}, "product": "prod_" + id}},
		"parent":  map[string]any{"type": "subscription_item_details", "subscription_item_details": map[string]any{"proration": false}},
	}
}

// A charge that names its invoice but not all its refunds (an empty or a
// short list, as API versions from 2022-11-15 send) has its refunds
// fetched; a null among them is no refund.
func TestChargeRefundsFetchedWhenTheListIsShort(t *testing.T) {
	client := fakeStripe(t, map[string]func(*http.Request) any{
		"/v1/refunds": func(r *http.Request) any {
			if got := r.URL.Query().Get("charge"); got != "ch_jan" {
				t.Errorf("refunds listed for %q, want ch_jan", got)
			}
			return list("/v1/refunds", false, map[string]any{"id": "re_jan_1", "object": "refund", "amount": 12100, "currency": "usd", "status": "succeeded", "created": 1767225600})
		},
	})
	h := newHarness(t, func(c *stripesync.Config) { c.Client = client })
	body := edit(t, fixture(t, "charge_refunded_jan_half.json"), func(ev map[string]any) {
		ev["data"].(map[string]any)["object"].(map[string]any)["refunds"].(map[string]any)["data"] = []any{nil}
	})
	status, out := h.post(body, sign(body, testSecret, clock))
	if status != 200 || len(out.Records) != 1 || out.Records[0] != "re_jan_1" {
		t.Errorf("%d %+v, want re_jan_1 recorded from the API", status, out)
	}
}
