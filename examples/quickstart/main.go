// Command quickstart runs a whole affiliate program in memory, in one
// sitting: two affiliates (one the other's sub-affiliate), visitors who
// click referral links on a web site and sign up (one typing an affiliate
// code), three months of payments and a refund, a tier close and a payout
// run at each month's end, then a statement and a dashboard.
//
//	go run ./examples/quickstart
//
// The program: 20% of referred customers' payments (Standard), 25% for
// an affiliate whose customers paid EUR 1,000 or more the month before
// (Gold), and 5% to an affiliate on its direct sub-affiliates' customers.
// Payouts are monthly, from EUR 50. Everything else is the library's
// defaults: first-click attribution with a 90-day cookie, half-even
// rounding, no hold, tiers applying to the month after the one that
// reached them.
//
// The seed programs have examples of their own: tiered-program,
// lifetime-revshare and lead-referral; custom-rule shows a rule of your
// own.
package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/program"
	"github.com/openaffiliate/affiliate/report"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage/memstore"
	"github.com/openaffiliate/affiliate/tiers"
)

func main() {
	if _, err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// figures are the numbers the run ends with; the test checks them.
type figures struct {
	Referrers map[affiliate.CustomerID]affiliate.AffiliateID
	Earned    map[key]affiliate.Money // net, per month
	Paid      map[key]affiliate.Money
	Statement payout.Statement // Ann's, for February
	Dashboard report.Dashboard // Ann's, January to March
}

// key is one affiliate's month.
type key struct {
	Period    string
	Affiliate affiliate.AffiliateID
}

func run(w io.Writer) (figures, error) {
	ctx := context.Background()
	out := figures{
		Referrers: map[affiliate.CustomerID]affiliate.AffiliateID{},
		Earned:    map[key]affiliate.Money{},
		Paid:      map[key]affiliate.Money{},
	}
	now := date(time.January, 2)
	clock := func() time.Time { return now }

	// 1. The program: a store, the affiliates, and one program object.
	store := memstore.New()
	for _, a := range []affiliate.Affiliate{
		{ID: "ann", Status: affiliate.StatusActive, Email: "ann@annreviews.io", Codes: []string{"ann"}},
		{ID: "ben", Parent: "ann", Status: affiliate.StatusActive, Email: "ben@benbuilds.dev", Codes: []string{"ben"}},
	} {
		if err := store.PutAffiliate(ctx, a); err != nil {
			return out, err
		}
	}
	p, err := program.New(program.Config{
		Store: store, Currency: "EUR", Now: clock,
		Terms: []commission.TermsVersion{{Version: "v1", Rule: rules.AllOf{rules.TierRate{}, rules.SubAffiliateBonus{}}}},
		Tiers: program.Tiers{Schedule: tiers.MustSchedule(
			tiers.Tier{Name: "Standard", Rate: affiliate.MustPercent("20"), BonusRate: affiliate.MustPercent("5")},
			tiers.Tier{Name: "Gold", Threshold: tiers.Amount(eur("1000")), Rate: affiliate.MustPercent("25"), BonusRate: affiliate.MustPercent("5")},
		)},
		Attribution: program.Attribution{Keys: []attribution.Key{{ID: "2026-01", Secret: []byte("load-32-random-bytes-from-your-secret-store")}}},
		Payouts:     program.Payouts{Minimums: map[affiliate.Currency]affiliate.Money{"EUR": eur("50")}},
	})
	if err != nil {
		return out, err
	}

	// 2. Visitors click referral links and sign up on the web site.
	fmt.Fprintln(w, "Signups")
	site := newSite(p)
	for _, v := range []struct{ link, customer, email, code string }{
		{"https://shop.example/?ref=ann", "acme", "ops@acme.io", ""},
		{"https://shop.example/?ref=ben", "globex", "it@globex.com", ""},
		{"https://shop.example/", "initech", "bill@initech.com", "ANN"}, // no click: a typed code
	} {
		b := newBrowser(site)
		b.get(v.link) // the middleware records the click and sets the referral cookie
		now = now.Add(time.Hour)
		page := b.post("https://shop.example/signup", url.Values{"customer": {v.customer}, "email": {v.email}, "code": {v.code}})
		fmt.Fprintf(w, "  visits %-31s types code %-5q → %s\n", v.link, v.code, page)
	}
	for _, c := range []affiliate.CustomerID{"acme", "globex", "initech"} {
		b, err := store.Binding(ctx, c)
		if err != nil {
			return out, err
		}
		out.Referrers[c] = b.Affiliate
	}

	// 3. Three months of billing; each month ends with a tier close and
	// a payout run.
	for _, m := range months {
		fmt.Fprintf(w, "\n%s\n", m.period)
		for _, ev := range m.events {
			res, err := p.Record(ctx, ev)
			if err != nil {
				return out, err
			}
			for _, e := range res.Entries {
				fmt.Fprintf(w, "  %s\n", p.Explain(e))
				if err := add(out.Earned, key{m.period.String(), e.Beneficiary}, e.Amount); err != nil {
					return out, err
				}
			}
		}
		now = m.period.End()
		closed, err := p.CloseMonth(ctx, m.period) // decides tiers; the ledger follows
		if err != nil {
			return out, err
		}
		for _, s := range closed.Closes[0].Snapshots {
			fmt.Fprintf(w, "  tier close: %s's customers paid %s → %s in %s\n", s.Affiliate, s.Amount, s.Tier, m.period.Next())
		}
		res, err := p.RunPayouts(ctx, m.period)
		if err != nil {
			return out, err
		}
		for _, po := range res.Payouts {
			if _, err := p.SettlePayout(ctx, po.ID, fmt.Sprintf("sepa-%s-%s", m.period, po.Affiliate)); err != nil {
				return out, err
			}
			fmt.Fprintf(w, "  payout: %s is paid %s\n", po.Affiliate, po.Amount)
			out.Paid[key{m.period.String(), po.Affiliate}] = po.Amount
		}
		for _, c := range res.Carried {
			fmt.Fprintf(w, "  payout: %s's %s is carried (%s)\n", c.Affiliate, c.Amount, c.Reason)
		}
	}

	// 4. What Ann sees: her February statement and her dashboard.
	feb, mar := months[1].period, months[2].period
	if out.Statement, err = p.Statement(ctx, "ann", feb); err != nil {
		return out, err
	}
	fmt.Fprintf(w, "\n%s", out.Statement.Text())
	if out.Dashboard, err = p.Dashboard(ctx, "ann", report.Range{From: months[0].period, To: mar}); err != nil {
		return out, err
	}
	fmt.Fprintf(w, "\n%s", out.Dashboard.Text())
	return out, nil
}

// months are the billing events: Acme and Globex pay every month, Initech
// pays once and is refunded in February.
var months = []struct {
	period affiliate.Period
	events []affiliate.Event
}{
	{month(time.January), []affiliate.Event{
		invoice("in_acme_jan", "acme", date(time.January, 10), "600"),
		invoice("in_globex_jan", "globex", date(time.January, 12), "200"),
		invoice("in_initech_jan", "initech", date(time.January, 15), "500"),
	}},
	{month(time.February), []affiliate.Event{
		invoice("in_acme_feb", "acme", date(time.February, 10), "600"),
		invoice("in_globex_feb", "globex", date(time.February, 12), "200"),
		affiliate.Refund{ID: "re_initech", Payment: "in_initech_jan", Customer: "initech",
			RefundedAt: date(time.February, 14), Kind: affiliate.KindRefund, Full: true},
	}},
	{month(time.March), []affiliate.Event{
		invoice("in_acme_mar", "acme", date(time.March, 10), "600"),
		invoice("in_globex_mar", "globex", date(time.March, 12), "200"),
	}},
}

func invoice(id affiliate.EventID, c affiliate.CustomerID, at time.Time, amount string) affiliate.Payment {
	return affiliate.Payment{ID: id, Customer: c, PaidAt: at, Currency: "EUR",
		Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Plan: "business", Amount: eur(amount)}}}
}

// add adds m to sums[k].
func add(sums map[key]affiliate.Money, k key, m affiliate.Money) error {
	sum, ok := sums[k]
	if !ok {
		sum = affiliate.Zero(m.Currency())
	}
	sum, err := sum.Add(m)
	sums[k] = sum
	return err
}

func eur(amount string) affiliate.Money { return affiliate.MustParseMoney(amount, "EUR") }

func date(m time.Month, d int) time.Time { return time.Date(2026, m, d, 9, 0, 0, 0, time.UTC) }

func month(m time.Month) affiliate.Period {
	return affiliate.Period{Year: 2026, Month: m, Location: time.UTC}
}
