package commission_test

import (
	"errors"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
)

func reviewFixture(t *testing.T) *fixture {
	f := newFixture(t, commission.Config{Terms: terms(rules.Percent{Name: "rev", Rate: affiliate.MustPercent("30")})}, aff("ann", ""), aff("bob", ""))
	f.bind("acme", "ann", jan15.Add(-1))
	f.record(pay("p1", "acme", jan15, "USD", line(affiliate.LineSubscription, "100", "USD")))
	return f
}

func sum(es []affiliate.Entry) int64 {
	n := int64(0)
	for _, e := range es {
		n += e.Amount.Minor()
	}
	return n
}

// TestReject: a rejection takes back what the entry nets to, closes its
// key (a later refund appends nothing), and replays by key.
func TestReject(t *testing.T) {
	f := reviewFixture(t)
	rej := commission.Rejection{Customer: "acme", Entry: "p1/1", Key: "r1", Reason: "fraud", Actor: "rita"}
	got, err := f.eng.Reject(f.ctx, rej)
	if err != nil {
		t.Fatal(err)
	}
	if got.Amount.Minor() != -3000 || got.Corrects != "p1/1" || got.Rule != affiliate.RuleRejection || got.Kind != affiliate.KindReversal {
		t.Fatalf("rejection = %+v; want -30.00 USD correcting p1/1", got)
	}
	again, err := f.eng.Reject(f.ctx, rej)
	if err != nil || again.ID != got.ID {
		t.Fatalf("replay = %v, %v; want %s", again.ID, err, got.ID)
	}
	f.record(refund("r-1", "p1", "acme", month(1), "", "USD"))
	f.record(pay("p2", "acme", month(1), "USD", line(affiliate.LineSubscription, "10", "USD")))
	if n := sum(f.entries("acme")); n != 300 {
		t.Errorf("net after rejection, full refund and a new payment = %d; want 300 (only p2's commission)", n)
	}
	if _, err := f.eng.Recompute(f.ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if n := sum(f.entries("acme")); n != 300 {
		t.Errorf("net after Recompute = %d; want 300: a rejected key stays closed", n)
	}
}

// TestRejectRefused: bad rejections are typed errors that write nothing.
func TestRejectRefused(t *testing.T) {
	f := reviewFixture(t)
	if _, err := f.eng.Reject(f.ctx, commission.Rejection{Customer: "acme", Entry: "p1/1", Key: "done", Reason: "x", Actor: "rita"}); err != nil {
		t.Fatal(err)
	}
	before := f.entries("acme")
	for _, tc := range []struct {
		name string
		rej  commission.Rejection
		want error
	}{
		{"no key", commission.Rejection{Customer: "acme", Entry: "p1/1", Reason: "x", Actor: "rita"}, affiliate.ErrInvalid},
		{"no reason", commission.Rejection{Customer: "acme", Entry: "p1/1", Key: "k", Actor: "rita"}, affiliate.ErrInvalid},
		{"no actor", commission.Rejection{Customer: "acme", Entry: "p1/1", Key: "k", Reason: "x"}, affiliate.ErrInvalid},
		{"unknown entry", commission.Rejection{Customer: "acme", Entry: "nope", Key: "k", Reason: "x", Actor: "rita"}, affiliate.ErrNotFound},
		{"rejected already", commission.Rejection{Customer: "acme", Entry: "p1/1", Key: "k", Reason: "x", Actor: "rita"}, commission.ErrRejected},
		{"same key, other payload", commission.Rejection{Customer: "acme", Entry: "p1/1", Key: "done", Reason: "other", Actor: "rita"}, affiliate.ErrIdempotencyMismatch},
	} {
		if _, err := f.eng.Reject(f.ctx, tc.rej); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v; want %v", tc.name, err, tc.want)
		}
	}
	if after := f.entries("acme"); len(after) != len(before) {
		t.Errorf("refused rejections wrote %d entries", len(after)-len(before))
	}
}

