package sqlstore_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate/storage/sqlstore"
)

// unnestRow is a row of the three column types the batch path writes.
type unnestRow struct {
	Text  string
	Int   int64
	Bytes []byte // nil is NULL
}

// TestUnnestRowsRoundTrip: rows written as unnestRows' arrays come back
// from PostgreSQL as they were, in order: text that the array syntax
// quotes or escapes ("NULL", braces, commas, quotes, backslashes, blanks,
// the empty string), any storable text, int64's extremes, and empty,
// NULL and arbitrary bytea.
func TestUnnestRowsRoundTrip(t *testing.T) {
	_, db := openPostgres(t)
	ctx := context.Background()
	awkward := slices.Concat(trickyKeys, []string{"", "NULL", "null", "{}", "{", "}", ",", `"`, `\`, `\\x00`, " padded ", "\t", "a,b", `{"a"}`})
	rapid.Check(t, func(rt *rapid.T) {
		text := rapid.OneOf(rapid.SampledFrom(awkward), rapid.StringMatching(`[^\x00]*`))
		rows := rapid.SliceOfN(rapid.Custom(func(rt *rapid.T) unnestRow {
			return unnestRow{
				Text:  text.Draw(rt, "text"),
				Int:   rapid.OneOf(rapid.Int64(), rapid.SampledFrom([]int64{0, -1, 1 << 62, -1 << 63, 1<<63 - 1})).Draw(rt, "int"),
				Bytes: rapid.OneOf(rapid.Just([]byte(nil)), rapid.Just([]byte{}), rapid.SliceOf(rapid.Byte())).Draw(rt, "bytes"),
			}
		}), 1, 40).Draw(rt, "rows")
		var args []any
		for _, r := range rows {
			var b any
			if r.Bytes != nil {
				b = r.Bytes
			}
			args = append(args, r.Text, r.Int, b)
		}
		from, params, err := sqlstore.UnnestRows(args, 3)
		if err != nil {
			rt.Fatal(err)
		}
		got, err := db.QueryContext(ctx, `SELECT t, i, b, b IS NULL FROM `+from+` AS u(t, i, b)`, params...)
		if err != nil {
			rt.Fatalf("%s: %v", from, err)
		}
		defer got.Close()
		var back []unnestRow
		for got.Next() {
			var r unnestRow
			var null bool
			if err := got.Scan(&r.Text, &r.Int, &r.Bytes, &null); err != nil {
				rt.Fatal(err)
			}
			if null {
				r.Bytes = nil
			} else if r.Bytes == nil {
				r.Bytes = []byte{}
			}
			back = append(back, r)
		}
		if err := got.Err(); err != nil {
			rt.Fatal(err)
		}
		if diff := cmp.Diff(rows, back); diff != "" {
			rt.Fatalf("rows (-written +read back):\n%s", diff)
		}
	})
}

// TestUnnestRowsRefuses: values that are not whole rows, or that change
// type down a column, are refused before any statement runs.
func TestUnnestRowsRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []any
		cols int
		want string
	}{
		{"not whole rows", []any{"a", int64(1), "b"}, 2, "are not rows of 2"},
		{"no columns", []any{}, 0, "are not rows of 0"},
		{"text then a number", []any{"a", int64(1)}, 1, "a int64 in a column of text"},
		{"a number then text", []any{int64(1), "a"}, 1, "a string in a column of bigint"},
		{"bytes then text", []any{[]byte("a"), "a"}, 1, "a string in a column of bytea"},
		{"NULL then a number", []any{nil, int64(1)}, 1, "a int64 in a column of bytea"},
		{"an unknown type", []any{1.5}, 1, "a float64 in a column of bytea"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := sqlstore.UnnestRows(tc.args, tc.cols)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("UnnestRows(%v, %d) = %v; want an error with %q", tc.args, tc.cols, err, tc.want)
			}
		})
	}
}
