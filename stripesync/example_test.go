package stripesync_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage/memstore"
	"github.com/openaffiliate/affiliate/stripesync"
	"github.com/stripe/stripe-go/v85/webhook"
)

// A host mounts the Sync as its webhook endpoint. Here Stripe delivers
// January's invoice.paid twice and a refund with an expired signature.
func ExampleSync_ServeHTTP() {
	ctx := context.Background()
	store := memstore.New()
	_ = store.PutAffiliate(ctx, affiliate.Affiliate{ID: "aff_ann", Status: affiliate.StatusActive, Codes: []string{"ANN"}})
	_, _ = store.Bind(ctx, affiliate.Binding{Customer: "cus_ann_1", Affiliate: "aff_ann", Source: affiliate.BindByCode, BoundAt: time.Date(2025, 12, 20, 0, 0, 0, 0, time.UTC)})
	eng, _ := commission.New(commission.Config{Store: store, Terms: []commission.TermsVersion{
		{Version: "1", Rule: rules.Percent{Name: "lifetime_30", Rate: affiliate.MustPercent("30")}},
	}})
	now := time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)
	sync, err := stripesync.New(stripesync.Config{
		Secrets:  []string{"whsec_new", "whsec_old"}, // rolling the secret: either passes
		Recorder: eng,
		Now:      func() time.Time { return now },
	})
	if err != nil {
		panic(err)
	}
	deliver := func(file string, signedAt time.Time) {
		body, _ := os.ReadFile("testdata/" + file)
		req := httptest.NewRequest(http.MethodPost, "/webhooks/stripe", bytes.NewReader(body))
		req.Header.Set("Stripe-Signature", webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: "whsec_old", Timestamp: signedAt}).Header)
		rec := httptest.NewRecorder()
		sync.ServeHTTP(rec, req)
		fmt.Print(rec.Code, " ", rec.Body.String())
	}
	deliver("invoice_paid_jan.json", now)
	deliver("invoice_paid_jan.json", now)
	deliver("charge_refunded_jan_half.json", now.Add(-time.Hour))
	// Output:
	// 200 {"event":"evt_invoice_paid_jan","type":"invoice.paid","result":"recorded","records":["in_jan"],"entries":1}
	// 200 {"event":"evt_invoice_paid_jan","type":"invoice.paid","result":"replayed","records":["in_jan"]}
	// 400 {"result":"error","reason":"affiliate: invalid input: stripe signature: timestamp 2026-04-01T11:00:00Z is 1h0m0s old, beyond the tolerance of 5m0s"}
}

// Map shows what an event becomes without recording it: a pre-basil
// invoice with a discount and credits, and its lines by kind.
func ExampleSync_Map() {
	sync, _ := stripesync.New(stripesync.Config{Secrets: []string{"whsec_x"}, Recorder: noRecorder{}})
	body, _ := os.ReadFile("testdata/invoice_paid_feb.json")
	ev, err := sync.Verify(body, webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: "whsec_x"}).Header)
	if err != nil {
		panic(err)
	}
	m, err := sync.Map(context.Background(), ev)
	if err != nil {
		panic(err)
	}
	p := m.Events[0].(affiliate.Payment)
	for _, l := range p.Lines {
		fmt.Printf("%-12s %10s  %s\n", l.Kind, l.Amount, l.Description)
	}
	// Output:
	// subscription  20.00 USD  1 × Pro (at $20.00 / month)
	// discount       5.00 USD  discount on 1 × Pro (at $20.00 / month)
	// add_on       200.00 USD  1 × Whitelabel (at $200.00 / month)
	// credits       50.00 USD  5,000 credits
	// tax           26.50 USD  tax
}

type noRecorder struct{}

func (noRecorder) Record(context.Context, affiliate.Event) (commission.Result, error) {
	return commission.Result{}, nil
}
