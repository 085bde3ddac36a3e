package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/sqlstore"
)

// BenchmarkPayoutRunByWatermark times the store's part of a month's
// payout run over 1,000 affiliates with 10,000 open entries (10 each),
// paying every balance, two ways:
//
//   - ByList, as payout.Runner does without a BalanceReader: read the
//     open entries (Entries{Unsettled}), sum them per affiliate in Go, and
//     write payouts that list their entries;
//   - ByWatermark: read the sums (OpenBalances) and write payouts that
//     claim their entries by the read's watermark.
//
// Each iteration pays a new month whose entries were appended outside
// the timer. Run with
//
//	AFFILIATE_TEST_POSTGRES=... go test -run '^$' -bench PayoutRunByWatermark -benchtime 10x -benchmem ./storage/sqlstore/
func BenchmarkPayoutRunByWatermark(b *testing.B) {
	for _, d := range dialects() {
		for _, way := range []struct {
			name string
			run  func(*sqlstore.Store, affiliate.Period) (int, error)
		}{{"ByList", runByList}, {"ByWatermark", runWatermark}} {
			b.Run(d.name+"/"+way.name, func(b *testing.B) {
				s, _ := d.open(b)
				month := 0
				for b.Loop() {
					b.StopTimer()
					p := affiliate.PeriodOf(time.Date(2026, time.January+time.Month(month), 1, 0, 0, 0, 0, time.UTC), time.UTC)
					month++
					seedMonth(b, s, p)
					b.StartTimer()
					if n, err := way.run(s, p); err != nil || n != 1000 {
						b.Fatalf("run of %s: %d payouts, %v", p, n, err)
					}
				}
			})
		}
	}
}

// seedMonth appends 10 entries earned in p for each of 1,000 affiliates,
// in batches of 1,000.
func seedMonth(b *testing.B, s *sqlstore.Store, p affiliate.Period) {
	var entries []affiliate.Entry
	for a := range 1000 {
		for i := range 10 {
			at := p.Start().Add(time.Duration(a%19+i) * 24 * time.Hour)
			entries = append(entries, affiliate.Entry{ID: affiliate.EntryID(fmt.Sprintf("e-%s-%04d-%02d", p, a, i)), Beneficiary: benchAffiliateID(a),
				Kind: affiliate.KindCommission, Amount: affiliate.MustMoney(int64(600+37*i), "EUR"), Rule: "bench", Terms: "v1", At: at, AvailableAt: at})
		}
		if len(entries) == 1000 {
			if _, err := affiliatetest.SeedLedger(context.Background(), s, fmt.Sprintf("seed-%s-%d", p, a), entries, nil); err != nil {
				b.Fatal(err)
			}
			entries = entries[:0]
		}
	}
}

func runByList(s *sqlstore.Store, p affiliate.Period) (int, error) {
	ctx := context.Background()
	open, err := s.Entries(ctx, storage.EntryQuery{Unsettled: true, To: p.End(), AvailableBy: p.End()})
	if err != nil {
		return 0, err
	}
	run := affiliate.PayoutRun{Program: "main", Period: p, Hash: "h", AsOf: p.End(), Carried: []affiliate.CarriedBalance{}}
	index := make(map[affiliate.AffiliateID]int)
	for _, e := range open {
		i, ok := index[e.Beneficiary]
		if !ok {
			i = len(run.Payouts)
			index[e.Beneficiary] = i
			run.Payouts = append(run.Payouts, affiliate.Payout{ID: affiliate.PayoutID(p.String() + "-" + string(e.Beneficiary)), Affiliate: e.Beneficiary,
				Period: p, Amount: affiliate.Zero(e.Amount.Currency()), Status: affiliate.PayoutCreated, CreatedAt: p.End()})
		}
		po := &run.Payouts[i]
		po.Entries = append(po.Entries, e.ID)
		if po.Amount, err = po.Amount.Add(e.Amount); err != nil {
			return 0, err
		}
	}
	res, err := s.CreatePayoutRun(ctx, run)
	return len(res.Run.Payouts), err
}

func runWatermark(s *sqlstore.Store, p affiliate.Period) (int, error) {
	b, err := s.OpenBalances(context.Background(), storage.BalanceQuery{To: p.End(), AvailableBy: p.End()})
	if err != nil {
		return 0, err
	}
	res, err := s.CreatePayoutRun(context.Background(), runByWatermark(p, b))
	return len(res.Run.Payouts), err
}
