package commission_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// The programs the properties run: a lifetime revenue share (seed 001),
// and a rich one whose amounts depend on the payment's position (first
// payments, a deferred reward, a cap, a bounty), on tiers and on the
// chain, so that arrival order matters to how the engine gets there.
func propertyPrograms() map[string]rules.Rule {
	return map[string]rules.Rule{
		"lifetime": rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("30")},
		"rich": rules.AllOf{
			rules.When{If: rules.FirstPayments(3), Then: rules.TierRate{}},
			rules.SubAffiliateBonus{},
			rules.Deferred{Name: "deferred", Rate: affiliate.MustPercent("10"), Payments: 2},
			rules.Cap{Name: "cap", Limits: []affiliate.Money{affiliate.MustParseMoney("30", "EUR"), affiliate.MustParseMoney("30", "USD")},
				Rule: rules.Percent{Name: "capped", Rate: affiliate.MustPercent("7")}},
			rules.Cap{Name: "monthly", Monthly: true, Limits: []affiliate.Money{affiliate.MustParseMoney("9", "EUR"), affiliate.MustParseMoney("9", "USD")},
				Rule: rules.Percent{Name: "monthly_capped", Rate: affiliate.MustPercent("3.3"), Lines: rules.Lines{Kinds: []affiliate.LineKind{affiliate.LineAddOn, affiliate.LineSubscription}}}},
			rules.When{If: rules.FirstPayments(1), Then: rules.Bounty{Amounts: []affiliate.Money{affiliate.MustParseMoney("5", "EUR"), affiliate.MustParseMoney("7", "USD")}}},
		},
	}
}

var (
	standard = rules.Tier{Name: "Standard", Rate: affiliate.MustPercent("15"), BonusRate: affiliate.MustPercent("5")}
	premium  = rules.Tier{Name: "Premium", Rate: affiliate.MustPercent("20"), BonusRate: affiliate.MustPercent("5")}
)

// tierByAmount is a tier source that depends on the payment only, so it
// is the same whatever order payments arrive in.
var tierByAmount = commission.TierSourceFunc(func(_ context.Context, a affiliate.AffiliateID, p affiliate.Payment) (rules.Tier, error) {
	total, _ := p.Total()
	if total.Minor() >= 10000 || a == "g1" {
		return premium, nil
	}
	return standard, nil
})

// history is a generated program: affiliates, bindings and events.
type history struct {
	program  string
	bindings []affiliate.Binding
	events   []affiliate.Event // in time order
}

func affiliates() []affiliate.Affiliate {
	s1 := aff("s1", "p1")
	s1.Status = affiliate.StatusSuspended
	return []affiliate.Affiliate{aff("g1", ""), aff("p1", "g1"), aff("a1", "p1"), aff("b1", ""), s1}
}

