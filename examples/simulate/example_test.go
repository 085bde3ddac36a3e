package main

import (
	"context"
	"fmt"
)

// Example runs two months of a tiny program (20 affiliates, 200
// customers) with every check, and prints what the checker counted. The
// same seed always gives the same figures.
func Example() {
	res, err := Run(context.Background(), Config{
		Gen:       GenConfig{Seed: 42, Scale: 0.002, Months: 2},
		Check:     true,
		Recompute: 100,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	t := res.Totals
	fmt.Printf("%d bindings, %d payments, %d refunds\n", t.Bindings, t.Payments, t.Refunds)
	fmt.Printf("entries: %d commission, %d bonus, %d reversal\n", t.Entries["commission"], t.Entries["sub_affiliate_bonus"], t.Entries["reversal"])
	fmt.Printf("earned %v, paid out %v in %d payouts, carried %v\n", currencyTotals(t.Earned), currencyTotals(t.PaidOut), t.Payouts, currencyTotals(t.Carried))
	fmt.Println(res.Violations)
	// Output:
	// 134 bindings, 301 payments, 2 refunds
	// entries: 301 commission, 19 bonus, 2 reversal
	// earned [7614.24 EUR 4097.92 USD 601.36 GBP 21112 JPY], paid out [7478.21 EUR 3697.61 USD 526.19 GBP 21112 JPY] in 42 payouts, carried [116.03 EUR 119.81 USD 75.17 GBP]
	// no violations
}
