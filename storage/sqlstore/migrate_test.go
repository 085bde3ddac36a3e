package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/sqlstore"
)

// freshDialects opens stores that Migrate has not touched yet.
func freshDialects() []dialect {
	return []dialect{
		{"SQLite", func(t testing.TB) (*sqlstore.Store, *sql.DB) {
			db, err := sql.Open("sqlite", sqliteDSN(t.TempDir()))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			s, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.SQLite})
			if err != nil {
				t.Fatal(err)
			}
			return s, db
		}},
		{"Postgres", openPostgresFresh},
	}
}

func TestMigrateIsIdempotentAndVersioned(t *testing.T) {
	ctx := context.Background()
	for _, d := range freshDialects() {
		t.Run(d.name, func(t *testing.T) {
			s, db := d.open(t)
			if v, err := s.SchemaVersion(ctx); err != nil || v != 0 {
				t.Fatalf("SchemaVersion before Migrate = %d, %v; want 0, nil", v, err)
			}
			migrations, err := sqlstore.Migrations(s.Dialect())
			if err != nil {
				t.Fatal(err)
			}
			last := migrations[len(migrations)-1].Version
			for range 3 {
				if err := s.Migrate(ctx); err != nil {
					t.Fatalf("Migrate: %v", err)
				}
			}
			if v, err := s.SchemaVersion(ctx); err != nil || v != last {
				t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, last)
			}
			var n int
			if err := db.QueryRow(`SELECT COUNT(*) FROM affiliate_schema_migrations`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != len(migrations) {
				t.Fatalf("affiliate_schema_migrations has %d rows, want one per migration (%d)", n, len(migrations))
			}
		})
	}
}

// TestMigrateConcurrently: several processes starting at once all call
// Migrate; each migration is applied exactly once and every call succeeds.
func TestMigrateConcurrently(t *testing.T) {
	ctx := context.Background()
	for _, d := range freshDialects() {
		t.Run(d.name, func(t *testing.T) {
			s, db := d.open(t)
			var wg sync.WaitGroup
			errs := make(chan error, 4)
			for range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs <- s.Migrate(ctx)
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatalf("Migrate: %v", err)
				}
			}
			migrations, _ := sqlstore.Migrations(s.Dialect())
			var n int
			if err := db.QueryRow(`SELECT COUNT(*) FROM affiliate_schema_migrations`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != len(migrations) {
				t.Fatalf("%d migration rows, want %d", n, len(migrations))
			}
		})
	}
}

func TestMigrationsAreWellFormed(t *testing.T) {
	for _, d := range []sqlstore.Dialect{sqlstore.Postgres, sqlstore.SQLite} {
		ms, err := sqlstore.Migrations(d)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) == 0 {
			t.Fatalf("%v: no migrations", d)
		}
		for i, m := range ms {
			// Versions increase; a gap is allowed, because branches reserve
			// their numbers ahead of merging (payfile has 0007 before 0006).
			if i > 0 && m.Version <= ms[i-1].Version || i == 0 && m.Version != 1 {
				t.Errorf("%v: migration %d is %s; versions must increase from 1", d, i, m.Name)
			}
			for _, banned := range []string{"REAL", "FLOAT", "DOUBLE", "MONEY"} {
				for _, line := range strings.Split(m.SQL, "\n") {
					code, _, _ := strings.Cut(line, "--")
					if strings.Contains(strings.ToUpper(code), " "+banned) {
						t.Errorf("%v %s: %q declares a %s column; amounts are integer minor units", d, m.Name, strings.TrimSpace(line), banned)
					}
				}
			}
		}
	}
	if _, err := sqlstore.Migrations(sqlstore.Dialect(0)); !errors.Is(err, affiliate.ErrInvalid) {
		t.Errorf("Migrations(0) = %v, want ErrInvalid", err)
	}
}

// TestLedgerIsAppendOnly: the triggers refuse UPDATE and DELETE of ledger
// entries, events, idempotency keys and touches, whoever sends them.
func TestLedgerIsAppendOnly(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
	for _, d := range dialects() {
		t.Run(d.name, func(t *testing.T) {
			s, db := d.open(t)
			e := affiliate.Entry{ID: "e1", Beneficiary: "a", Kind: affiliate.KindCommission, Amount: affiliate.MustMoney(600, "EUR"), At: t0, AvailableAt: t0}
			if _, err := affiliatetest.SeedLedger(ctx, s, "k", []affiliate.Entry{e}, nil); err != nil {
				t.Fatal(err)
			}
			if err := s.AddTouch(ctx, affiliate.Touch{ID: "t1", Visitor: "v", Affiliate: "a", Source: affiliate.TouchLink, At: t0}); err != nil {
				t.Fatal(err)
			}
			for _, stmt := range []string{
				`UPDATE affiliate_entries SET amount_minor = 1`,
				`DELETE FROM affiliate_entries`,
				`UPDATE affiliate_idempotency_keys SET hash = 'x'`,
				`DELETE FROM affiliate_idempotency_keys`,
				`DELETE FROM affiliate_touches`,
			} {
				if _, err := db.ExecContext(ctx, stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
					t.Errorf("%s: err = %v, want the append-only trigger's refusal", stmt, err)
				}
			}
			if d.name == "Postgres" {
				if _, err := db.ExecContext(ctx, `TRUNCATE affiliate_entries CASCADE`); err == nil || !strings.Contains(err.Error(), "append-only") {
					t.Errorf("TRUNCATE: err = %v, want the append-only trigger's refusal", err)
				}
			}
			got, err := s.Entries(ctx, storage.EntryQuery{})
			if err != nil || len(got) != 1 || got[0].Amount.Minor() != 600 {
				t.Fatalf("after the refused statements Entries = %v, %v; want the one entry unchanged", got, err)
			}
		})
	}
}

// TestSchemaRefusesFloats: on SQLite the STRICT tables refuse a REAL in an
// amount column, so no float can reach the ledger even from outside.
func TestSchemaRefusesFloats(t *testing.T) {
	_, db := openSQLite(t)
	_, err := db.Exec(`INSERT INTO affiliate_aggregates (affiliate, metric, period, currency, shard, amount_minor, count) VALUES ('a', 'm', '2026-01', 'EUR', 0, 1.5, 0)`)
	if err == nil {
		t.Fatal("inserting 1.5 into amount_minor succeeded; the STRICT table should refuse it")
	}
}
