package payout_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/payout"
)

func TestProfileAndTaxFormChecks(t *testing.T) {
	e := newEnv(t, payout.Config{Checks: []payout.Check{payout.ProfileComplete(), payout.TaxFormReceived()}})
	profile := func(a affiliate.AffiliateID, cur affiliate.Currency, form affiliate.TaxForm) {
		t.Helper()
		e.affiliate(affiliate.Affiliate{ID: a})
		if form == "-" {
			return // no profile
		}
		p := affiliate.PayeeProfile{Affiliate: a, Method: affiliate.MethodPayPal, Currency: cur, Email: string(a) + "@example.com", TaxForm: form, UpdatedAt: day(time.January, 2)}
		if _, err := e.store.PutProfile(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	profile("ann", "EUR", affiliate.TaxFormW9)
	profile("bob", "EUR", "-")
	profile("cat", "EUR", affiliate.TaxFormNone)
	profile("dan", "USD", affiliate.TaxFormW8)
	e.append(
		ent{id: "a1", aff: "ann", amount: "10.00 EUR", at: day(time.January, 5)},
		ent{id: "b1", aff: "bob", amount: "20.00 EUR", at: day(time.January, 5)},
		ent{id: "c1", aff: "cat", amount: "30.00 EUR", at: day(time.January, 5)},
		ent{id: "d1", aff: "dan", amount: "40.00 EUR", at: day(time.January, 5)},
	)
	res := e.run(month(time.January), day(time.February, 1))
	want := []string{
		"pay ann 10.00 EUR",
		"carry bob 20.00 EUR ineligible",
		"carry cat 30.00 EUR ineligible",
		"carry dan 40.00 EUR ineligible",
	}
	if diff := cmp.Diff(want, summary(res)); diff != "" {
		t.Fatalf("run (-want +got):\n%s", diff)
	}
	notes := map[affiliate.AffiliateID]string{
		"bob": "no payee profile on file; no tax form received",
		"cat": "no tax form received",
		"dan": "the payee profile pays in USD, the balance is in EUR",
	}
	for _, c := range res.Carried {
		if !strings.Contains(c.Note, notes[c.Affiliate]) {
			t.Errorf("%s carried with %q, want it to say %q", c.Affiliate, c.Note, notes[c.Affiliate])
		}
	}
	// The statement says why bob was skipped.
	st, err := e.runner.Statement(ctx, "bob", month(time.January), "EUR")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(st.CarriedNote, "no payee profile on file") {
		t.Fatalf("bob's statement says %q, want the missing profile", st.CarriedNote)
	}
}

func TestTaxFormReceivedAccepts(t *testing.T) {
	check := payout.TaxFormReceived(affiliate.TaxFormW9)
	for _, tt := range []struct {
		form affiliate.TaxForm
		has  bool
		ok   bool
	}{{affiliate.TaxFormW9, true, true}, {affiliate.TaxFormW8, true, false}, {affiliate.TaxFormNone, true, false}, {affiliate.TaxFormW9, false, false}} {
		why, err := check.Check(ctx, payout.Candidate{HasProfile: tt.has, Profile: affiliate.PayeeProfile{TaxForm: tt.form}})
		if err != nil || (why == "") != tt.ok {
			t.Errorf("form %q (profile %v): reason %q, %v; want allowed=%v", tt.form, tt.has, why, err, tt.ok)
		}
	}
}