func genHistory(t *rapid.T) history {
	h := history{program: rapid.SampledFrom([]string{"lifetime", "rich"}).Draw(t, "program")}
	nCustomers := rapid.IntRange(1, 3).Draw(t, "customers")
	type timed struct {
		at time.Time
		ev affiliate.Event
	}
	var all []timed
	for ci := range nCustomers {
		c := fmt.Sprintf("c%d", ci)
		cur := affiliate.Currency(rapid.SampledFrom([]string{"EUR", "USD", "JPY"}).Draw(t, c+" currency"))
		switch who := rapid.SampledFrom([]string{"a1", "p1", "b1", "s1", "unbound"}).Draw(t, c+" bound to"); who {
		case "unbound":
		default:
			b := affiliate.Binding{Customer: affiliate.CustomerID(c), Affiliate: affiliate.AffiliateID(who), Source: affiliate.BindByLink, BoundAt: jan15}
			if rapid.Bool().Draw(t, c+" time-boxed") {
				b.ExpiresAt = jan15.AddDate(0, rapid.IntRange(1, 8).Draw(t, c+" months bound"), 0)
			}
			h.bindings = append(h.bindings, b)
		}
		nPay := rapid.IntRange(1, 7).Draw(t, c+" payments")
		for pi := range nPay {
			id := fmt.Sprintf("%s-p%d", c, pi)
			// Few distinct days, so equal times (ordered by ID) happen.
			at := jan15.AddDate(0, 0, 15*rapid.IntRange(0, 20).Draw(t, id+" day"))
			p := affiliate.Payment{ID: affiliate.EventID(id), Customer: affiliate.CustomerID(c), PaidAt: at, Currency: cur}
			scale := int64(1)
			if cur == "JPY" {
				scale = 1 // JPY has no minor unit: amounts are yen
			}
			sub := rapid.Int64Range(0, 30000).Draw(t, id+" subscription") * scale
			p.Lines = append(p.Lines, affiliate.Line{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(sub, cur), Plan: "pro"})
			if rapid.Bool().Draw(t, id+" add-on") {
				p.Lines = append(p.Lines, affiliate.Line{Kind: affiliate.LineAddOn, Amount: affiliate.MustMoney(rapid.Int64Range(1, 20000).Draw(t, id+" add-on amount"), cur)})
			}
			if rapid.Bool().Draw(t, id+" tax") {
				p.Lines = append(p.Lines, affiliate.Line{Kind: affiliate.LineTax, Amount: affiliate.MustMoney(rapid.Int64Range(1, 5000).Draw(t, id+" tax amount"), cur)})
			}
			if rapid.Bool().Draw(t, id+" discount") {
				p.Lines = append(p.Lines, affiliate.Line{Kind: affiliate.LineDiscount, Amount: affiliate.MustMoney(rapid.Int64Range(0, sub).Draw(t, id+" discount amount"), cur)})
			}
			total, _ := p.Total()
			if total.Sign() <= 0 {
				p.Lines = append(p.Lines, affiliate.Line{Kind: affiliate.LineShipping, Amount: affiliate.MustMoney(100, cur)})
				total, _ = p.Total()
			}
			if cur != "EUR" {
				p.Conversion = affiliate.Conversion{To: "EUR", Rate: affiliate.MustRate("0.9")}
			}
			all = append(all, timed{at, p})
			// Refunds: one full, or partials that never add up to more
			// than the payment, so every arrival order accepts them all.
			switch rapid.IntRange(0, 3).Draw(t, id+" refunds") {
			case 1:
				r := affiliate.Refund{ID: affiliate.EventID(id + "-full"), Payment: p.ID, Customer: p.Customer, Kind: affiliate.KindChargeback, Full: true,
					RefundedAt: at.Add(time.Duration(rapid.IntRange(0, 60*24).Draw(t, id+" full after")) * time.Hour)}
				all = append(all, timed{r.RefundedAt, r})
				// A dispute the merchant won; dated independently of the
				// chargeback, so it may come first even in time order.
				if rapid.Bool().Draw(t, id+" dispute won") {
					won := affiliate.Reinstatement{ID: r.ID + "-won", Chargeback: r.ID, Customer: p.Customer,
						ReinstatedAt: at.Add(time.Duration(rapid.IntRange(0, 90*24).Draw(t, id+" won after")) * time.Hour)}
					all = append(all, timed{won.ReinstatedAt, won})
				}
			case 2, 3:
				left := total.Minor()
				for k := range rapid.IntRange(1, 3).Draw(t, id+" partials") {
					if left == 0 {
						break
					}
					amt := rapid.Int64Range(1, left).Draw(t, fmt.Sprintf("%s partial %d", id, k))
					left -= amt
					r := affiliate.Refund{ID: affiliate.EventID(fmt.Sprintf("%s-r%d", id, k)), Payment: p.ID, Customer: p.Customer, Kind: affiliate.KindRefund,
						Amount: affiliate.MustMoney(amt, cur), RefundedAt: at.Add(time.Duration(rapid.IntRange(0, 60*24).Draw(t, fmt.Sprintf("%s partial %d after", id, k))) * time.Hour)}
					all = append(all, timed{r.RefundedAt, r})
				}
			}
		}
	}
	slices.SortStableFunc(all, func(a, b timed) int { return a.at.Compare(b.at) })
	for _, x := range all {
		h.events = append(h.events, x.ev)
	}
	return h
}

// tb is what both *testing.T and *rapid.T offer.
type tb interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

func customersOf(h history) []affiliate.CustomerID {
	var out []affiliate.CustomerID
	for _, ev := range h.events {
		if !slices.Contains(out, ev.EventCustomer()) {
			out = append(out, ev.EventCustomer())
		}
	}
	return out
}

// system is one fresh store and engine for a history.
type system struct {
	ctx   context.Context
	store *memstore.Store
	eng   *commission.Engine
}

func newSystem(t tb, h history) *system {
	st := memstore.New()
	return &system{ctx: context.Background(), store: st, eng: engineOver(t, st, h, tierByAmount)}
}

