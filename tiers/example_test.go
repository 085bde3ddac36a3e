package tiers_test

import (
	"context"
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage/memstore"
	"github.com/openaffiliate/affiliate/tiers"
)

// Seed 000's schedule, with the example program's threshold of EUR 10,000
// a month. Reaching the threshold exactly qualifies.
func ExampleNewSchedule() {
	schedule, err := tiers.NewSchedule(
		tiers.Tier{Name: "Standard", Rate: affiliate.MustPercent("15"), BonusRate: affiliate.MustPercent("5")},
		tiers.Tier{Name: "Premium", Threshold: tiers.Amount(affiliate.MustParseMoney("10000", "EUR")),
			Rate: affiliate.MustPercent("20"), BonusRate: affiliate.MustPercent("5")},
	)
	if err != nil {
		panic(err)
	}
	for _, v := range []string{"9999.99", "10000.00", "-120.00"} {
		t, _ := schedule.Reach(tiers.Amount(affiliate.MustParseMoney(v, "EUR")))
		fmt.Printf("%9s EUR: %s %s\n", v, t.Name, t.Rate.PercentString())
	}

	_, err = tiers.NewSchedule(
		tiers.Tier{Name: "Standard"},
		tiers.Tier{Name: "Premium", Threshold: tiers.Amount(affiliate.MustParseMoney("10000", "EUR"))},
		tiers.Tier{Name: "Gold", Threshold: tiers.Amount(affiliate.MustParseMoney("5000", "EUR"))},
	)
	fmt.Println(err)
	// Output:
	//   9999.99 EUR: Standard 15%
	//  10000.00 EUR: Premium 20%
	//   -120.00 EUR: Standard 15%
	// tiers: invalid schedule: tier 2 Threshold: 5000.00 EUR is below tier 1's 10000.00 EUR
}

// A retroactive program run with the commission engine: January's
// payments are priced at Standard while the month is open; its close
// finds Premium reached and reports ann as affected, and the engine's
// Retier re-prices her payments, appending adjustments linked to the
// commissions they correct.
func ExampleProgram_Close() {
	ctx := context.Background()
	store := memstore.New()
	program, err := tiers.New(tiers.Config{
		Store: store, Schedule: seed000, Currency: "EUR", Policy: tiers.Retroactive,
	})
	if err != nil {
		panic(err)
	}
	engine, err := commission.New(commission.Config{
		Store: store, Currency: "EUR", RequireConversion: true,
		Terms: []commission.TermsVersion{{Version: "2026", Rule: rules.AllOf{rules.TierRate{}, rules.SubAffiliateBonus{}}}},
		Tiers: program, // the engine asks the program which tier is in effect
	})
	if err != nil {
		panic(err)
	}
	_ = store.PutAffiliate(ctx, affiliate.Affiliate{ID: "ann", Status: affiliate.StatusActive})
	_, _ = store.Bind(ctx, affiliate.Binding{Customer: "acme", Affiliate: "ann", Source: affiliate.BindByLink, BoundAt: day(time.January, 1)})

	for i, amount := range []string{"6000", "4000"} {
		p := payment(fmt.Sprintf("inv-%d", i+1), "acme", day(time.January, 10*(i+1)), affiliate.MustParseMoney(amount, "EUR"))
		res, err := engine.Record(ctx, p)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: %s at %s\n", p.ID, res.Entries[0].Amount, res.Entries[0].Tier)
	}

	january := affiliate.PeriodOf(day(time.January, 1), time.UTC)
	closed, err := program.Close(ctx, january, january.End())
	if err != nil {
		panic(err)
	}
	s := closed.Snapshots[0]
	fmt.Printf("close of %s, run %d: %s at %s\n", january, closed.Revision, s.Tier, s.Amount)
	for _, c := range closed.Affected {
		res, err := engine.Retier(ctx, c.Affiliate, c.From)
		if err != nil {
			panic(err)
		}
		for _, e := range res.Entries {
			fmt.Printf("%s %s on %s at %s (corrects %s)\n", e.Kind, e.Amount, e.Payment, e.Tier, e.Corrects)
		}
	}

	again, _ := program.Close(ctx, january, january.End().Add(time.Hour))
	retier, _ := engine.Retier(ctx, "ann", january.Start())
	fmt.Println("closing again writes:", again.Written, len(retier.Entries))
	// Output:
	// inv-1: 900.00 EUR at Standard
	// inv-2: 600.00 EUR at Standard
	// close of 2026-01, run 1: Premium at 10000.00 EUR
	// adjustment 300.00 EUR on inv-1 at Premium (corrects inv-1/1)
	// adjustment 200.00 EUR on inv-2 at Premium (corrects inv-2/1)
	// closing again writes: false 0
}

