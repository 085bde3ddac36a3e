package program_test

import (
	"context"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/program"
)

// A rejection decided after the entry's month ended, before the month's
// run: the reversal is dated after the month, the run still pays nothing.
func TestRejectAfterMonthEndIsNotPaid(t *testing.T) {
	ctx := context.Background()
	_, p := reviewProgram(t, affiliate.ApprovalPolicy{})
	payEUR(t, p, "in_1", "acme", 9, "100")
	if err := p.Reject(ctx, program.Decision{Key: "r1", Entries: []affiliate.EntryID{"in_1/1"}, Reviewer: "max", Reason: "fraud"}); err != nil {
		t.Fatal(err)
	}
	run, err := p.RunPayouts(ctx, p.Month(2026, time.January))
	if err != nil {
		t.Fatal(err)
	}
	for _, po := range run.Payouts {
		t.Errorf("January pays %s %s %v although in_1/1 was rejected", po.Affiliate, po.Amount, po.Entries)
	}
}
