package sqlstore

import (
	"regexp"
	"strconv"
	"testing"
)

// TestCommitShapeNumbersItsArguments checks that the text of each shape
// numbers its placeholders from $1 to the count of arguments
// commitOnePostgres appends for that shape, without a gap or an extra:
// a text cached per shape must line up with each commit's arguments,
// those of its expectation's checks included (expectArgs).
func TestCommitShapeNumbersItsArguments(t *testing.T) {
	placeholder := regexp.MustCompile(`\$(\d+)`)
	for _, first := range []bool{true, false} {
		for _, event := range []bool{true, false} {
			for n, x := range []expectShape{{}, {on: true, bound: true, affiliates: 2, runs: 1}, {on: true, affiliates: 1}, {on: true, bound: true}} {
				sh := commitShape{first: first, event: event, entries: n, sums: n + 1, notices: n, expect: x}
				want := 4 + entryInsertColumns*n + 7*(n+1) + (outboxColumns-1)*n + 8*x.affiliates + 3*x.runs
				if x.bound {
					want += 8
				}
				if !first {
					want += 2
				}
				if event {
					want += 7
				}
				seen := map[int]bool{}
				for _, m := range placeholder.FindAllStringSubmatch(sh.text(), -1) {
					k, _ := strconv.Atoi(m[1])
					seen[k] = true
				}
				for k := 1; k <= want; k++ {
					if !seen[k] {
						t.Errorf("%+v: $%d missing", sh, k)
					}
				}
				if len(seen) != want {
					t.Errorf("%+v: %d placeholders, want %d", sh, len(seen), want)
				}
			}
		}
	}
}
