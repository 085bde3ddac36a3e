package tiers_test

import (
	"context"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
	"github.com/openaffiliate/affiliate/tiers"
)

// snapshotCounter counts the snapshot reads of a program.
type snapshotCounter struct {
	*memstore.Store
	reads int
}

func (s *snapshotCounter) TierSnapshots(ctx context.Context, q storage.TierSnapshotQuery) ([]affiliate.TierSnapshot, error) {
	s.reads++
	return s.Store.TierSnapshots(ctx, q)
}

// TestClosedMonthReadOnce: under NextPeriod, the tiers of a closed month's
// next payments come from one read of its snapshots, whatever the number
// of payments; a re-close that changes a decision is seen at once.
func TestClosedMonthReadOnce(t *testing.T) {
	w := newWorld(t, tiers.Config{Policy: tiers.NextPeriod})
	w.bind("c1", "ann", "")
	w.bind("c2", "bob", "")
	must[[]affiliate.Entry](t)(w.pay(payment("p1", "c1", day(time.January, 5), eur("12000"))))
	must[[]affiliate.Entry](t)(w.pay(payment("p2", "c2", day(time.January, 6), eur("100"))))
	w.close(time.January, time.Hour)

	st := &snapshotCounter{Store: w.store}
	prog, err := tiers.New(tiers.Config{Store: st, Schedule: seed000, Currency: "EUR", Policy: tiers.NextPeriod})
	if err != nil {
		t.Fatal(err)
	}
	tierOf := func(a affiliate.AffiliateID, i int) string {
		t.Helper()
		tier, err := prog.TierAt(w.ctx, a, payment("q", "c1", day(time.February, 1+i%27), eur("10")))
		if err != nil {
			t.Fatal(err)
		}
		return tier.Name
	}
	for i := range 100 {
		if got := tierOf("ann", i); got != "Premium" {
			t.Fatalf("ann's February tier %s, want Premium", got)
		}
		if got := tierOf("bob", i); got != "Standard" {
			t.Fatalf("bob's February tier %s, want Standard", got)
		}
	}
	if st.reads != 1 {
		t.Errorf("200 tiers of February read January's snapshots %d times, want once", st.reads)
	}

	// A refund of January brings ann under the threshold; the re-close
	// writes revision 2, which the next question reads.
	must[[]affiliate.Entry](t)(w.refund("r1", "p1", day(time.January, 30), eur("5000")))
	w.close(time.January, 48*time.Hour)
	if got := tierOf("ann", 0); got != "Standard" {
		t.Errorf("after the re-close, ann's February tier %s, want Standard", got)
	}
	if st.reads != 2 {
		t.Errorf("%d snapshot reads after the re-close, want 2", st.reads)
	}
}
