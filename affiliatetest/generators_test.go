package affiliatetest_test

import (
	"context"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

func TestMoney(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := affiliatetest.Currency().Draw(t, "currency")
		m := affiliatetest.Money(c).Draw(t, "money")
		if m.Currency() != c || m.Minor() < 0 || m.Minor() > affiliatetest.MaxMinor(c) {
			t.Fatalf("Money(%s) drew %v", c, m)
		}
		if p := affiliatetest.PositiveMoney(c).Draw(t, "positive"); p.Sign() <= 0 {
			t.Fatalf("PositiveMoney drew %v", p)
		}
		if a := affiliatetest.AnyMoney().Draw(t, "any"); a.Validate() != nil {
			t.Fatalf("AnyMoney drew %v", a)
		}
		max := affiliatetest.Rate(affiliate.MustPercent("20")).Draw(t, "max rate")
		if r := affiliatetest.Rate(max).Draw(t, "rate"); r.Cmp(max) > 0 {
			t.Fatalf("Rate(%s) drew %s", max, r)
		}
	})
}

func TestMoneyRangeReachesTheEdges(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := affiliatetest.MoneyRange("EUR", -1<<63, 1<<63-1).Draw(t, "m")
		if neg := m.Neg(); neg.Neg() != m {
			t.Fatalf("%v has no negation", m)
		}
	})
}

func TestPaymentsAndRefunds(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := affiliatetest.Payment("", "").Draw(t, "payment")
		if err := p.Validate(); err != nil {
			t.Fatalf("invalid payment: %v", err)
		}
		var earning, discount int64
		for _, l := range p.Lines {
			switch l.Kind {
			case affiliate.LineDiscount:
				discount += l.Amount.Minor()
			case affiliate.LineTax, affiliate.LineShipping:
			default:
				earning += l.Amount.Minor()
			}
		}
		if discount > earning {
			t.Fatalf("discount %d above the earning lines %d", discount, earning)
		}
		total, _ := p.Total()
		var refunded int64
		rs := affiliatetest.Refunds(p).Draw(t, "refunds")
		for i, r := range rs {
			if err := r.Validate(); err != nil {
				t.Fatalf("invalid refund: %v", err)
			}
			if r.Payment != p.ID || r.Customer != p.Customer || !r.RefundedAt.After(p.PaidAt) {
				t.Fatalf("refund %+v does not fit payment %s", r, p.ID)
			}
			if r.Full {
				if i != len(rs)-1 {
					t.Fatalf("a full refund is followed by more")
				}
				refunded = total.Minor()
				continue
			}
			refunded += r.Amount.Minor()
		}
		if refunded > total.Minor() {
			t.Fatalf("refunded %d of %d", refunded, total.Minor())
		}
		if r := affiliatetest.Refund(p).Draw(t, "refund"); r.Validate() != nil || (!r.Full && r.Amount.Minor() > total.Minor()) {
			t.Fatalf("Refund drew %+v for a payment of %v", r, total)
		}
	})
}

