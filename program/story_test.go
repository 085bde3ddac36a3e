package program_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/program"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/tiers"
)

// clock is a test's settable Now.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

func at(m time.Month, d int) time.Time { return time.Date(2026, m, d, 9, 0, 0, 0, time.UTC) }

// config is the story's program: 20% (Gold 25%) on own customers, 5% on
// direct sub-affiliates' customers, EUR 50 minimum, a referral cookie.
func config(store program.Store, c *clock) program.Config {
	return program.Config{
		Store: store, Currency: "EUR",
		Terms: []commission.TermsVersion{{Version: "v1", Rule: rules.AllOf{rules.TierRate{}, rules.SubAffiliateBonus{}}}},
		Tiers: program.Tiers{Schedule: tiers.MustSchedule(
			tiers.Tier{Name: "Standard", Rate: affiliate.MustPercent("20"), BonusRate: affiliate.MustPercent("5")},
			tiers.Tier{Name: "Gold", Threshold: tiers.Amount(eur("1000")), Rate: affiliate.MustPercent("25"), BonusRate: affiliate.MustPercent("5")},
		)},
		Attribution: program.Attribution{
			Keys:       []attribution.Key{{ID: "k1", Secret: []byte("0123456789abcdef0123456789abcdef")}},
			LeadChecks: []attribution.ProspectCheck{}, // every lead is accepted
		},
		Payouts: program.Payouts{Minimums: map[affiliate.Currency]affiliate.Money{"EUR": eur("50")}},
		Now:     c.Now,
	}
}

// invoice is a one-line EUR subscription payment.
func invoice(id affiliate.EventID, c affiliate.CustomerID, paid time.Time, amount string) affiliate.Payment {
	return affiliate.Payment{ID: id, Customer: c, PaidAt: paid, Currency: "EUR",
		Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: eur(amount)}}}
}

// story runs two months of a program on store: Ann, and Ben her
// sub-affiliate. Acme arrives through Ann's link (the cookie), Globex
// through Ben's (a recorded click), Initech pays before it signs up with
// Ann's code. January is closed (Ann reaches Gold) and paid out; Ann's
// payout is settled, Ben's is not; Acme pays again in February.
func story(t *testing.T, store program.Store) (*program.Program, *clock) {
	t.Helper()
	ctx := context.Background()
	c := &clock{at(time.January, 2)}
	for _, a := range []affiliate.Affiliate{
		{ID: "ann", Status: affiliate.StatusActive, Email: "ann@annreviews.io", Codes: []string{"ann"}},
		{ID: "ben", Parent: "ann", Status: affiliate.StatusActive, Email: "ben@benbuilds.dev", Codes: []string{"ben"}},
	} {
		fatalIf(t, store.PutAffiliate(ctx, a))
	}
	p, err := program.New(config(store, c))
	fatalIf(t, err)

	// Acme clicks Ann's link on the host's site and signs up with the cookie.
	site := p.Handler(http.NotFoundHandler())
	click := httptest.NewRecorder()
	site.ServeHTTP(click, httptest.NewRequest("GET", "https://shop.example/?ref=ann", nil))
	signup := httptest.NewRequest("POST", "https://shop.example/signup", nil)
	for _, ck := range click.Result().Cookies() {
		signup.AddCookie(ck)
	}
	ref, err := p.Referral(signup)
	fatalIf(t, err)
	c.now = at(time.January, 3)
	_, err = p.Signup(ctx, attribution.Signup{Customer: "acme", Email: "ops@acme.io", Referral: ref})
	fatalIf(t, err)

	_, err = p.Click(ctx, attribution.TouchInput{Visitor: "v-globex", Code: "ben", At: at(time.January, 4)})
	fatalIf(t, err)
	_, err = p.Signup(ctx, attribution.Signup{Customer: "globex", Email: "it@globex.com", Visitor: "v-globex", At: at(time.January, 5)})
	fatalIf(t, err)

	for _, pay := range []affiliate.Payment{
		invoice("in_acme_jan", "acme", at(time.January, 10), "1000"),
		invoice("in_globex_jan", "globex", at(time.January, 12), "500"),
		invoice("in_initech_jan", "initech", at(time.January, 15), "200"), // before its signup
	} {
		_, err := p.Record(ctx, pay)
		fatalIf(t, err)
	}
	c.now = at(time.January, 20)
	_, err = p.Signup(ctx, attribution.Signup{Customer: "initech", Email: "bill@initech.com", Code: "ANN"})
	fatalIf(t, err)

	c.now = at(time.February, 1)
	jan := p.Month(2026, time.January)
	_, err = p.CloseMonth(ctx, jan)
	fatalIf(t, err)
	run, err := p.RunPayouts(ctx, jan)
	fatalIf(t, err)
	for _, po := range run.Payouts {
		if po.Affiliate == "ann" {
			_, err := p.SettlePayout(ctx, po.ID, "sepa-2026-01-ann")
			fatalIf(t, err)
		}
	}
	c.now = at(time.February, 20)
	_, err = p.Record(ctx, invoice("in_acme_feb", "acme", at(time.February, 10), "1000"))
	fatalIf(t, err)
	return p, c
}

func fatalIf(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
