package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/program"
	"github.com/openaffiliate/affiliate/report"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// The program, as seed 001 states it.
var (
	revShare      = rules.Percent{Name: "lifetime_30", Rate: affiliate.MustPercent("30")}
	minimumPayout = usd("50") // an example value: the document names none
)

func main() {
	if _, err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "lifetime-revshare:", err)
		os.Exit(1)
	}
}

// figures are the numbers the story ends with; the test checks them.
type figures struct {
	Earned  map[affiliate.EventID]affiliate.Money // per payment
	Paid    map[payoutKey]affiliate.Money
	Carried map[payoutKey]affiliate.Money
	Stats   map[affiliate.AffiliateID]stats
}

type payoutKey struct {
	Period    string
	Affiliate affiliate.AffiliateID
}

// stats are the figures of the program's affiliate dashboard.
type stats struct {
	Referred, Conversions  int64
	Spent, Earned, PaidOut affiliate.Money
}

func run(w io.Writer) (figures, error) {
	ctx := context.Background()
	out := figures{
		Earned:  map[affiliate.EventID]affiliate.Money{},
		Paid:    map[payoutKey]affiliate.Money{},
		Carried: map[payoutKey]affiliate.Money{},
		Stats:   map[affiliate.AffiliateID]stats{},
	}
	store := memstore.New()
	for _, a := range affiliates {
		if err := store.PutAffiliate(ctx, a); err != nil {
			return out, err
		}
	}
	var now time.Time // the story's clock: each signup's time, then each month's end
	p, err := program.New(program.Config{
		Store: store, Now: func() time.Time { return now },
		Terms:   []commission.TermsVersion{{Version: "2026-01", Rule: revShare}},
		Payouts: program.Payouts{Minimums: map[affiliate.Currency]affiliate.Money{"USD": minimumPayout}},
	})
	if err != nil {
		return out, err
	}

	fmt.Fprintf(w, "Seed 001: %s of every payment a referred user makes, for life.\n", revShare.Rate.PercentString())
	fmt.Fprintf(w, "Monthly payouts once the balance reaches %s (an example minimum: the program names none).\n\n", minimumPayout)

	fmt.Fprintln(w, "Users arrive through referral links:")
	for _, s := range signups {
		now = s.at
		if _, err := p.Click(ctx, attribution.TouchInput{Visitor: s.visitor, Code: s.code, At: s.at.Add(-time.Hour)}); err != nil {
			return out, err
		}
		b, err := p.Signup(ctx, attribution.Signup{Customer: s.customer, Email: s.email, Visitor: s.visitor, At: s.at})
		if err != nil {
			return out, err
		}
		fmt.Fprintf(w, "  %s  %s signed up through %s's link\n", day(s.at), b.Customer, b.Affiliate)
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
			fmt.Fprintf(w, "  %s  %s pays %s (%s)\n", day(pay.PaidAt), pay.Customer, total, describe(pay))
			for _, e := range res.Entries {
				fmt.Fprintf(w, "    %s\n", p.Explain(e))
				out.Earned[pay.ID] = e.Amount // one entry per payment: the rule pays the referrer only
			}
		}
		now = m.period.End()
		res, err := p.RunPayouts(ctx, m.period)
		if err != nil {
			return out, err
		}
		fmt.Fprintf(w, "  Payout run for %s:\n", m.period)
		for _, po := range res.Payouts {
			if _, err := p.SettlePayout(ctx, po.ID, fmt.Sprintf("wire-%s-%s", m.period, po.Affiliate)); err != nil {
				return out, err
			}
			fmt.Fprintf(w, "    pays %s %s (%d entries)\n", po.Affiliate, po.Amount, len(po.Entries))
			out.Paid[payoutKey{m.period.String(), po.Affiliate}] = po.Amount
		}
		for _, c := range res.Carried {
			fmt.Fprintf(w, "    carries %s %s: %s\n", c.Affiliate, c.Amount, c.Note)
			out.Carried[payoutKey{m.period.String(), c.Affiliate}] = c.Amount
		}
	}

	first, last := months[0].period, months[len(months)-1].period
	fmt.Fprintf(w, "\nAffiliate stats, %s to %s:\n", first, last)
	for _, a := range affiliates {
		d, err := p.Dashboard(ctx, a.ID, report.Range{From: first, To: last})
		if err != nil {
			return out, err
		}
		c := d.Currencies[0] // every payment of the story is in USD
		s := stats{Referred: d.Signups, Conversions: d.Conversions, Spent: c.Spent, Earned: c.Earned, PaidOut: c.Paid}
		fmt.Fprintf(w, "  %s: users referred %d, conversions %d, money spent by referrals %s, earned %s, paid out %s\n",
			a.ID, s.Referred, s.Conversions, s.Spent, s.Earned, s.PaidOut)
		out.Stats[a.ID] = s
	}
	return out, nil
}

func usd(amount string) affiliate.Money { return affiliate.MustParseMoney(amount, "USD") }

// describe lists an invoice's lines for people: "payg plan, whitelabel add-on".
func describe(p affiliate.Payment) string {
	names := make([]string, len(p.Lines))
	for i, l := range p.Lines {
		names[i] = l.Description
	}
	return strings.Join(names, ", ")
}

func day(t time.Time) string { return t.Format(time.DateOnly) }
