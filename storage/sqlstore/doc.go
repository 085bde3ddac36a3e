// Package sqlstore keeps the library's state in the host's SQL database:
// it implements every interface of package storage on a *sql.DB, for
// PostgreSQL and SQLite, with the guarantees memstore gives and
// storagetest checks, and with the invariants written into the schema.
//
// # Use
//
// The host opens the database with its own driver and passes the *sql.DB;
// sqlstore imports no driver. At start-up it calls Migrate once:
//
//	db, _ := sql.Open("pgx", dsn) // github.com/jackc/pgx/v5/stdlib
//	store, _ := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.Postgres})
//	if err := store.Migrate(ctx); err != nil { ... }
//
// The store is safe for concurrent use by any number of goroutines and
// processes. Stats reports how many transactions ran again after a
// transient failure.
//
// # How data flows
//
// Each call that writes is one transaction (so every atomic write of the
// storage contract is all or nothing), and each read is one statement (so
// it sees one snapshot), or a read-only snapshot transaction where a read
// needs several statements (payout runs, balances). The tables follow the
// concerns: affiliates and their codes; the idempotency keys shared by
// Append, Commit and CommitTierClose; the append-only ledger and its open
// (unsettled) index; the event log and customer states; aggregates;
// bindings; touches and leads; tier closes and snapshots; payout runs,
// payouts, their claims on entries, carried balances and payout sums.
//
// # Invariants in the schema
//
//   - Idempotency keys: the primary key of affiliate_idempotency_keys. A
//     write claims its key first (INSERT ... ON CONFLICT DO NOTHING), so a
//     concurrent write with the same key waits for the first to end and
//     then replays it or reports ErrIdempotencyMismatch.
//   - One binding per customer: the primary key of affiliate_bindings.
//   - Each entry in at most one created or paid payout: the partial unique
//     index affiliate_payout_entries_live (entry) WHERE live. A failed or
//     cancelled payout sets live = false, releasing its entries.
//   - Entries are append-only: the code has no UPDATE or DELETE of
//     affiliate_entries, and triggers on both dialects refuse UPDATE and
//     DELETE (and, on PostgreSQL, TRUNCATE) of entries, the event log, the
//     idempotency keys, touches, tier closes and snapshots, payout runs
//     and carried balances.
//   - Entry IDs, event IDs, touch IDs, lead IDs, payout IDs and affiliate
//     codes are primary keys; a lead key is held by at most one lead that
//     is not refused (a partial unique index); a tier close revision is
//     written once (the primary key).
//   - Compare-and-swap writes put the check in the write itself: the
//     customer state's version (UPDATE ... WHERE version = $n-1), a lead's
//     status, a payout's status (WHERE status = 'created'), the tier close
//     revision (primary key). On PostgreSQL a concurrent writer that won
//     holds the row lock; the loser re-reads the row after the lock and
//     finds nothing to update. So two commits for one customer cannot both
//     win, and a payout is never paid twice.
//
// # Amounts, times, text
//
// Amounts are BIGINT minor units beside a currency code, exactly as
// affiliate.Money holds them; no column is a float, and SQLite's tables
// are STRICT, so a REAL cannot land in an integer column even from
// outside. Rates are stored as exact decimal text (affiliate.Rate's
// String). Aggregates skip an addition that would overflow int64, as
// memstore does, in SQL (CASE) rather than letting SQLite turn the sum
// into a float or PostgreSQL fail a write that passed validation.
//
// Times are BIGINT nanoseconds since the Unix epoch: exact (PostgreSQL's
// timestamptz keeps microseconds), ordered, and the same on both
// dialects. The zero time.Time is stored as the smallest int64. Times come
// back in UTC, Equal to what was stored; a payout's Period comes back with
// its location loaded by name.
//
// IDs and keys are TEXT COLLATE "C" on PostgreSQL (SQLite's default is
// already bytewise), so ORDER BY and range comparisons follow Go's string
// order, as memstore's do, whatever the database's locale.
//
// Lists (entry chains and base lines, codes, refusal reasons, a payout's
// entries) are JSON arrays, JSON null for a nil slice, so nil and empty
// come back as they went in. An event's payment or refund is one JSON
// document with its own private shape (amounts as minor units and
// currency, rates as decimal strings, times in RFC 3339 with
// nanoseconds), independent of the root types' JSON.
//
// # Where sqlstore differs from memstore
//
// These are refused with a *affiliate.FieldError matching ErrInvalid,
// before anything is written, on both dialects (so the dialects agree):
//   - text PostgreSQL cannot hold: a NUL byte or invalid UTF-8 in any
//     stored string (a lookup with such a string finds nothing);
//   - times outside the years 1678–2262 (int64 nanoseconds);
//   - strings over MaxKeyLen (1024 bytes) in indexed columns that no ID
//     validation bounds: idempotency keys and hashes, aggregate periods
//     and metrics, an entry's Customer, Event, Payment and Corrects;
//   - a payout Period whose Location has no loadable name
//     (time.FixedZone).
//
// # Hot rows
//
// Every event adds to the program-wide aggregates (affiliate ""). Kept in
// one row per key, that row's lock would let one transaction commit at a
// time however many workers write, and PostgreSQL's group commit would
// not help. The program-wide bucket is therefore spread over 16 shards
// (the column shard; a write picks the shard its idempotency key hashes
// to) and reads sum the shards. Per-affiliate rows stay single: only
// concurrent events of one affiliate's customers share them. A sum over
// shards that leaves int64 fails the read instead of saturating.
//
// # Transactions and retries
//
// PostgreSQL writes run READ COMMITTED: every invariant sits in a unique
// constraint, an ON CONFLICT clause or a WHERE on the row written, each of
// which PostgreSQL re-checks against the latest committed row under its
// row lock. The one exception is PutAffiliate, whose parent-cycle check
// reads the chain before it writes; it runs SERIALIZABLE, so two puts that
// would close a cycle between them cannot both commit. Writers lock shared
// rows in one order (aggregate and payout-sum upserts are sorted by key),
// which keeps them from deadlocking on each other.
//
// SQLite writes run between BEGIN IMMEDIATE and COMMIT on one connection:
// database/sql's BeginTx sends a deferred BEGIN, whose later upgrade to a
// write lock fails with SQLITE_BUSY even under a busy_timeout; IMMEDIATE
// takes the lock up front, where the driver's busy handler waits.
//
// A transaction that fails with a serialization failure (SQLSTATE 40001)
// or a deadlock (40P01) on PostgreSQL, or SQLITE_BUSY or SQLITE_LOCKED on
// SQLite, runs again, up to Config.MaxRetries times (10 by default), after
// a jittered pause that doubles from Config.RetryBackoff (2 ms). Drivers
// are recognised by their error methods, SQLState() (pgx, lib/pq) and
// Code() (modernc.org/sqlite); Config.Retryable adds others. Stats counts
// transactions, retries, and calls that gave up (their error wraps
// ErrRetriesExhausted, and they wrote nothing).
//
// # Migrations
//
// The schema comes from SQL files embedded in the binary
// (migrations/postgres, migrations/sqlite), numbered 0001, 0002, ...
// Migrate applies, in one transaction, the ones affiliate_schema_migrations
// does not list and records them; it is idempotent, and concurrent calls
// serialise on an advisory lock keyed by the current schema (PostgreSQL)
// or on the write lock (SQLite). The record table is named
// affiliate_schema_migrations, not schema_migrations, so that it does not
// collide with the host's own migration tool. Hosts that run their own
// tool can take the files from Migrations. Every table is prefixed
// affiliate_; on PostgreSQL the store works in the connection's
// search_path, so a host can give it a schema of its own.
//
// # Indexes and the queries they serve
//
// Each index's migration comment names its query. In short:
//
//	affiliate_affiliates (id)                      Affiliate, ListAffiliates: WHERE id > $1 ORDER BY id LIMIT $2
//	affiliate_affiliates_by_parent (parent)        the parent-cycle walk (WITH RECURSIVE), sub-affiliate lookups
//	affiliate_codes (code)                         AffiliateByCode; one owner per code
//	affiliate_codes_by_affiliate (affiliate)       PutAffiliate replacing an affiliate's codes
//	affiliate_idempotency_keys (key)               every idempotent write; replays
//	affiliate_entries (idem_key, key_pos)          a replay's entries, in append order
//	affiliate_entries_by_beneficiary (beneficiary, at_ns, id)  Entries{Beneficiary}: statements, balances
//	affiliate_entries_by_customer (customer, at_ns, id)        Entries{Customer}: the engine's history
//	affiliate_entries_by_event (event, at_ns, id)              Entries{Event}
//	affiliate_entries_by_payment (payment, at_ns, id)          Entries{Payment}: refunds
//	affiliate_entries_by_at (at_ns, id) + currency, amount     ProgramEarnings (index-only); program-wide reads in order
//	affiliate_open_entries_by_beneficiary (beneficiary, available_ns) + currency, amount
//	                                               Entries{Unsettled, Beneficiary, AvailableBy}: the payout run;
//	                                               EarningsBalances of one affiliate (index-only)
//	affiliate_open_entries_by_available (available_ns) + currency, amount
//	                                               Entries{Unsettled, AvailableBy}; program EarningsBalances
//	affiliate_events_by_customer (customer, time_ns, id)       Events{Customer}
//	affiliate_events_by_payment (payment, time_ns, id)         Events{Payment}: a payment and its refunds
//	affiliate_customer_states (customer)           CustomerState, the version swap of Commit
//	affiliate_aggregates (affiliate, metric, period, currency, shard)  AffiliateAggregates (dashboards), the upsert
//	affiliate_aggregates_by_period (period, metric, affiliate, currency, shard)  PeriodAggregates (tier close, program)
//	affiliate_bindings (customer)                  Bind, Binding
//	affiliate_bindings_by_affiliate (affiliate, bound_ns), _by_time (bound_ns)  Activity signups
//	affiliate_touches_by_visitor (visitor, at_ns, id)          VisitorTouches
//	affiliate_touches_by_affiliate (affiliate, at_ns), _by_time (at_ns)        Activity clicks
//	affiliate_lead_keys_held (key) WHERE holds     the lead-key uniqueness of AddLead
//	affiliate_lead_keys_by_key (key, submitted_ns, lead)       LeadsByKey
//	affiliate_lead_keys_by_lead (lead)             UpdateLead releasing a refused lead's keys
//	affiliate_tier_closes (program, period, revision)          TierClose (latest revision first)
//	affiliate_tier_snapshots (program, period, affiliate, revision)  TierSnapshots as of a revision
//	affiliate_payout_runs (program, period)        PayoutRun; period ranges of AffiliateRuns and PayoutTotals
//	affiliate_payouts (program, run_period, pos)   a run's payouts in order; PayoutTotals' GROUP BY
//	affiliate_payouts_by_affiliate (program, affiliate, run_period)  AffiliateRuns
//	affiliate_payout_entries_live (entry) WHERE live                 the claim check of CreatePayoutRun
//	affiliate_payout_carried_by_affiliate (program, affiliate, period)  AffiliateRuns
//	affiliate_payout_sums (affiliate, currency)    EarningsBalances' InPayout and Paid
//
// The tests run EXPLAIN on the hot queries (TestExplainUsesIndexes) and
// fail when PostgreSQL would scan a table instead.
//
// # Performance
//
// PostgreSQL 15 on the same 2-core machine as the benchmark (shared with
// other work), default settings (fsync on), through pgx's stdlib driver:
//
//	Events.Commit (state swap, 1 entry, 2 deltas)   1 connection:   669 events/s   8 workers: 1,499 events/s
//	commission.Engine.Record (30% revenue share)    1 connection:   508 events/s   8 workers:   919 events/s
//	payout.Runner.Run, 10,000 affiliates, 100,000 entries: 3.4 s (8,000 payouts, 100,000 claims, one transaction)
//	report dashboards, 10,000 affiliates: one affiliate's month 1.2 ms, the program's month 39 ms
//
// A single connection is bound by the commit's WAL flush; 8 workers share
// flushes (group commit), which the sharded program bucket lets them do.
// In the payout run, reading the 100,000 open entries takes 1.7 s (0.2 s
// of it in the server, the rest decoding rows through database/sql) and
// inserting the 100,000 claims 1.0 s (the partial unique index and the
// two foreign keys per row). Reproduce with
//
//	AFFILIATE_TEST_POSTGRES=... go test -run '^$' -bench Postgres -benchtime 5s ./storage/sqlstore/
//
// # SQLite settings
//
// sqlstore works with any DSN, but a host should open SQLite with
// busy_timeout (writers wait for the lock rather than fail),
// journal_mode(WAL) (readers do not block the writer), temp_store(MEMORY)
// (statement journals stay off the disk) and foreign_keys(ON) (SQLite
// leaves the schema's references unchecked otherwise). With
// modernc.org/sqlite:
//
//	file:affiliate.db?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=temp_store(MEMORY)&_pragma=foreign_keys(ON)
package sqlstore
