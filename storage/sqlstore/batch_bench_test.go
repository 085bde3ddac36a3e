package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/sqlstore"
	"github.com/openaffiliate/affiliate/tiers"
)

// The batch benchmarks record the same seeded events on each dialect
// (SQLite as a WAL file; PostgreSQL when AFFILIATE_TEST_POSTGRES is set)
// through each path: Record one by one on 1 and 8 workers, RecordBatch in
// batches of 100 and 1,000 (and of 1,000 from two callers at once), and
// CommitBatch alone. Run them with
//
//	AFFILIATE_TEST_POSTGRES=... go test -run '^$' -bench 'Batch' -benchtime 3s ./storage/sqlstore/
//
// Event k is a USD 20 payment of customer k mod benchCustomers, a second
// after event k-1, so every payment is in order (the engine's fast path)
// and a batch of up to benchCustomers events holds each customer once.
const (
	benchCustomers  = 2000
	benchAffiliates = 100
)

func benchCustomer(k int) affiliate.CustomerID {
	return affiliate.CustomerID(fmt.Sprintf("c-%05d", k%benchCustomers))
}

func benchEvent(k int) affiliate.Payment {
	return affiliate.Payment{ID: affiliate.EventID(fmt.Sprintf("ev-%08d", k)), Customer: benchCustomer(k), PaidAt: jan15.Add(time.Duration(k) * time.Second), Currency: "USD",
		Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(2000, "USD")}}}
}

// benchEngine sets up the affiliates, binds every customer (on 8
// goroutines, outside the timer) and returns seed 001's engine.
func benchEngine(b *testing.B, s *sqlstore.Store, db *sql.DB) *commission.Engine {
	ctx := context.Background()
	for a := range benchAffiliates {
		if err := s.PutAffiliate(ctx, affiliate.Affiliate{ID: benchAffiliateID(a), Status: affiliate.StatusActive}); err != nil {
			b.Fatal(err)
		}
	}
	db.SetMaxOpenConns(8)
	var wg sync.WaitGroup
	var next atomic.Int64
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := int(next.Add(1) - 1); c < benchCustomers; c = int(next.Add(1) - 1) {
				if _, err := s.Bind(ctx, affiliate.Binding{Customer: benchCustomer(c), Affiliate: benchAffiliateID(c % benchAffiliates), Source: affiliate.BindByCode, BoundAt: jan15}); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	eng, err := commission.New(commission.Config{Store: s, Terms: benchTerms})
	if err != nil {
		b.Fatal(err)
	}
	return eng
}

var benchTerms = []commission.TermsVersion{{Version: "v1", Rule: rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("30")}}}

func BenchmarkBatch(b *testing.B) {
	for _, d := range dialects() {
		b.Run(d.name, func(b *testing.B) {
			for _, workers := range []int{1, 8} {
				b.Run(fmt.Sprintf("Record/workers=%d", workers), func(b *testing.B) {
					s, db := d.open(b)
					eng := benchEngine(b, s, db)
					var next atomic.Int64
					b.ResetTimer() // RunParallel does not
					eventsPerSecond(b, db, workers, func(int, int) error {
						_, err := eng.Record(context.Background(), benchEvent(int(next.Add(1)-1)))
						return err
					})
				})
			}
			// Tiers that read the store: package tiers' next-period program
			// reads each affiliate's month before, so a batch of one month
			// takes one round; a source that does not implement
			// commission.TierReads may read anything, so a round ends at an
			// affiliate's second payment and the 1,000 events of 100
			// affiliates take several rounds, each a ReadBatch and a
			// CommitBatch.
			readsAny := func(*testing.B, *sqlstore.Store) commission.TierSource {
				return commission.TierSourceFunc(func(context.Context, affiliate.AffiliateID, affiliate.Payment) (rules.Tier, error) {
					return rules.Tier{}, nil
				})
			}
			nextPeriod := func(b *testing.B, s *sqlstore.Store) commission.TierSource { return benchTiers(b, s, false) }
			nextPeriodClosed := func(b *testing.B, s *sqlstore.Store) commission.TierSource { return benchTiers(b, s, true) }
			for _, tc := range []struct {
				size  int
				name  string
				tiers func(*testing.B, *sqlstore.Store) commission.TierSource
			}{{100, "", nil}, {1000, "", nil}, {1000, "/tiers=next-period", nextPeriod},
				{1000, "/tiers=next-period-closed", nextPeriodClosed}, {1000, "/tiers=reads-any", readsAny}} {
				size := tc.size
				b.Run(fmt.Sprintf("RecordBatch/size=%d%s", size, tc.name), func(b *testing.B) {
					s, db := d.open(b)
					eng := benchEngine(b, s, db)
					if tc.tiers != nil {
						var err error
						if eng, err = commission.New(commission.Config{Store: s, Tiers: tc.tiers(b, s), Terms: benchTerms}); err != nil {
							b.Fatal(err)
						}
					}
					db.SetMaxOpenConns(1)
					events := make([]affiliate.Event, size)
					k := 0
					b.ReportAllocs()
					for b.Loop() {
						for i := range events {
							events[i] = benchEvent(k)
							k++
						}
						if _, err := eng.RecordBatch(context.Background(), events); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(k)/b.Elapsed().Seconds(), "events/s")
				})
			}
			// Two callers, each on its own half of the customers (batch j
			// of caller w holds events 2,000j+1,000w to 2,000j+1,000w+999),
			// so that one's client work runs while the server runs the
			// other's statements: a host's backfill sharded by customer.
			b.Run("RecordBatch/size=1000/workers=2", func(b *testing.B) {
				s, db := d.open(b)
				eng := benchEngine(b, s, db)
				const callers, size = 2, 1000
				db.SetMaxOpenConns(callers)
				var taken atomic.Int64 // batches handed out, of b.N
				var wg sync.WaitGroup
				b.ReportAllocs()
				b.ResetTimer()
				for w := range callers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						events := make([]affiliate.Event, size)
						for j := 0; taken.Add(1) <= int64(b.N); j++ {
							for i := range events {
								events[i] = benchEvent(callers*size*j + size*w + i)
							}
							if _, err := eng.RecordBatch(context.Background(), events); err != nil {
								b.Error(err)
								return
							}
						}
					}()
				}
				wg.Wait()
				b.ReportMetric(float64(b.N*size)/b.Elapsed().Seconds(), "events/s")
			})
			b.Run("CommitBatch/size=1000", func(b *testing.B) {
				s, db := d.open(b)
				db.SetMaxOpenConns(1)
				versions := make(map[affiliate.CustomerID]int64)
				commits := make([]storage.Commit, 1000)
				k := 0
				b.ReportAllocs()
				for b.Loop() {
					for i := range commits {
						commits[i] = benchCommit(k, versions)
						k++
					}
					if _, err := s.CommitBatch(context.Background(), commits); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(k)/b.Elapsed().Seconds(), "events/s")
			})
		})
	}
}

