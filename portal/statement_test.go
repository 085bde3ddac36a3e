package portal_test

import (
	"context"
	"net/http"
	"strings"
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

// A program without a currency of its own (seed 002 pays in each
// invoice's currency) has a statement per currency the affiliate earned
// in: the first by default, another by ?currency=.
func TestStatementPerCurrency(t *testing.T) {
	ctx, store := context.Background(), memstore.New()
	must(t, store.PutAffiliate(ctx, affiliate.Affiliate{ID: "ann", Status: affiliate.StatusActive, Codes: []string{"ann"}}))
	now := time.Date(2026, time.March, 1, 0, 0, 0, 0, time.UTC)
	p, err := program.New(program.Config{Store: store, Now: func() time.Time { return now },
		Terms: []commission.TermsVersion{{Version: "v1", Rule: rules.Percent{Rate: affiliate.MustPercent("50")}}}})
	must(t, err)
	_, err = p.Signup(ctx, attribution.Signup{Customer: "acme", Code: "ann", At: day(time.January, 1)})
	must(t, err)
	for i, m := range []affiliate.Money{affiliate.MustParseMoney("100", "GBP"), affiliate.MustParseMoney("300", "EUR")} {
		_, err := p.Record(ctx, affiliate.Payment{ID: affiliate.EventID("in_" + string(m.Currency())), Customer: "acme", PaidAt: day(time.January, 10+i),
			Currency: m.Currency(), Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: m}}})
		must(t, err)
	}
	h, err := portal.New(portal.Config{Program: p, Secret: secret, Now: func() time.Time { return now },
		Affiliate: func(*http.Request) (affiliate.AffiliateID, bool) { return "ann", true }})
	must(t, err)
	w := &world{h: h}
	for _, tc := range []struct {
		path string
		code int
		want string
	}{
		{"/statements?month=2026-01", http.StatusOK, "€150.00"},
		{"/statements?month=2026-01&currency=GBP", http.StatusOK, "£50.00"},
		{"/statements?month=2026-01&currency=XYZ", http.StatusBadRequest, "currency"},
		{"/statements/2026-01.csv?currency=GBP", http.StatusOK, "50.00,GBP"},
	} {
		rec := w.get("ann", tc.path)
		if rec.Code != tc.code || !strings.Contains(rec.Body.String(), tc.want) {
			t.Errorf("GET %s: %d, want %d and %q\n%s", tc.path, rec.Code, tc.code, tc.want, rec.Body)
		}
	}
	if cd := w.get("ann", "/statements/2026-01.csv?currency=GBP").Header().Get("Content-Disposition"); cd != `attachment; filename="statement-ann-2026-01-GBP.csv"` {
		t.Errorf("Content-Disposition = %q", cd)
	}
}
