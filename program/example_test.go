package program_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/program"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage/memstore"
	"github.com/openaffiliate/affiliate/tiers"
)

// A whole program: 20% of referred customers' payments, 25% for an
// affiliate whose customers paid EUR 1,000 or more the month before, paid
// out monthly from EUR 50.
func Example() {
	ctx, store := context.Background(), memstore.New()
	check(store.PutAffiliate(ctx, affiliate.Affiliate{ID: "ann", Status: affiliate.StatusActive, Codes: []string{"ann"}}))
	p := must(program.New(program.Config{
		Store: store, Currency: "EUR",
		Terms: []commission.TermsVersion{{Version: "v1", Rule: rules.TierRate{}}},
		Tiers: program.Tiers{Schedule: tiers.MustSchedule(
			tiers.Tier{Name: "Standard", Rate: affiliate.MustPercent("20")},
			tiers.Tier{Name: "Gold", Threshold: tiers.Amount(eur("1000")), Rate: affiliate.MustPercent("25")})},
		Payouts: program.Payouts{Minimums: map[affiliate.Currency]affiliate.Money{"EUR": eur("50")}},
		Now:     func() time.Time { return time.Date(2026, time.February, 1, 9, 0, 0, 0, time.UTC) },
	}))
	jan := p.Month(2026, time.January)
	must(p.Click(ctx, attribution.TouchInput{Visitor: "v1", Code: "ann", At: jan.Start().Add(time.Hour)}))
	must(p.Signup(ctx, attribution.Signup{Customer: "acme", Visitor: "v1", At: jan.Start().Add(2 * time.Hour)}))
	paid := must(p.Record(ctx, affiliate.Payment{ID: "in_1", Customer: "acme", PaidAt: jan.Start().AddDate(0, 0, 9), Currency: "EUR",
		Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: eur("1200")}}}))
	fmt.Println(p.Explain(paid.Entries[0]))
	fmt.Println("tier for February:", must(p.CloseMonth(ctx, jan)).Closes[0].Snapshots[0].Tier)
	run := must(p.RunPayouts(ctx, jan))
	must(p.SettlePayout(ctx, run.Payouts[0].ID, "sepa-2026-01-ann"))
	fmt.Print(must(p.Statement(ctx, "ann", jan)).Text())
	// Output:
	// ann earns 240.00 EUR (commission) on payment in_1 of customer acme: rule "tier_rate", terms "v1", 20% of 1200.00 EUR [subscription], tier "Standard", chain ann — tier "Standard": 20% of 1200.00 EUR (subscription)
	// tier for February: Gold
	// Statement 2026-01 for ann, EUR
	// Run as of 2026-02-01T09:00:00Z
	//
	//   Opening balance                        0.00
	//   Earned: commission                   240.00
	//   Reversed                               0.00
	//   Paid                                -240.00
	//   Closing balance                        0.00
	//     carried to the next run              0.00
	//     on hold                              0.00
	//
	//   2026-01-10  commission          in_1/1                                      240.00  tier "Standard": 20% of 1200.00 EUR (subscription)
	//   2026-02-01  payout              po_2026-01_3331ee4283a4204aef4ba2f3        -240.00  paid, transfer sepa-2026-01-ann, settling 1 entry
}

func eur(amount string) affiliate.Money { return affiliate.MustParseMoney(amount, "EUR") }

// must stops the program on an error; a host returns it instead.
func must[T any](v T, err error) T {
	check(err)
	return v
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
