package commission_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// Seed 001: 30% of every payment a referred customer makes, for life,
// held 30 days before payout.
func ExampleEngine_Record() {
	ctx := context.Background()
	store := memstore.New()
	_ = store.PutAffiliate(ctx, affiliate.Affiliate{ID: "ann", Status: affiliate.StatusActive})
	_, _ = store.Bind(ctx, affiliate.Binding{Customer: "acme", Affiliate: "ann", Source: affiliate.BindByLink, BoundAt: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)})

	eng, err := commission.New(commission.Config{
		Store: store,
		Terms: []commission.TermsVersion{{
			Version: "2026-01",
			Rule:    rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("30")},
			Hold:    30 * 24 * time.Hour,
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := eng.Record(ctx, affiliate.Payment{
		ID: "in_1", Customer: "acme", PaidAt: time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC), Currency: "USD",
		Lines: []affiliate.Line{
			{Kind: affiliate.LineSubscription, Amount: affiliate.MustParseMoney("20", "USD"), Plan: "payg"},
			{Kind: affiliate.LineAddOn, Amount: affiliate.MustParseMoney("200", "USD"), SKU: "whitelabel"},
			{Kind: affiliate.LineTax, Amount: affiliate.MustParseMoney("44", "USD")},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range res.Entries {
		fmt.Println(e.ID, e.Beneficiary, e.Kind, e.Amount, "available", e.AvailableAt.Format(time.DateOnly))
		fmt.Println(commission.Explain(e))
	}
	// Output:
	// in_1/1 ann commission 66.00 USD available 2026-02-14
	// ann earns 66.00 USD (commission) on payment in_1 of customer acme: rule "rev_share", terms "2026-01", 30% of 220.00 USD [subscription, add_on], chain ann — 30% of 220.00 USD (subscription, add_on)
}

// A refund reverses the payment's entries pro rata, at once (no hold);
// a delivery that comes twice is a replay.
func ExampleEngine_Record_refund() {
	ctx := context.Background()
	store := memstore.New()
	_ = store.PutAffiliate(ctx, affiliate.Affiliate{ID: "ann", Status: affiliate.StatusActive})
	_, _ = store.Bind(ctx, affiliate.Binding{Customer: "acme", Affiliate: "ann", Source: affiliate.BindByCode, BoundAt: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)})
	eng, _ := commission.New(commission.Config{Store: store, Terms: []commission.TermsVersion{{
		Version: "v1", Rule: rules.Percent{Rate: affiliate.MustPercent("30")}, Hold: 30 * 24 * time.Hour,
	}}})

	paidAt := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
	_, _ = eng.Record(ctx, affiliate.Payment{ID: "in_1", Customer: "acme", PaidAt: paidAt, Currency: "EUR",
		Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustParseMoney("100", "EUR")}}})
	r := affiliate.Refund{ID: "re_1", Payment: "in_1", Customer: "acme", RefundedAt: paidAt.AddDate(0, 0, 3),
		Kind: affiliate.KindRefund, Amount: affiliate.MustParseMoney("25", "EUR")}
	res, _ := eng.Record(ctx, r)
	e := res.Entries[0]
	fmt.Println(e.Kind, e.Amount, "corrects", e.Corrects, "available", e.AvailableAt.Format(time.DateOnly))
	again, _ := eng.Record(ctx, r)
	fmt.Println("replayed:", again.Replayed, "entries:", len(again.Entries))
	// Output:
	// reversal -7.50 EUR corrects in_1/1 available 2026-01-18
	// replayed: true entries: 1
}

// Seed 002: 50% of the first two months paid, earned when the second is
// paid, in the currency of the invoice.
func ExampleEngine_Record_deferredReward() {
	ctx := context.Background()
	store := memstore.New()
	_ = store.PutAffiliate(ctx, affiliate.Affiliate{ID: "partner", Status: affiliate.StatusActive})
	_, _ = store.Bind(ctx, affiliate.Binding{Customer: "lead-co", Affiliate: "partner", Source: affiliate.BindByLead, BoundAt: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)})
	eng, _ := commission.New(commission.Config{Store: store, Terms: []commission.TermsVersion{{
		Version: "v1", Rule: rules.Deferred{Name: "lead_reward", Rate: affiliate.MustPercent("50"), Payments: 2},
	}}})
	for m := range 3 {
		res, _ := eng.Record(ctx, affiliate.Payment{
			ID: affiliate.EventID(fmt.Sprintf("inv-%d", m+1)), Customer: "lead-co", Currency: "GBP",
			PaidAt: time.Date(2026, time.Month(1+m), 5, 0, 0, 0, 0, time.UTC),
			Lines:  []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustParseMoney("120", "GBP")}},
		})
		fmt.Printf("month %d: %d entries\n", m+1, len(res.Entries))
		for _, e := range res.Entries {
			fmt.Println(" ", e.Payment, e.Amount, "—", e.Describe())
		}
	}
	// Output:
	// month 1: 0 entries
	// month 2: 2 entries
	//   inv-1 60.00 GBP — deferred reward: 50% of 120.00 GBP (subscription), paid payment 1 of 2, earned when payment 2 was paid
	//   inv-2 60.00 GBP — deferred reward: 50% of 120.00 GBP (subscription), paid payment 2 of 2, earned when payment 2 was paid
	// month 3: 0 entries
}

