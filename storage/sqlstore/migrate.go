package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations
var migrationFS embed.FS

// Migration is one versioned step of the schema.
type Migration struct {
	Version int    // from the file name: 1 for 0001_core.sql
	Name    string // the file name without its extension: "0001_core"
	SQL     string // one or more statements
}

// Migrations returns the dialect's migrations in version order, for hosts
// that apply schema changes with their own tool instead of Migrate. Such a
// host must apply every one, in order, each once.
func Migrations(d Dialect) ([]Migration, error) {
	if d != Postgres && d != SQLite {
		return nil, invalid("Dialect", d.String()+" is not Postgres or SQLite")
	}
	dir := path.Join("migrations", d.String())
	files, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, f := range files {
		name, ok := strings.CutSuffix(f.Name(), ".sql")
		if !ok {
			continue
		}
		prefix, _, _ := strings.Cut(name, "_")
		v, err := strconv.Atoi(prefix)
		if err != nil || v < 1 {
			return nil, fmt.Errorf("sqlstore: migration %s has no version prefix", f.Name())
		}
		b, err := fs.ReadFile(migrationFS, path.Join(dir, f.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: name, SQL: string(b)})
	}
	slices.SortFunc(out, func(a, b Migration) int { return a.Version - b.Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("sqlstore: two migrations have version %d", out[i].Version)
		}
	}
	return out, nil
}

// Migrate brings the schema up to date: it applies, in one transaction,
// every embedded migration that affiliate_schema_migrations does not list
// yet, and records each. It is idempotent, and safe to call from several
// processes at once: on PostgreSQL an advisory lock keyed by the current
// schema serialises them; on SQLite the write lock does. Versions the
// database has beyond the ones this build knows are left alone.
func (s *Store) Migrate(ctx context.Context) error {
	migrations, err := Migrations(s.dialect)
	if err != nil {
		return err
	}
	return s.write(ctx, "migrate", readCommitted, func(q querier) error {
		if s.dialect == Postgres {
			if _, err := q.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('openaffiliate.migrate.' || current_schema()))`); err != nil {
				return dbError("migrate: lock", err)
			}
		}
		if _, err := q.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS affiliate_schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_ns BIGINT NOT NULL
)`); err != nil {
			return dbError("migrate: create affiliate_schema_migrations", err)
		}
		applied, err := appliedVersions(ctx, q)
		if err != nil {
			return err
		}
		for _, m := range migrations {
			if applied[m.Version] {
				continue
			}
			if _, err := q.ExecContext(ctx, m.SQL); err != nil {
				return dbError("migrate: "+m.Name, err)
			}
			if _, err := q.ExecContext(ctx, `INSERT INTO affiliate_schema_migrations (version, name, applied_ns) VALUES ($1, $2, $3)`,
				m.Version, m.Name, time.Now().UnixNano()); err != nil {
				return dbError("migrate: record "+m.Name, err)
			}
		}
		return nil
	})
}

func appliedVersions(ctx context.Context, q querier) (map[int]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT version FROM affiliate_schema_migrations`)
	if err != nil {
		return nil, dbError("migrate: read versions", err)
	}
	defer rows.Close()
	applied := make(map[int]bool)
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, dbError("migrate: read versions", err)
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return nil, dbError("migrate: read versions", err)
	}
	return applied, nil
}

// SchemaVersion returns the highest migration version applied, or 0 for a
// database Migrate has not touched.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.read(ctx, "schema version", func(q querier) error {
		var exists bool
		var err error
		if s.dialect == Postgres {
			err = q.QueryRowContext(ctx, `SELECT to_regclass('affiliate_schema_migrations') IS NOT NULL`).Scan(&exists)
		} else {
			err = q.QueryRowContext(ctx, `SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'affiliate_schema_migrations'`).Scan(&exists)
		}
		if err != nil || !exists {
			return err
		}
		return q.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM affiliate_schema_migrations`).Scan(&v)
	})
	if err != nil {
		return 0, dbError("schema version", err)
	}
	return v, nil
}
