package tiers_test

import (
	"context"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/storage/memstore"
	"github.com/openaffiliate/affiliate/tiers"
)

const (
	benchAffiliates = 10_000
	benchPayments   = 100_000
)

func benchProgram(tb testing.TB, st *memstore.Store, policy tiers.Policy) *tiers.Program {
	p, err := tiers.New(tiers.Config{Store: st, Schedule: seed000, Currency: "EUR", Policy: policy})
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// BenchmarkTierAt measures the engine's per-payment question, on a store
// holding the benchmark month (see BenchmarkRetroactiveClose), for a
// February payment (NextPeriod: January closed; Retroactive: February
// not closed, so the floor; Immediate: February's running value).
func BenchmarkTierAt(b *testing.B) {
	ctx := context.Background()
	st := memstore.New()
	eng, err := commission.New(commission.Config{
		Store: st, Terms: []commission.TermsVersion{{Version: "v1", Rule: seedRules()}},
		Tiers: benchProgram(b, st, tiers.NextPeriod), Currency: "EUR", RequireConversion: true,
	})
	if err != nil {
		b.Fatal(err)
	}
	recordBenchMonth(b, st, eng)
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