func TestHistory(t *testing.T) {
	sawReinstatement := false
	defer func() {
		if !t.Failed() && !sawReinstatement {
			t.Error("no history held a reinstatement")
		}
	}()
	rapid.Check(t, func(t *rapid.T) {
		refunds := map[affiliate.EventID]affiliate.Refund{}
		reinstated := 0
		events := affiliatetest.History(affiliatetest.HistoryOptions{MultiCurrency: rapid.Bool().Draw(t, "multi")}).Draw(t, "history")
		if !slices.IsSortedFunc(events, func(a, b affiliate.Event) int { return a.EventTime().Compare(b.EventTime()) }) {
			t.Fatal("not in time order")
		}
		seen := map[affiliate.EventID]affiliate.Payment{}
		for _, e := range events {
			if err := e.Validate(); err != nil {
				t.Fatalf("%s: %v", e.EventID(), err)
			}
			if _, dup := seen[e.EventID()]; dup {
				t.Fatalf("%s twice", e.EventID())
			}
			switch x := e.(type) {
			case affiliate.Payment:
				seen[x.ID] = x
			case affiliate.Refund:
				p, ok := seen[x.Payment]
				if !ok {
					t.Fatalf("refund %s before its payment", x.ID)
				}
				if !x.Full && x.Amount.Currency() != p.Currency {
					t.Fatalf("refund %s in %s of a payment in %s", x.ID, x.Amount.Currency(), p.Currency)
				}
				seen[x.ID] = affiliate.Payment{}
				refunds[x.ID] = x
			case affiliate.Reinstatement:
				cb, ok := refunds[x.Chargeback]
				if !ok || cb.Kind != affiliate.KindChargeback || !x.ReinstatedAt.After(cb.RefundedAt) || x.Customer != cb.Customer {
					t.Fatalf("reinstatement %s does not follow a chargeback of its customer: %+v", x.ID, cb)
				}
				reinstated++
			}
		}
		if reinstated > 0 {
			sawReinstatement = true
		}
		arrivals := affiliatetest.Arrivals(events).Draw(t, "arrivals")
		for i, e := range arrivals {
			if !slices.ContainsFunc(events, func(o affiliate.Event) bool { return o.EventID() == e.EventID() }) {
				t.Fatalf("arrival %d is %s, not one of the events", i, e.EventID())
			}
		}
		if got, want := distinct(arrivals), distinct(events); !slices.Equal(got, want) {
			t.Fatalf("arrivals hold %v, events %v", got, want)
		}
	})
}

func distinct(events []affiliate.Event) []affiliate.EventID {
	var out []affiliate.EventID
	for _, e := range events {
		out = append(out, e.EventID())
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestDuplicatedRedeliversAfterTheFirst(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := affiliatetest.History(affiliatetest.HistoryOptions{}).Draw(t, "history")
		got := affiliatetest.Duplicated(events).Draw(t, "deliveries")
		if len(got) < len(events) {
			t.Fatalf("%d deliveries of %d events", len(got), len(events))
		}
		var firsts []affiliate.EventID
		for _, e := range got {
			if !slices.Contains(firsts, e.EventID()) {
				firsts = append(firsts, e.EventID())
			}
		}
		want := make([]affiliate.EventID, len(events))
		for i, e := range events {
			want[i] = e.EventID()
		}
		if !slices.Equal(firsts, want) {
			t.Fatalf("first deliveries %v, want the original order %v", firsts, want)
		}
	})
}

func TestAffiliateTree(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		affs := affiliatetest.AffiliateTree(1, 40).Draw(t, "tree")
		store := memstore.New()
		for i, a := range affs {
			if err := a.Validate(); err != nil {
				t.Fatalf("affiliate %d: %v", i, err)
			}
			if err := store.PutAffiliate(context.Background(), a); err != nil {
				t.Fatalf("storing %s in the order drawn: %v", a.ID, err)
			}
			chain := affiliatetest.Chain(affs, a.ID, 0)
			if len(chain) == 0 || chain[0] != a.ID {
				t.Fatalf("chain of %s is %v", a.ID, chain)
			}
			if got := affiliatetest.Chain(affs, a.ID, 2); len(got) > 2 {
				t.Fatalf("chain of depth 2 is %v", got)
			}
		}
	})
}

func TestTouches(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		affs := affiliatetest.AffiliateTree(1, 5).Draw(t, "tree")
		touches := affiliatetest.Touches(affs, affiliatetest.TouchOptions{}).Draw(t, "touches")
		for i, tc := range touches {
			if err := tc.Validate(); err != nil {
				t.Fatalf("touch %d: %v", i, err)
			}
			if i > 0 && tc.At.Before(touches[i-1].At) {
				t.Fatal("touches not in time order")
			}
			a := affs[slices.IndexFunc(affs, func(a affiliate.Affiliate) bool { return a.ID == tc.Affiliate })]
			if !slices.Contains(a.Codes, tc.Code) {
				t.Fatalf("touch code %q is not one of %s's codes %v", tc.Code, a.ID, a.Codes)
			}
		}
	})
}
