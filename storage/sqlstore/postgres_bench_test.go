package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/report"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/sqlstore"
)

// The PostgreSQL benchmarks measure what a host sees: events per second
// through one connection and through 8 concurrent workers (storage-level
// commits, and whole commission.Engine.Record calls), a payout run over
// 10,000 affiliates and the dashboard reads at that size. Run them with
//
//	AFFILIATE_TEST_POSTGRES=... go test -run '^$' -bench Postgres -benchtime 5s ./storage/sqlstore/

func benchAffiliateID(i int) affiliate.AffiliateID {
	return affiliate.AffiliateID(fmt.Sprintf("aff-%05d", i))
}

// eventsPerSecond runs record on one goroutine (through a pool of one
// connection) or on 8 (through a pool of 8), and reports the rate.
func eventsPerSecond(b *testing.B, db *sql.DB, workers int, record func(worker, i int) error) {
	db.SetMaxOpenConns(workers)
	db.SetMaxIdleConns(workers)
	b.ReportAllocs()
	if workers == 1 {
		i := 0
		for b.Loop() {
			if err := record(0, i); err != nil {
				b.Fatal(err)
			}
			i++
		}
	} else {
		var next atomic.Int64
		b.SetParallelism((workers + 1) / 2) // × GOMAXPROCS (2 here) goroutines
		b.RunParallel(func(pb *testing.PB) {
			w := int(next.Add(1))
			i := 0
			for pb.Next() {
				if err := record(w, i); err != nil {
					b.Error(err)
					return
				}
				i++
			}
		})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkPostgresCommit: Events.Commit as the engine calls it (read the
// customer's state, commit the event with one entry and two aggregate
// deltas under a version swap), 1,000 customers per worker over 100
// affiliates, so workers share the affiliates' and the program's
// aggregate rows (each worker's events spread over the affiliates, as
// concurrent billing events are).
func BenchmarkPostgresCommit(b *testing.B) {
	for _, workers := range []int{1, 8} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			s, db := openPostgres(b)
			ctx := context.Background()
			eventsPerSecond(b, db, workers, func(w, i int) error {
				cust := affiliate.CustomerID(fmt.Sprintf("c-%d-%d", w, i%1000))
				aff := benchAffiliateID((i*7 + w*13) % 100) // workers' events spread over the affiliates
				id := affiliate.EventID(fmt.Sprintf("ev-%d-%d", w, i))
				at := jan15.Add(time.Duration(i) * time.Second)
				amount := affiliate.MustMoney(600, "EUR")
				pay := &affiliate.Payment{ID: id, Customer: cust, PaidAt: at, Currency: "EUR", Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(2000, "EUR")}}}
				for {
					st, err := s.CustomerState(ctx, cust)
					if err != nil {
						return err
					}
					_, err = s.Commit(ctx, storage.Commit{Key: string(id), Hash: "h", State: storage.CustomerState{Customer: cust, Version: st.Version + 1, Data: []byte("summary")},
						Event: &affiliate.EventRecord{ID: id, Customer: cust, Time: at, Hash: "h", Payment: pay, Affiliate: aff},
						Entries: []affiliate.Entry{{ID: affiliate.EntryID(id + "/c"), Beneficiary: aff, Event: id, Payment: id, Customer: cust, Kind: affiliate.KindCommission,
							Base: pay.Lines[0].Amount, Rate: affiliate.MustPercent("30"), Amount: amount, Chain: []affiliate.AffiliateID{aff}, At: at, AvailableAt: at}},
						Deltas: []storage.AggregateDelta{
							{Affiliate: aff, Period: per("2026-01"), Metric: affiliate.MetricEarnings, Amount: amount},
							{Affiliate: "", Period: per("2026-01"), Metric: affiliate.MetricEarnings, Amount: amount},
						}})
					if err == nil || !errors.Is(err, affiliate.ErrConflict) {
						return err
					}
				}
			})
			b.ReportMetric(float64(s.Stats().Retries), "retries")
		})
	}
}

// BenchmarkPostgresEngine: commission.Engine.Record end to end on
// PostgreSQL (30% lifetime revenue share, seed 001's program), with the
// reads it makes (state, binding, affiliate chain) and its one commit.
func BenchmarkPostgresEngine(b *testing.B) {
	for _, workers := range []int{1, 8} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			s, db := openPostgres(b)
			ctx := context.Background()
			for a := range 100 {
				if err := s.PutAffiliate(ctx, affiliate.Affiliate{ID: benchAffiliateID(a), Status: affiliate.StatusActive}); err != nil {
					b.Fatal(err)
				}
			}
			eng, err := commission.New(commission.Config{Store: s, Terms: []commission.TermsVersion{{Version: "v1", Rule: rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("30")}}}})
			if err != nil {
				b.Fatal(err)
			}
			var bound onceSet
			eventsPerSecond(b, db, workers, func(w, i int) error {
				cust := affiliate.CustomerID(fmt.Sprintf("c-%d-%d", w, i%1000))
				if bound.first(string(cust)) {
					if _, err := s.Bind(ctx, affiliate.Binding{Customer: cust, Affiliate: benchAffiliateID((i*7 + w*13) % 100), Source: affiliate.BindByCode, BoundAt: jan15}); err != nil {
						return err
					}
				}
				id := affiliate.EventID(fmt.Sprintf("ev-%d-%d", w, i))
				_, err := eng.Record(ctx, affiliate.Payment{ID: id, Customer: cust, PaidAt: jan15.Add(time.Duration(i) * time.Second), Currency: "USD",
					Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(2000, "USD")}}})
				return err
			})
			b.ReportMetric(float64(s.Stats().Retries), "retries")
		})
	}
}

