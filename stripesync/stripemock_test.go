package stripesync_test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/stripesync"
	"github.com/stripe/stripe-go/v85"
)

// stripe-mock is Stripe's own API double. .ci/run starts one and exports
// STRIPE_MOCK_URL; otherwise the tests start stripe-mock from PATH. It
// answers generated objects for any ID (an invoice in "draft", a charge
// without a payment intent), so these tests check that lookups and
// listings go through stripe-go to it and what its answers map to.
var mock struct {
	once sync.Once
	url  string
	cmd  *exec.Cmd
	err  string
}

func TestMain(m *testing.M) {
	code := m.Run()
	if mock.cmd != nil {
		_ = mock.cmd.Process.Kill()
		_ = mock.cmd.Wait()
	}
	os.Exit(code)
}

func stripeMock(t *testing.T) *stripe.Client {
	t.Helper()
	mock.once.Do(func() {
		if mock.url = os.Getenv("STRIPE_MOCK_URL"); mock.url != "" {
			return
		}
		path, err := exec.LookPath("stripe-mock")
		if err != nil {
			mock.err = "stripe-mock is not installed (go install github.com/stripe/stripe-mock@v0.203.0) and STRIPE_MOCK_URL is not set"
			return
		}
		cmd := exec.Command(path, "-http-addr", "127.0.0.1:0", "-https-addr", "127.0.0.1:0")
		out, err := cmd.StdoutPipe()
		if err == nil {
			err = cmd.Start()
		}
		if err != nil {
			mock.err = "starting stripe-mock: " + err.Error()
			return
		}
		mock.cmd = cmd
		addr := regexp.MustCompile(`Listening for HTTP at address: (\S+)`)
		found := make(chan string, 1)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				if m := addr.FindStringSubmatch(sc.Text()); m != nil {
					found <- m[1]
				}
			}
		}()
		select {
		case a := <-found:
			mock.url = "http://" + a
		case <-time.After(20 * time.Second):
			mock.err = "stripe-mock did not report its address"
		}
	})
	if mock.err != "" {
		if os.Getenv("CI") == "true" {
			t.Fatal(mock.err + " (CI must provide it)")
		}
		t.Skip(mock.err)
	}
	return apiClient(mock.url)
}

func TestStripeMockLookups(t *testing.T) {
	client := stripeMock(t)
	h := newHarness(t, func(c *stripesync.Config) { c.Client = client })

	t.Run("basil refund finds its invoice through invoice payments", func(t *testing.T) {
		r := object(t, "refund_created_mar_basil.json")
		m, err := mapEvent(t, h.sync, stripe.EventTypeRefundCreated, "2025-03-31.basil", r)
		if err != nil {
			t.Fatal(err)
		}
		ref, ok := only(m).(affiliate.Refund)
		if !ok || !strings.HasPrefix(string(ref.Payment), "in_") || !strings.HasPrefix(string(ref.Customer), "cus_") || ref.Amount.String() != "24.20 USD" {
			t.Errorf("mapped to %+v, want a 24.20 USD refund of stripe-mock's invoice and customer", m)
		}
	})
	t.Run("invoice_payment.paid fetches its invoice", func(t *testing.T) {
		m, err := mapEvent(t, h.sync, stripe.EventTypeInvoicePaymentPaid, "2025-03-31.basil", object(t, "invoice_payment_paid_mar_basil.json"))
		if err != nil || !strings.Contains(m.Skipped, `is "draft", not paid`) {
			t.Errorf("mapped to %+v, %v; want stripe-mock's draft invoice skipped", m, err)
		}
	})
	t.Run("an invoice with more lines reads them all", func(t *testing.T) {
		inv := paidInvoice("usd", 1000, 1000)
		inv["lines"] = list("/v1/invoices/in_t/lines", true)
		m, err := mapEvent(t, h.sync, stripe.EventTypeInvoicePaid, "2025-03-31.basil", inv)
		if err != nil {
			t.Fatal(err)
		}
		if got := lines(m); !strings.HasSuffix(got, "10.00 USD") {
			t.Errorf("lines = %s, want stripe-mock's one line of 10.00 USD", got)
		}
	})
	t.Run("a promotion code is read through the API", func(t *testing.T) {
		body := event(t, "evt_cs", stripe.EventTypeCheckoutSessionCompleted, "2025-03-31.basil", map[string]any{
			"id": "cs_1", "object": "checkout.session", "customer": "cus_x", "created": clock.Unix(),
			"discounts": []any{map[string]any{"promotion_code": "promo_1"}},
		})
		_, out := h.post(body, sign(body, testSecret, clock))
		if out.Result != "not_bound" || !strings.Contains(out.Reason, "FALL20") {
			t.Errorf("outcome %+v, want stripe-mock's code FALL20 tried and unknown", out)
		}
	})
}

// Reconcile lists every page of invoices, refunds and disputes in
// stripe-mock and files each: its draft invoice, its refund of a charge
// that paid no invoice and its inquiry are all skipped, with why.
func TestStripeMockReconcile(t *testing.T) {
	client := stripeMock(t)
	h := newHarness(t, func(c *stripesync.Config) { c.Client = client })
	rep, err := h.sync.Reconcile(context.Background(), clock.AddDate(0, -1, 0), clock, stripesync.ReconcileOptions{RecordMissing: true})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"in_": `"draft", not paid`, "re_": "paid no invoice", "dp_": `"warning_needs_response": no funds were withdrawn`}
	if len(rep.Findings) != len(want) {
		t.Fatalf("findings %+v, want %d", rep.Findings, len(want))
	}
	for _, f := range rep.Findings {
		if f.Status != "skipped" || !strings.Contains(f.Detail, want[f.Stripe[:3]]) {
			t.Errorf("finding %+v, want skipped for %q", f, want[f.Stripe[:3]])
		}
	}
	if len(h.records) != 0 {
		t.Errorf("recorded %d events, want none", len(h.records))
	}
}

func only(m stripesync.Mapped) affiliate.Event {
	if len(m.Events) != 1 {
		return nil
	}
	return m.Events[0]
}
