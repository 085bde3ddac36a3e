package program_test

import (
	"context"
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/program"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// Manual review above EUR 100: a reviewer rejects one commission, a
// manager adds a bonus, and the run pays what is approved; the statement
// says what still waits and why.
func ExampleProgram_Approve() {
	ctx, store := context.Background(), memstore.New()
	check(store.PutAffiliate(ctx, affiliate.Affiliate{ID: "ann", Status: affiliate.StatusActive, Codes: []string{"ann"}}))
	p := must(program.New(program.Config{
		Store: store, Currency: "EUR",
		Terms:    []commission.TermsVersion{{Version: "v1", Rule: rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("30")}}},
		Approval: affiliate.ApprovalPolicy{Above: map[affiliate.Currency]affiliate.Money{"EUR": eur("100")}},
		Now:      func() time.Time { return time.Date(2026, time.February, 1, 9, 0, 0, 0, time.UTC) },
	}))
	jan := p.Month(2026, time.January)
	must(p.Signup(ctx, attribution.Signup{Customer: "acme", Code: "ann", At: jan.Start()}))
	for i, amount := range []string{"1000", "200", "500"} {
		must(p.Record(ctx, affiliate.Payment{ID: affiliate.EventID(fmt.Sprintf("in_%d", i+1)), Customer: "acme", PaidAt: jan.Start().AddDate(0, 0, 9+i),
			Currency: "EUR", Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: eur(amount)}}}))
	}
	for _, w := range must(p.Pending(ctx, program.PendingQuery{Affiliate: "ann"})) {
		fmt.Println("pending:", w.Entry.ID, w.Amount, "-", w.Reason)
	}
	check(p.Reject(ctx, program.Decision{Key: "rev-1", Entries: []affiliate.EntryID{"in_1/1"}, Reviewer: "rita", Reason: "card shared with the affiliate"}))
	check(p.Approve(ctx, program.Decision{Key: "rev-2", Query: &program.PendingQuery{Affiliate: "ann", MinAmount: eur("100")}, Reviewer: "rita", Reason: "checked the invoice"}))
	bonus := must(p.Adjust(ctx, program.Adjustment{Key: "bonus-1", Kind: commission.AdjustBonus, Affiliate: "ann", Amount: eur("20"),
		Reason: "launch week", Actor: "max", At: jan.Start().AddDate(0, 0, 20)}))
	fmt.Println(p.Explain(bonus))
	run := must(p.RunPayouts(ctx, jan))
	fmt.Println("paid:", run.Payouts[0].Amount, "for", len(run.Payouts[0].Entries), "entries")
	fmt.Print(must(p.Statement(ctx, "ann", jan)).Text())
	// Output:
	// pending: in_1/1 300.00 EUR - needs a reviewer's approval
	// pending: in_3/1 150.00 EUR - needs a reviewer's approval
	// ann earns 20.00 EUR (adjustment): rule "manual/bonus", terms "" — manual bonus by max: launch week
	// paid: 230.00 EUR for 3 entries
	// Statement 2026-01 for ann, EUR
	// Run as of 2026-02-01T09:00:00Z
	//
	//   Opening balance                        0.00
	//   Earned: commission                   510.00
	//   Earned: adjustment                    20.00
	//   Reversed                               0.00
	//   Paid                                -230.00
	//   Closing balance                      300.00
	//     carried to the next run            300.00
	//     on hold                              0.00
	//   Carried: available after the run, or released by a failed or cancelled payout: the next run takes it
	//
	//   2026-01-10  commission          in_1/1                                      300.00  30% of 1000.00 EUR (subscription)
	//   2026-01-11  commission          in_2/1                                       60.00  30% of 200.00 EUR (subscription)
	//   2026-01-12  commission          in_3/1                                      150.00  30% of 500.00 EUR (subscription)
	//   2026-01-21  adjustment          adjust/bonus-1/1                             20.00  manual bonus by max: launch week
	//   2026-02-01  payout              po_2026-01_3331ee4283a4204aef4ba2f3        -230.00  created, waiting for the transfer, settling 3 entries
	//
	// Review (a run pays approved entries only):
	//   2026-02-01  rejected in_1/1         300.00  card shared with the affiliate (rita)
	//   2026-02-01  approved in_3/1         150.00  checked the invoice (rita)
}
