package payout_test

import (
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/payout"
)

// A EUR 100 cap per affiliate: Ann's oldest entries are paid up to it,
// and the rest is carried with the reason.
func ExampleCaps() {
	jan := affiliate.Period{Year: 2026, Month: time.January, Location: time.UTC}
	plan, err := payout.NewPlan(payout.Input{
		Program: "default", Period: jan, AsOf: jan.End(),
		Caps: payout.Caps{PerAffiliate: map[affiliate.Currency]affiliate.Money{"EUR": affiliate.MustParseMoney("100", "EUR")}},
		Entries: []affiliate.Entry{
			commission("e1", "ann", "70.00", jan.Start().Add(24*time.Hour)),
			commission("e2", "ann", "20.00", jan.Start().Add(48*time.Hour)),
			commission("e3", "ann", "60.00", jan.Start().Add(72*time.Hour)),
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range plan.Payouts {
		fmt.Println("pay", p.Affiliate, p.Amount, p.Entries)
	}
	for _, c := range plan.Carried {
		fmt.Println("carry", c.Affiliate, c.Amount, c.Reason+":", c.Note)
	}
	// Output:
	// pay ann 90.00 EUR [e1 e2]
	// carry ann 60.00 EUR capped: paid 90.00 EUR of 150.00 EUR, capped at the per-affiliate cap of 100.00 EUR: 60.00 EUR is carried to the next run
}
