package portal_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/portal"
	"github.com/openaffiliate/affiliate/program"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// The host mounts the portal under its own path and tells it who is
// signed in; here a header stands for the host's session.
func Example() {
	ctx, store := context.Background(), memstore.New()
	_ = store.PutAffiliate(ctx, affiliate.Affiliate{ID: "ann", Status: affiliate.StatusActive, Codes: []string{"ann"}})
	p, _ := program.New(program.Config{Store: store, Currency: "USD",
		Now:   func() time.Time { return time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC) },
		Terms: []commission.TermsVersion{{Version: "v1", Rule: rules.Percent{Rate: affiliate.MustPercent("30")}}}})
	_, _ = p.Signup(ctx, attribution.Signup{Customer: "acme", Code: "ann", At: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)})
	_, _ = p.Record(ctx, affiliate.Payment{ID: "in_1", Customer: "acme", PaidAt: time.Date(2026, 1, 9, 0, 0, 0, 0, time.UTC), Currency: "USD",
		Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustParseMoney("20", "USD")}}})

	h, err := portal.New(portal.Config{
		Program: p, Prefix: "/partners", Secret: []byte("load-32-random-bytes-from-your-secret-store"),
		Affiliate: func(r *http.Request) (affiliate.AffiliateID, bool) {
			id := r.Header.Get("X-Signed-In") // the host's session
			return affiliate.AffiliateID(id), id != ""
		},
		Now: func() time.Time { return time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/partners/", h)

	r := httptest.NewRequest("GET", "/partners/", nil)
	r.Header.Set("X-Signed-In", "ann")
	r.Header.Set("Accept-Language", "de-DE,de;q=0.9")
	page := httptest.NewRecorder()
	mux.ServeHTTP(page, r)
	for _, line := range strings.Split(page.Body.String(), "\n") {
		if strings.Contains(line, `data-figure="earned-USD"`) || strings.Contains(line, `data-figure="signups"`) {
			fmt.Println(strings.ReplaceAll(strings.TrimSpace(line), "\u00a0", " ")) // a no-break space before "$"
		}
	}
	anonymous := httptest.NewRecorder()
	mux.ServeHTTP(anonymous, httptest.NewRequest("GET", "/partners/api/dashboard", nil))
	fmt.Print(anonymous.Code, " ", anonymous.Body)
	// Output:
	// <div class="figure"><dt>Signups</dt><dd data-figure="signups">1</dd></div>
	// <div class="figure"><dt>Earned</dt><dd data-figure="earned-USD">6,00 $</dd></div>
	// 401 {"error":"Please sign in."}
}

func ExampleMaskEmail() {
	fmt.Println(portal.MaskEmail("jane.doe@acme.com"))
	// Output: j•••@a•••.com
}

func ExampleLocale_Money() {
	m := affiliate.MustParseMoney("1234.5", "EUR")
	for _, tag := range []string{"en-US", "de-DE", "nl-NL"} {
		// de-DE puts a no-break space before the symbol; shown as a space here.
		fmt.Printf("%s %s\n", tag, strings.ReplaceAll(portal.LookupLocale(tag).Money(m), "\u00a0", " "))
	}
	// Output:
	// en-US €1,234.50
	// de-DE 1.234,50 €
	// nl-NL €1.234,50
}
