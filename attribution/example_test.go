package attribution_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// exampleTracker is the setup every example shares: a memstore with two
// partners, a fixed clock, numbered IDs, and an observer that prints what
// the host would e-mail.
func exampleTracker(cfg attribution.Config) (*attribution.Tracker, *memstore.Store) {
	ctx := context.Background()
	store := memstore.New()
	for _, a := range []affiliate.Affiliate{
		{ID: "ann", Status: affiliate.StatusActive, Email: "ann@annco.io", Codes: []string{"ANN", "ann-link"}},
		{ID: "bob", Status: affiliate.StatusActive, Email: "bob@bobworks.io", Codes: []string{"BOB"}},
	} {
		if err := store.PutAffiliate(ctx, a); err != nil {
			panic(err)
		}
	}
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	n := 0
	cfg.Store = store
	cfg.Now = func() time.Time { return now }
	cfg.NewID = func(prefix string) string { n++; return fmt.Sprintf("%s%d", prefix, n) }
	if cfg.Observer == nil {
		cfg.Observer = attribution.ObserverFunc(func(_ context.Context, e attribution.Event) {
			switch e.Kind {
			case attribution.LeadAccepted, attribution.LeadRefused:
				fmt.Printf("notify %s: lead %s %s %v\n", e.Lead.Affiliate, e.Lead.Company, e.Lead.Status, e.Lead.Reasons)
			case attribution.CustomerBound:
				fmt.Printf("notify %s: customer %s signed up\n", e.Binding.Affiliate, e.Binding.Customer)
			case attribution.LeadConverted:
				fmt.Printf("notify %s: lead %s became customer %s\n", e.Lead.Affiliate, e.Lead.Company, e.Lead.Customer)
			}
		})
	}
	t, err := attribution.New(cfg)
	if err != nil {
		panic(err)
	}
	return t, store
}

// A visitor clicks a referral link, gets the signed cookie, and later
// signs up: the signup handler reads the referral back and binds.
func ExampleMiddleware() {
	tracker, _ := exampleTracker(attribution.Config{})
	mw, err := attribution.NewMiddleware(tracker, attribution.MiddlewareConfig{
		Keys: []attribution.Key{{ID: "2026-03", Secret: []byte("load-32-random-bytes-from-your-secret-store")}},
	})
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "welcome") })
	mux.HandleFunc("POST /signup", func(w http.ResponseWriter, r *http.Request) {
		ref, _ := mw.Referral(r) // a missing or bad cookie never blocks a signup
		b, err := tracker.Bind(r.Context(), attribution.Signup{Customer: "cus-42", Email: "carol@carolco.io", Referral: ref})
		if err != nil {
			fmt.Fprint(w, err)
			return
		}
		fmt.Fprintf(w, "%s is %s's customer (by %s, touched %s)", b.Customer, b.Affiliate, b.Source, b.TouchedAt.Format(time.DateOnly))
	})
	site := mw.Handler(mux) // or router.Use(mw.Handler)

	click := httptest.NewRecorder()
	site.ServeHTTP(click, httptest.NewRequest("GET", "https://example.com/?ref=ann-link", nil))
	cookie := click.Result().Cookies()[0]
	fmt.Println("cookie:", cookie.Name, "max age", time.Duration(cookie.MaxAge)*time.Second, "secure", cookie.Secure, "httponly", cookie.HttpOnly)

	signup := httptest.NewRequest("POST", "https://example.com/signup", nil)
	signup.AddCookie(cookie)
	page := httptest.NewRecorder()
	site.ServeHTTP(page, signup)
	fmt.Println(page.Body.String())
	// Output:
	// cookie: __Host-aff_ref max age 2160h0m0s secure true httponly true
	// notify ann: customer cus-42 signed up
	// cus-42 is ann's customer (by link, touched 2026-03-10)
}