// deliver records events in order; every one must be accepted.
func (s *system) deliver(t tb, events []affiliate.Event) {
	t.Helper()
	for _, ev := range events {
		if _, err := s.eng.Record(s.ctx, ev); err != nil {
			t.Fatalf("Record(%s): %v", ev.EventID(), err)
		}
	}
}

func (s *system) ledger(t tb) []affiliate.Entry {
	t.Helper()
	es, err := s.store.Entries(s.ctx, storage.EntryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// aggregates returns the order-independent aggregates: revenue, converted
// revenue and the counts (earnings follow entry times, which depend on
// when the engine appended them).
func (s *system) aggregates(t tb) []string {
	t.Helper()
	var out []string
	for _, m := range []affiliate.Metric{affiliate.MetricRevenue, affiliate.MetricRevenueConverted, affiliate.MetricConversions, affiliate.MetricPayingCustomers} {
		for _, a := range []affiliate.AffiliateID{"", "a1", "p1", "b1", "s1"} {
			aggs, err := s.store.AffiliateAggregates(s.ctx, a, m, per("2000-01"), per("2100-01"))
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range aggs {
				if x.Amount.IsZero() && x.Count == 0 {
					continue
				}
				out = append(out, fmt.Sprintf("%s %s %s %s %d", m, a, x.Period, x.Amount, x.Count))
			}
		}
	}
	return out
}

// I1 and I2: any arrival order of the same events, with duplicates and
// refunds before their payments, gives the same net ledger, the same net
// per month, affiliate and currency, the same payouts month by month and
// the same revenue and count aggregates; delivering everything again
// changes nothing.
func TestPropertyOrderIndependent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := genHistory(t)
		inOrder := newSystem(t, h)
		inOrder.deliver(t, h.events)
		want := netStrings(netOf(inOrder.ledger(t)))
		wantAggs := inOrder.aggregates(t)

		shuffled := rapid.Permutation(h.events).Draw(t, "arrival")
		for _, i := range rapid.SliceOfN(rapid.IntRange(0, len(h.events)-1), 0, 4).Draw(t, "duplicates") {
			at := rapid.IntRange(0, len(shuffled)).Draw(t, "duplicate at")
			shuffled = slices.Insert(shuffled, at, h.events[i])
		}
		other := newSystem(t, h)
		other.deliver(t, shuffled)
		if got := netStrings(netOf(other.ledger(t))); !slices.Equal(got, want) {
			t.Fatalf("net ledger depends on arrival order\n in order: %q\n shuffled: %q", want, got)
		}
		if got := other.aggregates(t); !slices.Equal(got, wantAggs) {
			t.Fatalf("aggregates depend on arrival order\n in order: %q\n shuffled: %q", wantAggs, got)
		}

		// The fast path and the slow path agree: re-pricing every customer
		// from its history finds nothing to change, and leaves the
		// summaries as the fast path wrote them.
		for _, c := range customersOf(h) {
			st, err := other.store.CustomerState(other.ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			res, err := other.eng.Recompute(other.ctx, c)
			if err != nil || len(res.Entries) != 0 {
				t.Fatalf("Recompute(%s) after delivery: %s, %v", c, amounts(res.Entries), err)
			}
			if again, _ := other.store.CustomerState(other.ctx, c); again.Version != st.Version {
				t.Fatalf("Recompute(%s) rewrote a summary the fast path had right", c)
			}
		}

		// I1: a second delivery of everything is a replay.
		before := other.ledger(t)
		for _, ev := range shuffled {
			res, err := other.eng.Record(other.ctx, ev)
			if err != nil || !res.Replayed {
				t.Fatalf("redelivering %s: replayed=%v err=%v", ev.EventID(), res.Replayed, err)
			}
		}
		if after := other.ledger(t); len(after) != len(before) {
			t.Fatalf("redelivery appended %d entries", len(after)-len(before))
		}

		// Down to the month: the events all arrived before any payout run.
		if got, want := other.monthly(t), inOrder.monthly(t); !slices.Equal(got, want) {
			t.Fatalf("monthly nets depend on arrival order\n in order: %q\n shuffled: %q", want, got)
		}
		if got, want := other.payouts(t, h), inOrder.payouts(t, h); !slices.Equal(got, want) {
			t.Fatalf("payouts depend on arrival order\n in order: %q\n shuffled: %q", want, got)
		}
	})
}

