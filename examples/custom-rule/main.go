// Command custom-rule shows a team writing its own commission rule,
// checking it with rules/rulestest, and running it in a program.Program.
//
//	go run ./examples/custom-rule
//	go test ./examples/custom-rule
//
// The team pays its affiliates 20% of every payment, and on a customer's
// first paid invoice a launch bounty: half of the subscription, capped by
// plan (10 EUR on starter, 40 EUR on pro, 150 EUR on enterprise). The
// bounty is planBounty, a rules.Rule of about fifty lines (bounty.go);
// the rest is built-in rules composed around it. main_test.go checks it
// with rulestest.Check (determinism, no mutation, currency, sign, rate
// bounds, boundary amounts) and with a table of the team's own cases.
//
// Decisions:
//   - The bounty is a bounty entry with a base and a rate, so it explains
//     itself and a refund reverses it pro rata, as it reverses a
//     commission.
//   - A customer paying in a currency for which the plan has no cap earns
//     the commission and no bounty: the engine never converts.
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
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// launchBounty is the team's rule as configured.
var launchBounty = planBounty{
	Rate: affiliate.MustPercent("50"),
	Caps: map[string]affiliate.Money{"starter": eur("10"), "pro": eur("40"), "enterprise": eur("150")},
}

// terms compose it with built-in rules: 20% of every payment, and the
// bounty on the first paid invoice only.
var terms = rules.AllOf{
	rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("20")},
	rules.When{If: rules.FirstPayments(1), Then: launchBounty},
}

func main() {
	if _, err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "custom-rule:", err)
		os.Exit(1)
	}
}

// figures are what the story ends with; the test checks them.
type figures struct {
	Entries map[affiliate.EventID][]affiliate.Money // in the order the engine appended them
	Net     map[affiliate.Currency]affiliate.Money  // the affiliate's available balance
}

func run(w io.Writer) (figures, error) {
	ctx := context.Background()
	out := figures{Entries: map[affiliate.EventID][]affiliate.Money{}, Net: map[affiliate.Currency]affiliate.Money{}}
	store := memstore.New()
	if err := store.PutAffiliate(ctx, affiliate.Affiliate{ID: "kim", Status: affiliate.StatusActive}); err != nil {
		return out, err
	}
	p, err := program.New(program.Config{
		Store: store, Now: func() time.Time { return date(time.March, 1) },
		Terms: []commission.TermsVersion{{Version: "2026-01", Rule: terms}},
	})
	if err != nil {
		return out, err
	}
	// Kim's customers came before the program was tracked: the host binds
	// them by hand, through the same checks as any binding.
	for _, c := range []affiliate.CustomerID{"c_starter", "c_pro", "c_enterprise", "c_us"} {
		m := attribution.ManualBinding{Customer: c, Affiliate: "kim", At: date(time.January, 2), Reason: "referred by Kim before tracking began"}
		if _, err := p.BindManually(ctx, m); err != nil {
			return out, err
		}
	}

	fmt.Fprintln(w, "20% of every payment, and a launch bounty on the first paid invoice:")
	fmt.Fprintf(w, "%s of the subscription, capped at %s (starter), %s (pro), %s (enterprise).\n",
		launchBounty.Rate.PercentString(), launchBounty.Caps["starter"], launchBounty.Caps["pro"], launchBounty.Caps["enterprise"])
	for _, s := range story {
		ev := s.event
		res, err := p.Record(ctx, ev)
		if err != nil {
			return out, err
		}
		fmt.Fprintf(w, "\n%s  %s: %s\n", ev.EventTime().Format(time.DateOnly), describe(ev), s.note)
		for _, e := range res.Entries {
			fmt.Fprintf(w, "  %s\n", p.Explain(e))
			out.Entries[ev.EventID()] = append(out.Entries[ev.EventID()], e.Amount)
		}
	}
	balances, err := p.Balance(ctx, "kim", date(time.March, 1))
	if err != nil {
		return out, err
	}
	for _, b := range balances { // no hold and no payout yet: all of it is available
		out.Net[b.Currency] = b.Available
	}
	fmt.Fprintf(w, "\nkim's balance: %s and %s\n", out.Net["EUR"], out.Net["USD"])
	return out, nil
}

// story is four customers' first invoices, two renewals and a refund,
// with what the reader should notice.
var story = []struct {
	event affiliate.Event
	note  string
}{
	{invoice("in_1", "c_starter", date(time.January, 5), "EUR", subscription("starter", "29")), "the bounty hits the starter cap"},
	{invoice("in_2", "c_pro", date(time.January, 8), "EUR", subscription("pro", "59")), "the bounty stays under the pro cap"},
	{invoice("in_3", "c_enterprise", date(time.January, 12), "EUR", subscription("enterprise", "499"), setupFee("200")),
		"the enterprise cap; the setup fee earns commission only"},
	{invoice("in_4", "c_us", date(time.January, 20), "USD", affiliate.Line{Kind: affiliate.LineSubscription, Plan: "pro", Amount: affiliate.MustParseMoney("59", "USD")}),
		"no bounty: the caps are in EUR, and nothing is converted"},
	{invoice("in_5", "c_starter", date(time.February, 5), "EUR", subscription("starter", "29")), "a renewal: commission only"},
	{invoice("in_6", "c_pro", date(time.February, 8), "EUR", subscription("pro", "59")), "a renewal: commission only"},
	{affiliate.Refund{ID: "re_1", Payment: "in_3", Customer: "c_enterprise", RefundedAt: date(time.February, 10), Kind: affiliate.KindRefund, Full: true},
		"the refund takes back the bounty with the commission"},
}

func describe(ev affiliate.Event) string {
	switch ev := ev.(type) {
	case affiliate.Payment:
		total, _ := ev.Total() // the story's payments are valid
		return fmt.Sprintf("%s pays %s for %s (%s)", ev.Customer, total, ev.Lines[0].Plan, ev.ID)
	case affiliate.Refund:
		return fmt.Sprintf("%s is refunded %s in full (%s)", ev.Customer, ev.Payment, ev.ID)
	}
	return string(ev.EventID())
}

func invoice(id affiliate.EventID, c affiliate.CustomerID, at time.Time, cur affiliate.Currency, lines ...affiliate.Line) affiliate.Payment {
	return affiliate.Payment{ID: id, Customer: c, PaidAt: at, Currency: cur, Lines: lines}
}

func subscription(plan, amount string) affiliate.Line {
	return affiliate.Line{Kind: affiliate.LineSubscription, Plan: plan, Amount: eur(amount)}
}

func setupFee(amount string) affiliate.Line {
	return affiliate.Line{Kind: affiliate.LineSetupFee, Amount: eur(amount)}
}

func eur(amount string) affiliate.Money { return affiliate.MustParseMoney(amount, "EUR") }

func date(m time.Month, d int) time.Time { return time.Date(2026, m, d, 9, 0, 0, 0, time.UTC) }
