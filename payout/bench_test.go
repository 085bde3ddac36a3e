package payout_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

const (
	benchAffiliates = 10_000
	benchPerAff     = 10 // entries per affiliate in the month: 100,000 in all
)

// benchEntries is a month of entries over 10,000 affiliates; one in five
// affiliates stays under the EUR 50 minimum.
func benchEntries() []affiliate.Entry {
	out := make([]affiliate.Entry, 0, benchAffiliates*benchPerAff)
	for a := range benchAffiliates {
		aff := affiliate.AffiliateID(fmt.Sprintf("aff-%05d", a))
		for i := range benchPerAff {
			minor := int64(600 + 37*i)
			if a%5 == 0 {
				minor = 100
			}
			at := day(1, 1+(a+i)%28)
			out = append(out, affiliate.Entry{
				ID: affiliate.EntryID(fmt.Sprintf("e-%05d-%02d", a, i)), Beneficiary: aff,
				Kind: affiliate.KindCommission, Amount: affiliate.MustMoney(minor, "EUR"),
				Rule: "bench", Terms: "v1", At: at, AvailableAt: at,
			})
		}
	}
	return out
}

func benchPolicy() payout.Policy {
	return payout.Policy{Minimums: map[affiliate.Currency]affiliate.Money{"EUR": affiliate.MustMoney(5000, "EUR")}}
}

// BenchmarkNewPlan is the pure core over 10,000 affiliates and 100,000
// entries.
func BenchmarkNewPlan(b *testing.B) {
	in := payout.Input{Program: "bench", Period: month(1), AsOf: day(2, 1), Policy: benchPolicy(), Entries: benchEntries()}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := payout.NewPlan(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRun is a whole run on memstore: read the open entries, plan,
// write 8,000 payouts and 2,000 carried balances in one call. Each
// iteration gets a fresh store (built outside the timer).
func BenchmarkRun(b *testing.B) {
	entries := benchEntries()
	b.ReportAllocs()
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		store := memstore.New()
		if _, err := affiliatetest.SeedLedger(ctx, store, "k", entries, nil); err != nil {
			b.Fatal(err)
		}
		r, err := payout.New(payout.Config{Policy: benchPolicy(), Store: store})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := cpuTime()
		res, err := r.Run(ctx, month(1), day(2, 1))
		cpu += cpuTime() - start
		if err != nil || len(res.Payouts) != benchAffiliates*4/5 {
			b.Fatalf("Run: %d payouts, %v", len(res.Payouts), err)
		}
	}
	b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
}

// BenchmarkRunReplay is a rerun of a stored run over 10,000 affiliates.
func BenchmarkRunReplay(b *testing.B) {
	store := memstore.New()
	if _, err := affiliatetest.SeedLedger(ctx, store, "k", benchEntries(), nil); err != nil {
		b.Fatal(err)
	}
	r, _ := payout.New(payout.Config{Policy: benchPolicy(), Store: store})
	if _, err := r.Run(ctx, month(1), day(2, 1)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if res, err := r.Run(ctx, month(1), day(2, 1)); err != nil || !res.Replayed {
			b.Fatal(err)
		}
	}
}

// BenchmarkStatement is one affiliate's statement after a year of monthly
// runs (a store of 10,000 affiliates, 30 entries each per month).
func BenchmarkStatement(b *testing.B) {
	store := memstore.New()
	r, _ := payout.New(payout.Config{Policy: benchPolicy(), Store: store})
	for m := time.January; m <= time.December; m++ {
		var es []affiliate.Entry
		for a := range 1000 {
			for i := range 30 {
				at := time.Date(2026, m, 1+i%28, 9, 0, 0, 0, time.UTC)
				es = append(es, affiliate.Entry{
					ID: affiliate.EntryID(fmt.Sprintf("e-%02d-%04d-%02d", m, a, i)), Beneficiary: affiliate.AffiliateID(fmt.Sprintf("aff-%04d", a)),
					Kind: affiliate.KindCommission, Amount: affiliate.MustMoney(250, "EUR"), Rule: "bench", Terms: "v1", At: at, AvailableAt: at,
				})
			}
		}
		if _, err := affiliatetest.SeedLedger(ctx, store, m.String(), es, nil); err != nil {
			b.Fatal(err)
		}
		p := affiliate.Period{Year: 2026, Month: m, Location: time.UTC}
		if _, err := r.Run(ctx, p, p.End()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Statement(ctx, "aff-0500", month(12), "EUR"); err != nil {
			b.Fatal(err)
		}
	}
}