// A payment recorded before its customer was bound earns nothing; once the
// binding exists, Recompute applies it.
func ExampleEngine_Recompute() {
	ctx := context.Background()
	store := memstore.New()
	_ = store.PutAffiliate(ctx, affiliate.Affiliate{ID: "ann", Status: affiliate.StatusActive})
	eng, _ := commission.New(commission.Config{
		Store: store,
		Terms: []commission.TermsVersion{{Version: "v1", Rule: rules.Percent{Rate: affiliate.MustPercent("20")}}},
		Now:   func() time.Time { return time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC) },
	})
	res, _ := eng.Record(ctx, affiliate.Payment{ID: "in_1", Customer: "acme", PaidAt: time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), Currency: "EUR",
		Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustParseMoney("50", "EUR")}}})
	fmt.Println("unbound:", res.Unbound, "entries:", len(res.Entries))

	_, _ = store.Bind(ctx, affiliate.Binding{Customer: "acme", Affiliate: "ann", Source: affiliate.BindByManual, BoundAt: time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC)})
	res, _ = eng.Recompute(ctx, "acme")
	for _, e := range res.Entries {
		fmt.Println(e.Beneficiary, e.Kind, e.Amount, "on", e.Payment, "at", e.At.Format(time.DateOnly))
	}
	// Output:
	// unbound: true entries: 0
	// ann commission 10.00 EUR on in_1 at 2026-01-15
}