// benchTiers is package tiers' next-period program, Premium from USD
// 10,000 a month. With closed, December (the month before the events') is
// closed first, as it is on every day of a month but its first few: a
// tier is then the close's, read once per round for every affiliate;
// otherwise it is December's running aggregates, read per affiliate.
func benchTiers(b *testing.B, s *sqlstore.Store, closed bool) commission.TierSource {
	schedule, err := tiers.NewSchedule(tiers.Tier{Name: "Standard", Rate: affiliate.MustPercent("30")},
		tiers.Tier{Name: "Premium", Threshold: tiers.Amount(affiliate.MustParseMoney("10000", "USD")), Rate: affiliate.MustPercent("35")})
	if err != nil {
		b.Fatal(err)
	}
	p, err := tiers.New(tiers.Config{Store: s, Schedule: schedule, Currency: "USD"})
	if err != nil {
		b.Fatal(err)
	}
	if closed {
		dec := affiliate.PeriodOf(jan15, time.UTC).Prev()
		if _, err := p.Close(context.Background(), dec, dec.End()); err != nil {
			b.Fatal(err)
		}
	}
	return p
}

// benchCommit is the commit the engine makes for event k: the event, the
// customer's next state, one entry and the earnings deltas.
func benchCommit(k int, versions map[affiliate.CustomerID]int64) storage.Commit {
	p := benchEvent(k)
	aff := benchAffiliateID(k % benchCustomers % benchAffiliates)
	amount := affiliate.MustMoney(600, "USD")
	versions[p.Customer]++
	return storage.Commit{Key: "event:" + string(p.ID), Hash: "h", State: storage.CustomerState{Customer: p.Customer, Version: versions[p.Customer], Data: []byte("summary")},
		Event: &affiliate.EventRecord{ID: p.ID, Customer: p.Customer, Time: p.PaidAt, Hash: "h", Payment: &p, Affiliate: aff},
		Entries: []affiliate.Entry{{ID: affiliate.EntryID(p.ID + "/1"), Beneficiary: aff, Event: p.ID, Payment: p.ID, Customer: p.Customer, Kind: affiliate.KindCommission,
			Base: p.Lines[0].Amount, Rate: affiliate.MustPercent("30"), Amount: amount, Chain: []affiliate.AffiliateID{aff}, At: p.PaidAt, AvailableAt: p.PaidAt}},
		Deltas: []storage.AggregateDelta{
			{Affiliate: aff, Period: per("2026-01"), Metric: affiliate.MetricEarnings, Amount: amount},
			{Affiliate: "", Period: per("2026-01"), Metric: affiliate.MetricEarnings, Amount: amount},
		}}
}
