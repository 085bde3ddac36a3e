package commission

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
)

// ownEntries returns entries equal to its input, nil slices still nil,
// that share no memory with it: writing over every slice of the input
// afterwards leaves the copy as it was. Sizes run past ownedEntries's
// arrays, so both ways of allocating are drawn.
func TestOwnEntries(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ids := func(n int) []affiliate.AffiliateID {
			out := make([]affiliate.AffiliateID, n)
			for i := range out {
				out[i] = affiliate.AffiliateID("a" + strconv.Itoa(i))
			}
			return out
		}
		var es []affiliate.Entry
		if !rapid.Bool().Draw(t, "nil") {
			es = make([]affiliate.Entry, rapid.IntRange(0, 4).Draw(t, "entries"))
		}
		for i := range es {
			es[i].ID = affiliate.EntryID("e" + strconv.Itoa(i))
			if n := rapid.IntRange(-1, 5).Draw(t, "chain"); n >= 0 {
				es[i].Chain = ids(n)
			}
			if n := rapid.IntRange(-1, 6).Draw(t, "lines"); n >= 0 {
				es[i].BaseLines = make([]affiliate.LineKind, n)
				for j := range es[i].BaseLines {
					es[i].BaseLines[j] = affiliate.LineSubscription
				}
			}
		}
		got := ownEntries(es)
		// cmp tells a nil slice from an empty one.
		if diff := cmp.Diff(es, got); diff != "" {
			t.Fatalf("ownEntries changed the entries (-in +out):\n%s", diff)
		}
		before := fmt.Sprintf("%#v", got) // a snapshot that shares nothing
		for i := range es {
			es[i].ID = "overwritten"
			for j := range es[i].Chain {
				es[i].Chain[j] = "overwritten"
			}
			for j := range es[i].BaseLines {
				es[i].BaseLines[j] = affiliate.LineTax
			}
		}
		if after := fmt.Sprintf("%#v", got); after != before {
			t.Fatalf("writing over the input changed the copy:\nbefore %s\nafter  %s", before, after)
		}
	})
}