// monthly renders the ledger's net per month, beneficiary and currency,
// leaving out zeros.
func (s *system) monthly(t tb) []string {
	t.Helper()
	sums := map[string]int64{}
	for _, e := range s.ledger(t) {
		sums[fmt.Sprintf("%s %s %s", affiliate.PeriodOf(e.At, time.UTC), e.Beneficiary, e.Amount.Currency())] += e.Amount.Minor()
	}
	var out []string
	for k, v := range sums {
		if v != 0 {
			out = append(out, fmt.Sprintf("%s %d", k, v))
		}
	}
	slices.Sort(out)
	return out
}

// payouts runs the payouts of every month from the history's first to
// two after its last event (the hold is 30 days), each as of its month's
// end, and renders what each paid and carried (leaving out zero balances,
// which are the same as none).
func (s *system) payouts(t tb, h history) []string {
	t.Helper()
	r, err := payout.New(payout.Config{Store: s.store})
	if err != nil {
		t.Fatal(err)
	}
	first := affiliate.PeriodOf(h.events[0].EventTime(), time.UTC)
	last := affiliate.PeriodOf(h.events[len(h.events)-1].EventTime(), time.UTC).Next().Next()
	var out []string
	for m := first; !last.Before(m); m = m.Next() {
		res, err := r.Run(s.ctx, m, m.End())
		if err != nil {
			t.Fatalf("payout run %s: %v", m, err)
		}
		for _, p := range res.Payouts {
			out = append(out, fmt.Sprintf("%s paid %s %s", m, p.Affiliate, p.Amount))
		}
		for _, c := range res.Carried {
			if !c.Amount.IsZero() {
				out = append(out, fmt.Sprintf("%s carried %s %s", m, c.Affiliate, c.Amount))
			}
		}
	}
	return out
}

// A reinstated chargeback stops being effective: in any arrival order,
// the net ledger and the revenue aggregates are those of the history
// without the chargeback and its reinstatement.
func TestPropertyReinstatedChargebackIsAbsent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := genHistory(t)
		won := map[affiliate.EventID]bool{}
		for _, ev := range h.events {
			if r, ok := ev.(affiliate.Reinstatement); ok {
				won[r.Chargeback], won[r.ID] = true, true
			}
		}
		without := h
		without.events = slices.DeleteFunc(slices.Clone(h.events), func(ev affiliate.Event) bool { return won[ev.EventID()] })
		plain := newSystem(t, without)
		plain.deliver(t, without.events)
		with := newSystem(t, h)
		with.deliver(t, rapid.Permutation(h.events).Draw(t, "arrival"))
		if got, want := netStrings(netOf(with.ledger(t))), netStrings(netOf(plain.ledger(t))); !slices.Equal(got, want) {
			t.Fatalf("net ledger with won disputes differs from the one without their chargebacks\n without: %q\n with:    %q", want, got)
		}
		if got, want := with.aggregates(t), plain.aggregates(t); !slices.Equal(got, want) {
			t.Fatalf("aggregates with won disputes differ from those without their chargebacks\n without: %q\n with:    %q", want, got)
		}
	})
}

// I3: a full refund brings the net from the payment to zero; a partial
// one leaves its pro-rata share (within the one rounding) and never goes
// below zero.
func TestPropertyRefundsProRata(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := genHistory(t)
		s := newSystem(t, h)
		s.deliver(t, rapid.Permutation(h.events).Draw(t, "arrival"))
		// Each key (beneficiary, payment, rule, earning kind) rounds once.
		type ruleKey struct {
			netKey
			rule string
		}
		gross := map[ruleKey]int64{}
		net := map[ruleKey]int64{}
		byID := map[affiliate.EntryID]affiliate.Entry{}
		es := s.ledger(t)
		for _, e := range es {
			byID[e.ID] = e
		}
		for _, e := range es {
			root := e
			for root.Corrects != "" {
				root = byID[root.Corrects]
			}
			k := ruleKey{netKey{e.Beneficiary, e.Payment, root.Kind}, e.Rule}
			net[k] += e.Amount.Minor()
			if e.Kind != affiliate.KindReversal {
				gross[k] += e.Amount.Minor()
			}
		}
		total, refunded := map[affiliate.EventID]int64{}, map[affiliate.EventID]int64{}
		won := map[affiliate.EventID]bool{} // a reinstated chargeback refunds nothing
		for _, ev := range h.events {
			if r, ok := ev.(affiliate.Reinstatement); ok {
				won[r.Chargeback] = true
			}
		}
		for _, ev := range h.events {
			switch v := ev.(type) {
			case affiliate.Payment:
				tt, _ := v.Total()
				total[v.ID] = tt.Minor()
			case affiliate.Refund:
				if won[v.ID] {
					continue
				}
				if v.Full {
					refunded[v.Payment] = -1
				} else if refunded[v.Payment] >= 0 {
					refunded[v.Payment] += v.Amount.Minor()
				}
			}
		}
		for k, g := range gross {
			n := net[k]
			T, R := total[k.netKey.Payment], refunded[k.netKey.Payment]
			if R < 0 {
				R = T
			}
			if n < 0 || n > g {
				t.Fatalf("%s %s: net %d outside [0, gross %d]", k.netKey, k.rule, n, g)
			}
			if R == T && n != 0 {
				t.Fatalf("%s %s: fully refunded payment nets %d, want 0", k.netKey, k.rule, n)
			}
			// |n − g(T−R)/T| ≤ 1 minor unit ⇔ |n·T − g(T−R)| ≤ T
			if d := n*T - g*(T-R); d > T || d < -T {
				t.Fatalf("%s %s: net %d is not the pro-rata share of %d (refunded %d of %d)", k.netKey, k.rule, n, g, R, T)
			}
		}
	})
}

