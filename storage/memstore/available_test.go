package memstore_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// TestAvailableAtRoundTrips pins that AvailableAt reads back exactly, and
// filters, whether memstore keeps it as seconds after At (a hold) or
// apart: before At, other nanoseconds or location, centuries before or
// beyond At.
func TestAvailableAtRoundTrips(t *testing.T) {
	ny := time.FixedZone("New York", -5*3600)
	at := t0.Add(123 * time.Nanosecond)
	availables := []time.Time{
		at, at.Add(30 * 24 * time.Hour), at.Add(-time.Second), at.Add(time.Nanosecond), at.In(ny),
		at.Add(-200 * 365 * 24 * time.Hour), at.Add(200 * 365 * 24 * time.Hour), at.Add(time.Duration(1<<32-1) * time.Second), at.Add(time.Duration(1<<32-2) * time.Second),
	}
	var entries []affiliate.Entry
	for i, av := range availables {
		entries = append(entries, affiliate.Entry{ID: affiliate.EntryID("p1/" + strconv.Itoa(i+1)), Beneficiary: "aff", Event: "p1", Payment: "p1",
			Customer: "cus", Kind: affiliate.KindCommission, Amount: eur(100), At: at, AvailableAt: av})
	}
	s := memstore.New()
	ctx := context.Background()
	c := storage.Commit{Key: "k", Hash: "h", State: storage.CustomerState{Customer: "cus", Version: 1}, Entries: entries}
	if _, err := s.Commit(ctx, c); err != nil {
		t.Fatal(err)
	}
	got, err := s.Entries(ctx, storage.EntryQuery{Event: "p1"})
	if err != nil || len(got) != len(entries) {
		t.Fatalf("Entries = %d entries, %v", len(got), err)
	}
	for i, e := range got {
		want := entries[i].AvailableAt
		if !e.AvailableAt.Equal(want) || e.AvailableAt.Location() != want.Location() {
			t.Errorf("entry %s: AvailableAt %v, want %v", e.ID, e.AvailableAt, want)
		}
	}
	for _, by := range []time.Time{at, at.Add(-time.Second), at.Add(time.Hour)} {
		got, err := s.Entries(ctx, storage.EntryQuery{Event: "p1", AvailableBy: by})
		n := 0
		for _, av := range availables {
			if !av.After(by) {
				n++
			}
		}
		if err != nil || len(got) != n {
			t.Errorf("Entries available by %v = %d entries, %v; want %d", by, len(got), err, n)
		}
	}
}
