package memstore_test

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// TestEntryIDsRoundTrip pins that entry IDs read back byte for byte and
// are found by ID, both those memstore derives from the entry's event
// ("<event>/<n>") and those it keeps as text: other shapes, near misses
// of the derived shape, and another event's prefix. Corrects names each
// kind, and equal times read back in ID order ("p1/10" before "p1/2").
func TestEntryIDsRoundTrip(t *testing.T) {
	ids := []struct{ id, event string }{
		{"p1/1", "p1"}, {"p1/2", "p1"}, {"p1/10", "p1"}, {"p1/999999999", "p1"},
		{"p1/01", "p1"}, {"p1/0", "p1"}, {"p1/", "p1"}, {"p1/x", "p1"}, {"p1/+3", "p1"}, {"p1/1000000000", "p1"},
		{"p1/2/3", "p1"}, {"p2/1", "p1"}, {"p1", "p1"}, {"cus/state-3/1", "p1"}, {"h:0a1b/1", "p1"},
		{"p2/2", "p2"}, {"/1", "p2"},
	}
	var entries []affiliate.Entry
	for i, x := range ids {
		e := affiliate.Entry{ID: affiliate.EntryID(x.id), Beneficiary: "aff", Event: affiliate.EventID(x.event), Payment: affiliate.EventID(x.event),
			Customer: "cus", Kind: affiliate.KindCommission, Amount: eur(int64(100 + i)), At: t0.Add(time.Duration(i/3) * time.Minute), AvailableAt: t0}
		if i > 0 {
			e.Corrects = entries[i-1].ID
		}
		entries = append(entries, e)
	}
	s := memstore.New()
	ctx := context.Background()
	for i := 0; i < len(entries); i += 4 {
		es := entries[i:min(i+4, len(entries))]
		c := storage.Commit{Key: "k" + string(rune('a'+i)), Hash: "h", State: storage.CustomerState{Customer: "cus", Version: int64(i/4 + 1)}, Entries: es}
		if _, err := s.Commit(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Entries(ctx, storage.EntryQuery{Customer: "cus"})
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(entries)
	slices.SortStableFunc(want, func(a, b affiliate.Entry) int {
		return cmp.Or(a.At.Compare(b.At), strings.Compare(string(a.ID), string(b.ID)))
	})
	if string(want[1].ID) != "p1/10" {
		t.Fatalf("want in order %v", want)
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Fatalf("Entries (-committed +read):\n%s", diff)
	}
	for i, e := range entries {
		c := storage.Commit{Key: "again" + string(rune('a'+i)), Hash: "h", State: storage.CustomerState{Customer: "cus", Version: int64((len(entries)+3)/4 + 1)}, Entries: []affiliate.Entry{e}}
		if _, err := s.Commit(ctx, c); !errors.Is(err, affiliate.ErrConflict) {
			t.Fatalf("committing %q again: %v, want a conflict (found by ID)", e.ID, err)
		}
	}
	// A derived ID's near misses are new entries.
	version := int64((len(entries)+3)/4 + 1)
	for _, id := range []string{"p1/3", "p1/010", "p2/10", "p3/1", "p1/10/1"} {
		e := entries[0]
		e.ID, e.Corrects = affiliate.EntryID(id), ""
		c := storage.Commit{Key: "new" + id, Hash: "h", State: storage.CustomerState{Customer: "cus", Version: version}, Entries: []affiliate.Entry{e}}
		if _, err := s.Commit(ctx, c); err != nil {
			t.Fatalf("committing new entry %q: %v", id, err)
		}
		version++
		got, err := s.Entries(ctx, storage.EntryQuery{Event: "p1", Customer: "cus"})
		if err != nil || !slices.ContainsFunc(got, func(g affiliate.Entry) bool { return g.ID == e.ID }) {
			t.Fatalf("entry %q not read back: %v", id, err)
		}
	}
}
