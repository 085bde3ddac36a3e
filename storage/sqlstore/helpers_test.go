package sqlstore_test

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver, registered as "pgx"
	_ "modernc.org/sqlite"             // SQLite driver (pure Go), registered as "sqlite"

	"github.com/openaffiliate/affiliate/storage/sqlstore"
)

// postgresEnv names the environment variable that holds the DSN of a
// PostgreSQL server for the tests. .ci/run starts a server and sets it.
const postgresEnv = "AFFILIATE_TEST_POSTGRES"

const skipPostgres = postgresEnv + " is not set: the PostgreSQL tests need a server " +
	`(set it to a DSN such as "host=/tmp/pg dbname=affiliate_test", or run .ci/run, which starts one)`

// dialect is one database the tests run against.
type dialect struct {
	name string
	open func(t testing.TB) (*sqlstore.Store, *sql.DB)
}

func dialects() []dialect {
	return []dialect{{"SQLite", openSQLite}, {"Postgres", openPostgres}}
}

// openRelease is open for property runs: it also returns a function that
// releases the store before the test ends (see releasable).
func (d dialect) openRelease(t testing.TB) (*sqlstore.Store, func()) {
	if d.name == "SQLite" {
		return openSQLiteRelease(t)
	}
	return openPostgresRelease(t)
}

// releasable is a store that storagetest closes when the rapid run that
// made it ends (see storagetest.Factory). A property makes 100 runs: were
// each run's database released only when the property ends, a property
// would hold 100 pools, and TestEngineInvariantsOnSQL, six stores a run,
// 600, each with its connections and, on PostgreSQL, a schema to create
// and migrate.
type releasable struct {
	*sqlstore.Store
	release func()
}

func (r releasable) Close() error { r.release(); return nil }

// once returns release guarded so that the test's cleanup can call it
// again after a run did.
func once(t testing.TB, release func()) func() {
	var o sync.Once
	r := func() { o.Do(release) }
	t.Cleanup(r)
	return r
}

