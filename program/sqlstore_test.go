package program_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver, registered as "pgx"
	_ "modernc.org/sqlite"             // SQLite driver, registered as "sqlite"

	"github.com/openaffiliate/affiliate/storage/sqlstore"
)

// The program runs the same on sqlstore: its Store is one value there too.
func TestMethodsOnSQLite(t *testing.T) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "program.db")+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)")
	fatalIf(t, err)
	t.Cleanup(func() { db.Close() })
	testMethods(t, migrated(t, db, sqlstore.SQLite))
	t.Run("Review", func(t *testing.T) {
		db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "review.db")+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)")
		fatalIf(t, err)
		t.Cleanup(func() { db.Close() })
		reviewFlow(t, migrated(t, db, sqlstore.SQLite))
	})
}

// TestMethodsOnPostgres needs AFFILIATE_TEST_POSTGRES, a DSN; it works in
// a schema of its own, dropped at the end.
func TestMethodsOnPostgres(t *testing.T) {
	dsn := os.Getenv("AFFILIATE_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("AFFILIATE_TEST_POSTGRES is not set")
	}
	admin, err := sql.Open("pgx", dsn)
	fatalIf(t, err)
	t.Cleanup(func() { admin.Close() })
	schema := fmt.Sprintf("program_test_%d", os.Getpid())
	_, err = admin.Exec("CREATE SCHEMA " + schema)
	fatalIf(t, err)
	db, err := sql.Open("pgx", dsn+" search_path="+schema)
	fatalIf(t, err)
	t.Cleanup(func() {
		db.Close()
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Error(err)
		}
	})
	testMethods(t, migrated(t, db, sqlstore.Postgres))
	t.Run("Review", func(t *testing.T) {
		schema := fmt.Sprintf("program_review_%d", os.Getpid())
		_, err = admin.Exec("CREATE SCHEMA " + schema)
		fatalIf(t, err)
		db, err := sql.Open("pgx", dsn+" search_path="+schema)
		fatalIf(t, err)
		t.Cleanup(func() {
			db.Close()
			if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
				t.Error(err)
			}
		})
		reviewFlow(t, migrated(t, db, sqlstore.Postgres))
	})
}

func migrated(t *testing.T, db *sql.DB, d sqlstore.Dialect) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.New(db, sqlstore.Config{Dialect: d})
	fatalIf(t, err)
	fatalIf(t, s.Migrate(context.Background()))
	return s
}
