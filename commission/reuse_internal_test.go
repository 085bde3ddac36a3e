package commission

import (
	"fmt"
	"strconv"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
)

// ownEntries returns entries equal to its input, nil slices still nil,
// that share no memory with it: writing over every slice of the input,
// and the bytes of its entry IDs, afterwards leaves the copy as it was. Sizes run past ownedEntries's
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
		// The entry IDs are backed by one buffer, as the plan's idsBuf
		// backs them, and written over below.
		prefix := rapid.StringMatching(`[a-z]{1,40}`).Draw(t, "prefix")
		var idBytes []byte
		idAt := func(n int) affiliate.EntryID {
			start := len(idBytes)
			idBytes = append(idBytes, prefix+"/"+strconv.Itoa(n)...)
			return affiliate.EntryID(unsafe.String(&idBytes[start], len(idBytes)-start))
		}
		idBytes = make([]byte, 0, 2*len(es)*(len(prefix)+3))
		for i := range es {
			es[i].ID = idAt(i + 1)
			if rapid.Bool().Draw(t, "corrects") {
				es[i].Corrects = idAt(i + 10)
			}
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
		for i := range idBytes {
			idBytes[i] = 'X'
		}
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