func openSQLiteRelease(t testing.TB) (*sqlstore.Store, func()) {
	t.Helper()
	db, err := sql.Open("sqlite", sqliteDSN(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	release := once(t, func() { db.Close() })
	return newStore(t, db, sqlstore.SQLite), release
}

// sqliteDSN opens a file database in a temporary directory. WAL lets
// readers run beside the one writer; busy_timeout makes a writer wait for
// the write lock instead of failing at once; foreign_keys turns on the
// schema's references, which SQLite leaves off by default.
func sqliteDSN(dir string) string {
	return "file:" + filepath.Join(dir, "affiliate.db") +
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_pragma=temp_store(MEMORY)"
}

func openSQLite(t testing.TB) (*sqlstore.Store, *sql.DB) {
	t.Helper()
	db, err := sql.Open("sqlite", sqliteDSN(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return newStore(t, db, sqlstore.SQLite), db
}

var (
	adminOnce sync.Once
	adminDB   *sql.DB
	adminErr  error
	schemaSeq atomic.Int64

	// schemaPool holds migrated schemas that earlier tests released,
	// emptied, by the pgx query mode their connections use ("" for the
	// default): creating and migrating a schema costs PostgreSQL about
	// 150 ms of catalog work, emptying one about a tenth of that, and the
	// conformance suite's rapid models ask for a store per run.
	schemaPool struct {
		sync.Mutex
		free map[string][]*pgSchema
	}
)

type pgSchema struct {
	name string
	db   *sql.DB
}

func admin(t testing.TB) *sql.DB {
	t.Helper()
	dsn := os.Getenv(postgresEnv)
	if dsn == "" {
		t.Skip(skipPostgres)
	}
	adminOnce.Do(func() {
		adminDB, adminErr = sql.Open("pgx", dsn)
		if adminErr == nil {
			adminErr = adminDB.Ping()
		}
	})
	if adminErr != nil {
		t.Fatalf("%s: %v", postgresEnv, adminErr)
	}
	return adminDB
}

// openPostgres returns a store on an empty, migrated schema of its own in
// the server that AFFILIATE_TEST_POSTGRES names, and skips the test when
// the variable is not set. The schema is new, or one an earlier test
// released and that was emptied since.
func openPostgres(t testing.TB) (*sqlstore.Store, *sql.DB) {
	t.Helper()
	s, sc, _ := openPooledSchema(t, "")
	return s, sc.db
}

func openPostgresRelease(t testing.TB) (*sqlstore.Store, func()) {
	t.Helper()
	s, _, release := openPooledSchema(t, "")
	return s, release
}

// openPooledSchema takes a schema whose connections use pgx's query mode
// mode from the pool (or makes one) and returns a store on it, and the
// function that empties it and gives it back, which runs at the latest
// when the test ends.
func openPooledSchema(t testing.TB, mode string) (*sqlstore.Store, *pgSchema, func()) {
	t.Helper()
	admin(t)
	schemaPool.Lock()
	var sc *pgSchema
	if free := schemaPool.free[mode]; len(free) > 0 {
		sc, schemaPool.free[mode] = free[len(free)-1], free[:len(free)-1]
	}
	schemaPool.Unlock()
	if sc == nil {
		sc = newSchema(t, mode)
		newStore(t, sc.db, sqlstore.Postgres) // migrates
	}
	release := once(t, func() {
		if err := emptySchema(sc); err != nil {
			sc.drop(t)
			return
		}
		schemaPool.Lock()
		if schemaPool.free == nil {
			schemaPool.free = make(map[string][]*pgSchema)
		}
		schemaPool.free[mode] = append(schemaPool.free[mode], sc)
		schemaPool.Unlock()
	})
	s, err := sqlstore.New(sc.db, sqlstore.Config{Dialect: sqlstore.Postgres})
	if err != nil {
		t.Fatal(err)
	}
	return s, sc, release
}

// openPostgresFresh returns a store on a new schema that Migrate has not
// touched yet, dropped when the test ends.
func openPostgresFresh(t testing.TB) (*sqlstore.Store, *sql.DB) {
	t.Helper()
	admin(t)
	sc := newSchema(t, "")
	t.Cleanup(func() { sc.drop(t) })
	s, err := sqlstore.New(sc.db, sqlstore.Config{Dialect: sqlstore.Postgres})
	if err != nil {
		t.Fatal(err)
	}
	return s, sc.db
}

func newSchema(t testing.TB, mode string) *pgSchema {
	t.Helper()
	name := fmt.Sprintf("affiliate_test_%d_%d", os.Getpid(), schemaSeq.Add(1))
	if _, err := adminDB.Exec("CREATE SCHEMA " + name); err != nil {
		t.Fatal(err)
	}
	dsn := withSearchPath(os.Getenv(postgresEnv), name)
	if mode != "" {
		dsn = withParam(dsn, "default_query_exec_mode", mode)
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	// Property tests hold many schemas until they end; idle connections
	// are closed soon so that a shared server's limit is not reached.
	db.SetConnMaxIdleTime(200 * time.Millisecond)
	return &pgSchema{name: name, db: db}
}

func (sc *pgSchema) drop(t testing.TB) {
	sc.db.Close()
	if _, err := adminDB.Exec("DROP SCHEMA " + sc.name + " CASCADE"); err != nil {
		t.Errorf("drop test schema: %v", err)
	}
}

// emptySchema deletes every row but the migration record. The
// append-only triggers refuse DELETE, so it runs as a replica session, in
// which ordinary triggers (and the foreign-key checks) do not fire; that
// needs a superuser, and without one the caller drops the schema instead.
func emptySchema(sc *pgSchema) error {
	ctx := context.Background()
	conn, err := sc.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var tables string
	if err := conn.QueryRowContext(ctx, `SELECT string_agg(quote_ident(tablename), ', ') FROM pg_tables
WHERE schemaname = current_schema() AND tablename LIKE 'affiliate%' AND tablename <> 'affiliate_schema_migrations'`).Scan(&tables); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `SET session_replication_role = replica`); err != nil {
		return err
	}
	for _, table := range strings.Split(tables, ", ") {
		// DELETE, not TRUNCATE: a test leaves a few rows, and TRUNCATE
		// pays for new files for every table and index.
		if _, err = conn.ExecContext(ctx, `DELETE FROM `+table); err != nil {
			break
		}
	}
	if _, resetErr := conn.ExecContext(ctx, `RESET session_replication_role`); resetErr != nil {
		return resetErr
	}
	return err
}

// dropPooledSchemas drops the schemas left in the pool when the tests end.
func dropPooledSchemas() {
	schemaPool.Lock()
	defer schemaPool.Unlock()
	for _, free := range schemaPool.free {
		for _, sc := range free {
			sc.db.Close()
			_, _ = adminDB.Exec("DROP SCHEMA " + sc.name + " CASCADE")
		}
	}
	schemaPool.free = nil
}

// raceChecks is how many runs each rapid property of the conformance
// suite makes in a -race build, unless -rapid.checks says otherwise. The
// race detector instruments modernc.org/sqlite's engine (it is Go code),
// which makes every SQLite statement about ten times slower; at rapid's
// default of 100 runs per model the suite alone takes minutes. Plain
// builds keep rapid's default.
const raceChecks = 20

func TestMain(m *testing.M) {
	flag.Parse()
	if raceEnabled {
		explicit := false
		flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "rapid.checks" })
		if !explicit {
			_ = flag.Set("rapid.checks", strconv.Itoa(raceChecks))
		}
	}
	code := m.Run()
	if adminDB != nil {
		dropPooledSchemas()
		adminDB.Close()
	}
	os.Exit(code)
}

// withSearchPath adds search_path to a URL or keyword/value DSN; pgx sends
// it as a run-time parameter when it connects.
func withSearchPath(dsn, schema string) string { return withParam(dsn, "search_path", schema) }

// withParam adds a run-time parameter (search_path, application_name…)
// to a URL or keyword/value DSN.
func withParam(dsn, key, value string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err == nil {
			q := u.Query()
			q.Set(key, value)
			u.RawQuery = q.Encode()
			return u.String()
		}
	}
	return dsn + " " + key + "=" + value
}

func newStore(t testing.TB, db *sql.DB, d sqlstore.Dialect) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.New(db, sqlstore.Config{Dialect: d})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}
