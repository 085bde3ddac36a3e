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
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/program"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// reward is the program, as seed 002 states it: 50% of the first two
// months paid, earned when the second is paid, in the invoice's currency.
var reward = rules.Deferred{Name: "lead_reward", Rate: affiliate.MustPercent("50"), Months: 2}

func main() {
	if _, err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "lead-referral:", err)
		os.Exit(1)
	}
}

// figures are the outcomes the story ends with; the test checks them.
type figures struct {
	Partners map[affiliate.AffiliateID][]attribution.ReasonCode // refusal reasons; nil when eligible
	Leads    map[affiliate.LeadID]leadOutcome
	Rewards  map[affiliate.CustomerID]affiliate.Money
	Paid     map[string][]affiliate.Money // by period
	Mail     []notice
}

type leadOutcome struct {
	Status  affiliate.LeadStatus
	Reasons []attribution.ReasonCode
}

func run(w io.Writer) (figures, error) {
	ctx := context.Background()
	out := figures{
		Partners: map[affiliate.AffiliateID][]attribution.ReasonCode{},
		Leads:    map[affiliate.LeadID]leadOutcome{},
		Rewards:  map[affiliate.CustomerID]affiliate.Money{},
		Paid:     map[string][]affiliate.Money{},
	}
	store := memstore.New()
	mail := &mailer{w: w}
	// Partners hear of each step from the outbox, which the store writes
	// with every change; the story's code tells nobody anything itself.
	notify := notices{store: store, notifier: mail}
	now := leads[0].At // the story's clock: the leads' day, then each month's end
	p, err := program.New(program.Config{
		Store: store, Now: func() time.Time { return now },
		Terms:       []commission.TermsVersion{{Version: "2026-01", Rule: reward}},
		Attribution: program.Attribution{Directory: existingCustomers},
		Payouts:     program.Payouts{Checks: []payout.Check{payout.PayoutMethodOnFile()}},
	})
	if err != nil {
		return out, err
	}

	fmt.Fprintf(w, "Seed 002: partners earn %s of a referred lead's first %d months paid, once month %d is paid.\n\n",
		reward.Rate.PercentString(), reward.Months, reward.Months)

	fmt.Fprintln(w, "Partner applications (a professional e-mail and a website; freelancers welcome):")
	for _, pa := range partners {
		reasons, err := p.CheckPartner(ctx, attribution.PartnerApplication{
			Email: pa.account.Email, Website: pa.website, Freelancer: pa.freelancer,
		})
		if err != nil {
			return out, err
		}
		out.Partners[pa.account.ID] = codes(reasons)
		if len(reasons) > 0 {
			fmt.Fprintf(w, "  %s (%s) is refused: %s\n", pa.account.ID, pa.account.Email, list(reasons))
			continue
		}
		if err := store.PutAffiliate(ctx, pa.account); err != nil {
			return out, err
		}
		fmt.Fprintf(w, "  %s (%s) joins the program\n", pa.account.ID, pa.account.Email)
	}

	fmt.Fprintf(w, "\n%s  leads submitted, and validated against the criteria:\n", leads[0].At.Format(time.DateOnly))
	leadOf := map[affiliate.CustomerID]attribution.LeadInput{}
	for _, l := range leads {
		if _, err := p.SubmitLead(ctx, l.LeadInput); err != nil {
			return out, err
		}
		if err := notify.send(ctx); err != nil {
			return out, err
		}
		if l.customer != "" {
			leadOf[l.customer] = l.LeadInput
		}
	}

	paid := map[affiliate.CustomerID]int{} // invoices paid, per customer
	for _, m := range months {
		fmt.Fprintf(w, "\n%s\n", m.period)
		for _, pay := range m.payments {
			l := leadOf[pay.Customer]
			total, err := pay.Total()
			if err != nil {
				return out, err
			}
			fmt.Fprintf(w, "  %s  %s pays %s\n", pay.PaidAt.Format(time.DateOnly), l.Company, total)
			paid[pay.Customer]++
			if paid[pay.Customer] == 1 { // the lead has become a paying customer
				if _, err := p.ConvertLead(ctx, l.ID, attribution.Signup{Customer: pay.Customer, Email: l.Email, At: pay.PaidAt}); err != nil {
					return out, err
				}
				if err := notify.send(ctx); err != nil {
					return out, err
				}
			}
			res, err := p.Record(ctx, pay)
			if err != nil {
				return out, err
			}
			if len(res.Entries) == 0 {
				continue
			}
			earned := affiliate.Zero(pay.Currency)
			for _, e := range res.Entries {
				fmt.Fprintf(w, "    %s\n", p.Explain(e))
				if earned, err = earned.Add(e.Amount); err != nil {
					return out, err
				}
			}
			out.Rewards[pay.Customer] = earned
			if err := notify.send(ctx); err != nil {
				return out, err
			}
			if err := partnerReplies(ctx, store, l.Affiliate); err != nil {
				return out, err
			}
		}

		now = m.period.End()
		res, err := p.RunPayouts(ctx, m.period)
		if err != nil {
			return out, err
		}
		fmt.Fprintf(w, "  Payout run for %s: %d transfers\n", m.period, len(res.Payouts))
		for _, po := range res.Payouts {
			if _, err := p.SettlePayout(ctx, po.ID, fmt.Sprintf("wire-%s-%s", m.period, po.Amount.Currency())); err != nil {
				return out, err
			}
			if err := notify.send(ctx); err != nil {
				return out, err
			}
			out.Paid[m.period.String()] = append(out.Paid[m.period.String()], po.Amount)
		}
		for _, c := range res.Carried {
			fmt.Fprintf(w, "    %s's %s waits: %s\n", c.Affiliate, c.Amount, c.Note)
		}
	}

	fmt.Fprintln(w, "\nWhere each lead ended:")
	for _, l := range leads {
		stored, err := store.Lead(ctx, l.ID)
		if err != nil {
			return out, err
		}
		reasons := attribution.LeadReasons(stored.Reasons)
		out.Leads[l.ID] = leadOutcome{stored.Status, codes(reasons)}
		fmt.Fprintf(w, "  %-18s from %-4s  %s", l.Company, l.Affiliate, stored.Status)
		switch r, ok := out.Rewards[l.customer]; {
		case stored.Status == affiliate.LeadRefused:
			fmt.Fprintf(w, ": %s\n", list(reasons))
		case ok:
			fmt.Fprintf(w, ", %d months paid, a reward of %s on the first two\n", paid[l.customer], r)
		default:
			fmt.Fprintf(w, ", %d month paid, no reward: it is earned when a second month is paid\n", paid[l.customer])
		}
	}
	out.Mail = mail.sent
	return out, nil
}

// partnerReplies is the partner answering the reward notice's request
// for its transfer details at once, so the month's payout run can pay.
func partnerReplies(ctx context.Context, store *memstore.Store, id affiliate.AffiliateID) error {
	partner, err := store.Affiliate(ctx, id)
	if err != nil || partner.PayoutMethodOnFile {
		return err
	}
	partner.PayoutMethodOnFile = true
	return store.PutAffiliate(ctx, partner)
}

func list(reasons []attribution.Reason) string {
	s := make([]string, len(reasons))
	for i, r := range reasons {
		s[i] = r.String()
	}
	return strings.Join(s, "; ")
}

func codes(reasons []attribution.Reason) []attribution.ReasonCode {
	var cs []attribution.ReasonCode
	for _, r := range reasons {
		cs = append(cs, r.Code)
	}
	return cs
}
