package sqlstore_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/openaffiliate/affiliate/storage/sqlstore"
)

func warnedSettings(t *testing.T, s *sqlstore.Store) []string {
	t.Helper()
	warnings, err := s.CheckDurability(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, w := range warnings {
		if w.Value == "" || w.Want == "" || w.Risk == "" {
			t.Errorf("warning %+v leaves a field empty", w)
		}
		t.Logf("warning: %s", w)
		out = append(out, w.Setting)
	}
	return out
}

// TestCheckDurabilitySQLite: the check reports the journal modes and
// synchronous levels under which an acknowledged commit can be lost.
func TestCheckDurabilitySQLite(t *testing.T) {
	for _, c := range []struct {
		name    string
		pragmas string
		want    []string
	}{
		{"WAL and FULL", "&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)", nil},
		{"default journal, default synchronous", "", nil},
		{"WAL and EXTRA", "&_pragma=journal_mode(WAL)&_pragma=synchronous(EXTRA)", nil},
		{"WAL and NORMAL", "&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)", []string{"synchronous"}},
		{"MEMORY journal", "&_pragma=journal_mode(MEMORY)", []string{"journal_mode"}},
		{"no journal, no sync", "&_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)", []string{"journal_mode", "synchronous"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "d.db")+"?_pragma=busy_timeout(1000)"+c.pragmas)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if got := warnedSettings(t, newStore(t, db, sqlstore.SQLite)); !slices.Equal(got, c.want) {
				t.Fatalf("warnings for %s = %q, want %q", c.pragmas, got, c.want)
			}
		})
	}
}

// TestCheckDurabilityPostgres: the check reports fsync and
// full_page_writes as the server has them, and synchronous_commit as each
// connection has it: with the server's own settings (on the throw-away
// server .ci/run starts, all three are off and must be reported), and set
// per connection to each value.
func TestCheckDurabilityPostgres(t *testing.T) {
	adm := admin(t)
	var fsync, fullPages, serverSync string
	if err := adm.QueryRow(`SELECT current_setting('fsync'), current_setting('full_page_writes'), current_setting('synchronous_commit')`).Scan(&fsync, &fullPages, &serverSync); err != nil {
		t.Fatal(err)
	}
	var server []string
	if fsync == "off" {
		server = append(server, "fsync")
	}
	// "" keeps the server's synchronous_commit.
	for _, sync := range []string{"", "on", "off", "local", "remote_write"} {
		name := "synchronous_commit=" + sync
		if sync == "" {
			name = "server's settings"
		}
		t.Run(name, func(t *testing.T) {
			dsn := os.Getenv(postgresEnv)
			if sync != "" {
				dsn += " synchronous_commit=" + sync
			} else {
				sync = serverSync
			}
			db, err := sql.Open("pgx", dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			s, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.Postgres})
			if err != nil {
				t.Fatal(err)
			}
			want := slices.Clone(server)
			if sync == "off" {
				want = append(want, "synchronous_commit")
			}
			if fullPages == "off" {
				want = append(want, "full_page_writes")
			}
			if got := warnedSettings(t, s); !slices.Equal(got, want) {
				t.Fatalf("warnings = %q, want %q (server: fsync %s, full_page_writes %s)", got, want, fsync, fullPages)
			}
		})
	}
}
