// Command stripe wires Stripe into a program with the stripesync
// package: the webhook endpoint, the host's Stripe API client for
// lookups, and the dead letters of refused events.
//
// Run it without flags for a demo in memory: it signs Stripe-shaped
// fixtures with a demo secret (stripe-go's test signer), delivers them in
// a hostile order (a refund before its invoice, a replay, a bad
// signature), and prints each answer, the ledger of a 30% lifetime
// revenue share (seed 001) and the dead letters. Without an API client
// the API 2025-03-31 refund cannot find its invoice and is dead-lettered,
// ready for Sync.Replay. With -listen it serves the endpoint instead:
//
//	STRIPE_WEBHOOK_SECRET=whsec_… STRIPE_SECRET_KEY=sk_… go run ./examples/stripe -listen :8080
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
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/program"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
	"github.com/openaffiliate/affiliate/stripesync"
	"github.com/stripe/stripe-go/v85"
	"github.com/stripe/stripe-go/v85/webhook"
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
	p, cfg, err := newProgram(ctx)
	if err != nil {
		return err
	}
	if listen == "" {
		return demo(ctx, w, p, cfg)
	}
	cfg.Secrets = []string{os.Getenv("STRIPE_WEBHOOK_SECRET")}
	if cfg.Secrets[0] == "" {
		return errors.New("set STRIPE_WEBHOOK_SECRET to the endpoint's signing secret")
	}
	if key := os.Getenv("STRIPE_SECRET_KEY"); key != "" {
		cfg.Client = stripe.NewClient(key)
	}
	cfg.Log = slog.Default()
	sync, err := stripesync.New(cfg)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("POST /webhooks/stripe", sync)
	fmt.Fprintf(w, "listening on %s: POST /webhooks/stripe\n", listen)
	srv := &http.Server{Addr: listen, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	return srv.ListenAndServe()
}

// newProgram sets up seed 001: a 30% lifetime revenue share, and Ann, who
// referred the customer cus_ann_1; it returns the Sync's configuration
// without secrets: the program records Stripe's events, its tracker binds
// checkout signups, and its store answers Reconcile.
func newProgram(ctx context.Context) (*program.Program, stripesync.Config, error) {
	store := memstore.New()
	ann := affiliate.Affiliate{ID: "aff_ann", Status: affiliate.StatusActive, Name: "Ann", Email: "ann@partners.example", Codes: []string{"ANN"}, PayoutMethodOnFile: true}
	if err := store.PutAffiliate(ctx, ann); err != nil {
		return nil, stripesync.Config{}, err
	}
	p, err := program.New(program.Config{
		Store: store,
		Terms: []commission.TermsVersion{{Version: "2026-01", Rule: rules.Percent{Name: "lifetime_30", Rate: affiliate.MustPercent("30")}, Hold: 30 * 24 * time.Hour}},
	})
	if err != nil {
		return nil, stripesync.Config{}, err
	}
	bound := time.Date(2025, time.December, 20, 9, 0, 0, 0, time.UTC)
	if _, err := p.Signup(ctx, attribution.Signup{Customer: "cus_ann_1", Code: "ann", At: bound}); err != nil {
		return nil, stripesync.Config{}, err
	}
	return p, stripesync.Config{Recorder: p, Binder: p, Events: store}, nil
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
	{"invoice_paid_mar_basil.json", "March paid (API 2025-03-31 shapes)", false},
	{"charge_refunded_mar_basil.json", "March refunded 10% (API 2025-03-31: the charge names no invoice)", false},
	{"plan_created.json", "an event type the mapping ignores", false},
}

func demo(ctx context.Context, w io.Writer, p *program.Program, cfg stripesync.Config) error {
	cfg.Secrets = []string{demoSecret}
	cfg.DeadLetters = &stripesync.MemoryDeadLetters{}
	sync, err := stripesync.New(cfg) // the fixtures are signed "now", so the real clock works
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
		req.Header.Set("Stripe-Signature", webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: secret}).Header)
		rec := httptest.NewRecorder()
		sync.ServeHTTP(rec, req)
		fmt.Fprintf(w, "%s\n  → %d %s\n", d.note, rec.Code, strings.TrimSpace(rec.Body.String()))
	}
	entries, err := p.Store().Entries(ctx, storage.EntryQuery{Beneficiary: "aff_ann"})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nAnn's ledger:")
	total := affiliate.Zero("USD")
	for _, e := range entries {
		fmt.Fprintf(w, "  %s  %-10s %7s  %-6s  %s\n", e.At.Format(time.DateOnly), e.Kind, e.Amount.AmountString(), e.Payment, e.Describe())
		if total, err = total.Add(e.Amount); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "  balance %s\n", total)
	letters, err := cfg.DeadLetters.DeadLetters(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nDead letters (fix the cause, then Sync.Replay):")
	for _, d := range letters {
		fmt.Fprintf(w, "  %s %s: %s\n", d.Event, d.Type, d.Reason)
	}
	return nil
}