// Under NextPeriod, January's revenue decides February's tier: the
// engine asks the program at every payment.
func ExampleProgram_TierAt() {
	ctx := context.Background()
	store := memstore.New()
	program, _ := tiers.New(tiers.Config{Store: store, Schedule: seed000, Currency: "EUR", Policy: tiers.NextPeriod})
	engine, _ := commission.New(commission.Config{
		Store: store, Currency: "EUR", Tiers: program,
		Terms: []commission.TermsVersion{{Version: "2026", Rule: rules.TierRate{}}},
	})
	_ = store.PutAffiliate(ctx, affiliate.Affiliate{ID: "ann", Status: affiliate.StatusActive})
	_, _ = store.Bind(ctx, affiliate.Binding{Customer: "acme", Affiliate: "ann", Source: affiliate.BindByLink, BoundAt: day(time.January, 1)})

	for i, m := range []time.Month{time.January, time.February, time.March} {
		amount := map[time.Month]string{time.January: "12000", time.February: "500", time.March: "500"}[m]
		res, err := engine.Record(ctx, payment(fmt.Sprintf("inv-%d", i+1), "acme", day(m, 10), affiliate.MustParseMoney(amount, "EUR")))
		if err != nil {
			panic(err)
		}
		e := res.Entries[0]
		fmt.Printf("%s: %s EUR earns %s at %s\n", m, amount, e.Amount, e.Tier)
	}
	// Output:
	// January: 12000 EUR earns 1800.00 EUR at Standard
	// February: 500 EUR earns 100.00 EUR at Premium
	// March: 500 EUR earns 75.00 EUR at Standard
}

// What a program's tier reads, which lets the engine's RecordBatch put a
// month's payments of one affiliate in one store call: under NextPeriod
// and Retroactive only the months before the payment's; under Immediate
// the payment's own month, so nothing is claimed; nor for a payment the
// program refuses (a USD payment without a conversion to EUR).
func ExampleProgram_TierReadsBefore() {
	eurPay := payment("inv-1", "acme", day(time.March, 10), affiliate.MustParseMoney("500", "EUR"))
	usdPay := payment("inv-2", "acme", day(time.March, 10), affiliate.MustParseMoney("500", "USD"))
	for _, policy := range []tiers.Policy{tiers.NextPeriod, tiers.Retroactive, tiers.Immediate} {
		program, _ := tiers.New(tiers.Config{Store: memstore.New(), Schedule: seed000, Currency: "EUR", Policy: policy})
		reads := "may read anything"
		if before, ok := program.TierReadsBefore(eurPay); ok {
			reads = "reads the months before " + before.String()
		}
		_, usdBounded := program.TierReadsBefore(usdPay)
		fmt.Printf("%s: %s; a USD payment bounded: %v\n", policy, reads, usdBounded)
	}
	// Output:
	// next-period: reads the months before 2026-03; a USD payment bounded: false
	// retroactive: reads the months before 2026-03; a USD payment bounded: false
	// immediate: may read anything; a USD payment bounded: false
}

// The tiers of many affiliates at one payment, as RecordBatch asks them
// for a round: January's close is read once for all of them. Ann reached
// Premium in January; Bob, and an affiliate January never saw, did not.
func ExampleProgram_TiersAt() {
	ctx := context.Background()
	store := memstore.New()
	program, _ := tiers.New(tiers.Config{Store: store, Schedule: seed000, Currency: "EUR", Policy: tiers.NextPeriod})
	engine, _ := commission.New(commission.Config{
		Store: store, Currency: "EUR", Tiers: program,
		Terms: []commission.TermsVersion{{Version: "2026", Rule: rules.TierRate{}}},
	})
	for customer, a := range map[affiliate.CustomerID]affiliate.AffiliateID{"acme": "ann", "globex": "bob"} {
		_ = store.PutAffiliate(ctx, affiliate.Affiliate{ID: a, Status: affiliate.StatusActive})
		_, _ = store.Bind(ctx, affiliate.Binding{Customer: customer, Affiliate: a, Source: affiliate.BindByLink, BoundAt: day(time.January, 1)})
	}
	_, _ = engine.Record(ctx, payment("inv-1", "acme", day(time.January, 10), affiliate.MustParseMoney("12000", "EUR")))
	_, _ = engine.Record(ctx, payment("inv-2", "globex", day(time.January, 10), affiliate.MustParseMoney("800", "EUR")))
	january := affiliate.PeriodOf(day(time.January, 1), time.UTC)
	_, _ = program.Close(ctx, january, january.End())

	february := payment("inv-3", "acme", day(time.February, 10), affiliate.MustParseMoney("500", "EUR"))
	affiliates := []affiliate.AffiliateID{"ann", "bob", "carol"}
	ts, err := program.TiersAt(ctx, affiliates, february)
	if err != nil {
		panic(err)
	}
	for i, t := range ts {
		fmt.Printf("%s: %s\n", affiliates[i], t.Name)
	}
	// Output:
	// ann: Premium
	// bob: Standard
	// carol: Standard
}
