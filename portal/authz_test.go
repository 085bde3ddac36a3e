package portal_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/openaffiliate/affiliate/portal"
)

// No page or API call shows another affiliate's data: Ann asking for
// Bob's payout or lead gets the answer an unknown ID gets, and a
// statement is always the signed-in affiliate's, whatever the URL says.
func TestAffiliateSeesOnlyOwnData(t *testing.T) {
	w := newWorld(t, nil)
	bobs := []string{"Secret Corp", "secretcorp", string(w.bobPay), "$150.00", "150.00", "globex", "g•••", "bobby"}
	cases := []struct {
		name, path string
		code       int
	}{
		{"Bob's payout page", "/portal/payouts/" + string(w.bobPay), http.StatusNotFound},
		{"Bob's payout by the API", "/portal/api/payouts/" + string(w.bobPay), http.StatusNotFound},
		{"an unknown payout", "/portal/payouts/po_nope", http.StatusNotFound},
		{"Bob's lead page", "/portal/leads/" + string(w.bobLead), http.StatusNotFound},
		{"Bob's lead by the API", "/portal/api/leads/" + string(w.bobLead), http.StatusNotFound},
		{"a statement naming Bob", "/portal/statements?month=2026-01&affiliate=bob", http.StatusOK},
		{"a statement API call naming Bob", "/portal/api/statements/2026-01?affiliate=bob", http.StatusOK},
		{"a statement CSV naming Bob", "/portal/statements/2026-01.csv?affiliate=bob", http.StatusOK},
		{"the dashboard naming Bob", "/portal/?affiliate=bob", http.StatusOK},
		{"the dashboard API", "/portal/api/dashboard?affiliate=bob", http.StatusOK},
		{"referrals", "/portal/referrals", http.StatusOK},
		{"payouts", "/portal/payouts", http.StatusOK},
		{"payouts CSV", "/portal/payouts.csv", http.StatusOK},
		{"leads", "/portal/leads", http.StatusOK},
		{"leads by the API", "/portal/api/leads", http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := w.get("ann", tc.path)
			if rec.Code != tc.code {
				t.Fatalf("GET %s as ann: %d, want %d\n%s", tc.path, rec.Code, tc.code, rec.Body)
			}
			for _, s := range bobs {
				if strings.Contains(rec.Body.String(), s) {
					t.Errorf("GET %s as ann shows %q, which is Bob's:\n%s", tc.path, s, rec.Body)
				}
			}
		})
	}
	// The same reads as Bob do show his data, so the checks above can fail.
	if rec := w.get("bob", "/portal/payouts/"+string(w.bobPay)); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "$150.00") {
		t.Errorf("Bob's own payout: %d\n%s", rec.Code, rec.Body)
	}
	if rec := w.get("bob", "/portal/leads/"+string(w.bobLead)); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Secret Corp") {
		t.Errorf("Bob's own lead: %d\n%s", rec.Code, rec.Body)
	}
}

// Who may see what: nobody signed in gets 401, an affiliate on a manager
// page 403, and manager pages do not exist without Config.Manager.
func TestAuthentication(t *testing.T) {
	w := newWorld(t, nil)
	noManagers := newWorld(t, func(c *portal.Config) { c.Manager = nil })
	cases := []struct {
		name string
		w    *world
		user string
		path string
		code int
	}{
		{"nobody, dashboard", w, "", "/portal/", http.StatusUnauthorized},
		{"nobody, API", w, "", "/portal/api/dashboard", http.StatusUnauthorized},
		{"nobody, session", w, "", "/portal/api/session", http.StatusUnauthorized},
		{"an affiliate, manager page", w, "ann", "/portal/manage/", http.StatusForbidden},
		{"an affiliate, manager API", w, "ann", "/portal/api/manage/payouts/2026-01", http.StatusForbidden},
		{"no manager pages", noManagers, "ann", "/portal/manage/", http.StatusNotFound},
		{"no review queue", w, "", "/portal/manage/review", http.StatusNotFound},
		{"a bad month", w, "ann", "/portal/statements?month=2026-13", http.StatusBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.w.get(tc.user, tc.path)
			if tc.name == "no review queue" {
				r = tc.w.as("", "carol", "GET", tc.path)
			}
			if r.Code != tc.code {
				t.Errorf("GET %s: %d, want %d\n%s", tc.path, r.Code, tc.code, r.Body)
			}
		})
	}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// token reads the form token a page hands user.
func token(t *testing.T, w *world, affiliateID, manager, path string) string {
	t.Helper()
	rec := w.as(affiliateID, manager, "GET", path)
	m := csrfField.FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatalf("no csrf field on %s (%d):\n%s", path, rec.Code, rec.Body)
	}
	return m[1]
}

// A forged cross-site POST is refused and stores nothing: another site's
// Sec-Fetch-Site or Origin, no token, or another user's token.
func TestForgedCrossSitePost(t *testing.T) {
	w := newWorld(t, nil)
	annToken := token(t, w, "ann", "", "/portal/leads")
	bobToken := token(t, w, "bob", "", "/portal/leads")
	form := func(tok string) url.Values {
		return url.Values{"csrf": {tok}, "company": {"Initech"}, "email": {"bill@initech.com"},
			"website": {"https://initech.com"}, "linkedin": {"https://www.linkedin.com/company/initech"}}
	}
	cases := []struct {
		name    string
		form    url.Values
		headers map[string]string
	}{
		{"another site by Sec-Fetch-Site", form(annToken), map[string]string{"Sec-Fetch-Site": "cross-site"}},
		{"a sibling subdomain by Sec-Fetch-Site", form(annToken), map[string]string{"Sec-Fetch-Site": "same-site"}},
		{"another site by Origin", form(annToken), map[string]string{"Origin": "https://evil.example"}},
		{"no token", form(""), nil},
		{"a forged token", form("AAAA"), nil},
		{"Bob's token", form(bobToken), nil},
	}
	before := w.get("ann", "/portal/api/leads").Body.String()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := map[string]string{"X-Test-Affiliate": "ann"}
			for k, v := range tc.headers {
				h[k] = v
			}
			rec := w.post("/portal/leads", tc.form, h)
			if rec.Code != http.StatusForbidden {
				t.Errorf("forged POST: %d, want 403\n%s", rec.Code, rec.Body)
			}
			if after := w.get("ann", "/portal/api/leads").Body.String(); after != before {
				t.Errorf("a refused POST stored a lead:\n%s", after)
			}
		})
	}
	// The real form, from the portal's own page, goes through.
	rec := w.post("/portal/leads", form(annToken), map[string]string{"X-Test-Affiliate": "ann", "Sec-Fetch-Site": "same-origin", "Origin": "http://example.com"})
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/portal/leads/") {
		t.Fatalf("the portal's own POST: %d %q, want a redirect to the lead\n%s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	if after := w.get("ann", "/portal/api/leads").Body.String(); !strings.Contains(after, "Initech") {
		t.Errorf("the accepted POST stored no lead:\n%s", after)
	}
}
