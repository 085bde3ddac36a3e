package sqlstore_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// TestOutboxNumberedWhenRead pins migration 0012 on PostgreSQL: writes
// append outbox rows without a number and Read numbers those whose write
// has committed. A write still in flight is not seen, and is numbered
// after the rows numbered before it commits, so seq has no gap and never
// shows n+1 before n; the rows of one write stay consecutive and in their
// order even when another write's rows were inserted between them; and
// the only UPDATE the table takes is giving a row its number.
func TestOutboxNumberedWhenRead(t *testing.T) {
	s, db := openPostgres(t)
	ctx := context.Background()
	at := time.Date(2026, time.January, 15, 12, 0, 0, 0, time.UTC)
	insert := func(tx *sql.Tx, id string) {
		t.Helper()
		if _, err := tx.ExecContext(ctx, `INSERT INTO affiliate_outbox (id, type, at_ns, program, affiliate, payload) VALUES ($1, 'test.event', 0, '', 'ann', '{}')`, id); err != nil {
			t.Fatal(err)
		}
	}
	begin := func() *sql.Tx {
		t.Helper()
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { tx.Rollback() })
		return tx
	}
	read := func() []string {
		t.Helper()
		evs, _, err := s.Read(ctx, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for i, e := range evs {
			if e.Seq != int64(i+1) {
				t.Fatalf("event %d (%s) has seq %d, want %d: a gap or a duplicate", i, e.ID, e.Seq, i+1)
			}
			got = append(got, e.ID)
		}
		return got
	}

	// Two writes in flight, their rows interleaved: a1, b1, a2.
	a, b := begin(), begin()
	insert(a, "a1")
	insert(b, "b1")
	insert(a, "a2")
	// A store write commits meanwhile; only it is read.
	if _, err := s.Bind(ctx, affiliate.Binding{Customer: "cus-1", Affiliate: "ann", Source: affiliate.BindByCode, BoundAt: at}); err != nil {
		t.Fatal(err)
	}
	bound := read()
	if len(bound) != 1 {
		t.Fatalf("with two writes in flight Read = %v, want the binding's one event", bound)
	}
	// b commits first, then a: b's row is numbered by the next Read, a's
	// rows (a began first, so its transaction id is lower) by the one
	// after, together and in their order.
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(append(bound, "b1"), read()); diff != "" {
		t.Errorf("after b committed (-want +got):\n%s", diff)
	}
	if err := a.Commit(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(append(bound, "b1", "a1", "a2"), read()); diff != "" {
		t.Errorf("after a committed (-want +got):\n%s", diff)
	}

	// Two writes that commit before one Read are numbered by transaction,
	// then row: c1, c2 before d1 though d1 went in between.
	c, d := begin(), begin()
	insert(c, "c1")
	insert(d, "d1")
	insert(c, "c2")
	for _, tx := range []*sql.Tx{d, c} {
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(append(bound, "b1", "a1", "a2", "c1", "c2", "d1"), read()); diff != "" {
		t.Errorf("after c and d committed (-want +got):\n%s", diff)
	}
	if c, err := s.Cursor(ctx, "x"); err != nil || c != 0 {
		t.Fatalf("Cursor = %d, %v", c, err)
	}
	if err := s.Ack(ctx, "x", storage.Cursor(7)); err != nil {
		t.Errorf("Ack at the last number: %v", err)
	}

	for _, stmt := range []string{
		`UPDATE affiliate_outbox SET payload = 'x' WHERE id = 'a1'`,
		`UPDATE affiliate_outbox SET seq = 99 WHERE id = 'a1'`,
		`DELETE FROM affiliate_outbox WHERE id = 'a1'`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v, want the append-only trigger's refusal", stmt, err)
		}
	}
}
