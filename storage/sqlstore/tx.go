package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"syscall"
	"time"
)

// ErrRetriesExhausted is wrapped by the error a call returns when every
// attempt of its transaction failed transiently (see Config.MaxRetries).
// Nothing was written; the call may be made again later.
var ErrRetriesExhausted = errRetriesExhausted

// querier is what *sql.Tx, *sql.Conn and *sql.DB have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// isolation is what a write transaction needs from PostgreSQL. SQLite
// writers are serial, so every SQLite transaction is serializable.
type isolation int

const (
	// readCommitted suffices for writes whose invariants sit in unique
	// constraints, ON CONFLICT clauses and version checks in WHERE: each
	// of those re-checks the latest committed row under its row lock.
	readCommitted isolation = iota
	// serializable is for writes that read before they decide, such as
	// the parent-cycle check of PutAffiliate.
	serializable
)

// write runs fn in one transaction and commits it, running it again on a
// transient failure (at most s.retries more times). fn must use only the
// querier it is given, and return domain errors as they are: they end the
// call and roll the transaction back.
func (s *Store) write(ctx context.Context, op string, iso isolation, fn func(q querier) error) error {
	return s.retry(ctx, op, func() error {
		if err := s.writeOnce(ctx, iso, fn); err != nil {
			return err
		}
		s.stats.transactions.Add(1)
		return nil
	})
}

// read runs fn outside a transaction (each of the store's reads is one
// statement, so it sees one snapshot), retrying transient failures such
// as SQLITE_BUSY.
func (s *Store) read(ctx context.Context, op string, fn func(q querier) error) error {
	return s.retry(ctx, op, func() error { return fn(bound{s.db, s.q}) })
}

// readRow reads one row by key: a key the schema cannot hold and a
// missing row are ErrNotFound naming what and key, any other failure a
// database error. query takes the key as $1.
func readRow[T any](ctx context.Context, s *Store, what, key string, query string, scan func(scanner) (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	if !storable(key) {
		return zero, notFound(what, key)
	}
	var v T
	err := s.read(ctx, what, func(q querier) (err error) {
		v, err = scan(q.QueryRowContext(ctx, query, key))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return zero, notFound(what, key)
	}
	if err != nil {
		return zero, dbError(what, err)
	}
	return v, nil
}

func (s *Store) retry(ctx context.Context, op string, attempt func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	pause := s.backoff
	for n := 0; ; n++ {
		err := attempt()
		if err == nil || !s.transient(err) || ctx.Err() != nil {
			return err
		}
		if n >= s.retries {
			s.stats.exhausted.Add(1)
			return fmt.Errorf("sqlstore: %s: %w after %d attempts: %w", op, ErrRetriesExhausted, n+1, err)
		}
		s.stats.retries.Add(1)
		// Full jitter in [pause/2, pause) spreads writers that collided
		// so that they do not collide again in lockstep.
		d := pause/2 + rand.N(pause/2+1)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		pause = min(pause*2, 100*s.backoff)
	}
}

func (s *Store) writeOnce(ctx context.Context, iso isolation, fn func(q querier) error) error {
	if s.dialect == SQLite {
		return s.writeSQLite(ctx, fn)
	}
	opts := &sql.TxOptions{Isolation: sql.LevelReadCommitted}
	if iso == serializable {
		opts.Isolation = sql.LevelSerializable
	}
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return dbError("begin", err)
	}
	if err := fn(bound{tx, s.q}); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return dbError("commit", err)
	}
	return nil
}

// writeSQLite runs fn between BEGIN IMMEDIATE and COMMIT on one
// connection. database/sql's BeginTx issues a plain (deferred) BEGIN,
// which takes the write lock only at the first write; a transaction that
// reads first then fails to upgrade with SQLITE_BUSY even with a
// busy_timeout. BEGIN IMMEDIATE takes the lock up front, where the
// driver's busy handler waits for it, so the host's DSN needs no
// _txlock setting.
func (s *Store) writeSQLite(ctx context.Context, fn func(q querier) error) (err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return dbError("connect", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return dbError("begin", err)
	}
	defer func() {
		if err == nil {
			return
		}
		// The context may be done already; the rollback must still run.
		if _, rbErr := conn.ExecContext(context.Background(), "ROLLBACK"); rbErr != nil && !noTransaction(rbErr) {
			// A connection left inside a transaction must not go back
			// to the pool.
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	if err := fn(bound{conn, s.q}); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return dbError("commit", err)
	}
	return nil
}

// noTransaction reports SQLite's answer to a ROLLBACK after SQLite has
// already rolled back by itself (as it does on some errors).
func noTransaction(err error) bool {
	var coded interface{ Code() int }
	return errors.As(err, &coded) && coded.Code()&0xff == 1 // SQLITE_ERROR: no transaction is active
}

// transient reports whether err is worth running the transaction again:
// a serialization failure or deadlock on PostgreSQL, a busy or locked
// database on SQLite, a lost connection, or whatever Config.Retryable
// accepts. Drivers are recognised by their error methods (pgx and lib/pq
// have SQLState, modernc.org/sqlite has Code), so the store imports none
// of them.
func (s *Store) transient(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	switch s.dialect {
	case Postgres:
		var pg interface{ SQLState() string }
		if errors.As(err, &pg) {
			switch code := pg.SQLState(); {
			case code == "40001", code == "40P01": // serialization_failure, deadlock_detected
				return true
			case code == "57P01", code == "57P02", code == "57P03", strings.HasPrefix(code, "08"):
				// admin_shutdown (pg_terminate_backend), crash_shutdown,
				// cannot_connect_now, the connection_exception class.
				return true
			}
		}
		if connectionLost(err) {
			return true
		}
	case SQLite:
		var lite interface{ Code() int }
		if errors.As(err, &lite) {
			switch lite.Code() & 0xff { // primary code of an extended one
			case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
				return true
			}
		}
	}
	return s.retryable != nil && s.retryable(err)
}

// connectionLost reports an error of a connection that broke under a
// statement: the server closed it (a terminated backend, a restart) or
// the network dropped it. The transaction it ran is gone, committed or
// not; running the call again is safe because every write is idempotent
// (a commit that did land replays, a binding that did land reports
// ErrAlreadyBound). A connection the pool found broken before use is
// driver.ErrBadConn, which database/sql retries itself outside a
// transaction and returns inside one.
func connectionLost(err error) bool {
	var netErr net.Error
	var safe interface{ SafeToRetry() bool } // pgconn: nothing was sent
	return errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.As(err, &netErr) || (errors.As(err, &safe) && safe.SafeToRetry())
}

// snapshot runs fn, a read of several statements, in a read-only
// transaction that sees one snapshot: REPEATABLE READ on PostgreSQL, a
// deferred transaction (whose first read fixes the snapshot) on SQLite.
func (s *Store) snapshot(ctx context.Context, op string, fn func(q querier) error) error {
	return s.retry(ctx, op, func() error {
		opts := &sql.TxOptions{ReadOnly: true}
		if s.dialect == Postgres {
			opts.Isolation = sql.LevelRepeatableRead
		}
		tx, err := s.db.BeginTx(ctx, opts)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if err := fn(bound{tx, s.q}); err != nil {
			return err
		}
		return tx.Commit()
	})
}