// TestAdjust: the three kinds, their signs, idempotency, and the engine
// leaving manual entries alone.
func TestAdjust(t *testing.T) {
	f := reviewFixture(t)
	usd := func(s string) affiliate.Money { return affiliate.MustParseMoney(s, "USD") }
	ok := commission.Adjustment{Key: "a1", Kind: commission.AdjustCorrection, Affiliate: "ann", Amount: usd("-5"), Corrects: "p1/1", Reason: "wrong plan", Actor: "rita"}
	for _, tc := range []struct {
		name string
		adj  func(a *commission.Adjustment)
		want error
	}{
		{"no key", func(a *commission.Adjustment) { a.Key = "" }, affiliate.ErrInvalid},
		{"no reason", func(a *commission.Adjustment) { a.Reason = "" }, affiliate.ErrInvalid},
		{"no actor", func(a *commission.Adjustment) { a.Actor = "" }, affiliate.ErrInvalid},
		{"unknown kind", func(a *commission.Adjustment) { a.Kind = "gift" }, affiliate.ErrInvalid},
		{"zero amount", func(a *commission.Adjustment) { a.Amount = usd("0") }, affiliate.ErrInvalid},
		{"negative bonus", func(a *commission.Adjustment) { a.Kind = commission.AdjustBonus }, affiliate.ErrInvalid},
		{"positive clawback", func(a *commission.Adjustment) { a.Kind, a.Amount = commission.AdjustClawback, usd("5") }, affiliate.ErrInvalid},
		{"no currency", func(a *commission.Adjustment) { a.Amount = affiliate.Money{} }, affiliate.ErrInvalid},
		{"unknown affiliate", func(a *commission.Adjustment) { a.Affiliate = "zed" }, affiliate.ErrNotFound},
		{"another's entry", func(a *commission.Adjustment) { a.Affiliate = "bob" }, affiliate.ErrNotFound},
		{"unknown entry", func(a *commission.Adjustment) { a.Corrects = "nope" }, affiliate.ErrNotFound},
	} {
		a := ok
		tc.adj(&a)
		if _, err := f.eng.Adjust(f.ctx, a); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v; want %v", tc.name, err, tc.want)
		}
	}
	if n := sum(f.entries("acme")); n != 3000 {
		t.Fatalf("refused adjustments changed the ledger: net %d", n)
	}
	got, err := f.eng.Adjust(f.ctx, ok)
	if err != nil {
		t.Fatal(err)
	}
	if got.Customer != "acme" || got.Rule != "manual/correction" || got.Amount.Minor() != -500 {
		t.Errorf("adjustment = %+v", got)
	}
	if want := `ann loses 5.00 USD (adjustment) on payment p1 of customer acme: rule "manual/correction", terms "", corrects p1/1 — manual correction by rita: wrong plan`; commission.Explain(got) != want {
		t.Errorf("Explain = %q\nwant %q", commission.Explain(got), want)
	}
	if again, err := f.eng.Adjust(f.ctx, ok); err != nil || again.ID != got.ID {
		t.Errorf("replay = %v, %v", again.ID, err)
	}
	other := ok
	other.Amount = usd("-6")
	if _, err := f.eng.Adjust(f.ctx, other); !errors.Is(err, affiliate.ErrIdempotencyMismatch) {
		t.Errorf("key reused with another amount: %v", err)
	}
	f.record(pay("p2", "acme", month(1), "USD", line(affiliate.LineSubscription, "10", "USD")))
	if n := sum(f.entries("acme")); n != 3000-500+300 {
		t.Errorf("net = %d; want the engine to leave the correction alone (2800)", n)
	}
	bonus, err := f.eng.Adjust(f.ctx, commission.Adjustment{Key: "b1", Kind: commission.AdjustBonus, Affiliate: "bob", Amount: usd("50"), Reason: "launch", Actor: "rita"})
	if err != nil || bonus.Customer != "" || bonus.Amount.Minor() != 5000 {
		t.Errorf("bonus without a customer = %+v, %v", bonus, err)
	}
	if _, err := f.eng.Reject(f.ctx, commission.Rejection{Entry: bonus.ID, Key: "rb", Reason: "no", Actor: "rita"}); !errors.Is(err, affiliate.ErrInvalid) {
		t.Errorf("reject naming no customer or affiliate: %v; want ErrInvalid", err)
	}
	rej, err := f.eng.Reject(f.ctx, commission.Rejection{Affiliate: "bob", Entry: bonus.ID, Key: "rb", Reason: "no", Actor: "rita"})
	if err != nil || rej.Amount.Minor() != -5000 || rej.Corrects != bonus.ID {
		t.Errorf("rejecting the bonus = %+v, %v; want -50.00 USD correcting it", rej, err)
	}
}
