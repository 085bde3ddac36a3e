package tiers_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
	"github.com/openaffiliate/affiliate/storage/sqlstore"
	"github.com/openaffiliate/affiliate/tiers"
)

// retroStore is what the retroactive close benchmark needs of a store.
type retroStore interface {
	commission.Store
	tiers.Store
	storage.Affiliates
	storage.Bindings
}

// BenchmarkRetroactiveClose measures a whole retroactive close of one
// month of 10,000 affiliates (one in ten a sub-affiliate) and 100,000
// payments recorded by the engine, one per customer: one affiliate in ten
// reaches Premium, so about a tenth of the payments (and their parents'
// bonuses) are re-priced. It runs on memstore, and on PostgreSQL when
// AFFILIATE_TEST_POSTGRES names a server (in a schema of its own). The
// setup records the month through the engine and is not timed; run it
// once:
//
//	go test -run '^$' -bench RetroactiveClose -benchtime 1x -benchmem ./tiers/
func BenchmarkRetroactiveClose(b *testing.B) {
	b.Run("memstore", func(b *testing.B) { benchRetroactiveClose(b, memstore.New()) })
	b.Run("postgres", func(b *testing.B) {
		dsn := os.Getenv("AFFILIATE_TEST_POSTGRES")
		if dsn == "" {
			b.Skip("AFFILIATE_TEST_POSTGRES is not set")
		}
		benchRetroactiveClose(b, postgresStore(b, dsn))
	})
}

func benchRetroactiveClose(b *testing.B, st retroStore) {
	ctx := context.Background()
	p, err := tiers.New(tiers.Config{Store: st, Schedule: seed000, Currency: "EUR", Policy: tiers.Retroactive})
	if err != nil {
		b.Fatal(err)
	}
	eng, err := commission.New(commission.Config{
		Store: st, Terms: []commission.TermsVersion{{Version: "v1", Rule: seedRules()}},
		Tiers: p, Currency: "EUR", RequireConversion: true,
	})
	if err != nil {
		b.Fatal(err)
	}
	recordBenchMonth(b, st, eng)
	b.ReportAllocs()
	snapshots := 0
	cpu := cpuTime()
	for b.Loop() {
		res, err := closeAndRetier(ctx, p, eng, jan, jan.End())
		if err != nil {
			b.Fatal(err)
		}
		snapshots = len(res.Snapshots)
	}
	// The process's CPU time (user and system, GC included) tells more
	// than the wall clock on a machine shared with other work.
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(snapshots), "snapshots")
}

// cpuTime returns the process's CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// recordBenchMonth records the benchmark month through eng, with 8
// workers.
func recordBenchMonth(b testing.TB, st retroStore, eng *commission.Engine) {
	ctx := context.Background()
	for i := range benchAffiliates {
		a := affiliate.Affiliate{ID: benchAffiliate(i), Status: affiliate.StatusActive}
		if i%10 == 1 {
			a.Parent = benchAffiliate(i - 1)
		}
		if err := st.PutAffiliate(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	amounts := make([]int64, benchPayments)
	for i := range amounts {
		amounts[i] = rng.Int64N(999_00) + 1_00 // 1.00–999.99 EUR
		if i%benchAffiliates%10 == 0 {
			amounts[i] += 1_000_00 // ten payments of at least 1,000 EUR reach Premium
		}
	}
	const workers = 8
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < benchPayments; i += workers {
				c := affiliate.CustomerID(fmt.Sprintf("cus%06d", i))
				if _, err := st.Bind(ctx, affiliate.Binding{Customer: c, Affiliate: benchAffiliate(i % benchAffiliates), Source: affiliate.BindByManual, BoundAt: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
					errs <- err
					return
				}
				at := time.Date(2026, 1, 1+i%28, 12, 0, i%60, 0, time.UTC)
				pay := payment(fmt.Sprintf("pay%06d", i), c, at, affiliate.MustMoney(amounts[i], "EUR"))
				if _, err := eng.Record(ctx, pay); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}

func benchAffiliate(i int) affiliate.AffiliateID {
	return affiliate.AffiliateID(fmt.Sprintf("aff%05d", i))
}

// postgresStore returns a store on a new schema of the server dsn names,
// dropped when the benchmark ends.
func postgresStore(b *testing.B, dsn string) *sqlstore.Store {
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { admin.Close() })
	schema := fmt.Sprintf("tiers_bench_%d", os.Getpid())
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
	db, err := sql.Open("pgx", dsn+" search_path="+schema)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(8)
	st, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.Postgres})
	if err != nil {
		b.Fatal(err)
	}
	if err := st.Migrate(context.Background()); err != nil {
		b.Fatal(err)
	}
	return st
}
