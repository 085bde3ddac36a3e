package sqlstore

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
)

// TestUnnestRowsTypesEachColumnByItsValues: the statement numbers one
// array a column, typed by the column's first value, and the arrays hold
// the rows' values in order.
func TestUnnestRowsTypesEachColumnByItsValues(t *testing.T) {
	for _, tc := range []struct {
		name      string
		head      string
		args      []any
		cols      int
		wantQuery string
		want      []any
	}{{
		name:      "text, integers, bytes",
		head:      "INSERT INTO t (s, n, b) VALUES ",
		args:      []any{"a", 1, []byte("x"), "b", int64(2), []byte("y")},
		cols:      3,
		wantQuery: `INSERT INTO t (s, n, b) SELECT * FROM unnest($1::text[], $2::int8[], $3::bytea[])`,
		want:      []any{[]string{"a", "b"}, []int64{1, 2}, [][]byte{[]byte("x"), []byte("y")}},
	}, {
		name:      "a nil before the bytes is a NULL of bytea",
		head:      "INSERT INTO t (s, b) VALUES ",
		args:      []any{"a", nil, "b", []byte("y"), "c", nil},
		cols:      2,
		wantQuery: `INSERT INTO t (s, b) SELECT * FROM unnest($1::text[], $2::bytea[])`,
		want:      []any{[]string{"a", "b", "c"}, [][]byte{nil, []byte("y"), nil}},
	}, {
		name:      "a column of nothing but nil",
		head:      "INSERT INTO t (b) VALUES ",
		args:      []any{nil, nil},
		cols:      1,
		wantQuery: `INSERT INTO t (b) SELECT * FROM unnest($1::bytea[])`,
		want:      []any{[][]byte{nil, nil}},
	}, {
		name:      "one row",
		head:      "INSERT INTO t (s, n) VALUES ",
		args:      []any{"", int64(-7)},
		cols:      2,
		wantQuery: `INSERT INTO t (s, n) SELECT * FROM unnest($1::text[], $2::int8[])`,
		want:      []any{[]string{""}, []int64{-7}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			query, got := unnestRows(tc.head, tc.args, tc.cols)
			if query != tc.wantQuery {
				t.Errorf("query\n got %s\nwant %s", query, tc.wantQuery)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("columns (-want +got):\n%s", diff)
			}
		})
	}
}

// TestUnnestRowsRefusesWhatItCannotType: a value that is not its column's
// type is a programming error, and panics rather than write a zero.
func TestUnnestRowsRefusesWhatItCannotType(t *testing.T) {
	const head = "INSERT INTO t (a) VALUES "
	for name, call := range map[string]func(){
		"no VALUES":                 func() { unnestRows("INSERT INTO t (a) SELECT ", []any{"a"}, 1) },
		"a float column":            func() { unnestRows(head, []any{1.5}, 1) },
		"a named string type":       func() { unnestRows(head, []any{affiliate.CustomerID("c")}, 1) },
		"a nil in a text column":    func() { unnestRows(head, []any{"a", nil}, 1) },
		"text after a nil":          func() { unnestRows(head, []any{nil, "a"}, 1) },
		"text in an integer column": func() { unnestRows(head, []any{int64(1), "x"}, 1) },
		"an integer in text":        func() { unnestRows(head, []any{"a", 5}, 1) },
		"text among bytes":          func() { unnestRows(head, []any{[]byte("x"), "y"}, 1) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("did not panic")
				}
			}()
			call()
		})
	}
}