// I4 and I5: no accrual above rate × base and none negative; the bonus
// within its rate; entries in their payment's currency at its scale, and
// earnings aggregates that never mix currencies.
func TestPropertyBoundsAndCurrencies(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := genHistory(t)
		s := newSystem(t, h)
		s.deliver(t, rapid.Permutation(h.events).Draw(t, "arrival"))
		curOf := map[affiliate.EventID]affiliate.Currency{}
		for _, ev := range h.events {
			if p, ok := ev.(affiliate.Payment); ok {
				curOf[p.ID] = p.Currency
			}
		}
		sums := map[string]int64{}
		for _, e := range s.ledger(t) {
			if e.Amount.Currency() != curOf[e.Payment] {
				t.Fatalf("entry %s in %s on a payment in %s", e.ID, e.Amount.Currency(), curOf[e.Payment])
			}
			if e.Base.Currency() != "" && e.Base.Currency() != e.Amount.Currency() {
				t.Fatalf("entry %s: base in %s, amount in %s", e.ID, e.Base.Currency(), e.Amount.Currency())
			}
			switch e.Kind {
			case affiliate.KindCommission, affiliate.KindBonus, affiliate.KindBounty:
				if e.Amount.Sign() < 0 {
					t.Fatalf("negative accrual %s: %s", e.ID, e.Amount)
				}
				if !e.Rate.IsZero() {
					ceiling, err := e.Base.MulRate(e.Rate, affiliate.HalfUp)
					if err != nil || e.Amount.Minor() > ceiling.Minor() {
						t.Fatalf("entry %s: %s is more than %s × %s", e.ID, e.Amount, e.Rate, e.Base)
					}
				}
				if e.Kind == affiliate.KindBonus && e.Rate.Cmp(affiliate.MustPercent("5")) > 0 {
					t.Fatalf("bonus %s at rate %s", e.ID, e.Rate)
				}
				if e.Beneficiary == "s1" {
					t.Fatalf("suspended affiliate earned %s", e.ID)
				}
			}
			sums[string(e.Beneficiary)+" "+string(e.Amount.Currency())] += e.Amount.Minor()
		}
		aggs := map[string]int64{}
		for _, a := range []affiliate.AffiliateID{"g1", "p1", "a1", "b1", "s1"} {
			xs, err := s.store.AffiliateAggregates(s.ctx, a, affiliate.MetricEarnings, per("2000-01"), per("2100-01"))
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range xs {
				aggs[string(a)+" "+string(x.Amount.Currency())] += x.Amount.Minor()
			}
		}
		for k, v := range sums {
			if aggs[k] != v {
				t.Fatalf("earnings aggregate %s = %d, entries sum to %d", k, aggs[k], v)
			}
		}
	})
}

// I8: the same inputs in the same order give byte-identical ledgers.
func TestPropertyDeterministic(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := genHistory(t)
		order := rapid.Permutation(h.events).Draw(t, "arrival")
		var runs [2][]byte
		for i := range runs {
			s := newSystem(t, h)
			s.deliver(t, order)
			b, err := json.Marshal(s.ledger(t))
			if err != nil {
				t.Fatal(err)
			}
			runs[i] = b
		}
		if string(runs[0]) != string(runs[1]) {
			t.Fatalf("two runs differ:\n%s\n%s", runs[0], runs[1])
		}
	})
}