// A payment that earns nothing says why, for support staff.
func ExampleResult_why() {
	ctx := context.Background()
	store := memstore.New()
	eng, err := commission.New(commission.Config{
		Store: store,
		Terms: []commission.TermsVersion{{Version: "v1", Rule: rules.Percent{Rate: affiliate.MustPercent("30")}}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := eng.Record(ctx, affiliate.Payment{
		ID: "in_1", Customer: "walk-in", PaidAt: time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC), Currency: "EUR",
		Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustParseMoney("20", "EUR")}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(res.Entries), "entries;", res.Why.Reason == commission.NoBinding, res.Why)
	// Output:
	// 0 entries; true no binding: customer "walk-in" is bound to no affiliate
}

// A refund dated in January that arrives after January's payout run: the
// month's statement and payout stand, and the reversal lands in
// February, the first month without a run, saying what it corrects.
func ExampleEngine_Record_afterThePayoutRun() {
	ctx := context.Background()
	store := memstore.New()
	_ = store.PutAffiliate(ctx, affiliate.Affiliate{ID: "ann", Status: affiliate.StatusActive})
	_, _ = store.Bind(ctx, affiliate.Binding{Customer: "acme", Affiliate: "ann", Source: affiliate.BindByLink, BoundAt: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)})
	eng, _ := commission.New(commission.Config{
		Store: store,
		Terms: []commission.TermsVersion{{Version: "v1", Rule: rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("20")}}},
	})
	_, _ = eng.Record(ctx, affiliate.Payment{ID: "in_1", Customer: "acme", PaidAt: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Currency: "EUR",
		Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustParseMoney("100", "EUR")}}})

	runner, _ := payout.New(payout.Config{Store: store})
	jan := affiliate.Period{Year: 2026, Month: time.January}
	run, _ := runner.Run(ctx, jan, jan.End())
	fmt.Println("January pays", run.Payouts[0].Amount)

	res, err := eng.Record(ctx, affiliate.Refund{ID: "re_1", Payment: "in_1", Customer: "acme", Kind: affiliate.KindRefund,
		RefundedAt: time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC), Amount: affiliate.MustParseMoney("50", "EUR")})
	if err != nil {
		fmt.Println(err)
		return
	}
	e := res.Entries[0]
	fmt.Println(e.At.Format(time.DateOnly), commission.Explain(e))
	// Output:
	// January pays 20.00 EUR
	// 2026-02-01 ann gives back 10.00 EUR (reversal) on payment in_1 of customer acme: rule "rev_share", terms "v1", 20% of -50.00 EUR [subscription], chain ann, corrects in_1/1 — refunds took back 50.00 EUR of 100.00 EUR paid: keeps 10.00 EUR of 20.00 EUR (for 2026-01, paid out before it was known)
}

// A batch is recorded as its events would be one by one, with one store
// write per round; an event that cannot be recorded gets its own error
// and leaves the others recorded.
func ExampleEngine_RecordBatch() {
	ctx := context.Background()
	store := memstore.New()
	_ = store.PutAffiliate(ctx, affiliate.Affiliate{ID: "ann", Status: affiliate.StatusActive})
	boundAt := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	for _, c := range []affiliate.CustomerID{"acme", "globex"} {
		_, _ = store.Bind(ctx, affiliate.Binding{Customer: c, Affiliate: "ann", Source: affiliate.BindByLink, BoundAt: boundAt})
	}
	eng, _ := commission.New(commission.Config{Store: store, Terms: []commission.TermsVersion{{
		Version: "v1", Rule: rules.Percent{Rate: affiliate.MustPercent("30")},
	}}})
	paid := func(id string, c affiliate.CustomerID, amount string) affiliate.Payment {
		return affiliate.Payment{ID: affiliate.EventID(id), Customer: c, PaidAt: boundAt.AddDate(0, 0, 10), Currency: "EUR",
			Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustParseMoney(amount, "EUR")}}}
	}
	results, err := eng.RecordBatch(ctx, []affiliate.Event{
		paid("in_1", "acme", "100"),
		paid("in_2", "globex", "50"),
		affiliate.Refund{ID: "re_1", Payment: "in_1", Customer: "acme", RefundedAt: boundAt.AddDate(0, 0, 12), Kind: affiliate.KindRefund, Amount: affiliate.MustParseMoney("500", "EUR")},
		paid("in_1", "acme", "100"), // delivered twice
	})
	for i, res := range results {
		fmt.Println(i, len(res.Entries), "entries, replayed:", res.Replayed)
	}
	var be *commission.BatchError
	if errors.As(err, &be) {
		fmt.Println("event 2:", errors.Is(be.Errs[2], commission.ErrRefundExceedsPayment))
	}
	// Output:
	// 0 1 entries, replayed: false
	// 1 1 entries, replayed: false
	// 2 0 entries, replayed: false
	// 3 1 entries, replayed: true
	// event 2: true
}
