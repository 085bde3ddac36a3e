package payout_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/payout"
)

// TestConcurrentRuns is meant for -race: runs of one period agree on one
// set of payouts, and runs of different periods never pay an entry twice.
func TestConcurrentRuns(t *testing.T) {
	e := newEnv(t, eurMinimum("1"))
	var es []ent
	for i := range 40 {
		es = append(es, ent{id: fmt.Sprintf("e%02d", i), aff: affiliate.AffiliateID(fmt.Sprintf("a%d", i%7)), amount: "10 EUR", at: day(1, 1+i%27)})
	}
	e.append(es...)

	var wg sync.WaitGroup
	results := make([]payout.Result, 12)
	errs := make([]error, len(results))
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := month(1)
			if i%2 == 1 {
				p = month(2) // February's run sees January's entries too
			}
			results[i], errs[i] = e.runner.Run(ctx, p, day(3, 1))
		}()
	}
	wg.Wait()
	written := map[string]int{}
	byPeriod := map[string]payout.Result{}
	for i, r := range results {
		if errs[i] != nil {
			t.Fatalf("run %d: %v", i, errs[i])
		}
		if !r.Replayed {
			written[r.Period.String()]++
		}
		if first, ok := byPeriod[r.Period.String()]; ok && len(first.Payouts) != len(r.Payouts) {
			t.Fatalf("two runs of %s returned %d and %d payouts", r.Period, len(first.Payouts), len(r.Payouts))
		}
		byPeriod[r.Period.String()] = r
	}
	if written["2026-01"] != 1 || written["2026-02"] != 1 {
		t.Fatalf("runs written per period = %v, want one each", written)
	}
	holder := map[affiliate.EntryID]affiliate.PayoutID{}
	var total int64
	for _, r := range byPeriod {
		for _, p := range r.Payouts {
			total += p.Amount.Minor()
			for _, id := range p.Entries {
				if other, dup := holder[id]; dup {
					t.Fatalf("entry %s is in payouts %s and %s", id, other, p.ID)
				}
				holder[id] = p.ID
			}
		}
	}
	if total != 40*1000 || len(e.unsettled()) != 0 {
		t.Fatalf("paid %d minor units, %d entries left; want 40000 and none", total, len(e.unsettled()))
	}
}
