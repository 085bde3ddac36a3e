package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/program"
	"github.com/openaffiliate/affiliate/report"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage/memstore"
	"github.com/openaffiliate/affiliate/tiers"
)

// The program, as seed 000 states it.
var (
	window = 90 * 24 * time.Hour // the cookie's lifetime
	// "Attribution is based on the first recorded touch": links and codes
	// on one timeline, a code typed at signup at the signup's time.
	firstTouch       = attribution.Policy{Model: attribution.FirstClick, ByTime: true}
	premiumThreshold = eur("10000") // an example value: the document leaves it to the terms
	schedule         = tiers.MustSchedule(
		tiers.Tier{Name: "Standard", Rate: affiliate.MustPercent("15"), BonusRate: affiliate.MustPercent("5")},
		tiers.Tier{Name: "Premium", Threshold: tiers.Amount(premiumThreshold), Rate: affiliate.MustPercent("20"), BonusRate: affiliate.MustPercent("5")},
	)
	commissions = rules.AllOf{
		rules.TierRate{Name: "own_clients"},                   // the tier's rate on the affiliate's own clients
		rules.SubAffiliateBonus{Name: "direct_sub_affiliate"}, // the tier's bonus rate, to the direct parent only
	}
	minimumPayout = eur("50")
)

func main() {
	if _, err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "tiered-program:", err)
		os.Exit(1)
	}
}

// figures are the numbers the story ends with; the test checks them.
type figures struct {
	Clients    map[affiliate.CustomerID]affiliate.AffiliateID
	Earned     map[key]affiliate.Money // as the dashboards break it down by month
	Tiers      map[key]string          // decided at the month's close, for the month after
	Paid       map[key]affiliate.Money
	Carried    map[key]affiliate.Money
	Dashboards map[affiliate.AffiliateID]dashboard
}

// key is one affiliate's month.
type key struct {
	Period    string
	Affiliate affiliate.AffiliateID
}

type dashboard struct {
	Touches, Signups, Conversions int64
	Earned, Paid                  affiliate.Money
}

func run(w io.Writer) (figures, error) {
	ctx := context.Background()
	out := figures{
		Clients: map[affiliate.CustomerID]affiliate.AffiliateID{},
		Earned:  map[key]affiliate.Money{}, Tiers: map[key]string{},
		Paid: map[key]affiliate.Money{}, Carried: map[key]affiliate.Money{},
		Dashboards: map[affiliate.AffiliateID]dashboard{},
	}
	store := memstore.New()
	for _, a := range affiliates {
		if err := store.PutAffiliate(ctx, a); err != nil {
			return out, err
		}
	}
	now := months[0].period.End() // each month's close and payout run happen at its end
	p, err := program.New(program.Config{
		Store: store, Currency: "EUR", Now: func() time.Time { return now },
		Terms:       []commission.TermsVersion{{Version: "2026-01", Rule: commissions}},
		Tiers:       program.Tiers{Schedule: schedule, Policy: tiers.NextPeriod},
		Attribution: program.Attribution{Window: window, Policy: firstTouch},
		Payouts:     program.Payouts{Minimums: map[affiliate.Currency]affiliate.Money{"EUR": minimumPayout}},
	})
	if err != nil {
		return out, err
	}

	fmt.Fprintln(w, "Seed 000: Standard 15% / Premium 20% on own clients, 5% on direct sub-affiliates' clients.")
	fmt.Fprintf(w, "Premium from %s of own clients' revenue in a month (an example threshold), for the month after.\n", premiumThreshold)
	fmt.Fprintln(w, "Bob is Ann's sub-affiliate and Cleo is Bob's: Cleo's clients earn Bob the bonus, and Ann nothing.")

	fmt.Fprintln(w, "\nTouches (90-day window, the first recorded touch wins):")
	for _, in := range touches {
		t, err := p.Click(ctx, in)
		if err != nil {
			return out, err
		}
		what := "clicks %s's link"
		if t.Source == affiliate.TouchCode {
			what = "enters %s's code"
		}
		fmt.Fprintf(w, "  %s  %s "+what+"\n", day(t.At), t.Visitor, t.Affiliate)
	}
	fmt.Fprintln(w, "Signups:")
	for _, s := range signups {
		b, err := p.Signup(ctx, s.Signup)
		if err != nil {
			return out, err
		}
		out.Clients[b.Customer] = b.Affiliate
		fmt.Fprintf(w, "  %s  %s becomes %s's client by %s: %s\n", day(b.BoundAt), b.Customer, b.Affiliate, b.Source, s.note)
	}

	for _, m := range months {
		fmt.Fprintf(w, "\n%s\n", m.period)
		for _, pay := range m.payments {
			res, err := p.Record(ctx, pay)
			if err != nil {
				return out, err
			}
			total, err := pay.Total()
			if err != nil {
				return out, err
			}
			fmt.Fprintf(w, "  %s  %s pays %s\n", day(pay.PaidAt), pay.Customer, total)
			for _, e := range res.Entries {
				fmt.Fprintf(w, "    %s\n", p.Explain(e))
			}
		}

		now = m.period.End()
		closed, err := p.CloseMonth(ctx, m.period) // decides tiers; the ledger follows
		if err != nil {
			return out, err
		}
		fmt.Fprintf(w, "  Tier close of %s (own clients' revenue → tier for %s):\n", m.period, m.period.Next())
		for _, s := range closed.Closes[0].Snapshots {
			fmt.Fprintf(w, "    %-4s %12s → %s\n", s.Affiliate, s.Amount, s.Tier)
			out.Tiers[key{s.Period.String(), s.Affiliate}] = s.Tier
		}

		paid, err := p.RunPayouts(ctx, m.period)
		if err != nil {
			return out, err
		}
		fmt.Fprintf(w, "  Payout run of %s (from %s):\n", m.period, minimumPayout)
		for _, po := range paid.Payouts {
			if _, err := p.SettlePayout(ctx, po.ID, fmt.Sprintf("sepa-%s-%s", m.period, po.Affiliate)); err != nil {
				return out, err
			}
			fmt.Fprintf(w, "    pays    %-4s %12s\n", po.Affiliate, po.Amount)
			out.Paid[key{m.period.String(), po.Affiliate}] = po.Amount
		}
		for _, c := range paid.Carried {
			fmt.Fprintf(w, "    carries %-4s %12s: %s\n", c.Affiliate, c.Amount, c.Note)
			out.Carried[key{m.period.String(), c.Affiliate}] = c.Amount
		}
	}

	// The dashboards cover December, when the first clicks came, to March.
	last := months[len(months)-1].period
	rng := report.Range{From: months[0].period.Prev(), To: last}
	fmt.Fprintln(w)
	for _, a := range affiliates {
		d, err := p.Dashboard(ctx, a.ID, rng)
		if err != nil {
			return out, err
		}
		fmt.Fprint(w, d.Text())
		c := d.Currencies[0] // the program is in EUR only
		out.Dashboards[a.ID] = dashboard{d.Touches, d.Signups, d.Conversions, c.Earned, c.Paid}
		for _, mf := range d.Months {
			if len(mf.Earned) > 0 {
				out.Earned[key{mf.Period.String(), a.ID}] = mf.Earned[0]
			}
		}
	}
	return out, nil
}

func day(t time.Time) string { return t.Format(time.DateOnly) }