// seedLedger appends a month of entries for 10,000 affiliates, 10 each
// (100,000 entries; one affiliate in five stays under the minimum), in
// batches, with the earnings aggregates the engine would have kept.
func seedLedger(b *testing.B, s *sqlstore.Store) {
	ctx := context.Background()
	const affiliates, perAffiliate, batch = 10_000, 10, 50
	for start := 0; start < affiliates; start += batch {
		var ab struct {
			Key     string
			Entries []affiliate.Entry
			Deltas  []storage.AggregateDelta
		}
		ab.Key = fmt.Sprintf("seed-%d", start)
		for a := start; a < start+batch; a++ {
			aff := benchAffiliateID(a)
			var earned int64
			for i := range perAffiliate {
				minor := int64(600 + 37*i)
				if a%5 == 0 {
					minor = 100
				}
				at := time.Date(2026, time.January, 1+(a+i)%28, 12, 0, 0, 0, time.UTC)
				ab.Entries = append(ab.Entries, affiliate.Entry{ID: affiliate.EntryID(fmt.Sprintf("e-%05d-%02d", a, i)), Beneficiary: aff,
					Kind: affiliate.KindCommission, Amount: affiliate.MustMoney(minor, "EUR"), Rule: "bench", Terms: "v1", At: at, AvailableAt: at})
				earned += minor
			}
			ab.Deltas = append(ab.Deltas,
				storage.AggregateDelta{Affiliate: aff, Period: per("2026-01"), Metric: affiliate.MetricEarnings, Amount: affiliate.MustMoney(earned, "EUR")},
				storage.AggregateDelta{Affiliate: aff, Period: per("2026-01"), Metric: affiliate.MetricRevenue, Amount: affiliate.MustMoney(3*earned, "EUR")},
				storage.AggregateDelta{Affiliate: aff, Period: per("2026-01"), Metric: affiliate.MetricConversions, Count: 2},
				storage.AggregateDelta{Affiliate: "", Period: per("2026-01"), Metric: affiliate.MetricEarnings, Amount: affiliate.MustMoney(earned, "EUR")})
		}
		if _, err := affiliatetest.SeedLedger(ctx, s, ab.Key, ab.Entries, ab.Deltas); err != nil {
			b.Fatal(err)
		}
	}
}

func analyze(b *testing.B, db *sql.DB) {
	if _, err := db.Exec(`ANALYZE`); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkPostgresPayoutRun10k: payout.Runner.Run over 10,000 affiliates
// and 100,000 open entries: read them, plan, and write 8,000 payouts (with
// 80,000 claims) and 2,000 carried balances in one transaction. Each
// iteration gets a freshly seeded schema, built outside the timer.
func BenchmarkPostgresPayoutRun10k(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		s, db := openPostgres(b)
		seedLedger(b, s)
		analyze(b, db)
		r, err := payout.New(payout.Config{Policy: payout.Policy{Minimums: map[affiliate.Currency]affiliate.Money{"EUR": affiliate.MustMoney(5000, "EUR")}},
			Store: s})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := r.Run(ctx, affiliate.Period{Year: 2026, Month: time.January}, time.Date(2026, time.February, 1, 12, 0, 0, 0, time.UTC))
		if err != nil || len(res.Payouts) != 8000 {
			b.Fatalf("Run: %d payouts, %v", len(res.Payouts), err)
		}
	}
}

// BenchmarkPostgresDashboard10k: report.Reporter's affiliate and program
// dashboards for one month, on a store holding 10,000 affiliates' month
// (100,000 entries) with a payout run made.
func BenchmarkPostgresDashboard10k(b *testing.B) {
	ctx := context.Background()
	s, db := openPostgres(b)
	seedLedger(b, s)
	r, err := payout.New(payout.Config{Policy: payout.Policy{Minimums: map[affiliate.Currency]affiliate.Money{"EUR": affiliate.MustMoney(5000, "EUR")}}, Store: s})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := r.Run(ctx, affiliate.Period{Year: 2026, Month: time.January}, time.Date(2026, time.February, 1, 12, 0, 0, 0, time.UTC)); err != nil {
		b.Fatal(err)
	}
	analyze(b, db)
	rep, err := report.New(report.Config{Store: s, Now: func() time.Time { return time.Date(2026, time.February, 15, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		b.Fatal(err)
	}
	month := report.Month(affiliate.Period{Year: 2026, Month: time.January})
	b.Run("Affiliate", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := rep.Affiliate(ctx, benchAffiliateID(i%10_000), month); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("Program", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := rep.Program(ctx, month); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// onceSet reports the first time it sees each key.
type onceSet struct{ m sync.Map }

func (o *onceSet) first(k string) bool {
	_, seen := o.m.LoadOrStore(k, true)
	return !seen
}
