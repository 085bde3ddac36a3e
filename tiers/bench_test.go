package tiers_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
	"github.com/openaffiliate/affiliate/tiers"
)

const (
	benchAffiliates = 10_000
	benchPayments   = 100_000
)

// benchMonth fills a store with one month as the engine leaves it:
// benchPayments payments spread over benchAffiliates affiliates (one in
// ten a sub-affiliate, whose parent earns the bonus), each with its
// commission entry at the floor tier, and the aggregates (converted
// revenue, earnings) they add. One affiliate in ten has enough revenue to
// reach Premium, so the retroactive close trues up about a tenth of the
// payments. The data is written in large appends, so setting up costs far
// less than recording payment by payment would.
func benchMonth(tb testing.TB) *memstore.Store {
	st := memstore.New()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	per := "2026-01"
	var entries []affiliate.Entry
	var deltas []storage.AggregateDelta
	flush := func(n int) {
		if _, err := st.Append(ctx, storage.AppendBatch{Key: fmt.Sprintf("bench-%d", n), Hash: "h", Entries: entries, Deltas: deltas}); err != nil {
			tb.Fatal(err)
		}
		entries, deltas = entries[:0], deltas[:0]
	}
	for i := range benchPayments {
		ai := i % benchAffiliates
		a := affiliate.AffiliateID(fmt.Sprintf("aff%05d", ai))
		minor := rng.Int64N(999_00) + 1_00 // 1.00–999.99 EUR: ten stay under 10,000
		if ai%10 == 0 {
			minor += 1_000_00 // ten payments of at least 1,000 EUR reach Premium
		}
		total := affiliate.MustMoney(minor, "EUR")
		at := time.Date(2026, 1, 1+i%28, 12, 0, i%60, 0, time.UTC)
		pid := affiliate.EventID(fmt.Sprintf("pay%06d", i))
		amount, _ := total.MulRate(standard.Rate, affiliate.HalfEven)
		e := affiliate.Entry{
			ID: affiliate.EntryID(string(pid) + "/1"), Beneficiary: a, Event: pid, Payment: pid, Customer: affiliate.CustomerID(fmt.Sprintf("cus%06d", i)),
			Kind: affiliate.KindCommission, Base: total, BaseLines: []affiliate.LineKind{affiliate.LineSubscription}, Rate: standard.Rate, Amount: amount,
			Rule: "tier", Terms: "v1", Tier: standard.Name, Chain: []affiliate.AffiliateID{a}, At: at, AvailableAt: at.Add(720 * time.Hour),
		}
		entries = append(entries, e)
		deltas = append(deltas,
			storage.AggregateDelta{Affiliate: a, Period: per, Metric: storage.MetricRevenueConverted, Amount: total},
			storage.AggregateDelta{Affiliate: a, Period: per, Metric: storage.MetricEarnings, Amount: amount})
		if ai%10 == 1 { // a sub-affiliate of the affiliate before it
			parent := affiliate.AffiliateID(fmt.Sprintf("aff%05d", ai-1))
			bonus, _ := total.MulRate(standard.BonusRate, affiliate.HalfEven)
			b := e
			b.ID, b.Beneficiary, b.Kind, b.Rate, b.Amount, b.Chain = affiliate.EntryID(string(pid)+"/2"), parent, affiliate.KindBonus, standard.BonusRate, bonus, []affiliate.AffiliateID{a, parent}
			entries = append(entries, b)
			deltas = append(deltas, storage.AggregateDelta{Affiliate: parent, Period: per, Metric: storage.MetricEarnings, Amount: bonus})
		}
		if len(entries) >= 5000 {
			flush(i)
		}
	}
	flush(benchPayments)
	return st
}

func benchProgram(tb testing.TB, st *memstore.Store, policy tiers.Policy) *tiers.Program {
	p, err := tiers.New(tiers.Config{Store: st, Schedule: seed000, Currency: "EUR", Policy: policy})
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// BenchmarkClose measures a close of one month of 10,000 affiliates and
// 100,000 payments on memstore: the first run of each policy (decisions,
// 10,000 snapshots and, under Retroactive, the true-ups of the Premium
// tenth), and a rerun that finds nothing to change.
func BenchmarkClose(b *testing.B) {
	ctx := context.Background()
	for _, policy := range []tiers.Policy{tiers.Retroactive, tiers.NextPeriod} {
		b.Run("first/"+policy.String(), func(b *testing.B) {
			b.ReportAllocs()
			var res tiers.CloseResult
			for b.Loop() {
				b.StopTimer()
				st := benchMonth(b)
				p := benchProgram(b, st, policy)
				runtime.GC() // the setup's garbage is not the close's
				b.StartTimer()
				var err error
				if res, err = p.Close(ctx, jan, jan.End()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(res.Snapshots)), "snapshots")
			b.ReportMetric(float64(len(res.Entries)), "true-ups")
		})
	}
	b.Run("rerun/retroactive", func(b *testing.B) {
		st := benchMonth(b)
		p := benchProgram(b, st, tiers.Retroactive)
		if _, err := p.Close(ctx, jan, jan.End()); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			res, err := p.Close(ctx, jan, jan.End())
			if err != nil || res.Written {
				b.Fatalf("rerun: %+v, %v", res.Written, err)
			}
		}
	})
}

// BenchmarkTierAt measures the engine's per-payment question, on a store
// holding the benchmark month, for a February payment (January closed,
// retroactive: February not closed, so the floor) and for a payment in
// the closed January.
func BenchmarkTierAt(b *testing.B) {
	ctx := context.Background()
	st := benchMonth(b)
	for _, policy := range []tiers.Policy{tiers.NextPeriod, tiers.Retroactive, tiers.Immediate} {
		p := benchProgram(b, st, policy)
		if policy == tiers.NextPeriod {
			if _, err := p.Close(ctx, jan, jan.End()); err != nil {
				b.Fatal(err)
			}
		}
		pay := payment("new", "cus000001", day(time.February, 2), eur("100"))
		b.Run(policy.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.TierAt(ctx, "aff00000", pay); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
