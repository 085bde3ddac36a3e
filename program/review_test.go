package program_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/program"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
	"pgregory.net/rapid"
)

var (
	jan1 = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)
	feb1 = time.Date(2026, time.February, 1, 9, 0, 0, 0, time.UTC)
)

// fataler is what the helpers need of a *testing.T or a *rapid.T.
type fataler interface {
	Helper()
	Fatal(args ...any)
}

// reviewProgram is a 30% program on memstore with ann and bob, customers
// acme (ann's) and globex (bob's), clock at February 1.
func reviewProgram(t fataler, policy affiliate.ApprovalPolicy) (*memstore.Store, *program.Program) {
	t.Helper()
	store := memstore.New()
	return store, reviewProgramOn(t, store, policy)
}

func reviewProgramOn(t fataler, store program.Store, policy affiliate.ApprovalPolicy) *program.Program {
	t.Helper()
	ctx := context.Background()
	for _, a := range []affiliate.AffiliateID{"ann", "bob"} {
		if err := store.PutAffiliate(ctx, affiliate.Affiliate{ID: a, Status: affiliate.StatusActive, Codes: []string{string(a)}}); err != nil {
			t.Fatal(err)
		}
	}
	p, err := program.New(program.Config{
		Store: store, Currency: "EUR",
		Terms:    []commission.TermsVersion{{Version: "v1", Rule: rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("30")}}},
		Approval: policy,
		Now:      func() time.Time { return feb1 },
	})
	if err != nil {
		t.Fatal(err)
	}
	for c, a := range map[affiliate.CustomerID]string{"acme": "ann", "globex": "bob"} {
		if _, err := p.Signup(ctx, attribution.Signup{Customer: c, Code: a, At: jan1}); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func payEUR(t fataler, p *program.Program, id string, c affiliate.CustomerID, day int, amount string) {
	t.Helper()
	_, err := p.Record(context.Background(), affiliate.Payment{ID: affiliate.EventID(id), Customer: c, PaidAt: jan1.AddDate(0, 0, day), Currency: "EUR",
		Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: eur(amount)}}})
	if err != nil {
		t.Fatal(err)
	}
}

