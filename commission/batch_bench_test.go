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

// BenchmarkRecordBatch records the same seeded payments on memstore one
// by one with Record and in batches of 1,000 with RecordBatch (seed 001's
// program; event k is a payment of customer k mod 2,000, in order).
func BenchmarkRecordBatch(b *testing.B) {
	const customers = 2000
	setup := func(b *testing.B) *commission.Engine {
		ctx := context.Background()
		st := memstore.New()
		for a := range 100 {
			if err := st.PutAffiliate(ctx, aff(fmt.Sprintf("a%d", a), "")); err != nil {
				b.Fatal(err)
			}
		}
		for c := range customers {
			if _, err := st.Bind(ctx, affiliate.Binding{Customer: affiliate.CustomerID(fmt.Sprintf("c%d", c)), Affiliate: affiliate.AffiliateID(fmt.Sprintf("a%d", c%100)), Source: affiliate.BindByCode, BoundAt: jan15}); err != nil {
				b.Fatal(err)
			}
		}
		eng, err := commission.New(commission.Config{Store: st, Terms: terms(rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("30")})})
		if err != nil {
			b.Fatal(err)
		}
		return eng
	}
	event := func(k int) affiliate.Event {
		return pay(fmt.Sprintf("ev-%08d", k), fmt.Sprintf("c%d", k%customers), jan15.Add(time.Duration(k)*time.Second), "USD", line(affiliate.LineSubscription, "20", "USD"))
	}
	b.Run("Record", func(b *testing.B) {
		eng := setup(b)
		b.ReportAllocs()
		k := 0
		for b.Loop() {
			if _, err := eng.Record(context.Background(), event(k)); err != nil {
				b.Fatal(err)
			}
			k++
		}
		b.ReportMetric(float64(k)/b.Elapsed().Seconds(), "events/s")
	})
	b.Run("RecordBatch/size=1000", func(b *testing.B) {
		eng := setup(b)
		events := make([]affiliate.Event, 1000)
		b.ReportAllocs()
		k := 0
		for b.Loop() {
			for i := range events {
				events[i] = event(k)
				k++
			}
			if _, err := eng.RecordBatch(context.Background(), events); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(k)/b.Elapsed().Seconds(), "events/s")
	})
}
