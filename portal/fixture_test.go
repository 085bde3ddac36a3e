package portal_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/portal"
	"github.com/openaffiliate/affiliate/program"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// world is seed 001's shape: a 30% lifetime revenue share in USD, paid
// monthly from $50, with two affiliates who must never see each other's
// data. Ann and Bob each refer a customer who pays in January and
// February; January's payouts ran; each submitted a lead.
type world struct {
	p       *program.Program
	store   *memstore.Store
	h       *portal.Handler
	now     time.Time
	annLead affiliate.LeadID
	bobLead affiliate.LeadID
	bobPay  affiliate.PayoutID
	annPay  affiliate.PayoutID
}

var secret = []byte("0123456789abcdef0123456789abcdef")

func newWorld(t *testing.T, edit func(*portal.Config)) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{store: memstore.New(), now: time.Date(2026, time.March, 5, 12, 0, 0, 0, time.UTC)}
	for _, a := range []affiliate.Affiliate{
		{ID: "ann", Status: affiliate.StatusActive, Email: "ann@annreviews.io", Codes: []string{"ann"}},
		{ID: "bob", Status: affiliate.StatusActive, Email: "bob@bobsblog.dev", Codes: []string{"bob", "bobby"}},
	} {
		must(t, w.store.PutAffiliate(ctx, a))
	}
	var err error
	w.p, err = program.New(program.Config{
		Store: w.store, Currency: "USD", Now: func() time.Time { return w.now },
		Terms:   []commission.TermsVersion{{Version: "v1", Rule: rules.Percent{Name: "lifetime_30", Rate: affiliate.MustPercent("30")}}},
		Payouts: program.Payouts{Minimums: map[affiliate.Currency]affiliate.Money{"USD": usd("50")}},
	})
	must(t, err)
	for _, s := range []struct {
		customer affiliate.CustomerID
		code     string
		amount   string
	}{{"acme", "ann", "200"}, {"globex", "bob", "500"}} {
		_, err := w.p.Signup(ctx, attribution.Signup{Customer: s.customer, Code: s.code, At: day(time.January, 2)})
		must(t, err)
		for _, m := range []time.Month{time.January, time.February} {
			_, err := w.p.Record(ctx, affiliate.Payment{ID: affiliate.EventID("in_" + string(s.customer) + m.String()), Customer: s.customer,
				PaidAt: day(m, 10), Currency: "USD", Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: usd(s.amount)}}})
			must(t, err)
		}
	}
	run, err := w.p.RunPayouts(ctx, w.p.Month(2026, time.January))
	must(t, err)
	for _, po := range run.Payouts {
		switch po.Affiliate {
		case "ann":
			w.annPay = po.ID
		case "bob":
			w.bobPay = po.ID
		}
	}
	ann, err := w.p.SubmitLead(ctx, attribution.LeadInput{Affiliate: "ann", Company: "Hooli", Email: "cto@hooli.com",
		Website: "https://hooli.com", LinkedIn: "https://www.linkedin.com/company/hooli"})
	must(t, err)
	bob, err := w.p.SubmitLead(ctx, attribution.LeadInput{Affiliate: "bob", Company: "Secret Corp", Email: "ceo@secretcorp.com",
		Website: "https://secretcorp.com", LinkedIn: "https://www.linkedin.com/company/secretcorp"})
	must(t, err)
	w.annLead, w.bobLead = ann.ID, bob.ID

	cfg := portal.Config{
		Program: w.p, Secret: secret, Now: func() time.Time { return w.now }, Prefix: "/portal", LinkBase: "https://shop.example/",
		Affiliate: func(r *http.Request) (affiliate.AffiliateID, bool) {
			a := r.Header.Get("X-Test-Affiliate")
			return affiliate.AffiliateID(a), a != ""
		},
		Manager: func(r *http.Request) (string, bool) {
			m := r.Header.Get("X-Test-Manager")
			return m, m != ""
		},
	}
	if edit != nil {
		edit(&cfg)
	}
	w.h, err = portal.New(cfg)
	must(t, err)
	return w
}

// get requests path as affiliate a ("" for nobody).
func (w *world) get(a, path string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("GET", path, nil)
	if a != "" {
		r.Header.Set("X-Test-Affiliate", a)
	}
	rec := httptest.NewRecorder()
	w.h.ServeHTTP(rec, r)
	return rec
}

// post sends a form as the header's user; headers set the rest.
func (w *world) post(path string, form url.Values, headers map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range headers {
		r.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	w.h.ServeHTTP(rec, r)
	return rec
}

func usd(s string) affiliate.Money { return affiliate.MustParseMoney(s, "USD") }

func day(m time.Month, d int) time.Time { return time.Date(2026, m, d, 9, 0, 0, 0, time.UTC) }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// as requests path with method as an affiliate and/or a manager.
func (w *world) as(affiliateID, manager, method, path string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, nil)
	if affiliateID != "" {
		r.Header.Set("X-Test-Affiliate", affiliateID)
	}
	if manager != "" {
		r.Header.Set("X-Test-Manager", manager)
	}
	rec := httptest.NewRecorder()
	w.h.ServeHTTP(rec, r)
	return rec
}

func newRequest(method, path, body string) *http.Request {
	return httptest.NewRequest(method, path, strings.NewReader(body))
}

func serve(w *world, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	w.h.ServeHTTP(rec, r)
	return rec
}

var shared struct {
	sync.Once
	w *world
}

// newWorldOnce is one world for a fuzz target's many runs; the target
// only reads.
func newWorldOnce(t *testing.T) *world {
	shared.Do(func() { shared.w = newWorld(t, nil) })
	return shared.w
}
