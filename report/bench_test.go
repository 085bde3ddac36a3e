package report_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/report"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

var (
	benchOnce  sync.Once
	benchStore *memstore.Store
)

// benchYear is a year of a 10,000-affiliate program: every month each
// affiliate gets 2 clicks, 1 signup and 1 paying customer (120,000
// entries, 240,000 touches, 120,000 bindings), and the month's payout run
// pays (EUR 50 minimum).
func benchYear(b *testing.B) *memstore.Store {
	benchOnce.Do(func() {
		s := memstore.New()
		runner, err := payout.New(payout.Config{Store: s,
			Policy: payout.Policy{Minimums: map[affiliate.Currency]affiliate.Money{"EUR": affiliate.MustMoney(5000, "EUR")}}})
		if err != nil {
			panic(err)
		}
		for m := time.January; m <= time.December; m++ {
			p := affiliate.Period{Year: 2026, Month: m, Location: time.UTC}
			var entries []affiliate.Entry
			var deltas []storage.AggregateDelta
			for a := range 10_000 {
				aff := affiliate.AffiliateID(fmt.Sprintf("aff-%05d", a))
				at := p.Start().Add(time.Duration(a%600) * time.Hour)
				for i := range 2 {
					id := fmt.Sprintf("t-%d-%d-%d", m, a, i)
					s.AddTouch(ctx, affiliate.Touch{ID: affiliate.TouchID(id), Visitor: affiliate.VisitorID(id), Affiliate: aff, Source: affiliate.TouchLink, At: at})
				}
				c := affiliate.CustomerID(fmt.Sprintf("c-%d-%d", m, a))
				s.Bind(ctx, affiliate.Binding{Customer: c, Affiliate: aff, Source: affiliate.BindByLink, BoundAt: at})
				amount := affiliate.MustMoney(int64(1000+a%9000), "EUR")
				earned, _ := amount.MulRate(affiliate.MustPercent("15"), affiliate.HalfEven)
				entries = append(entries, affiliate.Entry{ID: affiliate.EntryID(c), Beneficiary: aff, Customer: c,
					Kind: affiliate.KindCommission, Amount: earned, Rule: "bench", Terms: "v1", At: at, AvailableAt: at})
				deltas = append(deltas,
					storage.AggregateDelta{Affiliate: aff, Period: p, Metric: affiliate.MetricRevenue, Amount: amount},
					storage.AggregateDelta{Affiliate: "", Period: p, Metric: affiliate.MetricRevenue, Amount: amount},
					storage.AggregateDelta{Affiliate: aff, Period: p, Metric: affiliate.MetricConversions, Count: 1},
					storage.AggregateDelta{Affiliate: "", Period: p, Metric: affiliate.MetricConversions, Count: 1},
					storage.AggregateDelta{Affiliate: aff, Period: p, Metric: affiliate.MetricEarnings, Amount: earned})
			}
			if _, err := affiliatetest.SeedLedger(ctx, s, p.String(), entries, deltas); err != nil {
				panic(err)
			}
			if _, err := runner.Run(ctx, p, p.End()); err != nil {
				panic(err)
			}
		}
		benchStore = s
	})
	return benchStore
}

func benchReporter(b *testing.B) *report.Reporter {
	s := benchYear(b)
	r, err := report.New(report.Config{Store: s,
		Now: func() time.Time { return time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		b.Fatal(err)
	}
	// Warm up: memstore indexes the ledger for the program-wide reads
	// lazily, on the first read after an append.
	if _, err := r.Program(ctx, report.Month(month(1))); err != nil {
		b.Fatal(err)
	}
	return r
}

var benchYearRange = report.Range{From: month(1), To: month(12)}

// BenchmarkAffiliateDashboard is one affiliate's dashboard over a year.
func BenchmarkAffiliateDashboard(b *testing.B) {
	r := benchReporter(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Affiliate(ctx, "aff-04242", benchYearRange); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProgramDashboardMonth is the program-wide dashboard for one
// month over 10,000 affiliates.
func BenchmarkProgramDashboardMonth(b *testing.B) {
	r := benchReporter(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Program(ctx, report.Month(month(12))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProgramDashboardYear is the program-wide dashboard for a year
// over 10,000 affiliates.
func BenchmarkProgramDashboardYear(b *testing.B) {
	r := benchReporter(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Program(ctx, benchYearRange); err != nil {
			b.Fatal(err)
		}
	}
}
