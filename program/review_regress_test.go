package program_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/program"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
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

// A move lifts no hold from the old affiliate's entries: they wait for
// a reviewer, not for the customer to change hands.
func TestMoveKeepsOldAffiliatesHold(t *testing.T) {
	ctx := context.Background()
	p, now := moveProgram(t, memstore.New())
	if err := p.Hold(ctx, program.Decision{Key: "h1", Customers: []affiliate.CustomerID{"acme"}, Reviewer: "max", Reason: "suspicious"}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.RunPayouts(ctx, p.Month(2026, time.January)); err != nil {
		t.Fatal(err)
	}
	*now = feb1.Add(24 * time.Hour)
	if _, err := p.MoveCustomer(ctx, program.Move{Key: "m1", Customer: "acme", To: "bob", Reason: "belongs to bob", Actor: "max"}); err != nil {
		t.Fatal(err)
	}
	*now = time.Date(2026, time.March, 1, 9, 0, 0, 0, time.UTC)
	run, err := p.RunPayouts(ctx, p.Month(2026, time.February))
	if err != nil {
		t.Fatal(err)
	}
	for _, po := range run.Payouts {
		t.Errorf("February pays %s %s %v: the move released ann's held entry", po.Affiliate, po.Amount, po.Entries)
	}
	pend, err := p.Pending(ctx, program.PendingQuery{Affiliate: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	if len(pend) != 1 || pend[0].Entry.ID != "in_1/1" {
		t.Errorf("ann's pending after the move = %+v, want in_1/1", pend)
	}
}

// Hold by query holds the approved open entries it selects.
func TestHoldByQuery(t *testing.T) {
	ctx := context.Background()
	_, p := reviewProgram(t, affiliate.ApprovalPolicy{})
	payEUR(t, p, "in_1", "acme", 9, "100")
	payEUR(t, p, "in_2", "globex", 9, "100")
	if err := p.Hold(ctx, program.Decision{Key: "h", Query: &program.PendingQuery{Affiliate: "ann"}, Reviewer: "max", Reason: "fraud signal"}); err != nil {
		t.Fatal(err)
	}
	pend, err := p.Pending(ctx, program.PendingQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pend) != 1 || pend[0].Entry.ID != "in_1/1" {
		t.Fatalf("pending after Hold(Query{Affiliate: ann}) = %+v, want in_1/1 only", pend)
	}
	run, err := p.RunPayouts(ctx, p.Month(2026, time.January))
	if err != nil {
		t.Fatal(err)
	}
	for _, po := range run.Payouts {
		if po.Affiliate == "ann" {
			t.Errorf("January pays ann %s %v after the hold", po.Amount, po.Entries)
		}
	}
}

// failingCommits fails the n-th engine commit of rejection key prefix.
type failingCommits struct {
	*memstore.Store
	prefix  string
	n, seen int
}

func (f *failingCommits) Commit(ctx context.Context, c storage.Commit) (storage.CommitResult, error) {
	if strings.HasPrefix(c.Key, f.prefix) {
		if f.seen++; f.seen == f.n {
			return storage.CommitResult{}, errors.New("injected")
		}
	}
	return f.Store.Commit(ctx, c)
}

// A Reject that failed midway, retried, records every entry it rejected:
// by query and by binding.
func TestRejectRetryKeepsRecords(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    program.Decision
	}{
		{"query", program.Decision{Key: "r1", Query: &program.PendingQuery{Affiliate: "ann"}, Reviewer: "max", Reason: "fraud"}},
		{"binding", program.Decision{Key: "r1", Customers: []affiliate.CustomerID{"acme"}, Reviewer: "max", Reason: "fraud"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			store := &failingCommits{Store: memstore.New(), prefix: "review:r1/", n: 2}
			p := reviewProgramOn(t, store, affiliate.ApprovalPolicy{Mode: affiliate.Manual})
			payEUR(t, p, "in_1", "acme", 9, "100")
			payEUR(t, p, "in_2", "acme", 10, "100")
			if tc.d.Customers != nil {
				if err := p.Hold(ctx, program.Decision{Key: "h", Customers: tc.d.Customers, Reviewer: "max", Reason: "check"}); err != nil {
					t.Fatal(err)
				}
			}
			if err := p.Reject(ctx, tc.d); err == nil {
				t.Fatal("want the injected failure")
			}
			if err := p.Reject(ctx, tc.d); err != nil {
				t.Fatal(err)
			}
			rs, err := store.Reviews(ctx, storage.ReviewQuery{Key: "r1"})
			if err != nil {
				t.Fatal(err)
			}
			entries := 0
			for _, r := range rs {
				if r.Entry != "" {
					entries++
				}
			}
			if entries != 2 {
				t.Errorf("the retry recorded %d entry rejections (%+v); both entries were rejected", entries, rs)
			}
		})
	}
}

// A binding record counts for the binding it names: a stray hold naming
// another affiliate (from a lost binding race) neither shows acme's
// binding as held nor lets a decision act on ann's entries, and hides no
// hold on ann's binding.
func TestBindingRecordNamesItsAffiliate(t *testing.T) {
	stray := affiliate.Review{Key: "stray", Action: affiliate.ReviewHold, Customer: "acme", Affiliate: "bob", Reason: "velocity", Actor: "attribution", At: feb1}
	for _, tc := range []struct {
		name     string
		holdAnn  bool
		wantHeld bool
	}{
		{"stray hold only", false, false},
		{"stray hold after ann's hold", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			store, p := reviewProgram(t, affiliate.ApprovalPolicy{})
			payEUR(t, p, "in_1", "acme", 9, "100")
			if tc.holdAnn {
				if err := p.Hold(ctx, program.Decision{Key: "h", Customers: []affiliate.CustomerID{"acme"}, Reviewer: "max", Reason: "check"}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := store.AppendReviews(ctx, stray.Key, "stray", []affiliate.Review{stray}); err != nil {
				t.Fatal(err)
			}
			pend, err := p.Pending(ctx, program.PendingQuery{})
			if err != nil {
				t.Fatal(err)
			}
			var held []string
			for _, pe := range pend {
				if pe.Entry.ID == "" {
					held = append(held, string(pe.Customer)+"/"+string(pe.Affiliate))
				}
			}
			want := ""
			if tc.wantHeld {
				want = "acme/ann"
			}
			if got := strings.Join(held, " "); got != want {
				t.Errorf("held bindings = %q, want %q", got, want)
			}
			err = p.Reject(ctx, program.Decision{Key: "r", Customers: []affiliate.CustomerID{"acme"}, Reviewer: "max", Reason: "fraud"})
			if tc.wantHeld && err != nil || !tc.wantHeld && !errors.Is(err, program.ErrNotPending) {
				t.Errorf("Reject(acme) = %v, want held=%v", err, tc.wantHeld)
			}
		})
	}
}
