package portal_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/portal"
	"github.com/openaffiliate/affiliate/report"
)

// Every response carries the security headers, errors and static files
// included, and no page holds an inline script, style or event handler
// (the CSP would block them; the test says so before a browser does).
func TestSecurityHeaders(t *testing.T) {
	w := newWorld(t, nil)
	inline := regexp.MustCompile(`<script>|<script [^>]*>[^<]|\sstyle=|\son[a-z]+=|javascript:`)
	for _, path := range []string{"/portal/", "/portal/referrals", "/portal/statements", "/portal/payouts", "/portal/leads",
		"/portal/leads/" + string(w.annLead), "/portal/payouts/" + string(w.annPay), "/portal/payouts/nope", "/portal/static/style.css", "/portal/api/dashboard"} {
		rec := w.get("ann", path)
		h := rec.Header()
		for k, want := range map[string]string{
			"Content-Security-Policy": "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
			"X-Content-Type-Options":  "nosniff",
			"X-Frame-Options":         "DENY",
		} {
			if got := h.Get(k); got != want {
				t.Errorf("GET %s: %s = %q, want %q", path, k, got, want)
			}
		}
		if m := inline.FindString(rec.Body.String()); m != "" && strings.HasPrefix(h.Get("Content-Type"), "text/html") {
			t.Errorf("GET %s has inline code %q", path, m)
		}
	}
	for _, path := range []string{"/portal/manage/", "/portal/manage/leads", "/portal/manage/payouts?month=2026-01"} {
		rec := w.as("", "carol", "GET", path)
		if rec.Code != http.StatusOK || inline.MatchString(rec.Body.String()) {
			t.Errorf("GET %s as a manager: %d, inline code %q", path, rec.Code, inline.FindString(rec.Body.String()))
		}
	}
}

// The API's dashboard is report's, as Program.Dashboard computes it, and
// each figure on the page is that figure in the affiliate's locale.
func TestFiguresMatchReport(t *testing.T) {
	w := newWorld(t, func(c *portal.Config) { c.Locale = func(*http.Request) string { return "de-DE" } })
	want, err := w.p.Dashboard(context.Background(), "ann", report.Range{From: w.p.Month(2025, 4), To: w.p.Month(2026, 3)})
	must(t, err)
	var got struct{ Dashboard json.RawMessage }
	must(t, json.Unmarshal(w.get("ann", "/portal/api/dashboard").Body.Bytes(), &got))
	wantJSON, err := json.Marshal(want)
	must(t, err)
	if diff := cmp.Diff(string(wantJSON), string(got.Dashboard)); diff != "" {
		t.Errorf("API dashboard differs from report's (-want +got):\n%s", diff)
	}
	de := portal.LookupLocale("de-DE")
	usdFigures := want.Currencies[0]
	page := w.get("ann", "/portal/").Body.String()
	for figure, value := range map[string]string{
		"touches": de.Int(want.Touches), "signups": de.Int(want.Signups), "conversions": de.Int(want.Conversions),
		"touch-to-signup": de.Ratio(want.TouchToSignup),
		"spent-USD":       de.Money(usdFigures.Spent), "earned-USD": de.Money(usdFigures.Earned),
		"pending-USD": de.Money(usdFigures.Pending), "available-USD": de.Money(usdFigures.Available),
		"in-payout-USD": de.Money(usdFigures.InPayout), "paid-USD": de.Money(usdFigures.Paid),
	} {
		if cell := fmt.Sprintf(`data-figure="%s">%s<`, figure, value); !strings.Contains(page, cell) {
			t.Errorf("the dashboard lacks %s", cell)
		}
	}
	if !strings.Contains(page, "400,00\u00a0$") || !strings.Contains(page, `lang="de-DE"`) {
		t.Errorf("the dashboard is not in de-DE:\n%s", page)
	}
}

