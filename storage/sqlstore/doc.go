// Package sqlstore keeps the library's state in the host's SQL database:
// every interface of package storage on a *sql.DB, for PostgreSQL and
// SQLite, with memstore's guarantees (storagetest checks both) and the
// invariants written into the schema.
//
// In flows a *sql.DB the host opened with its own driver (sqlstore
// imports none) and a Dialect; out comes a Store that the commission
// engine, the tier close, the payout runner and the reports share. Each
// write is one transaction, so every atomic write of the contract is all
// or nothing (Commit on PostgreSQL: one statement, whose conditions check
// the commit's Expectation too, made again statement by statement when it
// would fail; CommitBatch: one transaction for the
// batch, each table's rows as one array a column on PostgreSQL, one
// prepared one-row statement per table on SQLite); each read is one statement or
// one read-only snapshot. On PostgreSQL the outbox is numbered when read,
// so writers never wait for one another's commit to number theirs.
// Amounts are integer minor units, times int64 nanoseconds, and an
// event's payment, refund or reinstatement is stored as its canonical JSON
// (affiliate.Canonical), the encoding the engine hashes.
//
// The schema comes from SQL files embedded in the binary, one directory
// per dialect, numbered 0001, 0002…: Migrate applies in one transaction
// the ones affiliate_schema_migrations does not list, and is idempotent
// and safe to call from several processes. Hosts with their own migration
// tool take the files from Migrations. Every table is prefixed affiliate_.
//
// On PostgreSQL the store passes Go slices ([]string, []int64, [][]byte)
// as array parameters, which pgx's database/sql driver takes as they are
// in every query mode, the exec and simple_protocol modes that a
// transaction pooler such as PgBouncer needs included.
//
//	db, _ := sql.Open("pgx", dsn) // github.com/jackc/pgx/v5/stdlib
//	store, _ := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.Postgres})
//	if err := store.Migrate(ctx); err != nil { ... }
//	eng, _ := commission.New(commission.Config{Store: store, Terms: terms})
//
// Open SQLite with busy_timeout, journal_mode(WAL) and foreign_keys(ON)
// (see Example), and keep synchronous at FULL; run PostgreSQL with fsync,
// full_page_writes and synchronous_commit on. Under weaker settings a
// crash can lose writes the store acknowledged: CheckDurability, called
// at start-up, lists the unsafe ones. Transient failures (serialization
// failures, deadlocks, lost connections, SQLITE_BUSY) run again up to
// Config.MaxRetries times, then match affiliate.ErrRetryable; Stats counts
// them. Why the schema, the transactions and the indexes are as they are
// is in docs/decisions.md, with the tests that pin each choice.
package sqlstore