// A code typed at signup wins over an earlier link click by default, and a
// second signup of the same customer never moves the binding.
func ExampleTracker_Bind_code() {
	ctx := context.Background()
	tracker, _ := exampleTracker(attribution.Config{})
	if _, err := tracker.RecordTouch(ctx, attribution.TouchInput{Visitor: "v-7", Code: "ann-link", At: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		panic(err)
	}
	b, err := tracker.Bind(ctx, attribution.Signup{Customer: "cus-7", Visitor: "v-7", Code: "bob"})
	fmt.Println(b.Affiliate, b.Source, b.Code, err)

	again, err := tracker.Bind(ctx, attribution.Signup{Customer: "cus-7", Visitor: "v-7"})
	fmt.Println(again.Affiliate, err)
	// Output:
	// notify bob: customer cus-7 signed up
	// bob code bob <nil>
	// bob attribution: customer cus-7 is bound to bob: affiliate: conflict with stored state: customer already bound
}

// With Policy.ByTime, links and codes share one timeline: the first
// recorded touch wins under first-click (seed 000's "whoever's link the
// prospect clicked first gets the credit"), and the code typed at signup,
// a touch at the signup's time, wins under last-click.
func ExamplePolicy_byTime() {
	ctx := context.Background()
	for _, model := range []attribution.Model{attribution.FirstClick, attribution.LastClick} {
		tracker, _ := exampleTracker(attribution.Config{
			Policy:   attribution.Policy{Model: model, ByTime: true},
			Observer: attribution.ObserverFunc(func(context.Context, attribution.Event) {}),
		})
		day1 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		if _, err := tracker.RecordTouch(ctx, attribution.TouchInput{Visitor: "v-7", Code: "ann-link", At: day1}); err != nil {
			panic(err)
		}
		b, err := tracker.Bind(ctx, attribution.Signup{Customer: "cus-7", Visitor: "v-7", Code: "BOB", At: day1.AddDate(0, 0, 4)})
		fmt.Println(model, "→", b.Affiliate, "by", b.Source, err)
	}
	// Output:
	// first-click → ann by link <nil>
	// last-click → bob by code <nil>
}

// Support staff credit a customer whose referral was not tracked, and
// later suspend the affiliate; both go through the tracker, so a binding
// by hand passes the checks of any binding and the observer hears of each.
func ExampleTracker_BindManually() {
	ctx := context.Background()
	tracker, _ := exampleTracker(attribution.Config{
		Observer: attribution.ObserverFunc(func(_ context.Context, e attribution.Event) {
			switch e.Kind {
			case attribution.CustomerBound:
				fmt.Printf("audit: %s bound to %s by %s: %s\n", e.Binding.Customer, e.Binding.Affiliate, e.Binding.Source, e.Reason)
			case attribution.AffiliateSuspended:
				fmt.Printf("audit: %s suspended on %s: %s\n", e.Affiliate.ID, e.At.Format(time.DateOnly), e.Reason)
			}
		}),
	})
	_, err := tracker.BindManually(ctx, attribution.ManualBinding{Customer: "cus-8", Affiliate: "ann", Reason: "ticket 4711: code lost at checkout"})
	fmt.Println(err)
	_, err = tracker.BindManually(ctx, attribution.ManualBinding{Customer: "cus-9", Affiliate: "ann", Email: "ann@annco.io", Reason: "asked by ann"})
	fmt.Println(err)
	if _, err := tracker.Suspend(ctx, "ann", time.Time{}, "fraud review"); err != nil {
		panic(err)
	}
	_, err = tracker.BindManually(ctx, attribution.ManualBinding{Customer: "cus-10", Affiliate: "ann", Reason: "ticket 4712"})
	fmt.Println(err)
	// Output:
	// audit: cus-8 bound to ann by manual: ticket 4711: code lost at checkout
	// <nil>
	// attribution: no eligible referral for customer cus-9; manual ann: self_referral: the customer has the affiliate's e-mail address
	// audit: ann suspended on 2026-03-10: fraud review
	// attribution: no eligible referral for customer cus-10; manual ann: affiliate_inactive: affiliate ann is suspended
}

// A partner submits leads; each is accepted or refused with every reason,
// the partner is told, and the accepted one converts into a bound customer.
func ExampleTracker_SubmitLead() {
	ctx := context.Background()
	tracker, _ := exampleTracker(attribution.Config{})

	good, err := tracker.SubmitLead(ctx, attribution.LeadInput{
		Affiliate: "ann", Company: "Acme", Email: "dana@acme.com",
		Website: "https://acme.com", LinkedIn: "https://www.linkedin.com/company/acme",
	})
	if err != nil {
		panic(err)
	}
	if _, err := tracker.SubmitLead(ctx, attribution.LeadInput{
		Affiliate: "bob", Company: "Jo Design", Email: "jo@gmail.com", Freelancer: true,
	}); err != nil {
		panic(err)
	}

	b, err := tracker.ConvertLead(ctx, good.ID, attribution.Signup{Customer: "cus-acme", Email: "erin@acme.com"})
	if err != nil {
		panic(err)
	}
	fmt.Println(b.Customer, "bound to", b.Affiliate, "by", b.Source)
	// Output:
	// notify ann: lead Acme accepted []
	// notify bob: lead Jo Design refused [free_mail: gmail.com is a free-mail provider no_website: no website no_linkedin: no LinkedIn reference freelancer: flagged as a freelancer or independent worker]
	// notify ann: customer cus-acme signed up
	// notify ann: lead Acme became customer cus-acme
	// cus-acme bound to ann by lead
}

// Self-referrals are refused with a typed reason, and nothing is stored.
func ExampleIneligibleError() {
	ctx := context.Background()
	tracker, store := exampleTracker(attribution.Config{})
	_, err := tracker.Bind(ctx, attribution.Signup{Customer: "cus-9", Email: "ann+test@annco.io", Code: "ANN"})
	if ie, ok := err.(*attribution.IneligibleError); ok {
		for _, r := range ie.Refusals {
			fmt.Println(r.Candidate.Source, r.Candidate.Affiliate, r.Reasons[0].Code)
		}
	}
	_, err = store.Binding(ctx, "cus-9")
	fmt.Println(strings.TrimPrefix(err.Error(), "memstore: "))
	// Output:
	// code ann self_referral
	// binding for customer "cus-9": affiliate: not found
}

// The codec on its own: rotate keys by putting the new one first.
func ExampleCodec() {
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	old := attribution.Key{ID: "2026-02", Secret: []byte("february-secret-of-at-least-32-bytes")}
	cur := attribution.Key{ID: "2026-03", Secret: []byte("march-secret-of-at-least-32-bytes!!")}
	before, _ := attribution.NewCodec(attribution.CodecConfig{Keys: []attribution.Key{old}, Now: func() time.Time { return now }})
	after, _ := attribution.NewCodec(attribution.CodecConfig{Keys: []attribution.Key{cur, old}, Now: func() time.Time { return now }})

	v, _ := before.Encode(attribution.Referral{Affiliate: "ann", Visitor: "v-1", Touch: "t-1", At: now.Add(-24 * time.Hour)})
	r, err := after.Decode(v)
	fmt.Println(r.Affiliate, r.Visitor, err)
	tampered := []byte(v)
	tampered[len("v1.2026-02.")] ^= 'A' ^ 'B' // one payload character
	_, err = after.Decode(string(tampered))
	fmt.Println(err)
	// Output:
	// ann v-1 <nil>
	// affiliate: invalid input: referral cookie signature does not verify
}

// A burst of signups through one affiliate is bound and held for review
// instead of refused: here the third within an hour. A colleague at the
// affiliate's own company domain is held too (HoldSameDomain).
func ExampleVelocity() {
	ctx := context.Background()
	store := memstore.New()
	if err := store.PutAffiliate(ctx, affiliate.Affiliate{ID: "ann", Status: affiliate.StatusActive, Email: "ann@annco.io", Codes: []string{"ANN"}}); err != nil {
		panic(err)
	}
	tracker, err := attribution.New(attribution.Config{Store: store, HoldSameDomain: true, Checks: []attribution.Check{
		attribution.Hold(attribution.Velocity{Bindings: store, Limit: 2, Within: time.Hour}),
	}})
	if err != nil {
		panic(err)
	}
	at := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	for i, s := range []attribution.Signup{
		{Customer: "acme", Email: "it@acme.io"},
		{Customer: "globex", Email: "it@globex.io"},
		{Customer: "initech", Email: "it@initech.io"},
		{Customer: "annco", Email: "pat@annco.io", At: at.Add(2 * time.Hour)},
	} {
		s.Code = "ANN"
		if s.At.IsZero() {
			s.At = at.Add(time.Duration(i) * time.Minute)
		}
		if _, err := tracker.Bind(ctx, s); err != nil {
			panic(err)
		}
	}
	holds, err := store.Reviews(ctx, storage.ReviewQuery{})
	if err != nil {
		panic(err)
	}
	for _, h := range holds {
		fmt.Println(h.Customer, "held:", h.Reason)
	}
	// Output:
	// initech held: velocity: affiliate ann bound 2 customers in the 1h0m0s before this signup; the limit is 2
	// annco held: self_referral: the customer shares the affiliate's e-mail domain annco.io
}