// snapshot is everything a refused call must leave as it was.
func snapshot(t fataler, s *memstore.Store) string {
	t.Helper()
	ctx := context.Background()
	es, err := s.Entries(ctx, storage.EntryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := s.Reviews(ctx, storage.ReviewQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(es, rs)
}

// TestReviewRefusals: bad decisions and adjustments are typed errors that
// write nothing.
func TestReviewRefusals(t *testing.T) {
	ctx := context.Background()
	store, p := reviewProgram(t, affiliate.ApprovalPolicy{Mode: affiliate.Manual})
	payEUR(t, p, "in_1", "acme", 3, "100")  // in_1/1: 30.00, approved then paid
	payEUR(t, p, "in_2", "acme", 4, "100")  // in_2/1: rejected
	payEUR(t, p, "in_3", "acme", 5, "100")  // in_3/1: pending
	payEUR(t, p, "in_4", "globex", 6, "50") // in_4/1: pending, bob's
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	check(p.Approve(ctx, program.Decision{Key: "ok-1", Entries: []affiliate.EntryID{"in_1/1"}, Reviewer: "rita", Reason: "fine"}))
	check(p.Reject(ctx, program.Decision{Key: "ok-2", Entries: []affiliate.EntryID{"in_2/1"}, Reviewer: "rita", Reason: "fraud"}))
	run, err := p.RunPayouts(ctx, p.Month(2026, time.January))
	check(err)
	if len(run.Payouts) != 1 || !run.Payouts[0].Amount.Equal(eur("30")) {
		t.Fatalf("run = %+v; want one payout of the approved 30.00 EUR", run.Payouts)
	}
	_, err = p.Record(ctx, affiliate.Refund{ID: "re_3", Payment: "in_3", Customer: "acme", RefundedAt: jan1.AddDate(0, 0, 7), Kind: affiliate.KindRefund, Amount: eur("50")})
	check(err)
	ids := func(ids ...affiliate.EntryID) []affiliate.EntryID { return ids }
	dec := func(key string, e ...affiliate.EntryID) program.Decision {
		return program.Decision{Key: key, Entries: e, Reviewer: "rita", Reason: "r"}
	}
	for _, tc := range []struct {
		name string
		call func() error
		want error
	}{
		{"no key", func() error { return p.Approve(ctx, dec("", "in_3/1")) }, affiliate.ErrInvalid},
		{"no reviewer", func() error {
			return p.Approve(ctx, program.Decision{Key: "k", Entries: ids("in_3/1"), Reason: "r"})
		}, affiliate.ErrInvalid},
		{"no reason", func() error {
			return p.Approve(ctx, program.Decision{Key: "k", Entries: ids("in_3/1"), Reviewer: "rita"})
		}, affiliate.ErrInvalid},
		{"no subject", func() error { return p.Approve(ctx, dec("k")) }, affiliate.ErrInvalid},
		{"a query that selects nothing", func() error {
			return p.Approve(ctx, program.Decision{Key: "kq", Query: &program.PendingQuery{Affiliate: "nobody"}, Reviewer: "rita", Reason: "r"})
		}, nil},
		{"unknown entry", func() error { return p.Approve(ctx, dec("k", "in_3/1", "nope")) }, affiliate.ErrNotFound},
		{"a correction, not a root", func() error { return p.Approve(ctx, dec("k", "re_3/1")) }, affiliate.ErrInvalid},
		{"approve a rejected entry", func() error { return p.Approve(ctx, dec("k", "in_3/1", "in_2/1")) }, commission.ErrRejected},
		{"reject a rejected entry", func() error { return p.Reject(ctx, dec("k", "in_2/1")) }, commission.ErrRejected},
		{"approve a paid entry", func() error { return p.Approve(ctx, dec("k", "in_1/1")) }, commission.ErrSettled},
		{"reject a paid entry", func() error { return p.Reject(ctx, dec("k", "in_3/1", "in_1/1")) }, commission.ErrSettled},
		{"hold a pending entry", func() error { return p.Hold(ctx, dec("k", "in_3/1")) }, program.ErrNotPending},
		{"approve a binding not on hold", func() error {
			return p.Approve(ctx, program.Decision{Key: "k", Customers: []affiliate.CustomerID{"acme"}, Reviewer: "rita", Reason: "r"})
		}, program.ErrNotPending},
		{"hold an unbound customer", func() error {
			return p.Hold(ctx, program.Decision{Key: "k", Customers: []affiliate.CustomerID{"nobody"}, Reviewer: "rita", Reason: "r"})
		}, affiliate.ErrNotFound},
		{"key reused for another decision", func() error { return p.Approve(ctx, dec("ok-1", "in_3/1")) }, affiliate.ErrIdempotencyMismatch},
		{"adjust an unknown affiliate", func() error {
			_, err := p.Adjust(ctx, program.Adjustment{Key: "a", Kind: commission.AdjustBonus, Affiliate: "zed", Amount: eur("5"), Reason: "r", Actor: "max"})
			return err
		}, affiliate.ErrNotFound},
		{"adjust with the wrong sign", func() error {
			_, err := p.Adjust(ctx, program.Adjustment{Key: "a", Kind: commission.AdjustClawback, Affiliate: "ann", Amount: eur("5"), Reason: "r", Actor: "max"})
			return err
		}, affiliate.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(t, store)
			err := tc.call()
			if tc.want == nil {
				if err != nil {
					t.Fatalf("err = %v; want nil", err)
				}
			} else if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v; want %v", err, tc.want)
			}
			if diff := cmp.Diff(before, snapshot(t, store)); diff != "" && tc.want != nil {
				t.Errorf("a refused call changed the store (-before +after):\n%s", diff)
			}
		})
	}
	// The replays of the decisions made above change nothing either.
	before := snapshot(t, store)
	check(p.Approve(ctx, program.Decision{Key: "ok-1", Entries: []affiliate.EntryID{"in_1/1"}, Reviewer: "rita", Reason: "fine"}))
	check(p.Reject(ctx, program.Decision{Key: "ok-2", Entries: []affiliate.EntryID{"in_2/1"}, Reviewer: "rita", Reason: "fraud"}))
	if after := snapshot(t, store); after != before {
		t.Errorf("replayed decisions wrote")
	}
}

