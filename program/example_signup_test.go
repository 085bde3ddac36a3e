package program_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/program"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// revShare is a 30% lifetime revenue share over a fresh store holding Ann.
func revShare(cfg program.Config) *program.Program {
	ctx, store := context.Background(), memstore.New()
	check(store.PutAffiliate(ctx, affiliate.Affiliate{ID: "ann", Status: affiliate.StatusActive, Codes: []string{"ann"}}))
	cfg.Store, cfg.Currency = store, "USD"
	cfg.Terms = []commission.TermsVersion{{Version: "v1", Rule: rules.Percent{Name: "lifetime_30", Rate: affiliate.MustPercent("30")}}}
	p, err := program.New(cfg)
	check(err)
	return p
}

// The billing webhook often runs before the signup: the payment is kept,
// and earns when the customer is bound.
func ExampleProgram_Signup() {
	ctx := context.Background()
	p := revShare(program.Config{})
	res, err := p.Record(ctx, affiliate.Payment{ID: "in_1", Customer: "acme", PaidAt: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), Currency: "USD",
		Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustParseMoney("20", "USD")}}})
	check(err)
	fmt.Println("recorded, unbound:", res.Unbound)
	bound, err := p.Signup(ctx, attribution.Signup{Customer: "acme", Code: "ann"})
	check(err)
	for _, e := range bound.Entries {
		fmt.Println(e.Beneficiary, "earns", e.Amount, "on", e.Payment)
	}
	// Output:
	// recorded, unbound: true
	// ann earns 6.00 USD on in_1
}

// The host's site behind the program's middleware: a click on
// ?ref=CODE sets the referral cookie, and the signup form reads it.
func ExampleProgram_Handler() {
	p := revShare(program.Config{Attribution: program.Attribution{
		Keys: []attribution.Key{{ID: "2026", Secret: []byte("load-32-random-bytes-from-your-secret-store")}},
	}})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "welcome") })
	mux.HandleFunc("POST /signup", func(w http.ResponseWriter, r *http.Request) {
		ref, _ := p.Referral(r) // no cookie, or a bad one, never blocks a signup
		bound, err := p.Signup(r.Context(), attribution.Signup{Customer: affiliate.CustomerID(r.FormValue("customer")), Referral: ref})
		var ineligible *attribution.IneligibleError
		switch {
		case errors.Is(err, attribution.ErrNoReferral), errors.As(err, &ineligible):
			fmt.Fprint(w, "referred by nobody")
		case err != nil:
			http.Error(w, err.Error(), http.StatusInternalServerError)
		default:
			fmt.Fprintf(w, "referred by %s", bound.Affiliate)
		}
	})
	site := p.Handler(mux)

	click := httptest.NewRecorder()
	site.ServeHTTP(click, httptest.NewRequest("GET", "/?ref=ann", nil))
	signup := httptest.NewRequest("POST", "/signup?customer=acme", nil)
	for _, c := range click.Result().Cookies() {
		signup.AddCookie(c)
	}
	page := httptest.NewRecorder()
	site.ServeHTTP(page, signup)
	fmt.Println(click.Body, "→", page.Body)
	// Output: welcome → referred by ann
}
