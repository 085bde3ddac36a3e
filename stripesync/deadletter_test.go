package stripesync_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/openaffiliate/affiliate/stripesync"
	_ "modernc.org/sqlite"
)

// Every DeadLetters implementation keeps the first refusal's time, adds
// attempts, lists oldest first, copies payloads and deletes idempotently.
func TestDeadLetters(t *testing.T) {
	stores := map[string]func(t *testing.T) stripesync.DeadLetters{
		"memory": func(*testing.T) stripesync.DeadLetters { return &stripesync.MemoryDeadLetters{} },
		"sqlite": func(t *testing.T) stripesync.DeadLetters {
			return sqlDeadLetters(t, "sqlite", "file:"+filepath.Join(t.TempDir(), "dl.db"))
		},
		"postgres": func(t *testing.T) stripesync.DeadLetters {
			dsn := os.Getenv("AFFILIATE_TEST_POSTGRES")
			if dsn == "" {
				t.Skip("AFFILIATE_TEST_POSTGRES is not set")
			}
			d := sqlDeadLetters(t, "pgx", dsn)
			db, _ := sql.Open("pgx", dsn)
			t.Cleanup(func() { _, _ = db.Exec(`DROP TABLE affiliate_stripe_dead_letters`); db.Close() })
			return d
		},
	}
	for name, open := range stores {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			dl := open(t)
			t0 := time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)
			payload := []byte(`{"id":"evt_b"}`)
			put := func(d stripesync.DeadLetter) {
				t.Helper()
				if err := dl.PutDeadLetter(ctx, d); err != nil {
					t.Fatal(err)
				}
			}
			put(stripesync.DeadLetter{Event: "evt_b", Type: "invoice.paid", Payload: payload, Reason: "first", Attempts: 1, FirstAt: t0, LastAt: t0})
			payload[2] = 'X' // the store kept its own copy
			put(stripesync.DeadLetter{Event: "evt_a", Type: "refund.created", Payload: []byte(`{"id":"evt_a"}`), Reason: "r", Attempts: 1, FirstAt: t0.Add(time.Hour), LastAt: t0.Add(time.Hour)})
			put(stripesync.DeadLetter{Event: "evt_b", Type: "invoice.paid", Payload: []byte(`{"id":"evt_b"}`), Reason: "second", Attempts: 1, FirstAt: t0.Add(2 * time.Hour), LastAt: t0.Add(2 * time.Hour)})
			got, err := dl.DeadLetters(ctx)
			if err != nil {
				t.Fatal(err)
			}
			want := []stripesync.DeadLetter{
				{Event: "evt_b", Type: "invoice.paid", Payload: []byte(`{"id":"evt_b"}`), Reason: "second", Attempts: 2, FirstAt: t0, LastAt: t0.Add(2 * time.Hour)},
				{Event: "evt_a", Type: "refund.created", Payload: []byte(`{"id":"evt_a"}`), Reason: "r", Attempts: 1, FirstAt: t0.Add(time.Hour), LastAt: t0.Add(time.Hour)},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("letters (-want +got):\n%s", diff)
			}
			for _, e := range []string{"evt_b", "evt_b", "evt_none"} {
				if err := dl.DeleteDeadLetter(ctx, e); err != nil {
					t.Fatal(err)
				}
			}
			if got, _ := dl.DeadLetters(ctx); len(got) != 1 || got[0].Event != "evt_a" {
				t.Errorf("after deletes: %+v, want evt_a only", got)
			}
		})
	}
}

func sqlDeadLetters(t *testing.T, driver, dsn string) stripesync.DeadLetters {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	d, err := stripesync.NewSQLDeadLetters(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
