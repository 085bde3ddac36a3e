package main

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

//go:embed testdata/*.json
var fixtures embed.FS

// demoSecret signs the demo's deliveries; it is not a real secret.
const demoSecret = "whsec_demo_not_a_secret"

func main() {
	listen := flag.String("listen", "", "serve the webhook endpoint on this address (POST /webhooks/stripe) instead of running the demo")
	flag.Parse()
	if err := run(os.Stdout, *listen); err != nil {
		fmt.Fprintln(os.Stderr, "stripe:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, listen string) error {
	ctx := context.Background()
	store, eng, err := program(ctx)
	if err != nil {
		return err
	}
	if listen != "" {
		secret := os.Getenv("STRIPE_WEBHOOK_SECRET")
		if secret == "" {
			return errors.New("set STRIPE_WEBHOOK_SECRET to the endpoint's signing secret")
		}
		h, err := NewHandler(HandlerConfig{Secrets: []string{secret}, Links: &MemoryLinks{}, Engine: eng, Log: slog.Default()})
		if err != nil {
			return err
		}
		mux := http.NewServeMux()
		mux.Handle("POST /webhooks/stripe", h)
		fmt.Fprintf(w, "listening on %s: POST /webhooks/stripe\n", listen)
		srv := &http.Server{Addr: listen, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		return srv.ListenAndServe()
	}
	return demo(ctx, w, store, eng)
}

// program sets up seed 001: a 30% lifetime revenue share, and Ann, who
// referred the customer cus_ann_1.
func program(ctx context.Context) (*memstore.Store, *commission.Engine, error) {
	store := memstore.New()
	ann := affiliate.Affiliate{ID: "aff_ann", Status: affiliate.StatusActive, Name: "Ann", Email: "ann@partners.example", Codes: []string{"ANN"}, PayoutMethodOnFile: true}
	if err := store.PutAffiliate(ctx, ann); err != nil {
		return nil, nil, err
	}
	bound := time.Date(2025, time.December, 20, 9, 0, 0, 0, time.UTC)
	if _, err := store.Bind(ctx, affiliate.Binding{Customer: "cus_ann_1", Affiliate: ann.ID, Source: affiliate.BindByCode, Code: "ann", BoundAt: bound}); err != nil {
		return nil, nil, err
	}
	eng, err := commission.New(commission.Config{
		Store: store,
		Terms: []commission.TermsVersion{{Version: "2026-01", Rule: rules.Percent{Name: "lifetime_30", Rate: affiliate.MustPercent("30")}, Hold: 30 * 24 * time.Hour}},
	})
	return store, eng, err
}

// delivery is one POST the demo makes, as Stripe would.
type delivery struct {
	fixture string
	note    string
	tamper  bool // sign with the wrong secret
}

var script = []delivery{
	{"invoice_paid_trial.json", "a $0 trial invoice", false},
	{"charge_refunded_jan_half.json", "January half refunded, before its invoice.paid (out of order)", false},
	{"invoice_paid_jan.json", "January paid: $20 Pro + $200 whitelabel + tax", false},
	{"invoice_paid_jan.json", "the same event again (a replay)", false},
	{"invoice_paid_feb.json", "February paid, signed with the wrong secret", true},
	{"invoice_paid_feb.json", "February paid: a $5 discount and $50 of credits", false},
	{"charge_refunded_jan_rest.json", "January's other half refunded", false},
	{"dispute_created_feb.json", "February disputed in full", false},
	{"charge_refunded_mar_basil.json", "March refunded 10%, before its invoice (API 2025-03-31: the charge names no invoice)", false},
	{"invoice_paid_mar_basil.json", "March paid (API 2025-03-31 shapes)", false},
	{"charge_refunded_mar_basil.json", "March refund again, as Stripe retries it", false},
	{"plan_created.json", "an event type the mapping ignores", false},
}

func demo(ctx context.Context, w io.Writer, store *memstore.Store, eng *commission.Engine) error {
	h, err := NewHandler(HandlerConfig{
		Secrets: []string{demoSecret},
		Links:   &MemoryLinks{},
		Engine:  eng,
		// The fixtures are signed "now" below, so the real clock works.
	})
	if err != nil {
		return err
	}
	for _, d := range script {
		body, err := fixtures.ReadFile("testdata/" + d.fixture)
		if err != nil {
			return err
		}
		secret := demoSecret
		if d.tamper {
			secret = "whsec_someone_else"
		}
		req := httptest.NewRequest(http.MethodPost, "/webhooks/stripe", bytes.NewReader(body))
		req.Header.Set("Stripe-Signature", SignatureFor(body, secret, time.Now()))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Fprintf(w, "%s\n  → %d %s", d.note, rec.Code, strings.TrimSpace(rec.Body.String()))
		fmt.Fprintln(w)
	}
	entries, err := store.Entries(ctx, storage.EntryQuery{Beneficiary: "aff_ann"})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nAnn's ledger:")
	total := affiliate.Zero("USD")
	for _, e := range entries {
		fmt.Fprintf(w, "  %s  %-10s %7s  %-6s  %s\n", e.At.Format("2006-01-02"), e.Kind, e.Amount.AmountString(), e.Payment, e.Explanation)
		if total, err = total.Add(e.Amount); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "  balance %s\n", total)
	return nil
}
