package memstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// TestTierSnapshotsRoundTrip pins that snapshots read back field for
// field through the rows memstore keeps (a count metric's zero Money, an
// amount, a HeldFrom or none, periods in the reader's location), and that
// a revision reads each affiliate's history as of that run.
func TestTierSnapshotsRoundTrip(t *testing.T) {
	ctx := context.Background()
	zone := time.FixedZone("Berlin", 3600)
	jan := affiliate.Period{Year: 2026, Month: time.January, Location: zone}
	snap := func(rev int64, aff affiliate.AffiliateID, tier string) affiliate.TierSnapshot {
		return affiliate.TierSnapshot{Program: "p", Period: jan, Revision: rev, Affiliate: aff, Metric: affiliate.MetricConversions,
			Count: rev * 10, Reached: tier, Tier: tier}
	}
	first := []affiliate.TierSnapshot{snap(1, "bob", "Gold"), snap(1, "ann", "Silver")}
	first[0].Metric, first[0].Count, first[0].Amount = affiliate.MetricRevenue, 0, affiliate.MustMoney(12345, "EUR")
	first[1].HeldFrom, first[1].Applied = affiliate.Period{Year: 2025, Month: time.December, Location: zone}, "Silver"
	second := []affiliate.TierSnapshot{snap(2, "ann", "Gold")}
	s := memstore.New()
	for rev, snaps := range [][]affiliate.TierSnapshot{first, second} {
		c := storage.TierCloseCommit{Close: affiliate.TierClose{Program: "p", Period: jan, Revision: int64(rev + 1), AsOf: t0}, Hash: "h", Snapshots: snaps}
		if _, err := s.CommitTierClose(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		q    storage.TierSnapshotQuery
		want []affiliate.TierSnapshot
	}{
		{"latest", storage.TierSnapshotQuery{Program: "p", Period: jan}, []affiliate.TierSnapshot{second[0], first[0]}},
		{"as of revision 1", storage.TierSnapshotQuery{Program: "p", Period: jan, Revision: 1}, []affiliate.TierSnapshot{first[1], first[0]}},
		{"one affiliate", storage.TierSnapshotQuery{Program: "p", Period: jan, Affiliate: "ann", Revision: 1}, []affiliate.TierSnapshot{first[1]}},
		{"unknown affiliate", storage.TierSnapshotQuery{Program: "p", Period: jan, Affiliate: "zed"}, nil},
		{"other period", storage.TierSnapshotQuery{Program: "p", Period: affiliate.Period{Year: 2026, Month: time.February}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.TierSnapshots(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got, cmp.Comparer(func(a, b *time.Location) bool { return a.String() == b.String() })); diff != "" {
				t.Fatalf("TierSnapshots (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTierEventsAreTierCloseEvents pins that the tier.changed events
// memstore derives from its closes and snapshot rows are
// storage.TierCloseEvents of the closes, byte for byte: closes of two
// programs and periods, a revision, and a close without snapshots
// between them.
func TestTierEventsAreTierCloseEvents(t *testing.T) {
	ctx := context.Background()
	zone := time.FixedZone("Berlin", 3600)
	jan := affiliate.Period{Year: 2026, Month: time.January, Location: zone}
	feb := affiliate.Period{Year: 2026, Month: time.February}
	snaps := func(p affiliate.Period, rev int64, affs ...affiliate.AffiliateID) []affiliate.TierSnapshot {
		var out []affiliate.TierSnapshot
		for i, a := range affs {
			out = append(out, affiliate.TierSnapshot{Program: "p", Period: p, Revision: rev, Affiliate: a, Metric: affiliate.MetricConversions,
				Count: int64(i), Reached: "T" + string(a), Tier: "T" + string(a)})
		}
		return out
	}
	commits := []storage.TierCloseCommit{
		{Close: affiliate.TierClose{Program: "p", Period: jan, Revision: 1, AsOf: t0.In(zone)}, Hash: "h", Snapshots: snaps(jan, 1, "bob", "ann")},
		{Close: affiliate.TierClose{Program: "q", Period: jan, Revision: 1, AsOf: t0}, Hash: "h"},
		{Close: affiliate.TierClose{Program: "p", Period: feb, Revision: 1, AsOf: t0.Add(time.Hour)}, Hash: "h", Snapshots: snaps(feb, 1, "cy")},
		{Close: affiliate.TierClose{Program: "p", Period: jan, Revision: 2, AsOf: t0.Add(2 * time.Hour)}, Hash: "h", Snapshots: snaps(jan, 2, "ann", "dee", "bob")},
	}
	s := memstore.New()
	var want []affiliate.OutboxEvent
	for i, c := range commits {
		for j := range c.Snapshots {
			c.Snapshots[j].Program = c.Close.Program
		}
		if _, err := s.CommitTierClose(ctx, c); err != nil {
			t.Fatalf("close %d: %v", i, err)
		}
		want = append(want, storage.TierCloseEvents(c)...)
	}
	for i := range want {
		want[i].Seq = int64(i + 1)
	}
	got, _, err := s.Read(ctx, 0, storage.MaxOutboxRead)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("Read (-TierCloseEvents +got):\n%s", diff)
	}
}