// A lead the checks refuse is stored with every reason, shown to its
// partner; a lead the form cannot take (no company) is a 400 that shows
// the form again and stores nothing.
func TestLeadSubmission(t *testing.T) {
	w := newWorld(t, nil)
	tok := token(t, w, "ann", "", "/portal/leads")
	ann := map[string]string{"X-Test-Affiliate": "ann"}
	rec := w.post("/portal/leads", url.Values{"csrf": {tok}, "company": {"Solo"}, "email": {"solo@gmail.com"}, "freelancer": {"1"}}, ann)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("POST a lead: %d\n%s", rec.Code, rec.Body)
	}
	page := w.get("ann", rec.Header().Get("Location")).Body.String()
	for _, reason := range []string{"free_mail", "no_website", "no_linkedin", "freelancer"} {
		if !strings.Contains(page, "<li>"+reason) {
			t.Errorf("the refused lead's page lacks the reason %q:\n%s", reason, page)
		}
	}
	if !strings.Contains(page, `data-figure="lead-status">refused<`) {
		t.Errorf("the lead is not shown refused:\n%s", page)
	}
	before := w.get("ann", "/portal/api/leads").Body.String()
	rec = w.post("/portal/leads", url.Values{"csrf": {tok}, "email": {"x@initech.com"}, "website": {"https://<b>initech</b>"}}, ann)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `value="https://&lt;b&gt;initech&lt;/b&gt;"`) {
		t.Errorf("POST without a company: %d, want 400 with the form escaped and refilled\n%s", rec.Code, rec.Body)
	}
	if after := w.get("ann", "/portal/api/leads").Body.String(); after != before {
		t.Errorf("a bad lead changed the leads:\n%s", after)
	}
}

// The JSON API writes with the session's token and a JSON body; without
// either it refuses.
func TestAPIWrites(t *testing.T) {
	w := newWorld(t, nil)
	var s struct {
		Token string `json:"csrf_token"`
	}
	must(t, json.Unmarshal(w.get("ann", "/portal/api/session").Body.Bytes(), &s))
	body := `{"company":"Initech","email":"bill@initech.com","website":"https://initech.com","linkedin":"https://www.linkedin.com/company/initech"}`
	for _, tc := range []struct {
		name    string
		headers map[string]string
		body    string
		code    int
	}{
		{"no token", map[string]string{"Content-Type": "application/json"}, body, http.StatusForbidden},
		{"a form body", map[string]string{"X-CSRF-Token": s.Token, "Content-Type": "application/x-www-form-urlencoded"}, body, http.StatusBadRequest},
		{"an unknown field", map[string]string{"X-CSRF-Token": s.Token, "Content-Type": "application/json"}, `{"affiliate":"bob"}`, http.StatusBadRequest},
		{"good", map[string]string{"X-CSRF-Token": s.Token, "Content-Type": "application/json"}, body, http.StatusCreated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRequest("POST", "/portal/api/leads", tc.body)
			r.Header.Set("X-Test-Affiliate", "ann")
			for k, v := range tc.headers {
				r.Header.Set(k, v)
			}
			rec := serve(w, r)
			if rec.Code != tc.code {
				t.Errorf("%d, want %d\n%s", rec.Code, tc.code, rec.Body)
			}
		})
	}
	if leads := w.get("ann", "/portal/api/leads").Body.String(); strings.Count(leads, "Initech") != 1 {
		t.Errorf("want exactly one Initech lead:\n%s", leads)
	}
}

// A manager marks a payout paid with the transfer's reference; without
// one nothing changes.
func TestManagerMarksPaid(t *testing.T) {
	w := newWorld(t, nil)
	tok := token(t, w, "", "carol", "/portal/manage/payouts?month=2026-01")
	carol := map[string]string{"X-Test-Manager": "carol"}
	path := "/portal/manage/payouts/" + string(w.bobPay) + "/paid"
	if rec := w.post(path, url.Values{"csrf": {tok}}, carol); rec.Code != http.StatusBadRequest {
		t.Errorf("mark paid without a reference: %d, want 400", rec.Code)
	}
	if rec := w.post(path, url.Values{"csrf": {tok}, "reference": {"sepa-1"}}, map[string]string{"X-Test-Affiliate": "bob"}); rec.Code != http.StatusForbidden {
		t.Errorf("an affiliate marking its own payout paid: %d, want 403", rec.Code)
	}
	if got := w.get("bob", "/portal/api/payouts/"+string(w.bobPay)).Body.String(); !strings.Contains(got, `"status":"created"`) {
		t.Fatalf("refused calls changed the payout: %s", got)
	}
	rec := w.post(path, url.Values{"csrf": {tok}, "reference": {"sepa-1"}}, carol)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("mark paid: %d\n%s", rec.Code, rec.Body)
	}
	if got := w.get("bob", "/portal/api/payouts/"+string(w.bobPay)).Body.String(); !strings.Contains(got, `"status":"paid"`) || !strings.Contains(got, "sepa-1") {
		t.Errorf("after mark paid: %s", got)
	}
	if rec := w.post(path, url.Values{"csrf": {tok}, "reference": {"sepa-2"}}, carol); rec.Code != http.StatusConflict {
		t.Errorf("paying twice: %d, want 409", rec.Code)
	}
}

