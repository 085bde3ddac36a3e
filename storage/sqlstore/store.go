package sqlstore

import (
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/openaffiliate/affiliate"
)

// Dialect names the SQL database behind the *sql.DB.
type Dialect int

const (
	// Postgres is PostgreSQL 13 or later, or an engine that speaks its
	// dialect and its SQLSTATE codes.
	Postgres Dialect = iota + 1
	// SQLite is SQLite 3.37 or later (STRICT tables, UPSERT, partial
	// indexes).
	SQLite
)

func (d Dialect) String() string {
	switch d {
	case Postgres:
		return "postgres"
	case SQLite:
		return "sqlite"
	}
	return fmt.Sprintf("Dialect(%d)", int(d))
}

// DefaultMaxRetries is how many times a transaction that failed on a
// serialization failure, a deadlock or a busy database is run again when
// Config.MaxRetries is 0.
const DefaultMaxRetries = 10

// DefaultRetryBackoff is the first pause between two attempts when
// Config.RetryBackoff is 0; each later pause doubles, up to 100 times it.
const DefaultRetryBackoff = 2 * time.Millisecond

// Config configures a Store. Only Dialect is required.
type Config struct {
	// Dialect is the database behind the *sql.DB. Required.
	Dialect Dialect

	// MaxRetries bounds how often one call runs its transaction again
	// after a transient failure (PostgreSQL SQLSTATE 40001 or 40P01, a
	// lost connection such as a terminated backend, SQLite SQLITE_BUSY or
	// SQLITE_LOCKED). 0 means DefaultMaxRetries; a
	// negative value disables retries.
	MaxRetries int

	// RetryBackoff is the first pause between attempts, doubled after
	// each retry and jittered. 0 means DefaultRetryBackoff.
	RetryBackoff time.Duration

	// Retryable, when set, is asked about errors the store does not
	// recognise as transient itself, for drivers that report
	// serialization failures in their own way. It must not return true
	// for constraint violations.
	Retryable func(error) bool
}

// Store implements the interfaces of package storage on a *sql.DB. It is
// safe for concurrent use; every method that writes runs in one
// transaction, retried on transient failures.
type Store struct {
	db        *sql.DB
	dialect   Dialect
	retries   int
	backoff   time.Duration
	retryable func(error) bool
	q         *queries

	commitTexts sync.Map // commitShape -> its statement (Postgres)

	stats struct {
		transactions atomic.Uint64
		retries      atomic.Uint64
		exhausted    atomic.Uint64
	}
}

// Stats counts the store's transactions and retries since New. Retries
// is the number the issue calls observable: a steadily rising count means
// writers contend for the same rows (or SQLite's single writer lock).
type Stats struct {
	// Transactions counts write transactions that committed.
	Transactions uint64
	// Retries counts attempts run again after a transient failure.
	Retries uint64
	// Exhausted counts calls that failed because every attempt hit a
	// transient failure.
	Exhausted uint64
}

// New returns a store on db, which the host opened with its own driver
// and keeps owning (Store never closes it). Call Migrate before first use.
// It returns an error wrapping affiliate.ErrInvalid for a nil db or an
// unknown dialect.
func New(db *sql.DB, cfg Config) (*Store, error) {
	if db == nil {
		return nil, invalid("db", "is nil")
	}
	if cfg.Dialect != Postgres && cfg.Dialect != SQLite {
		return nil, invalid("Config.Dialect", cfg.Dialect.String()+" is not Postgres or SQLite")
	}
	if cfg.RetryBackoff < 0 {
		return nil, invalid("Config.RetryBackoff", "is negative")
	}
	s := &Store{db: db, dialect: cfg.Dialect, retries: cfg.MaxRetries, backoff: cfg.RetryBackoff, retryable: cfg.Retryable}
	switch {
	case s.retries == 0:
		s.retries = DefaultMaxRetries
	case s.retries < 0:
		s.retries = 0
	}
	if s.backoff == 0 {
		s.backoff = DefaultRetryBackoff
	}
	s.q = buildQueries(cfg.Dialect)
	return s, nil
}

// Stats returns the store's counters.
func (s *Store) Stats() Stats {
	return Stats{
		Transactions: s.stats.transactions.Load(),
		Retries:      s.stats.retries.Load(),
		Exhausted:    s.stats.exhausted.Load(),
	}
}

// Dialect returns the dialect the store was configured with.
func (s *Store) Dialect() Dialect { return s.dialect }

var errRetriesExhausted = fmt.Errorf("sqlstore: transient failures on every attempt: %w", affiliate.ErrRetryable)
