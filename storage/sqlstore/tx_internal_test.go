package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"
	"time"
)

type pgError string

func (e pgError) Error() string    { return "pg error " + string(e) }
func (e pgError) SQLState() string { return string(e) }

type liteError int

func (e liteError) Error() string { return fmt.Sprintf("sqlite error %d", int(e)) }
func (e liteError) Code() int     { return int(e) }

func TestRetryClassifiesAndCounts(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name      string
		dialect   Dialect
		err       error
		transient bool
	}{
		{"serialization failure", Postgres, pgError("40001"), true},
		{"deadlock", Postgres, pgError("40P01"), true},
		{"wrapped deadlock", Postgres, fmt.Errorf("commit: %w", pgError("40P01")), true},
		{"unique violation", Postgres, pgError("23505"), false},
		{"backend terminated", Postgres, pgError("57P01"), true},
		{"connection failure", Postgres, pgError("08006"), true},
		{"server starting", Postgres, pgError("57P03"), true},
		{"bad connection", Postgres, fmt.Errorf("begin: %w", driver.ErrBadConn), true},
		{"connection done", Postgres, sql.ErrConnDone, true},
		{"unexpected EOF", Postgres, fmt.Errorf("read: %w", io.ErrUnexpectedEOF), true},
		{"connection reset", Postgres, &net.OpError{Op: "read", Err: syscall.ECONNRESET}, true},
		{"query canceled", Postgres, pgError("57014"), false},
		{"numeric out of range", Postgres, pgError("22003"), false},
		{"busy", SQLite, liteError(5), true},
		{"busy snapshot (extended)", SQLite, liteError(5 | 2<<8), true},
		{"locked", SQLite, liteError(6), true},
		{"constraint", SQLite, liteError(19), false},
		{"SQLite code on PostgreSQL", Postgres, liteError(5), false},
		{"canceled", Postgres, context.Canceled, false},
		{"plain error", SQLite, errors.New("boom"), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := &Store{dialect: tc.dialect, retries: 3, backoff: time.Microsecond}
			attempts := 0
			err := s.retry(ctx, "test", func() error {
				attempts++
				return tc.err
			})
			wantAttempts := 1
			if tc.transient {
				wantAttempts = 4
			}
			if attempts != wantAttempts {
				t.Fatalf("%d attempts, want %d", attempts, wantAttempts)
			}
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want it to wrap %v", err, tc.err)
			}
			if got := errors.Is(err, ErrRetriesExhausted); got != tc.transient {
				t.Fatalf("errors.Is(err, ErrRetriesExhausted) = %v, want %v", got, tc.transient)
			}
			st := s.Stats()
			if tc.transient && (st.Retries != 3 || st.Exhausted != 1) {
				t.Fatalf("stats %+v, want 3 retries and 1 exhausted call", st)
			}
			if !tc.transient && st.Retries != 0 {
				t.Fatalf("stats %+v, want no retries", st)
			}
		})
	}
}

func TestRetrySucceedsAfterTransientFailures(t *testing.T) {
	s := &Store{dialect: Postgres, retries: 5, backoff: time.Microsecond}
	attempts := 0
	err := s.retry(context.Background(), "test", func() error {
		attempts++
		if attempts < 3 {
			return pgError("40001")
		}
		return nil
	})
	if err != nil || attempts != 3 || s.Stats().Retries != 2 {
		t.Fatalf("err %v after %d attempts, stats %+v; want success on the third", err, attempts, s.Stats())
	}
}

func TestRetryHonoursConfigRetryable(t *testing.T) {
	custom := errors.New("driver-specific serialization failure")
	s := &Store{dialect: Postgres, retries: 1, backoff: time.Microsecond, retryable: func(err error) bool { return errors.Is(err, custom) }}
	attempts := 0
	_ = s.retry(context.Background(), "test", func() error { attempts++; return custom })
	if attempts != 2 {
		t.Fatalf("%d attempts, want 2 (Config.Retryable accepted the error)", attempts)
	}
}

func TestToSQLitePlaceholders(t *testing.T) {
	q := buildQueries(SQLite)
	for _, tc := range []struct {
		in       string
		args     []any
		want     string
		wantArgs []any
	}{
		{`SELECT $1, $2`, []any{"a", "b"}, `SELECT ?, ?`, []any{"a", "b"}},
		{`UPDATE t SET x = $3 WHERE id = $1 AND v = $2`, []any{1, 2, 3}, `UPDATE t SET x = ? WHERE id = ? AND v = ?`, []any{3, 1, 2}},
		{`WHERE a > $1 OR b <= $1`, []any{7}, `WHERE a > ? OR b <= ?`, []any{7, 7}},
		{`WHERE a = $10 AND b = '$1'`, []any{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, `WHERE a = ? AND b = '$1'`, []any{9}},
		{`SELECT "$2" FROM t WHERE x = $1`, []any{"x"}, `SELECT "$2" FROM t WHERE x = ?`, []any{"x"}},
		{`SELECT 'it''s $1', $1`, []any{5}, `SELECT 'it''s $1', ?`, []any{5}},
		{`SELECT $ FROM t`, nil, `SELECT $ FROM t`, nil},
	} {
		got, gotArgs := q.bind(tc.in, tc.args)
		if got != tc.want || fmt.Sprint(gotArgs) != fmt.Sprint(tc.wantArgs) {
			t.Errorf("bind(%q, %v) = %q, %v; want %q, %v", tc.in, tc.args, got, gotArgs, tc.want, tc.wantArgs)
		}
	}
	if got, args := buildQueries(Postgres).bind(`SELECT $2, $1`, []any{1, 2}); got != `SELECT $2, $1` || fmt.Sprint(args) != "[1 2]" {
		t.Errorf("PostgreSQL bind changed the query: %q %v", got, args)
	}
}
