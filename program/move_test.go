package program_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
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

// moveProgram is reviewProgram with a settable clock and a third,
// suspended affiliate.
func moveProgram(t fataler, store program.Store) (*program.Program, *time.Time) {
	t.Helper()
	ctx := context.Background()
	for _, a := range []affiliate.Affiliate{
		{ID: "ann", Status: affiliate.StatusActive, Codes: []string{"ann"}},
		{ID: "bob", Status: affiliate.StatusActive, Codes: []string{"bob"}},
		{ID: "sue", Status: affiliate.StatusSuspended},
	} {
		if err := store.PutAffiliate(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	now := feb1
	p, err := program.New(program.Config{
		Store: store, Currency: "EUR",
		Terms: []commission.TermsVersion{{Version: "v1", Rule: rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("30")}}},
		Now:   func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Signup(ctx, attribution.Signup{Customer: "acme", Code: "ann", At: jan1}); err != nil {
		t.Fatal(err)
	}
	payEUR(t, p, "in_1", "acme", 3, "100")
	return p, &now
}

func netOf(t *testing.T, s storage.Ledger, a affiliate.AffiliateID) int64 {
	t.Helper()
	es, err := s.Entries(context.Background(), storage.EntryQuery{Beneficiary: a})
	if err != nil {
		t.Fatal(err)
	}
	return sum(es)
}

func sum(es []affiliate.Entry) int64 {
	n := int64(0)
	for _, e := range es {
		n += e.Amount.Minor()
	}
	return n
}

// TestMoveUnpaid: an unpaid commission moves by a linked zeroing entry
// and a re-accrual; the run pays the new affiliate only; a replay writes
// nothing.
func TestMoveUnpaid(t *testing.T) {
	ctx, store := context.Background(), memstore.New()
	p, now := moveProgram(t, store)
	*now = jan1.AddDate(0, 0, 19) // the move is made in January: January's run sees it
	m := program.Move{Key: "mv-1", Customer: "acme", To: "bob", Reason: "ann's code was used by bob's client", Actor: "max"}
	got, err := p.MoveCustomer(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	if got.Affiliate != "bob" || len(got.Entries) != 2 {
		t.Fatalf("MoveCustomer = %+v; want bob's binding and two entries", got)
	}
	for _, e := range got.Entries {
		if e.Beneficiary == "ann" && (e.Corrects != "in_1/1" || e.Amount.Minor() != -3000) {
			t.Errorf("ann's entry %+v; want -30.00 EUR correcting in_1/1", e)
		}
	}
	if a, b := netOf(t, store, "ann"), netOf(t, store, "bob"); a != 0 || b != 3000 {
		t.Errorf("balances ann %d, bob %d; want 0 and 3000", a, b)
	}
	again, err := p.MoveCustomer(ctx, m)
	if err != nil || len(again.Entries) != 0 || again.Affiliate != "bob" {
		t.Errorf("replay = %+v, %v; want bob's binding and nothing new", again, err)
	}
	payEUR(t, p, "in_2", "acme", 20, "10")
	*now = feb1
	run, err := p.RunPayouts(ctx, p.Month(2026, time.January))
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Payouts) != 1 || run.Payouts[0].Affiliate != "bob" || !run.Payouts[0].Amount.Equal(eur("33")) {
		t.Errorf("payouts = %+v; want bob's 33.00 EUR alone", run.Payouts)
	}
}

// TestMovePaid: a commission paid out stays with the affiliate it was
// paid to, and a later refund of its payment is taken back from that
// affiliate; the unpaid one of the open month moves.
func TestMovePaid(t *testing.T) {
	ctx, store := context.Background(), memstore.New()
	p, now := moveProgram(t, store)
	if _, err := p.RunPayouts(ctx, p.Month(2026, time.January)); err != nil {
		t.Fatal(err)
	}
	payEUR(t, p, "in_2", "acme", 32, "10") // February 2: ann's 3.00, unpaid
	*now = feb1.AddDate(0, 0, 4)
	moved, err := p.MoveCustomer(ctx, program.Move{Key: "mv", Customer: "acme", To: "bob", Reason: "r", Actor: "max"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range moved.Entries {
		got = append(got, fmt.Sprintf("%s %s %s %s", e.Beneficiary, e.Payment, e.Corrects, e.Amount))
	}
	slices.Sort(got)
	if want := []string{"ann in_2 in_2/1 -3.00 EUR", "bob in_2  3.00 EUR"}; !slices.Equal(got, want) {
		t.Errorf("the move's entries = %q; want %q (the paid in_1 untouched)", got, want)
	}
	if _, err := p.Record(ctx, affiliate.Refund{ID: "re_1", Payment: "in_1", Customer: "acme", RefundedAt: feb1.AddDate(0, 0, 9), Kind: affiliate.KindRefund, Full: true}); err != nil {
		t.Fatal(err)
	}
	*now = time.Date(2026, time.March, 1, 9, 0, 0, 0, time.UTC)
	run, err := p.RunPayouts(ctx, p.Month(2026, time.February))
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Payouts) != 1 || run.Payouts[0].Affiliate != "bob" || !run.Payouts[0].Amount.Equal(eur("3")) {
		t.Errorf("payouts = %+v; want bob's 3.00 EUR", run.Payouts)
	}
	if len(run.Carried) != 1 || run.Carried[0].Affiliate != "ann" || !run.Carried[0].Amount.Equal(eur("-30")) {
		t.Errorf("carried = %+v; want ann's -30.00 EUR (the refund of what she was paid)", run.Carried)
	}
}

// TestMovePaidKeepsItsBinding: a payment paid out is priced after a move
// with the binding it was paid under, dates and all: under a "first 30
// days after binding" rule, February's payment earned nothing for ann,
// and neither a move (whose binding is dated March) nor a second one
// makes it earn.
func TestMovePaidKeepsItsBinding(t *testing.T) {
	ctx, store := context.Background(), memstore.New()
	for _, a := range []affiliate.AffiliateID{"ann", "bob", "cat"} {
		if err := store.PutAffiliate(ctx, affiliate.Affiliate{ID: a, Status: affiliate.StatusActive, Codes: []string{string(a)}}); err != nil {
			t.Fatal(err)
		}
	}
	now := feb1
	p, err := program.New(program.Config{
		Store: store, Currency: "EUR",
		Terms: []commission.TermsVersion{{Version: "v1", Rule: rules.When{If: rules.WithinDays(30), Then: rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("30")}}}},
		Now:   func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Signup(ctx, attribution.Signup{Customer: "acme", Code: "ann", At: jan1}); err != nil {
		t.Fatal(err)
	}
	payEUR(t, p, "in_1", "acme", 3, "100")  // January 4: 30.00
	payEUR(t, p, "in_2", "acme", 40, "100") // February 10: nothing, 40 days after binding
	for _, m := range []time.Month{time.January, time.February} {
		now = time.Date(2026, m+1, 1, 9, 0, 0, 0, time.UTC)
		if _, err := p.RunPayouts(ctx, p.Month(2026, m)); err != nil {
			t.Fatal(err)
		}
	}
	now = now.AddDate(0, 0, 4)
	moved, err := p.MoveCustomer(ctx, program.Move{Key: "mv", Customer: "acme", To: "bob", Reason: "r", Actor: "max"})
	if err != nil {
		t.Fatal(err)
	}
	if len(moved.Entries) != 0 {
		t.Errorf("the move appended %+v; want nothing: both payments are paid out", moved.Entries)
	}
	if a, b := netOf(t, store, "ann"), netOf(t, store, "bob"); a != 3000 || b != 0 {
		t.Errorf("balances ann %d, bob %d; want 3000 and 0", a, b)
	}
	// A second move, a month later, still prices them with ann's binding.
	now = time.Date(2026, time.April, 1, 9, 0, 0, 0, time.UTC)
	if _, err := p.RunPayouts(ctx, p.Month(2026, time.March)); err != nil {
		t.Fatal(err)
	}
	now = now.AddDate(0, 0, 4)
	if moved, err = p.MoveCustomer(ctx, program.Move{Key: "mv2", Customer: "acme", To: "cat", Reason: "r", Actor: "max"}); err != nil || len(moved.Entries) != 0 {
		t.Errorf("second move = %+v, %v; want nothing appended", moved.Entries, err)
	}
	if a := netOf(t, store, "ann"); a != 3000 {
		t.Errorf("ann's balance after the second move %d; want 3000", a)
	}
}

// TestMoveProperty: whatever the payments, the months paid out and the
// day of the move, a move reverses no entry a payout holds, and every
// payment earns one binding's worth over ann and bob together: ann's
// when it was recorded before the move in a month paid out, bob's
// otherwise (a payment recorded after the move is bob's whatever its
// date).
func TestMoveProperty(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		ctx, store := context.Background(), memstore.New()
		p, now := moveProgram(rt, store) // in_1: January 4, 100.00 EUR
		worth := map[affiliate.EventID]int64{"in_1": 3000}
		owner := map[affiliate.EventID]affiliate.AffiliateID{}
		pay := func(label string) affiliate.EventID {
			id := affiliate.EventID(fmt.Sprint("p", len(worth)))
			minor := 10 * rapid.Int64Range(1, 10_000).Draw(rt, label)
			payEUR(rt, p, string(id), "acme", rapid.IntRange(0, 119).Draw(rt, label+" day"), affiliate.MustMoney(minor, "EUR").AmountString())
			worth[id] = minor * 3 / 10
			return id
		}
		for range rapid.IntRange(0, 6).Draw(rt, "payments before") {
			pay("before")
		}
		closed := rapid.IntRange(0, 3).Draw(rt, "months paid out")
		paid := map[affiliate.EntryID]bool{}
		for m := range closed {
			month := jan1.AddDate(0, m, 0)
			*now = month.AddDate(0, 1, 0).Add(9 * time.Hour)
			run, err := p.RunPayouts(ctx, p.Month(month.Year(), month.Month()))
			if err != nil {
				rt.Fatal(err)
			}
			for _, po := range run.Payouts {
				for _, id := range po.Entries {
					paid[id] = true
				}
			}
		}
		recs, err := store.Events(ctx, storage.EventQuery{Customer: "acme"})
		if err != nil {
			rt.Fatal(err)
		}
		for _, r := range recs {
			owner[r.ID] = "bob"
			if r.Payment != nil && r.Payment.PaidAt.Before(jan1.AddDate(0, closed, 0)) {
				owner[r.ID] = "ann"
			}
		}
		*now = jan1.AddDate(0, closed, rapid.IntRange(0, 20).Draw(rt, "move day"))
		if _, err := p.MoveCustomer(ctx, program.Move{Key: "mv", Customer: "acme", To: "bob", Reason: "r", Actor: "max"}); err != nil {
			rt.Fatal(err)
		}
		for range rapid.IntRange(0, 3).Draw(rt, "payments after") {
			owner[pay("after")] = "bob"
		}
		es, err := store.Entries(ctx, storage.EntryQuery{Customer: "acme"})
		if err != nil {
			rt.Fatal(err)
		}
		net := map[affiliate.EventID]map[affiliate.AffiliateID]int64{}
		for _, e := range es {
			if paid[e.Corrects] {
				rt.Errorf("entry %s (%s) reverses %s, which a payout holds", e.ID, e.Explanation, e.Corrects)
			}
			if net[e.Payment] == nil {
				net[e.Payment] = map[affiliate.AffiliateID]int64{}
			}
			net[e.Payment][e.Beneficiary] += e.Amount.Minor()
		}
		for id, w := range worth {
			want := map[affiliate.AffiliateID]int64{"ann": 0, "bob": 0}
			want[owner[id]] = w
			got := map[affiliate.AffiliateID]int64{"ann": net[id]["ann"], "bob": net[id]["bob"]}
			if diff := cmp.Diff(want, got); diff != "" {
				rt.Errorf("payment %s (-want +got):\n%s", id, diff)
			}
		}
	})
}

// TestMoveRefused: bad moves are typed errors and write nothing.
func TestMoveRefused(t *testing.T) {
	ctx, store := context.Background(), memstore.New()
	p, _ := moveProgram(t, store)
	ok := program.Move{Key: "k", Customer: "acme", To: "bob", Reason: "r", Actor: "max"}
	for _, tc := range []struct {
		name string
		edit func(m *program.Move)
		want error
	}{
		{"no key", func(m *program.Move) { m.Key = "" }, affiliate.ErrInvalid},
		{"no reason", func(m *program.Move) { m.Reason = "" }, affiliate.ErrInvalid},
		{"no actor", func(m *program.Move) { m.Actor = "" }, affiliate.ErrInvalid},
		{"to the customer", func(m *program.Move) { m.To = "acme" }, affiliate.ErrInvalid},
		{"unknown target", func(m *program.Move) { m.To = "zed" }, affiliate.ErrNotFound},
		{"suspended target", func(m *program.Move) { m.To = "sue" }, affiliate.ErrInvalid},
		{"unbound customer", func(m *program.Move) { m.Customer = "nobody" }, affiliate.ErrNotFound},
	} {
		m := ok
		tc.edit(&m)
		before := snapshot(t, store)
		if _, err := p.MoveCustomer(ctx, m); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v; want %v", tc.name, err, tc.want)
		}
		if snapshot(t, store) != before {
			t.Errorf("%s: a refused move wrote", tc.name)
		}
		if b, _ := store.Binding(ctx, "acme"); b.Affiliate != "ann" {
			t.Errorf("%s: acme moved to %s", tc.name, b.Affiliate)
		}
	}
	hidden, _ := moveProgram(t, struct{ program.Store }{memstore.New()})
	if _, err := hidden.MoveCustomer(ctx, ok); !errors.Is(err, affiliate.ErrInvalid) {
		t.Errorf("a store without Rebind: %v; want ErrInvalid", err)
	}
}
