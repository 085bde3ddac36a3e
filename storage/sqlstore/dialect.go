package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"
)

// queries turns the store's SQL, written once with PostgreSQL's numbered
// placeholders ($1, reusable and in any order), into the dialect's form.
// For SQLite each $n becomes an anonymous ? and the arguments are laid
// out in placeholder order: modernc.org/sqlite matches numbered
// parameters (?1) to arguments by a linear search per parameter, which
// makes a statement with thousands of them quadratic; anonymous ones bind
// by position.
type queries struct {
	dialect Dialect
	cache   sync.Map // PostgreSQL text -> *rewritten
}

type rewritten struct {
	text    string
	order   []int // order[i] is the argument index of the i-th placeholder
	inOrder bool  // order is 0, 1, 2 …: the arguments need no new slice
}

func buildQueries(d Dialect) *queries { return &queries{dialect: d} }

// bind returns query and args in the dialect's form.
func (q *queries) bind(query string, args []any) (string, []any) {
	if q.dialect == Postgres {
		return query, args
	}
	var r *rewritten
	if v, ok := q.cache.Load(query); ok {
		r = v.(*rewritten)
	} else {
		r = toSQLitePlaceholders(query)
		q.cache.Store(query, r)
	}
	if len(r.order) == 0 || r.inOrder && len(args) == len(r.order) {
		return r.text, args
	}
	out := make([]any, len(r.order))
	for i, n := range r.order {
		if n < len(args) {
			out[i] = args[n]
		}
	}
	return r.text, out
}

// toSQLitePlaceholders rewrites each $N outside quoted strings and
// identifiers to ?, recording which argument it stands for.
func toSQLitePlaceholders(sql string) *rewritten {
	var (
		b     strings.Builder
		order []int
		quote byte
	)
	b.Grow(len(sql))
	for i := 0; i < len(sql); i++ {
		c := sql[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '$' && i+1 < len(sql) && sql[i+1] >= '0' && sql[i+1] <= '9':
			j := i + 1
			for j < len(sql) && sql[j] >= '0' && sql[j] <= '9' {
				j++
			}
			n, _ := strconv.Atoi(sql[i+1 : j])
			order = append(order, n-1)
			b.WriteByte('?')
			i = j - 1
			continue
		}
		b.WriteByte(c)
	}
	inOrder := true
	for i, n := range order {
		inOrder = inOrder && n == i
	}
	return &rewritten{text: b.String(), order: order, inOrder: inOrder}
}

// bound is a querier that takes the store's PostgreSQL-style SQL and
// sends it in the dialect's form. Every querier the store's methods get
// is one.
type bound struct {
	q querier
	d *queries
}

func (b bound) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	query, args = b.d.bind(query, args)
	return b.q.ExecContext(ctx, query, args...)
}

func (b bound) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query, args = b.d.bind(query, args)
	return b.q.QueryContext(ctx, query, args...)
}

func (b bound) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	query, args = b.d.bind(query, args)
	return b.q.QueryRowContext(ctx, query, args...)
}

// placeholders appends "($k, $k+1, ...)" groups for rows×cols arguments
// starting at $start, separated by commas: the VALUES list of a
// multi-row INSERT.
func placeholders(b *strings.Builder, start, rows, cols int) {
	n := start
	var digits [20]byte // strconv.Itoa would allocate each number from 100 up
	b.Grow(rows * (cols*len(", $10000") + len("(), ")))
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('$')
			b.Write(strconv.AppendInt(digits[:0], int64(n), 10))
			n++
		}
		b.WriteByte(')')
	}
}

// maxParams keeps every statement under both dialects' limits on bound
// parameters (PostgreSQL 65535, SQLite 32766 since 3.32). On PostgreSQL
// big writes (a payout run over 10,000 affiliates claims 100,000 entries)
// go in as few statements as that allows, since each is a round trip. On
// SQLite a statement costs no round trip, but modernc.org/sqlite finds
// each argument by a linear search over all of them, quadratic in a
// statement's parameters, so SQLite statements stay small.
func (q *queries) maxParams() int {
	if q.dialect == SQLite {
		return 500
	}
	return 32000
}

// rowsPer is how many rows of cols parameters fit in one statement.
func (q *queries) rowsPer(cols int) int { return q.maxParams() / cols }
