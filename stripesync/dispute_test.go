package stripesync_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/stripesync"
	"github.com/stripe/stripe-go/v85"
)

// invoicePaymentsOf answers invoice payment lookups: the dispute's
// payment intent paid in_feb of cus_ann_1.
func invoicePaymentsOf(t *testing.T) *stripe.Client {
	return fakeStripe(t, map[string]func(*http.Request) any{
		"/v1/invoice_payments": func(*http.Request) any {
			return list("/v1/invoice_payments", false, map[string]any{
				"id": "inpay_feb", "object": "invoice_payment", "status": "paid",
				"invoice": map[string]any{"id": "in_feb", "object": "invoice", "customer": "cus_ann_1"},
			})
		},
	})
}

// Disputes: an inquiry withdraws nothing; created and closed-lost are one
// chargeback; closed-won adds the Reinstatement. The engine does not take
// reinstatements yet, so a fake Recorder checks what reaches it.
func TestDisputes(t *testing.T) {
	dispute := object(t, "dispute_created_feb.json").(map[string]any)
	created := time.Unix(int64(dispute["created"].(float64)), 0).UTC()
	chargeback := affiliate.Refund{
		ID: "dp_feb", Payment: "in_feb", Customer: "cus_ann_1", RefundedAt: created,
		Kind: affiliate.KindChargeback, Amount: affiliate.MustMoney(29150, "USD"),
	}
	won := affiliate.Reinstatement{ID: "dp_feb/won", Chargeback: "dp_feb", Customer: "cus_ann_1", ReinstatedAt: clock.Add(-time.Minute)}
	cases := []struct {
		name   string
		typ    stripe.EventType
		status string
		want   []affiliate.Event
	}{
		{"created", stripe.EventTypeChargeDisputeCreated, "needs_response", []affiliate.Event{chargeback}},
		{"inquiry", stripe.EventTypeChargeDisputeCreated, "warning_needs_response", nil},
		{"closed lost", stripe.EventTypeChargeDisputeClosed, "lost", []affiliate.Event{chargeback}},
		{"closed won", stripe.EventTypeChargeDisputeClosed, "won", []affiliate.Event{chargeback, won}},
		{"inquiry closed", stripe.EventTypeChargeDisputeClosed, "warning_closed", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []affiliate.Event
			h := newHarness(t, func(cfg *stripesync.Config) {
				cfg.Client = invoicePaymentsOf(t)
				cfg.Recorder = recorderFunc(func(_ context.Context, e affiliate.Event) (commission.Result, error) {
					got = append(got, e)
					return commission.Result{}, nil
				})
			})
			d := with(map[string]any{}, "status", c.status)
			for k, v := range dispute {
				if k != "status" {
					d[k] = v
				}
			}
			body := event(t, "evt_dispute", c.typ, "2025-03-31.basil", d)
			if status, out := h.post(body, sign(body, testSecret, clock)); status != 200 {
				t.Fatalf("%d %+v", status, out)
			}
			if diff := cmp.Diff(c.want, got, cmp.Comparer(func(a, b affiliate.Money) bool { return a == b })); diff != "" {
				t.Errorf("recorded (-want +got):\n%s", diff)
			}
		})
	}
}

// Against the real engine: the chargeback takes February's commission
// back, and the dispute closing lost changes nothing more.
func TestDisputeLostEndToEnd(t *testing.T) {
	h := newHarness(t, func(c *stripesync.Config) { c.Client = invoicePaymentsOf(t) })
	h.deliver("invoice_paid_feb.json")
	if status, out := h.deliver("dispute_created_feb.json"); status != 200 || out.Result != "recorded" {
		t.Fatalf("%d %+v", status, out)
	}
	d := object(t, "dispute_created_feb.json").(map[string]any)
	d["status"] = "lost"
	body := event(t, "evt_closed", stripe.EventTypeChargeDisputeClosed, "2025-03-31.basil", d)
	if status, out := h.post(body, sign(body, testSecret, clock)); status != 200 || out.Result != "replayed" {
		t.Fatalf("closed lost: %d %+v", status, out)
	}
	if got := h.net("in_feb").AmountString(); got != "0.00" {
		t.Errorf("net on in_feb = %s, want 0.00", got)
	}
}

// A won dispute through the real engine: the chargeback is already
// there, the Reinstatement reaches the Recorder, and the commission the
// chargeback took comes back.
func TestDisputeWonEndToEnd(t *testing.T) {
	h := newHarness(t, func(c *stripesync.Config) { c.Client = invoicePaymentsOf(t) })
	h.deliver("invoice_paid_feb.json")
	h.deliver("dispute_created_feb.json")
	status, out := h.deliver("dispute_closed_won_feb.json")
	last, ok := h.records[len(h.records)-1].(affiliate.Reinstatement)
	if !ok || last.Chargeback != "dp_feb" || last.Customer != "cus_ann_1" {
		t.Fatalf("last recorded %+v, want the reinstatement of dp_feb", h.records[len(h.records)-1])
	}
	if status != 200 {
		t.Fatalf("won dispute: %d %+v, want 200", status, out)
	}
	if got := h.net("in_feb").AmountString(); got != "79.50" {
		t.Errorf("net on in_feb = %s, want 79.50 once reinstated", got)
	}
}
