package commission_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// benchSystem is a memstore with a bound customer who already paid
// history times, and an engine over it.
func benchSystem(b *testing.B, program rules.Rule, history int) (*commission.Engine, func(i int) affiliate.Payment) {
	b.Helper()
	ctx := context.Background()
	st := memstore.New()
	for _, a := range []affiliate.Affiliate{aff("p", ""), aff("a", "p")} {
		if err := st.PutAffiliate(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := st.Bind(ctx, affiliate.Binding{Customer: "c", Affiliate: "a", Source: affiliate.BindByLink, BoundAt: jan15}); err != nil {
		b.Fatal(err)
	}
	eng, err := commission.New(commission.Config{
		Store: st, Terms: []commission.TermsVersion{{Version: "v1", Rule: program, Hold: 30 * 24 * time.Hour}},
		Tiers: commission.FixedTier(standard), Currency: "EUR",
	})
	if err != nil {
		b.Fatal(err)
	}
	usd := affiliate.Currency("USD")
	payment := func(i int) affiliate.Payment {
		return affiliate.Payment{
			ID: affiliate.EventID(fmt.Sprintf("pay-%09d", i)), Customer: "c", PaidAt: jan15.Add(time.Duration(i) * time.Hour), Currency: usd,
			Lines:      []affiliate.Line{line(affiliate.LineSubscription, "20", usd), line(affiliate.LineAddOn, "200", usd)},
			Conversion: affiliate.Conversion{To: "EUR", Rate: affiliate.MustRate("0.92")},
		}
	}
	for i := range history {
		if _, err := eng.Record(ctx, payment(i)); err != nil {
			b.Fatal(err)
		}
	}
	return eng, func(i int) affiliate.Payment { return payment(history + i) }
}

// BenchmarkRecord measures Record of one in-order payment on memstore:
// seed 001's lifetime share and seed 000's tier rate with a parent bonus,
// for a customer who paid 1, 100 and 10,000 times before. The cost per
// event does not depend on the history. The events are made with the
// timer stopped, so the figures are Record's alone.
func BenchmarkRecord(b *testing.B) {
	programs := []struct {
		name string
		rule rules.Rule
	}{
		{"seed001", rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("30")}},
		{"seed000", rules.AllOf{rules.TierRate{}, rules.SubAffiliateBonus{}}},
	}
	for _, p := range programs {
		for _, history := range []int{1, 100, 10000} {
			b.Run(fmt.Sprintf("%s/history=%d", p.name, history), func(b *testing.B) {
				eng, next := benchSystem(b, p.rule, history)
				ctx := context.Background()
				b.ReportAllocs()
				var events []affiliate.Event
				i := 0
				for b.Loop() {
					// The host's events, boxed as Events (one allocation
					// each): made apart, so that allocs/op is Record's own.
					if len(events) == 0 {
						b.StopTimer()
						events = make([]affiliate.Event, 4096)
						for k := range events {
							events[k] = next(i + k)
						}
						b.StartTimer()
					}
					if _, err := eng.Record(ctx, events[0]); err != nil {
						b.Fatal(err)
					}
					events = events[1:]
					i++
				}
			})
		}
	}
}

// BenchmarkRecordReplay measures a duplicate delivery.
func BenchmarkRecordReplay(b *testing.B) {
	eng, next := benchSystem(b, rules.Percent{Rate: affiliate.MustPercent("30")}, 1)
	ctx := context.Background()
	p := next(0)
	if _, err := eng.Record(ctx, p); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := eng.Record(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
}
