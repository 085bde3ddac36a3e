package memstore_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// TestEntriesRoundTrip pins that every field of an entry reads back as
// committed, through the row and blob memstore keeps: a Corrects naming
// a stored entry, one of the same commit, or one the ledger never saw;
// explanations shared and unique; nil and empty slices; times in their
// location.
func TestEntriesRoundTrip(t *testing.T) {
	ny := time.FixedZone("New York", -5*3600)
	entry := func(id, corrects, explanation string, at time.Time) affiliate.Entry {
		return affiliate.Entry{ID: affiliate.EntryID(id), Beneficiary: "aff", Event: "p1", Payment: "p0", Customer: "cus",
			Kind: affiliate.KindReversal, Base: eur(-2900), BaseLines: []affiliate.LineKind{affiliate.LineSubscription, affiliate.LineAddOn},
			Rate: affiliate.MustRate("0.15"), Amount: eur(-435), Rule: "tier_rate", Terms: "v1", Tier: "Standard",
			Chain: []affiliate.AffiliateID{"sub", "aff"}, At: at, AvailableAt: at.Add(time.Hour), Corrects: affiliate.EntryID(corrects), Explanation: explanation}
	}
	first := entry("p0/1", "", "shared", t0)
	first.Kind, first.Base, first.BaseLines, first.Chain = affiliate.KindBounty, affiliate.Money{}, nil, []affiliate.AffiliateID{}
	second := []affiliate.Entry{
		entry("p1/1", "p0/1", "shared", t0.Add(time.Minute).In(ny)),
		entry("p1/2", "p1/1", "shared", t0.Add(2*time.Minute)),
		entry("p1/3", "gone/9", "only this one", t0.Add(3*time.Minute)),
	}
	s := memstore.New()
	for i, es := range [][]affiliate.Entry{{first}, second} {
		c := storage.Commit{Key: "k" + string(rune('0'+i)), Hash: "h", State: storage.CustomerState{Customer: "cus", Version: int64(i + 1)}, Entries: es}
		if _, err := s.Commit(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Entries(context.Background(), storage.EntryQuery{Customer: "cus"})
	if err != nil {
		t.Fatal(err)
	}
	want := append([]affiliate.Entry{first}, second...)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("Entries (-committed +read):\n%s", diff)
	}
	if got[0].BaseLines != nil || got[0].Chain == nil {
		t.Fatalf("nil BaseLines and empty Chain read back as %#v and %#v", got[0].BaseLines, got[0].Chain)
	}
	if loc := got[1].At.Location(); loc != ny {
		t.Fatalf("At in %v, want %v", loc, ny)
	}
	ids := make([]string, len(got))
	for i, e := range got {
		ids[i] = string(e.ID)
	}
	if !slices.IsSorted(ids) || strings.Join(ids, " ") != "p0/1 p1/1 p1/2 p1/3" {
		t.Fatalf("Entries in order %v", ids)
	}
}
