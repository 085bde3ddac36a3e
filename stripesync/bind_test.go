package stripesync_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/stripesync"
	"github.com/stripe/stripe-go/v85"
)

// Checkout sessions and promotion codes bind through attribution, with
// its checks: an unknown code binds nobody, a self-referral is refused,
// a bound customer stays bound.
func TestBinding(t *testing.T) {
	session := func(kv ...any) map[string]any {
		return with(map[string]any{"id": "cs_1", "object": "checkout.session", "customer": "cus_x", "created": clock.Unix() - 3600,
			"customer_details": map[string]any{"email": "kim@kimco.example"}}, kv...)
	}
	promo := []any{map[string]any{"promotion_code": "promo_ann"}}
	client := fakeStripe(t, map[string]func(*http.Request) any{
		"/v1/promotion_codes/promo_ann": func(*http.Request) any {
			return map[string]any{"id": "promo_ann", "object": "promotion_code", "code": "ANN"}
		},
	})
	cases := []struct {
		name     string
		typ      stripe.EventType
		obj      map[string]any
		result   string
		bound    affiliate.AffiliateID
		noClient bool
	}{
		{"metadata code", stripe.EventTypeCheckoutSessionCompleted, session("metadata", map[string]string{"affiliate_code": "ANN"}), "bound", "aff_ann", false},
		{"client_reference_id", stripe.EventTypeCheckoutSessionCompleted, session("client_reference_id", "ANN"), "bound", "aff_ann", false},
		{"client_reference_id not a code, promotion code is", stripe.EventTypeCheckoutSessionCompleted, session("client_reference_id", "user-8812", "discounts", promo), "bound", "aff_ann", false},
		{"promotion code without a client", stripe.EventTypeCheckoutSessionCompleted, session("discounts", promo), "dead_lettered", "", true},
		{"unknown code", stripe.EventTypeCheckoutSessionCompleted, session("client_reference_id", "NOPE"), "not_bound", "", false},
		{"self-referral", stripe.EventTypeCheckoutSessionCompleted, session("metadata", map[string]string{"affiliate_code": "ANN"}, "customer_details", map[string]any{"email": "ann@partners.example"}), "not_bound", "", false},
		{"guest checkout", stripe.EventTypeCheckoutSessionCompleted, session("customer", nil, "client_reference_id", "ANN"), "skipped", "", false},
		{"customer discount", stripe.EventTypeCustomerDiscountCreated, map[string]any{"id": "di_1", "object": "discount", "customer": "cus_x", "start": clock.Unix() - 60, "promotion_code": "promo_ann"}, "bound", "aff_ann", false},
		{"already bound", stripe.EventTypeCustomerDiscountCreated, map[string]any{"id": "di_1", "object": "discount", "customer": "cus_ann_1", "start": clock.Unix() - 60, "promotion_code": "promo_ann"}, "already_bound", "aff_ann", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, func(cfg *stripesync.Config) {
				if !c.noClient {
					cfg.Client = client
				}
			})
			body := event(t, "evt_bind", c.typ, "2025-03-31.basil", c.obj)
			_, out := h.post(body, sign(body, testSecret, clock))
			if out.Result != c.result {
				t.Errorf("result %s (%s), want %s", out.Result, out.Reason, c.result)
			}
			customer := affiliate.CustomerID("cus_x")
			if c.result == "already_bound" {
				customer = "cus_ann_1"
			}
			b, err := h.store.Binding(context.Background(), customer)
			if c.bound == "" && err == nil {
				t.Errorf("bound to %s, want no binding", b.Affiliate)
			}
			if c.bound != "" && (err != nil || b.Affiliate != c.bound) {
				t.Errorf("binding %+v, %v; want %s", b, err, c.bound)
			}
		})
	}
}
