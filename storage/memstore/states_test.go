package memstore_test

import (
	"bytes"
	"context"
	"strconv"
	"testing"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// TestStatesReadBackAsWritten checks customer states that grow, shrink
// and move between slots (memstore rewrites a state in place while it
// fits and reuses the slots states leave behind): each reads back as it
// was last written, whatever the other customers wrote since.
func TestStatesReadBackAsWritten(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := memstore.New()
		want := map[string][]byte{}
		versions := map[string]int64{}
		for i := range rapid.IntRange(1, 40).Draw(t, "writes") {
			c := rapid.SampledFrom([]string{"a", "b", "c"}).Draw(t, "customer")
			data := bytes.Repeat([]byte{byte('a' + i%26)}, rapid.IntRange(0, 300).Draw(t, "size"))
			versions[c]++
			st := storage.CustomerState{Customer: affiliate.CustomerID(c), Version: versions[c], Data: data}
			if _, err := s.Commit(context.Background(), storage.Commit{Key: "k" + strconv.Itoa(i), Hash: "h", State: st}); err != nil {
				t.Fatal(err)
			}
			want[c] = data
			for c, data := range want {
				got, err := s.CustomerState(context.Background(), affiliate.CustomerID(c))
				if err != nil || !bytes.Equal(got.Data, data) || got.Version != versions[c] {
					t.Fatalf("CustomerState(%s) = version %d, %q, %v; want version %d, %q", c, got.Version, got.Data, err, versions[c], data)
				}
			}
		}
	})
}
