package payout_test

import (
	"context"
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// commission is a ledger entry as the commission engine would append it.
func commission(id string, a affiliate.AffiliateID, amount string, at time.Time) affiliate.Entry {
	m := affiliate.MustParseMoney(amount, "EUR")
	return affiliate.Entry{
		ID: affiliate.EntryID(id), Beneficiary: a, Kind: affiliate.KindCommission, Amount: m,
		Rule: "percent", Terms: "v1", At: at, AvailableAt: at,
		Explanation: "15% of a referred payment: " + m.String(),
	}
}

// Seed 000 pays monthly with a EUR 50 minimum: Ann's 60.00 is paid, Bob's
// 20.00 is carried to February.
func ExampleRunner_Run() {
	ctx := context.Background()
	store := memstore.New()
	jan := affiliate.Period{Year: 2026, Month: time.January, Location: time.UTC}
	affiliatetest.SeedLedger(ctx, store, "demo", []affiliate.Entry{
		commission("e1", "ann", "45.00", jan.Start().Add(48*time.Hour)),
		commission("e2", "ann", "15.00", jan.Start().Add(96*time.Hour)),
		commission("e3", "bob", "20.00", jan.Start().Add(96*time.Hour)),
	}, nil)

	runner, err := payout.New(payout.Config{
		Policy: payout.Policy{Minimums: map[affiliate.Currency]affiliate.Money{
			"EUR": affiliate.MustParseMoney("50", "EUR"),
		}},
		Store: store,
	})
	if err != nil {
		panic(err)
	}
	res, err := runner.Run(ctx, jan, jan.End())
	if err != nil {
		panic(err)
	}
	for _, p := range res.Payouts {
		fmt.Println("pay", p.Affiliate, p.Amount, "for", len(p.Entries), "entries,", p.Status)
	}
	for _, c := range res.Carried {
		fmt.Printf("carry %s %s: %s\n", c.Affiliate, c.Amount, c.Note)
	}

	// The host sends the money, then reports it with its own reference.
	paid, _ := runner.MarkPaid(ctx, res.Payouts[0].ID, "SEPA-0001")
	fmt.Println(paid.Status, paid.Reference)

	// Running January again changes nothing.
	again, _ := runner.Run(ctx, jan, jan.End().Add(24*time.Hour))
	fmt.Println("replayed:", again.Replayed, len(again.Payouts), "payout")
	// Output:
	// pay ann 60.00 EUR for 2 entries, created
	// carry bob 20.00 EUR: balance 20.00 EUR is below the minimum payout of 50.00 EUR
	// paid SEPA-0001
	// replayed: true 1 payout
}

// The pure core plans without a store: what would be paid and carried.
func ExampleNewPlan() {
	jan := affiliate.Period{Year: 2026, Month: time.January, Location: time.UTC}
	plan, err := payout.NewPlan(payout.Input{
		Program: "default",
		Period:  jan,
		AsOf:    jan.End(),
		Policy: payout.Policy{Minimums: map[affiliate.Currency]affiliate.Money{
			"EUR": affiliate.MustParseMoney("50", "EUR"),
		}},
		Entries: []affiliate.Entry{
			commission("e1", "ann", "80.00", jan.Start()),
			commission("e2", "ann", "-30.00", jan.Start().Add(time.Hour)),
			commission("e3", "bob", "-5.00", jan.Start()),
		},
	})
	if err != nil {
		panic(err)
	}
	for _, p := range plan.Payouts {
		fmt.Println("pay", p.Affiliate, p.Amount)
	}
	for _, c := range plan.Carried {
		fmt.Println("carry", c.Affiliate, c.Amount, c.Reason)
	}
	// Output:
	// pay ann 50.00 EUR
	// carry bob -5.00 EUR not_positive
}

func ExampleRunner_Statement() {
	ctx := context.Background()
	store := memstore.New()
	jan := affiliate.Period{Year: 2026, Month: time.January, Location: time.UTC}
	affiliatetest.SeedLedger(ctx, store, "demo", []affiliate.Entry{
		commission("e1", "ann", "45.00", jan.Start().Add(48*time.Hour)),
		commission("e2", "ann", "15.00", jan.Start().Add(96*time.Hour)),
	}, nil)
	runner, _ := payout.New(payout.Config{Store: store})
	res, _ := runner.Run(ctx, jan, jan.End())
	runner.MarkPaid(ctx, res.Payouts[0].ID, "SEPA-0001")

	st, err := runner.Statement(ctx, "ann", jan, "EUR")
	if err != nil {
		panic(err)
	}
	fmt.Print(st.Text())
	// Output:
	// Statement 2026-01 for ann, EUR
	// Run as of 2026-02-01T00:00:00Z
	//
	//   Opening balance                        0.00
	//   Earned: commission                    60.00
	//   Reversed                               0.00
	//   Paid                                 -60.00
	//   Closing balance                        0.00
	//     carried to the next run              0.00
	//     on hold                              0.00
	//
	//   2026-01-03  commission          e1                                           45.00  15% of a referred payment: 45.00 EUR
	//   2026-01-05  commission          e2                                           15.00  15% of a referred payment: 15.00 EUR
	//   2026-02-01  payout              po_2026-01_3331ee4283a4204aef4ba2f3         -60.00  paid, transfer SEPA-0001, settling 2 entries
}