// TestBindingHold: a held binding holds its entries until a reviewer
// decides; approving it releases them, rejecting it takes them back and
// keeps later ones pending.
func TestBindingHold(t *testing.T) {
	ctx := context.Background()
	_, p := reviewProgram(t, affiliate.ApprovalPolicy{})
	payEUR(t, p, "in_1", "acme", 3, "100")
	payEUR(t, p, "in_2", "globex", 3, "100")
	hold := func(c affiliate.CustomerID, key string) {
		t.Helper()
		if err := p.Hold(ctx, program.Decision{Key: key, Customers: []affiliate.CustomerID{c}, Reviewer: "velocity-check", Reason: "12 signups in an hour"}); err != nil {
			t.Fatal(err)
		}
	}
	hold("acme", "h1")
	hold("globex", "h2")
	pending, err := p.Pending(ctx, program.PendingQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range pending {
		got = append(got, fmt.Sprintf("%s %s %s %s", w.Entry.ID, w.Customer, w.Amount, w.Reason))
	}
	want := []string{
		" acme 0 12 signups in an hour",
		" globex 0 12 signups in an hour",
		"in_1/1 acme 30.00 EUR binding on hold: 12 signups in an hour",
		"in_2/1 globex 30.00 EUR binding on hold: 12 signups in an hour",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("Pending (-want +got):\n%s", diff)
	}
	if err := p.Approve(ctx, program.Decision{Key: "d1", Customers: []affiliate.CustomerID{"acme"}, Reviewer: "rita", Reason: "known reseller"}); err != nil {
		t.Fatal(err)
	}
	if err := p.Reject(ctx, program.Decision{Key: "d2", Customers: []affiliate.CustomerID{"globex"}, Reviewer: "rita", Reason: "self-referral ring"}); err != nil {
		t.Fatal(err)
	}
	payEUR(t, p, "in_3", "globex", 10, "10")
	run, err := p.RunPayouts(ctx, p.Month(2026, time.January))
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Payouts) != 1 || run.Payouts[0].Affiliate != "ann" || !run.Payouts[0].Amount.Equal(eur("30")) {
		t.Errorf("payouts = %+v; want ann's 30.00 EUR only", run.Payouts)
	}
	pending, err = p.Pending(ctx, program.PendingQuery{Affiliate: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 1 || pending[0].Entry.ID != "in_3/1" || pending[0].Reason != "binding rejected: self-referral ring" {
		t.Errorf("bob's pending = %+v; want in_3/1 held by the rejected binding", pending)
	}
}

// TestSignalHolds: the built-in signals hold a binding instead of
// refusing it, and Pending lists it with the signal's reason: a second
// signup of ann's within a day (Velocity), a colleague at ann's company
// domain (HoldSameDomain). Ann's own mailbox is still refused, and
// writes nothing.
func TestSignalHolds(t *testing.T) {
	ctx, store := context.Background(), memstore.New()
	if err := store.PutAffiliate(ctx, affiliate.Affiliate{ID: "ann", Status: affiliate.StatusActive, Email: "ann@annco.io", Codes: []string{"ann"}}); err != nil {
		t.Fatal(err)
	}
	p, err := program.New(program.Config{
		Store: store, Currency: "EUR",
		Terms: []commission.TermsVersion{{Version: "v1", Rule: rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("30")}}},
		Attribution: program.Attribution{HoldSameDomain: true, Checks: []attribution.Check{
			attribution.Hold(attribution.Velocity{Bindings: store, Limit: 1, Within: 24 * time.Hour}),
		}},
		Now: func() time.Time { return feb1 },
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range []attribution.Signup{
		{Customer: "acme", Email: "x@acme.io", Code: "ann", At: jan1},
		{Customer: "globex", Email: "y@globex.io", Code: "ann", At: jan1.Add(time.Hour)},
		{Customer: "initech", Email: "pat@annco.io", Code: "ann", At: jan1.AddDate(0, 0, 5)},
	} {
		if _, err := p.Signup(ctx, s); err != nil {
			t.Fatalf("signup %d: %v", i, err)
		}
	}
	before := snapshot(t, store)
	if _, err := p.Signup(ctx, attribution.Signup{Customer: "self", Email: "ann+1@annco.io", Code: "ann", At: jan1.AddDate(0, 0, 9)}); !errors.Is(err, attribution.ErrIneligible) {
		t.Errorf("ann's own mailbox: %v; want ErrIneligible", err)
	}
	if _, err := store.Binding(ctx, "self"); !errors.Is(err, affiliate.ErrNotFound) || snapshot(t, store) != before {
		t.Errorf("a refused signup wrote: binding %v", err)
	}
	pending, err := p.Pending(ctx, program.PendingQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range pending {
		got = append(got, fmt.Sprintf("%s %s %s", w.Customer, w.Affiliate, w.Reason))
	}
	want := []string{
		"globex ann velocity: affiliate ann bound 1 customer in the 24h0m0s before this signup; the limit is 1",
		"initech ann self_referral: the customer shares the affiliate's e-mail domain annco.io",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Pending (-want +got):\n%s", diff)
	}
}

// TestAfterHold: an after-hold entry waits its hold, then is approved
// by itself; a per-rule Manual mode overrides the program's.
func TestAfterHold(t *testing.T) {
	ctx := context.Background()
	_, p := reviewProgram(t, affiliate.ApprovalPolicy{Mode: affiliate.AfterHold, Hold: 14 * 24 * time.Hour, Rules: map[string]affiliate.ApprovalMode{"manual/bonus": affiliate.Manual}})
	payEUR(t, p, "in_1", "acme", 3, "100")  // Jan 4: approved Jan 18
	payEUR(t, p, "in_2", "acme", 25, "100") // Jan 26: pending until Feb 9
	if _, err := p.Adjust(ctx, program.Adjustment{Key: "b", Kind: commission.AdjustBonus, Affiliate: "ann", Amount: eur("5"), Reason: "r", Actor: "max", At: jan1}); err != nil {
		t.Fatal(err)
	}
	run, err := p.RunPayouts(ctx, p.Month(2026, time.January))
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Payouts) != 1 || len(run.Payouts[0].Entries) != 1 || run.Payouts[0].Entries[0] != "in_1/1" {
		t.Errorf("payouts = %+v; want in_1/1 alone", run.Payouts)
	}
	pending, err := p.Pending(ctx, program.PendingQuery{AsOf: feb1.AddDate(0, 0, 10)})
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 1 || pending[0].Entry.Rule != "manual/bonus" {
		t.Errorf("pending on Feb 11 = %+v; want the manual bonus alone", pending)
	}
}

// TestReviewProperty: approvals and rejections change the ledger's total
// by exactly their linked reversals, every rejected entry's group nets to
// zero, and payouts hold approved entries only.
func TestReviewProperty(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		ctx := context.Background()
		store, p := reviewProgram(rt, affiliate.ApprovalPolicy{Mode: affiliate.Manual})
		total := func() (sum, rejections int64) {
			es, err := store.Entries(ctx, storage.EntryQuery{})
			if err != nil {
				rt.Fatal(err)
			}
			for _, e := range es {
				sum += e.Amount.Minor()
				if e.Rule == affiliate.RuleRejection {
					rejections += e.Amount.Minor()
				}
			}
			return sum, rejections
		}
		n := rapid.IntRange(1, 6).Draw(rt, "payments")
		for i := range n {
			c := rapid.SampledFrom([]affiliate.CustomerID{"acme", "globex"}).Draw(rt, "customer")
			payEUR(rt, p, fmt.Sprintf("in_%d", i), c, i+1, fmt.Sprint(rapid.IntRange(1, 500).Draw(rt, "amount")))
		}
		steps := rapid.IntRange(0, 8).Draw(rt, "decisions")
		for i := range steps {
			pending, err := p.Pending(ctx, program.PendingQuery{})
			if err != nil {
				rt.Fatal(err)
			}
			if len(pending) == 0 {
				break
			}
			pick := rapid.SampledFrom(pending).Draw(rt, "entry")
			d := program.Decision{Key: fmt.Sprintf("d%d", i), Entries: []affiliate.EntryID{pick.Entry.ID}, Reviewer: "rita", Reason: "r"}
			if rapid.Bool().Draw(rt, "bulk") {
				d.Entries, d.Query = nil, &program.PendingQuery{Customer: pick.Customer}
			}
			sum0, rej0 := total()
			if rapid.Bool().Draw(rt, "reject") {
				err = p.Reject(ctx, d)
			} else {
				err = p.Approve(ctx, d)
			}
			if err != nil {
				rt.Fatal(err)
			}
			sum1, rej1 := total()
			if sum1-sum0 != rej1-rej0 {
				rt.Fatalf("decision %s moved the total by %d, its reversals by %d", d.Key, sum1-sum0, rej1-rej0)
			}
			if rapid.Bool().Draw(rt, "replay") {
				if err := p.Approve(ctx, d); err != nil && !errors.Is(err, affiliate.ErrIdempotencyMismatch) {
					rt.Fatalf("replay: %v", err)
				}
			}
		}
		run, err := p.RunPayouts(ctx, p.Month(2026, time.January))
		if err != nil {
			rt.Fatal(err)
		}
		es, err := store.Entries(ctx, storage.EntryQuery{})
		if err != nil {
			rt.Fatal(err)
		}
		rs, err := store.Reviews(ctx, storage.ReviewQuery{})
		if err != nil {
			rt.Fatal(err)
		}
		st := affiliate.Standings(es, rs, affiliate.ApprovalPolicy{Mode: affiliate.Manual}, feb1)
		for _, po := range run.Payouts {
			for _, id := range po.Entries {
				if st[id].Status != affiliate.EntryApproved {
					rt.Fatalf("payout %s holds %s, which is %s", po.ID, id, st[id].Status)
				}
			}
		}
		group := make(map[affiliate.EntryID]int64)
		for _, e := range es {
			if st[e.ID].Status == affiliate.EntryRejected {
				group[st[e.ID].Root] += e.Amount.Minor()
			}
		}
		for root, net := range group {
			if net != 0 {
				rt.Fatalf("rejected %s nets to %d, not 0", root, net)
			}
		}
	})
}

// reviewFlow runs every review call once on store: the SQL stores take
// the manual writes (a per-affiliate state for a bonus about no
// customer), the trail and the move as memstore does.
func reviewFlow(t *testing.T, store program.Store) {
	ctx := context.Background()
	p := reviewProgramOn(t, store, affiliate.ApprovalPolicy{Mode: affiliate.Manual})
	payEUR(t, p, "in_1", "acme", 3, "100")
	payEUR(t, p, "in_2", "acme", 4, "200")
	payEUR(t, p, "in_3", "globex", 5, "100")
	steps := []func() error{
		func() error {
			return p.Reject(ctx, program.Decision{Key: "d1", Entries: []affiliate.EntryID{"in_1/1"}, Reviewer: "rita", Reason: "fraud"})
		},
		func() error {
			_, err := p.Adjust(ctx, program.Adjustment{Key: "b1", Kind: commission.AdjustBonus, Affiliate: "bob", Amount: eur("5"), Reason: "launch", Actor: "max", At: jan1.AddDate(0, 0, 9)})
			return err
		},
		func() error {
			return p.Hold(ctx, program.Decision{Key: "h1", Customers: []affiliate.CustomerID{"globex"}, Reviewer: "score", Reason: "risky"})
		},
		func() error {
			return p.Approve(ctx, program.Decision{Key: "d2", Query: &program.PendingQuery{}, Reviewer: "rita", Reason: "checked"})
		},
		func() error {
			_, err := p.MoveCustomer(ctx, program.Move{Key: "m1", Customer: "acme", To: "bob", Reason: "r", Actor: "max"})
			return err
		},
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i+1, err)
		}
	}
	pending, err := p.Pending(ctx, program.PendingQuery{})
	if err != nil {
		t.Fatal(err)
	}
	// Approved by query: in_2/1 (60), in_3/1 (30, its binding held, but
	// approved by name), the bonus (5). The move comes before January's
	// run, so it moves January's entries: ann's in_2 nets to zero in
	// January and bob's re-accruals of acme's payments are new entries,
	// pending under manual approval.
	var got []string
	for _, w := range pending {
		got = append(got, string(w.Entry.ID)+" "+w.Amount.String())
	}
	run, err := p.RunPayouts(ctx, p.Month(2026, time.January))
	if err != nil {
		t.Fatal(err)
	}
	paid := map[affiliate.AffiliateID]string{}
	for _, po := range run.Payouts {
		paid[po.Affiliate] = po.Amount.String()
	}
	if fmt.Sprint(paid) != "map[bob:35.00 EUR]" {
		t.Errorf("paid %v (pending %q); want bob 35.00 EUR and nothing for ann", paid, got)
	}
	st, err := p.Statement(ctx, "ann", p.Month(2026, time.January))
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	if want := `"review":[{"entry":"in_1/1","amount":{"amount":"30.00","currency":"EUR"},"status":"rejected","reason":"fraud","actor":"rita","since":"2026-02-01T09:00:00Z"}`; !strings.Contains(string(js), want) {
		t.Errorf("statement JSON %s\nlacks %s", js, want)
	}
}

func TestReviewFlowMemstore(t *testing.T) { reviewFlow(t, memstore.New()) }
