package portal_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/openaffiliate/affiliate/portal"
)

// A manager refuses an accepted lead with a reason its partner then
// reads; a refusal without a reason is a 400 that changes nothing.
func TestManagerRefusesLead(t *testing.T) {
	w := newWorld(t, nil)
	tok := token(t, w, "", "carol", "/portal/manage/leads")
	carol := map[string]string{"X-Test-Manager": "carol"}
	path := "/portal/manage/leads/" + string(w.bobLead) + "/refuse"
	if rec := w.post(path, url.Values{"csrf": {tok}}, carol); rec.Code != http.StatusBadRequest {
		t.Errorf("refuse without a reason: %d, want 400", rec.Code)
	}
	if got := w.get("bob", "/portal/api/leads/"+string(w.bobLead)).Body.String(); !strings.Contains(got, `"status":"accepted"`) {
		t.Fatalf("a refused call changed the lead: %s", got)
	}
	if rec := w.post(path, url.Values{"csrf": {tok}, "reason": {"already talking to them"}}, carol); rec.Code != http.StatusSeeOther {
		t.Fatalf("refuse: %d\n%s", rec.Code, rec.Body)
	}
	page := w.get("bob", "/portal/leads/"+string(w.bobLead)).Body.String()
	if !strings.Contains(page, "<li>manager: already talking to them</li>") {
		t.Errorf("the partner does not see the manager's reason:\n%s", page)
	}
	if list := w.as("", "carol", "GET", "/portal/api/manage/leads").Body.String(); strings.Contains(list, string(w.bobLead)) || !strings.Contains(list, string(w.annLead)) {
		t.Errorf("leads to review after the refusal: %s", list)
	}
}

// The manager's JSON API: the session's manager token marks a payout
// paid; the run of a month not ended is refused.
func TestManagerAPI(t *testing.T) {
	w := newWorld(t, nil)
	var s struct {
		Token string `json:"manager_csrf_token"`
	}
	must(t, json.Unmarshal(w.as("", "carol", "GET", "/portal/api/session").Body.Bytes(), &s))
	call := func(path, body string) (int, string) {
		r := newRequest("POST", path, body)
		r.Header.Set("X-Test-Manager", "carol")
		r.Header.Set("X-CSRF-Token", s.Token)
		r.Header.Set("Content-Type", "application/json")
		rec := serve(w, r)
		return rec.Code, rec.Body.String()
	}
	if code, body := call("/portal/api/manage/payouts/"+string(w.annPay)+"/paid", `{"reference":"wire-7"}`); code != http.StatusOK || !strings.Contains(body, `"status":"paid"`) {
		t.Errorf("mark paid by the API: %d %s", code, body)
	}
	if code, body := call("/portal/api/manage/payouts/run", `{"month":"2026-03"}`); code != http.StatusBadRequest {
		t.Errorf("a run of March, not ended: %d %s; want 400", code, body)
	}
	if code, body := call("/portal/api/manage/payouts/run", `{"month":"2026-02"}`); code != http.StatusOK || !strings.Contains(body, `"ran":true`) {
		t.Errorf("a run of February: %d %s", code, body)
	}
	run := w.as("", "carol", "GET", "/portal/api/manage/payouts/2026-02").Body.String()
	if !strings.Contains(run, `"affiliate":"bob"`) || !strings.Contains(run, `"amount":"150.00"`) {
		t.Errorf("February's run: %s", run)
	}
}

// A text cell a spreadsheet would run as a formula is defused.
func TestCSVDefusesFormulas(t *testing.T) {
	w := newWorld(t, nil)
	tok := token(t, w, "", "carol", "/portal/manage/payouts?month=2026-01")
	w.post("/portal/manage/payouts/"+string(w.annPay)+"/paid", url.Values{"csrf": {tok}, "reference": {"=HYPERLINK(\"http://evil\")"}}, map[string]string{"X-Test-Manager": "carol"})
	csv := w.get("ann", "/portal/payouts.csv").Body.String()
	if !strings.Contains(csv, `'=HYPERLINK`) || strings.Contains(csv, `,=HYPERLINK`) || strings.Contains(csv, `,"=HYPERLINK`) {
		t.Errorf("the reference is not defused:\n%s", csv)
	}
}

// The review queue by the API: the pending list, then a decision.
func TestReviewAPI(t *testing.T) {
	f := &fakeReviewer{held: []portal.HeldEntry{{ID: "e1", Affiliate: "ann", Amount: usd("60"), Reason: "first payout"}}}
	w := newWorld(t, func(c *portal.Config) { c.Reviewer = f })
	if got := w.as("", "carol", "GET", "/portal/api/manage/review").Body.String(); !strings.Contains(got, `"id":"e1"`) || !strings.Contains(got, `"reason":"first payout"`) {
		t.Errorf("pending: %s", got)
	}
	var s struct {
		Token string `json:"manager_csrf_token"`
	}
	must(t, json.Unmarshal(w.as("", "carol", "GET", "/portal/api/session").Body.Bytes(), &s))
	r := newRequest("POST", "/portal/api/manage/review/reject/e1", `{"note":"self-referral"}`)
	r.Header.Set("X-Test-Manager", "carol")
	r.Header.Set("X-CSRF-Token", s.Token)
	r.Header.Set("Content-Type", "application/json")
	if rec := serve(w, r); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"reviewer":"carol"`) {
		t.Errorf("reject by the API: %d %s", rec.Code, rec.Body)
	}
	if len(f.decided) != 1 || f.decided[0] != "reject e1 by carol: self-referral" {
		t.Errorf("decisions: %q", f.decided)
	}
}
