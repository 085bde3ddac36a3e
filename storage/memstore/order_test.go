package memstore_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// TestEntriesOrderByAtThenID pins the ledger's read order when many
// entries share an At and their IDs arrive in any order: memstore sorts
// by At and position and then by ID only where equal times are out of
// order, and that must equal a plain sort by (At, ID).
func TestEntriesOrderByAtThenID(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := memstore.New()
		ids := rapid.Permutation(idsFor(rapid.IntRange(1, 40).Draw(t, "n"))).Draw(t, "ids")
		var all []affiliate.Entry
		for i, id := range ids {
			at := t0.Add(time.Duration(rapid.IntRange(0, 2).Draw(t, "hour")) * time.Hour)
			e := affiliate.Entry{ID: affiliate.EntryID(id), Beneficiary: affiliate.AffiliateID(rapid.SampledFrom([]string{"a", "b"}).Draw(t, "aff")),
				Kind: affiliate.KindCommission, Amount: eur(100), Rule: "r", Terms: "v1", At: at, AvailableAt: at}
			c := storage.Commit{Key: fmt.Sprint("k", i), Hash: "h", State: storage.CustomerState{Customer: affiliate.CustomerID(fmt.Sprint("c", i)), Version: 1}, Entries: []affiliate.Entry{e}}
			if _, err := s.Commit(context.Background(), c); err != nil {
				t.Fatal(err)
			}
			all = append(all, e)
		}
		slices.SortFunc(all, func(x, y affiliate.Entry) int {
			if c := x.At.Compare(y.At); c != 0 {
				return c
			}
			return strings.Compare(string(x.ID), string(y.ID))
		})
		for _, q := range []storage.EntryQuery{{}, {Unsettled: true}, {Beneficiary: "a"}, {Beneficiary: "b", Unsettled: true}} {
			got, err := s.Entries(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, e := range all {
				if q.Beneficiary == "" || e.Beneficiary == q.Beneficiary {
					want = append(want, string(e.ID))
				}
			}
			var gotIDs []string
			for _, e := range got {
				gotIDs = append(gotIDs, string(e.ID))
			}
			if !slices.Equal(gotIDs, want) {
				t.Fatalf("Entries(%+v) = %v; want %v", q, gotIDs, want)
			}
		}
	})
}

func idsFor(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("e%02d", i)
	}
	return out
}
