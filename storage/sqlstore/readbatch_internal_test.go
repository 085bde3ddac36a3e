package sqlstore

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// TestKeysJoinPlan: on SQLite each of ReadBatch's joins loops over the
// keys and looks each up by the table's primary key.
func TestKeysJoinPlan(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := New(db, Config{Dialect: SQLite})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		keysJoin(`customer, version, data, data IS NULL`, `affiliate_customer_states`, `customer`),
		keysJoin(eventColumns, `affiliate_events`, `id`),
		keysJoin(bindingColumns, `affiliate_bindings`, `customer`),
		keysJoin(affiliateColumns, `affiliate_affiliates a`, `a.id`),
	} {
		text, _ := s.q.bind(q, nil)
		rows, err := db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+text, `["a"]`)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if len(plan) != 2 || !strings.HasPrefix(plan[0], "SCAN json_each") || !strings.HasPrefix(plan[1], "SEARCH ") || !strings.Contains(plan[1], " USING INDEX sqlite_autoindex_") {
			t.Errorf("%s\nplan %q; want a scan of json_each, then a search of the table by its key", text, plan)
		}
	}
}
