package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// DurabilityWarning names a database setting under which a write the
// store acknowledged can be lost or the database corrupted by a crash:
// an event the engine reported as recorded, a binding, a payout run.
type DurabilityWarning struct {
	Setting string // as the database names it: "fsync", "synchronous_commit", "journal_mode"…
	Value   string // what the database reports
	Want    string // what the store's promises need
	Risk    string // what a crash can do under Value
}

func (w DurabilityWarning) String() string {
	return fmt.Sprintf("%s is %s, want %s: %s", w.Setting, w.Value, w.Want, w.Risk)
}

// CheckDurability reads the database settings that the store's promises
// rest on and returns one warning per unsafe one; none means the settings
// keep every acknowledged write. Hosts call it at start-up and log the
// warnings or refuse to start; a test or throw-away database may ignore
// them. The error is the database failing to answer.
//
// PostgreSQL needs fsync on, synchronous_commit other than off (off
// acknowledges a commit before its WAL reaches disk, so a server crash
// loses the last ones) and full_page_writes on. SQLite needs a
// journal_mode other than OFF or MEMORY, and synchronous FULL or EXTRA
// (NORMAL in WAL mode can lose the last transactions at a power loss).
//
// The settings are read on one pooled connection. Per-session settings
// (synchronous_commit, SQLite's PRAGMAs) must therefore be the same on
// every connection: set them in the DSN or the server's configuration,
// not with a statement on one connection.
func (s *Store) CheckDurability(ctx context.Context) ([]DurabilityWarning, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, dbError("check durability", err)
	}
	defer conn.Close()
	if s.dialect == SQLite {
		return checkSQLite(ctx, conn)
	}
	return checkPostgres(ctx, conn)
}

func checkPostgres(ctx context.Context, conn *sql.Conn) ([]DurabilityWarning, error) {
	var out []DurabilityWarning
	for _, c := range []struct {
		setting string
		unsafe  func(string) bool
		want    string
		risk    string
	}{
		{"fsync", isOff, "on", "an operating-system crash or power loss can corrupt the database"},
		{"synchronous_commit", isOff, "on (or local, remote_write, remote_apply)", "a server crash loses commits already acknowledged"},
		{"full_page_writes", isOff, "on", "a crash during a page write can leave torn pages"},
	} {
		var value string
		if err := conn.QueryRowContext(ctx, `SELECT current_setting($1)`, c.setting).Scan(&value); err != nil {
			return nil, dbError("check durability: "+c.setting, err)
		}
		if c.unsafe(value) {
			out = append(out, DurabilityWarning{Setting: c.setting, Value: value, Want: c.want, Risk: c.risk})
		}
	}
	return out, nil
}

func isOff(v string) bool { return strings.EqualFold(v, "off") }

func checkSQLite(ctx context.Context, conn *sql.Conn) ([]DurabilityWarning, error) {
	var out []DurabilityWarning
	var mode string
	if err := conn.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		return nil, dbError("check durability: journal_mode", err)
	}
	mode = strings.ToLower(mode)
	if mode == "off" || mode == "memory" {
		out = append(out, DurabilityWarning{Setting: "journal_mode", Value: mode, Want: "wal (or delete, truncate, persist)",
			Risk: "a crash mid-transaction leaves it half written, and ROLLBACK cannot undo it"})
	}
	var level int
	if err := conn.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&level); err != nil {
		return nil, dbError("check durability: synchronous", err)
	}
	switch level {
	case 0:
		out = append(out, DurabilityWarning{Setting: "synchronous", Value: "off", Want: "full (or extra)",
			Risk: "a power loss loses commits already acknowledged and can corrupt the database"})
	case 1:
		out = append(out, DurabilityWarning{Setting: "synchronous", Value: "normal", Want: "full (or extra)",
			Risk: "a power loss loses commits already acknowledged"})
	}
	return out, nil
}