// fakeReviewer is the review queue in memory.
type fakeReviewer struct {
	held    []portal.HeldEntry
	decided []string
}

func (f *fakeReviewer) Pending(context.Context) ([]portal.HeldEntry, error) { return f.held, nil }
func (f *fakeReviewer) Approve(_ context.Context, d portal.Decision) error {
	return f.decide("approve", d)
}
func (f *fakeReviewer) Reject(_ context.Context, d portal.Decision) error {
	return f.decide("reject", d)
}

func (f *fakeReviewer) decide(what string, d portal.Decision) error {
	for i, h := range f.held {
		if h.ID == d.ID {
			f.held = append(f.held[:i], f.held[i+1:]...)
			f.decided = append(f.decided, what+" "+d.ID+" by "+d.Reviewer+": "+d.Note)
			return nil
		}
	}
	return fmt.Errorf("%w: %s is not pending", affiliate.ErrNotFound, d.ID)
}

func TestReviewQueue(t *testing.T) {
	f := &fakeReviewer{held: []portal.HeldEntry{
		{ID: "e1", Affiliate: "ann", Amount: usd("60"), Reason: "first payout"},
		{ID: "e2", Affiliate: "bob", Amount: usd("150"), Reason: "over $100"},
	}}
	w := newWorld(t, func(c *portal.Config) { c.Reviewer = f })
	tok := token(t, w, "", "carol", "/portal/manage/review")
	carol := map[string]string{"X-Test-Manager": "carol"}
	if rec := w.post("/portal/manage/review/approve/e1", url.Values{"csrf": {tok}}, carol); rec.Code != http.StatusSeeOther {
		t.Fatalf("approve: %d\n%s", rec.Code, rec.Body)
	}
	if rec := w.post("/portal/manage/review/reject/e2", url.Values{"csrf": {tok}, "note": {"duplicate"}}, carol); rec.Code != http.StatusSeeOther {
		t.Fatalf("reject: %d\n%s", rec.Code, rec.Body)
	}
	if rec := w.post("/portal/manage/review/reject/e2", url.Values{"csrf": {tok}}, carol); rec.Code != http.StatusNotFound {
		t.Errorf("reject again: %d, want 404", rec.Code)
	}
	if rec := w.post("/portal/manage/review/approve/e9", url.Values{"csrf": {""}}, carol); rec.Code != http.StatusForbidden {
		t.Errorf("approve without a token: %d, want 403", rec.Code)
	}
	want := []string{"approve e1 by carol: ", "reject e2 by carol: duplicate"}
	if diff := cmp.Diff(want, f.decided); diff != "" {
		t.Errorf("decisions (-want +got):\n%s", diff)
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	w := newWorld(t, nil)
	good := func() portal.Config {
		return portal.Config{Program: w.p, Secret: secret, Affiliate: func(*http.Request) (affiliate.AffiliateID, bool) { return "", false }}
	}
	for _, tc := range []struct {
		field string
		edit  func(*portal.Config)
	}{
		{"Config.Program", func(c *portal.Config) { c.Program = nil }},
		{"Config.Affiliate", func(c *portal.Config) { c.Affiliate = nil }},
		{"Config.Secret", func(c *portal.Config) { c.Secret = []byte("short") }},
		{"Config.Prefix", func(c *portal.Config) { c.Prefix = "portal/" }},
		{"Config.Months", func(c *portal.Config) { c.Months = 121 }},
	} {
		c := good()
		tc.edit(&c)
		_, err := portal.New(c)
		var fe *affiliate.FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field || !errors.Is(err, affiliate.ErrInvalid) {
			t.Errorf("New with a bad %s: %v", tc.field, err)
		}
	}
	if _, err := portal.New(good()); err != nil {
		t.Errorf("New(good) = %v", err)
	}
}

// A notice is one of the portal's own texts: a crafted ?done= shows
// nothing.
func TestNoticeIsFixedText(t *testing.T) {
	w := newWorld(t, nil)
	if page := w.get("ann", "/portal/?done=Your+account+is+closed").Body.String(); strings.Contains(page, "account is closed") || strings.Contains(page, `class="notice"`) {
		t.Errorf("a crafted notice is shown:\n%s", page)
	}
	if page := w.as("", "carol", "GET", "/portal/manage/payouts?month=2026-01&done=paid").Body.String(); !strings.Contains(page, "The payout is marked paid.") {
		t.Errorf("the paid notice is missing:\n%s", page)
	}
}
