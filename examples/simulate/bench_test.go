package main

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
)

// The library's own benchmarks cover the single calls at the simulation's
// sizes, and this file does not repeat them:
//
//	commission: BenchmarkRecord (seed 000 and 001, customer history 1, 100, 10,000)
//	attribution: BenchmarkBind (the signup path); storagetest's Bind (the store call the simulation makes)
//	tiers:       BenchmarkRetroactiveClose (10,000 affiliates, 100,000 payments: one simulated month), BenchmarkTierAt
//	payout:      BenchmarkRun (10,000 affiliates, 100,000 entries: one simulated month)
//
// What only the simulation shows is measured here: the generator's own
// cost (to tell it from the library's), a whole year end to end (the
// command itself times the library against its integer model), and
// Record into a store that already holds a simulated year, whose size
// the single-call benchmarks do not reach.

var benchFull = flag.Bool("full", false, "also run the benchmarks at full scale (a store of about 4.5 GB)")

// BenchmarkGenerate is the generator alone: one op is a year at 1%.
func BenchmarkGenerate(b *testing.B) {
	cfg := GenConfig{Seed: 1, Scale: 0.01, Months: 12}
	b.ReportAllocs()
	events := 0
	for b.Loop() {
		g, err := NewGenerator(cfg)
		if err != nil {
			b.Fatal(err)
		}
		events = 0
		for range g.ExistingBindings() {
		}
		for m := range g.Months() {
			for it := range g.Month(m) {
				if it.Kind != ItemBind {
					events++
				}
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*events), "ns/event")
}

// BenchmarkYear is the whole simulation without the model's checks: one
// op is a year (or CI's month) on a fresh store, closes and payout runs
// included.
func BenchmarkYear(b *testing.B) {
	for _, c := range []struct {
		name string
		gen  GenConfig
	}{
		{"ci/scale=0.01/months=1", GenConfig{Seed: 1, Scale: 0.01, Months: 1}},
		{"scale=0.01/months=12", GenConfig{Seed: 1, Scale: 0.01, Months: 12}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var m Measures
			for b.Loop() {
				res, err := Run(context.Background(), Config{Gen: c.gen})
				if err != nil {
					b.Fatal(err)
				}
				m = res.Measures
			}
			b.ReportMetric(float64(m.Year.Nanoseconds())/float64(m.Events), "ns/event")
			b.ReportMetric(float64(m.Mallocs)/float64(m.Events), "allocs/event")
		})
	}
}

// BenchmarkRecordInStore is Record of one in-order payment of an existing
// customer, into a store that holds a simulated year at the given scale:
// the per-event cost as the store grows (the commission package's
// BenchmarkRecord runs on a store of two affiliates).
func BenchmarkRecordInStore(b *testing.B) {
	scales := []float64{0.01, 0.1}
	if *benchFull {
		scales = append(scales, 1)
	}
	for _, scale := range scales {
		b.Run(fmt.Sprintf("scale=%g", scale), func(b *testing.B) {
			ctx := context.Background()
			sim, err := newSimulation(Config{Gen: GenConfig{Seed: 1, Scale: scale, Months: 12}})
			if err != nil {
				b.Fatal(err)
			}
			if err := sim.run(ctx); err != nil {
				b.Fatal(err)
			}
			var bound []affiliate.CustomerID
			for i := range sim.gen.Customers() {
				if sim.gen.custs[i].signupDay != maxSignup {
					bound = append(bound, sim.gen.CustomerID(i))
				}
			}
			after := sim.now // the year's end: every new payment comes after the customer's last
			runtime.GC()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				p := affiliate.Payment{
					ID: affiliate.EventID(seqID("bench_", i, 8)), Customer: bound[i%len(bound)], PaidAt: after.Add(time.Duration(i) * time.Second), Currency: "EUR",
					Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(99_00, "EUR"), Plan: "pro_monthly"}},
				}
				res, err := sim.p.engine.Record(ctx, p)
				if err != nil || res.Unbound || len(res.Entries) == 0 {
					b.Fatalf("Record: %+v, %v", res, err)
				}
				i++
			}
		})
	}
}
