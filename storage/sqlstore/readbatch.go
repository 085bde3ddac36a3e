package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
)

// selectKeys runs SELECT cols FROM table for the rows whose column col
// is one of keys (strings), and calls scan on each row; a key given
// twice may return its row twice. The table may carry an alias that cols
// and col use ("affiliate_affiliates a", "a.id").
//
// SQLite gets the keys as one JSON array joined to the table: one short
// statement text whatever the number of keys. An IN list of hundreds of
// parameters costs more to parse than to run, and even prepared once per
// Store was a quarter slower than the join (modernc.org/sqlite binds
// parameters in time quadratic in their number, and SQLite builds an
// index of the list before it reads). CROSS JOIN keeps the keys the
// outer loop, each looked up by the table's primary key.
//
// PostgreSQL gets the keys as one text[] parameter (col = ANY($1)), which
// the driver sends in binary: one statement text, planned once, whatever
// the number of keys.
func (s *Store) selectKeys(ctx context.Context, q querier, cols, table, col string, keys []any, scan func(scanner) error) error {
	if len(keys) == 0 {
		return nil
	}
	if s.dialect == SQLite {
		list, err := jsonStrings(keys)
		if err != nil {
			return err
		}
		return eachRow(ctx, q, keysJoin(cols, table, col), []any{list}, scan)
	}
	list := make([]string, len(keys))
	for i, k := range keys {
		list[i] = k.(string)
	}
	return eachRow(ctx, q, `SELECT `+cols+` FROM `+table+` WHERE `+col+` = ANY($1::text[])`, []any{list}, scan)
}

// keysJoin is selectKeys' statement on SQLite, the keys a JSON array $1.
func keysJoin(cols, table, col string) string {
	return `SELECT ` + cols + ` FROM (SELECT value AS k FROM json_each($1)) AS j CROSS JOIN ` + table + ` ON ` + col + ` = j.k`
}

func eachRow(ctx context.Context, q querier, query string, args []any, scan func(scanner) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	return scanEach(rows, err, scan)
}

// scanEach calls scan on each of rows, the result of a query that
// returned err, and closes them.
func scanEach(rows *sql.Rows, err error, scan func(scanner) error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// jsonStrings returns keys, strings of valid UTF-8 (see storable), as a
// JSON array.
func jsonStrings(keys []any) (string, error) {
	b, err := json.Marshal(keys)
	return string(b), err
}
