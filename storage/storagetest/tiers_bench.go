package storagetest

import (
	"fmt"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// benchTiers measures the tier close's store calls: a run that writes
// 10,000 snapshots, and the reads the commission engine's tier source
// makes at every payment (the latest close of a month, one affiliate's
// snapshot), hit and miss.
func benchTiers(b *testing.B, newStore func(*testing.B) Store) {
	s := newStore(b)
	const affiliates = 10_000
	snapshots := func(c affiliate.TierClose) []affiliate.TierSnapshot {
		out := make([]affiliate.TierSnapshot, affiliates)
		for i := range out {
			out[i] = tierSnap(c, affiliate.AffiliateID(fmt.Sprintf("aff%05d", i)), "Standard", eur(int64(i)))
		}
		return out
	}
	b.Run("CommitTierClose/10k-snapshots", func(b *testing.B) {
		b.ReportAllocs()
		year := 2000
		for b.Loop() {
			year++
			c := tierClose("bench", fmt.Sprintf("%04d-01", year), 1)
			c.Snapshots = snapshots(c.Close)
			if _, err := s.CommitTierClose(ctxT(), c); err != nil {
				b.Fatal(err)
			}
		}
	})
	c := tierClose("bench", "1999-01", 1)
	c.Snapshots = snapshots(c.Close)
	if _, err := s.CommitTierClose(ctxT(), c); err != nil {
		b.Fatal(err)
	}
	b.Run("TierClose/hit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.TierClose(ctxT(), "bench", per("1999-01")); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("TierClose/miss", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.TierClose(ctxT(), "bench", per("1998-01")); err == nil {
				b.Fatal("found a close never written")
			}
		}
	})
	b.Run("TierSnapshots/one-affiliate", func(b *testing.B) {
		b.ReportAllocs()
		q := storage.TierSnapshotQuery{Program: "bench", Period: per("1999-01"), Affiliate: "aff04242"}
		for b.Loop() {
			if snaps, err := s.TierSnapshots(ctxT(), q); err != nil || len(snaps) != 1 {
				b.Fatal(snaps, err)
			}
		}
	})
	b.Run("TierSnapshots/period-10k", func(b *testing.B) {
		b.ReportAllocs()
		q := storage.TierSnapshotQuery{Program: "bench", Period: per("1999-01")}
		for b.Loop() {
			if snaps, err := s.TierSnapshots(ctxT(), q); err != nil || len(snaps) != affiliates {
				b.Fatal(len(snaps), err)
			}
		}
	})
}
