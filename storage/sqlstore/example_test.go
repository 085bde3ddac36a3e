package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/sqlstore"
)

// The host opens the database with its own driver (here the pure-Go
// modernc.org/sqlite; github.com/jackc/pgx/v5/stdlib for PostgreSQL),
// hands the *sql.DB to New, and migrates once at start-up.
func Example() {
	dir, _ := os.MkdirTemp("", "affiliate")
	defer os.RemoveAll(dir)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "affiliate.db")+
		"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(ON)&_pragma=temp_store(MEMORY)")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	ctx := context.Background()
	store, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.SQLite})
	if err != nil {
		log.Fatal(err)
	}
	if err := store.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	version, _ := store.SchemaVersion(ctx)
	migrations, _ := sqlstore.Migrations(sqlstore.SQLite)
	fmt.Println("schema up to date:", version == migrations[len(migrations)-1].Version)

	at := time.Date(2026, time.January, 15, 12, 0, 0, 0, time.UTC)
	entry := affiliate.Entry{
		ID: "pay_1/ann", Beneficiary: "ann", Event: "pay_1", Payment: "pay_1", Customer: "cus_1",
		Kind: affiliate.KindCommission, Base: affiliate.MustParseMoney("20.00", "USD"), Rate: affiliate.MustPercent("30"),
		Amount: affiliate.MustParseMoney("6.00", "USD"), At: at, AvailableAt: at.AddDate(0, 0, 30),
	}
	// The commission engine's one write: entries, deltas and the
	// customer's state, under the event's key.
	commit := storage.Commit{Key: "event:pay_1", Hash: "h1", State: storage.CustomerState{Customer: "cus_1", Version: 1},
		Entries: []affiliate.Entry{entry},
		Deltas:  []storage.AggregateDelta{{Affiliate: "ann", Period: per("2026-01"), Metric: affiliate.MetricEarnings, Amount: entry.Amount}}}
	if _, err := store.Commit(ctx, commit); err != nil {
		log.Fatal(err)
	}
	again, _ := store.Commit(ctx, commit) // a redelivery replays
	fmt.Println("replayed:", again.Replayed, len(again.Entries), "entry")

	commit.Hash = "h2" // the same key for another payload
	_, err = store.Commit(ctx, commit)
	fmt.Println("reused key:", errors.Is(err, affiliate.ErrIdempotencyMismatch))

	entries, _ := store.Entries(ctx, storage.EntryQuery{Beneficiary: "ann"})
	for _, e := range entries {
		fmt.Println(e.ID, e.Amount, e.Rate.PercentString(), "of", e.Base)
	}
	earnings, _ := store.AffiliateAggregates(ctx, "ann", affiliate.MetricEarnings, per("2026-01"), per("2026-12"))
	fmt.Println("earnings", earnings[0].Period, earnings[0].Amount)
	// Output:
	// schema up to date: true
	// replayed: true 1 entry
	// reused key: true
	// pay_1/ann 6.00 USD 30% of 20.00 USD
	// earnings 2026-01 6.00 USD
}

// Stats shows how often transactions were run again after a transient
// failure (a serialization failure or deadlock on PostgreSQL, a busy
// database on SQLite): a number to export to the host's metrics.
func ExampleStore_Stats() {
	dir, _ := os.MkdirTemp("", "affiliate")
	defer os.RemoveAll(dir)
	db, _ := sql.Open("sqlite", "file:"+filepath.Join(dir, "affiliate.db")+"?_pragma=busy_timeout(5000)")
	defer db.Close()
	store, _ := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.SQLite, MaxRetries: 5})
	_ = store.Migrate(context.Background())

	_, err := store.Bind(context.Background(), affiliate.Binding{Customer: "cus_1", Affiliate: "ann", Source: affiliate.BindByCode, BoundAt: time.Now()})
	fmt.Println(err)
	st := store.Stats()
	fmt.Println("transactions:", st.Transactions, "retries:", st.Retries, "gave up:", st.Exhausted)
	// Output:
	// <nil>
	// transactions: 2 retries: 0 gave up: 0
}

// CheckDurability lists the settings under which a crash can lose writes
// the store acknowledged; a host logs them, or refuses to start, at
// start-up.
func ExampleStore_CheckDurability() {
	dir, _ := os.MkdirTemp("", "affiliate")
	defer os.RemoveAll(dir)
	db, _ := sql.Open("sqlite", "file:"+filepath.Join(dir, "affiliate.db")+
		"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	defer db.Close()
	store, _ := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.SQLite})

	warnings, err := store.CheckDurability(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, w := range warnings {
		fmt.Println(w)
	}
	// Output:
	// synchronous is normal, want full (or extra): a power loss loses commits already acknowledged
}
