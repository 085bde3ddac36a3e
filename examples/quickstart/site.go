package main

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/program"
)

// newSite is the host's web site: a landing page and a signup form, behind
// the referral middleware, which records ?ref= clicks and sets the signed
// referral cookie.
func newSite(p *program.Program) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "welcome")
	})
	mux.HandleFunc("POST /signup", func(w http.ResponseWriter, r *http.Request) {
		ref, _ := p.Referral(r) // no cookie, or a bad one, never blocks a signup
		b, err := p.Signup(r.Context(), attribution.Signup{
			Customer: affiliate.CustomerID(r.FormValue("customer")),
			Email:    r.FormValue("email"),
			Code:     r.FormValue("code"),
			Referral: ref,
		})
		var ineligible *attribution.IneligibleError
		switch {
		case errors.Is(err, attribution.ErrNoReferral), errors.As(err, &ineligible):
			fmt.Fprintf(w, "%s signed up, referred by nobody", r.FormValue("customer"))
		case err != nil:
			http.Error(w, err.Error(), http.StatusInternalServerError)
		default:
			fmt.Fprintf(w, "%s signed up, referred by %s (%s)", b.Customer, b.Affiliate, b.Source)
		}
	})
	return p.Handler(mux)
}

// browser is one visitor: it calls the site's handler directly, with no
// network, and keeps its cookies as a browser would.
type browser struct {
	site http.Handler
	jar  *cookiejar.Jar
}

func newBrowser(site http.Handler) browser {
	jar, _ := cookiejar.New(nil) // never fails without options
	return browser{site, jar}
}

// get requests target and returns the page.
func (b browser) get(target string) string { return b.do(httptest.NewRequest("GET", target, nil)) }

// post submits a form to target and returns the page.
func (b browser) post(target string, form url.Values) string {
	r := httptest.NewRequest("POST", target, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(r)
}

func (b browser) do(r *http.Request) string {
	for _, c := range b.jar.Cookies(r.URL) {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	b.site.ServeHTTP(w, r)
	b.jar.SetCookies(r.URL, w.Result().Cookies())
	return w.Body.String()
}
