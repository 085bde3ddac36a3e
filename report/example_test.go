package report_test

import (
	"context"
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
	"github.com/openaffiliate/affiliate/report"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// Seed 001's stats: users referred, conversions, money spent by
// referrals and earnings, from what attribution and the commission engine
// stored.
func ExampleReporter_Affiliate() {
	ctx := context.Background()
	store := memstore.New()
	jan := affiliate.Period{Year: 2026, Month: time.January, Location: time.UTC}
	at := jan.Start().Add(72 * time.Hour)

	// Attribution: three clicks, two signups.
	for i, v := range []affiliate.VisitorID{"v1", "v2", "v3"} {
		store.AddTouch(ctx, affiliate.Touch{ID: affiliate.TouchID(v), Visitor: v, Affiliate: "ann",
			Source: affiliate.TouchLink, At: at.Add(time.Duration(i) * time.Minute)})
	}
	store.Bind(ctx, affiliate.Binding{Customer: "c1", Affiliate: "ann", Source: affiliate.BindByLink, BoundAt: at})
	store.Bind(ctx, affiliate.Binding{Customer: "c2", Affiliate: "ann", Source: affiliate.BindByLink, BoundAt: at})

	// Commission: c1 pays $20 + $200; the affiliate earns 30%, held 30 days.
	paid, earned := affiliate.MustParseMoney("220", "USD"), affiliate.MustParseMoney("66", "USD")
	affiliatetest.SeedLedger(ctx, store, "p1", []affiliate.Entry{{ID: "p1/0", Beneficiary: "ann", Customer: "c1", Kind: affiliate.KindCommission,
		Amount: earned, Rule: "lifetime-30", Terms: "v1", At: at, AvailableAt: at.Add(30 * 24 * time.Hour)}}, []storage.AggregateDelta{
		{Affiliate: "ann", Period: per("2026-01"), Metric: affiliate.MetricRevenue, Amount: paid},
		{Affiliate: "ann", Period: per("2026-01"), Metric: affiliate.MetricConversions, Count: 1},
		{Affiliate: "ann", Period: per("2026-01"), Metric: affiliate.MetricEarnings, Amount: earned},
	})

	r, err := report.New(report.Config{Store: store,
		Now: func() time.Time { return jan.End() }})
	if err != nil {
		panic(err)
	}
	d, err := r.Affiliate(ctx, "ann", report.Month(jan))
	if err != nil {
		panic(err)
	}
	fmt.Print(d.Text())
	// Output:
	// Dashboard for ann, 2026-01 to 2026-01
	//   Touches 3, signups 2 (66.7%), conversions 1 (50.0%)
	//   USD: spent 220.00, earned 66.00 (22.00 per touch)
	//   USD: pending 66.00, available 0.00, in payout 0.00, paid 0.00
}

func ExampleRatio() {
	r := report.Ratio{Num: 2, Den: 3}
	// StringFixed, not String: decimal's String follows process-wide
	// settings.
	fmt.Println(r, r.Percent(3).StringFixed(3))
	fmt.Println(report.Ratio{})
	// Output:
	// 66.7% 66.667
	// n/a
}

// Earnings per touch reads "n/a" without touches, as a rate does without
// a denominator: never a 0.00 beside an n/a.
func ExampleAverage() {
	earned := affiliate.MustParseMoney("10.00", "EUR")
	fmt.Println(report.Average{Total: earned, Count: 3}, report.Average{Total: earned, Count: 0})
	fmt.Println(report.Ratio{Num: 2, Den: 0}, report.Ratio{Num: 2, Den: 0}.Over())
	// Output:
	// 3.33 n/a
	// n/a true
}
