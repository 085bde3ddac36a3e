package program_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/program"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// moveProgram is reviewProgram with a settable clock and a third,
// suspended affiliate.
func moveProgram(t *testing.T, store program.Store) (*program.Program, *time.Time) {
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

// TestMovePaid: a paid commission stays paid; the old affiliate's
// zeroing adjustment is carried as a negative balance and the new one is
// paid.
func TestMovePaid(t *testing.T) {
	ctx, store := context.Background(), memstore.New()
	p, now := moveProgram(t, store)
	if _, err := p.RunPayouts(ctx, p.Month(2026, time.January)); err != nil {
		t.Fatal(err)
	}
	*now = feb1.AddDate(0, 0, 4)
	if _, err := p.MoveCustomer(ctx, program.Move{Key: "mv", Customer: "acme", To: "bob", Reason: "r", Actor: "max"}); err != nil {
		t.Fatal(err)
	}
	*now = time.Date(2026, time.March, 1, 9, 0, 0, 0, time.UTC)
	run, err := p.RunPayouts(ctx, p.Month(2026, time.February))
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Payouts) != 1 || run.Payouts[0].Affiliate != "bob" || !run.Payouts[0].Amount.Equal(eur("30")) {
		t.Errorf("payouts = %+v; want bob's 30.00 EUR", run.Payouts)
	}
	if len(run.Carried) != 1 || run.Carried[0].Affiliate != "ann" || !run.Carried[0].Amount.Equal(eur("-30")) {
		t.Errorf("carried = %+v; want ann's -30.00 EUR", run.Carried)
	}
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
