package commission_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
)

var thirty = rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("30")}

func sub(id, customer string, at time.Time, amount string) affiliate.Payment {
	return pay(id, customer, at, "EUR", line(affiliate.LineSubscription, amount, "EUR"))
}

func TestReplayReturnsTheFirstResult(t *testing.T) {
	f := newFixture(t, commission.Config{Terms: terms(rules.AllOf{thirty, rules.SubAffiliateBonus{Rate: affiliate.MustPercent("5")}})}, aff("p", ""), aff("a", "p"))
	f.bind("c", "a", jan15)
	first := f.record(sub("p1", "c", jan15, "100"))
	again := f.record(sub("p1", "c", jan15.In(time.FixedZone("CET", 3600)), "100")) // same instant, other zone
	if first.Replayed || !again.Replayed {
		t.Fatalf("Replayed: first %v, again %v", first.Replayed, again.Replayed)
	}
	if !slices.EqualFunc(first.Entries, again.Entries, func(a, b affiliate.Entry) bool { return a.ID == b.ID && a.Amount == b.Amount }) {
		t.Fatalf("replay returned %s, first %s", amounts(again.Entries), amounts(first.Entries))
	}
	if n := len(f.entries("c")); n != 2 {
		t.Fatalf("%d entries after a replay, want 2", n)
	}
}

func TestRefunds(t *testing.T) {
	cfg := commission.Config{Terms: []commission.TermsVersion{{Version: "v1", Rule: thirty, Hold: 30 * 24 * time.Hour}}}
	t.Run("partial refunds pro rata, a full refund nets exactly zero", func(t *testing.T) {
		f := newFixture(t, cfg, aff("a", ""))
		f.bind("c", "a", jan15)
		f.record(sub("p1", "c", jan15, "33.33")) // 10.00 (9.999 rounded)
		var got []string
		for i, at := range []time.Time{month(1), month(2), month(3)} {
			res := f.record(refund("r"+seq(i), "p1", "c", at, "11.11", "EUR"))
			got = append(got, amounts(res.Entries))
		}
		want := []string{"a reversal -3.33 EUR", "a reversal -3.34 EUR", "a reversal -3.33 EUR"}
		if !equalStrings(got, want) {
			t.Fatalf("reversals %q, want %q", got, want)
		}
		if net := netStrings(netOf(f.entries("c"))); len(net) != 0 {
			t.Fatalf("net %q after a full refund", net)
		}
	})
	t.Run("reversals skip the hold", func(t *testing.T) {
		f := newFixture(t, cfg, aff("a", ""))
		f.bind("c", "a", jan15)
		e := f.record(sub("p1", "c", jan15, "100")).Entries[0]
		if !e.AvailableAt.Equal(jan15.Add(30 * 24 * time.Hour)) {
			t.Fatalf("commission available at %v, want 30 days after %v", e.AvailableAt, jan15)
		}
		r := f.record(refund("r1", "p1", "c", month(1), "", "")).Entries[0]
		if r.Kind != affiliate.KindReversal || !r.AvailableAt.Equal(r.At) || !r.At.Equal(month(1)) || r.Corrects != e.ID {
			t.Fatalf("reversal %+v", r)
		}
	})
	t.Run("a refund before its payment is parked, then applied", func(t *testing.T) {
		f := newFixture(t, cfg, aff("a", ""))
		f.bind("c", "a", jan15)
		if res := f.record(refund("r1", "p1", "c", month(1), "25", "EUR")); !res.Parked || len(res.Entries) != 0 {
			t.Fatalf("parked refund: %+v", res)
		}
		res := f.record(sub("p1", "c", jan15, "100"))
		if got := amounts(res.Entries); got != "a commission 30.00 EUR; a reversal -7.50 EUR" {
			t.Fatalf("payment after its refund: %s", got)
		}
		if res.Entries[1].At != month(1) {
			t.Fatalf("the reversal is dated %v, want the refund's time %v", res.Entries[1].At, month(1))
		}
	})
	t.Run("parked refunds larger than the payment are cut to it", func(t *testing.T) {
		f := newFixture(t, cfg, aff("a", ""))
		f.bind("c", "a", jan15)
		f.record(refund("r1", "p1", "c", month(1), "80", "EUR"))
		f.record(refund("r2", "p1", "c", month(1), "80", "EUR"))
		res := f.record(sub("p1", "c", jan15, "100"))
		if got := amounts(res.Entries); got != "a commission 30.00 EUR; a reversal -30.00 EUR" {
			t.Fatalf("entries %s", got)
		}
		if want := "asked for more than the payment"; !contains(res.Entries[1].Explanation, want) {
			t.Fatalf("explanation %q does not say %q", res.Entries[1].Explanation, want)
		}
	})
	t.Run("a parked refund in another currency reverses nothing", func(t *testing.T) {
		f := newFixture(t, cfg, aff("a", ""))
		f.bind("c", "a", jan15)
		f.record(refund("r1", "p1", "c", month(1), "80", "USD"))
		res := f.record(sub("p1", "c", jan15, "100"))
		if got := amounts(res.Entries); got != "a commission 30.00 EUR" || !slices.Equal(res.Ignored, []affiliate.EventID{"r1"}) {
			t.Fatalf("entries %s, ignored %v", got, res.Ignored)
		}
	})
	t.Run("a full refund of a fully refunded payment is recorded and reverses nothing", func(t *testing.T) {
		f := newFixture(t, cfg, aff("a", ""))
		f.bind("c", "a", jan15)
		f.record(sub("p1", "c", jan15, "100"))
		f.record(refund("r1", "p1", "c", month(1), "", ""))
		if res := f.record(refund("cb1", "p1", "c", month(2), "", "")); len(res.Entries) != 0 {
			t.Fatalf("second full refund appended %s", amounts(res.Entries))
		}
	})
}

func TestOutOfOrderPayments(t *testing.T) {
	firstOnly := rules.When{If: rules.FirstPayments(1), Then: rules.Percent{Name: "first", Rate: affiliate.MustPercent("50")}}
	f := newFixture(t, commission.Config{Terms: terms(firstOnly)}, aff("a", ""))
	f.bind("c", "a", jan15)
	// Month 2's webhook comes first: it looks like the first payment.
	if got := amounts(f.record(sub("m2", "c", month(1), "20")).Entries); got != "a commission 10.00 EUR" {
		t.Fatalf("m2 alone: %s", got)
	}
	res := f.record(sub("m1", "c", month(0), "40"))
	if !res.Reordered {
		t.Fatal("m1 after m2 was not handled as out of order")
	}
	// m2 was not the first after all: adjusted to zero, and m1 earns.
	if got := amounts(res.Entries); got != "a commission 20.00 EUR; a adjustment -10.00 EUR" {
		t.Fatalf("m1 late: %s", got)
	}
	if got := netStrings(netOf(f.entries("c"))); !equalStrings(got, []string{"a/m1/commission=20.00 EUR"}) {
		t.Fatalf("net %q", got)
	}
	if adj := res.Entries[1]; adj.Corrects == "" || adj.Payment != "m2" {
		t.Fatalf("adjustment %+v", adj)
	}
}

// TestUnboundAndLateBinding: a payment recorded before its customer is
// bound earns nothing; once bound, it earns what it would have had the
// binding come first, either from Bound (the call to make after binding)
// or, without it, from the customer's next event.
func TestUnboundAndLateBinding(t *testing.T) {
	t.Run("Bound", func(t *testing.T) {
		f := newFixture(t, commission.Config{Terms: terms(thirty), Now: func() time.Time { return month(3) }}, aff("a", ""))
		if res := f.record(sub("p1", "c", jan15, "100")); !res.Unbound || len(res.Entries) != 0 {
			t.Fatalf("unbound payment: %+v", res)
		}
		if res, err := f.eng.Bound(f.ctx, "c"); err != nil || len(res.Entries) != 0 {
			t.Fatalf("Bound before any binding: %v, %v; want nothing", res.Entries, err)
		}
		f.bind("c", "a", month(1))
		re, err := f.eng.Bound(f.ctx, "c")
		if err != nil {
			t.Fatal(err)
		}
		if got := amounts(re.Entries); got != "a commission 30.00 EUR" || re.Entries[0].Payment != "p1" || !re.Entries[0].At.Equal(jan15) || re.Entries[0].Event != "" {
			t.Fatalf("Bound: %s %+v", got, re.Entries)
		}
		for _, call := range []func(context.Context, affiliate.CustomerID) (commission.Result, error){f.eng.Bound, f.eng.Recompute} {
			if again, err := call(f.ctx, "c"); err != nil || len(again.Entries) != 0 {
				t.Fatalf("again: %v %v", again.Entries, err)
			}
		}
		if got := amounts(f.record(sub("p2", "c", month(1), "100")).Entries); got != "a commission 30.00 EUR" {
			t.Fatalf("payment after the binding: %s", got)
		}
	})
	t.Run("next event", func(t *testing.T) {
		f := newFixture(t, commission.Config{Terms: terms(thirty)}, aff("a", ""))
		f.record(sub("p1", "c", jan15, "100"))
		f.bind("c", "a", month(1))
		res := f.record(sub("p2", "c", month(1), "100"))
		if got := amounts(res.Entries); got != "a commission 30.00 EUR; a commission 30.00 EUR" || res.Entries[0].Payment != "p1" || res.Entries[1].Payment != "p2" {
			t.Fatalf("payment after the binding: %s %+v", got, res.Entries)
		}
		if again, err := f.eng.Recompute(f.ctx, "c"); err != nil || len(again.Entries) != 0 {
			t.Fatalf("recompute after: %v %v", again.Entries, err)
		}
	})
	t.Run("next refund", func(t *testing.T) {
		f := newFixture(t, commission.Config{Terms: terms(thirty)}, aff("a", ""))
		f.record(sub("p1", "c", jan15, "100"))
		f.bind("c", "a", month(1))
		res := f.record(affiliate.Refund{ID: "r1", Payment: "p1", Customer: "c", RefundedAt: month(1), Kind: affiliate.KindRefund, Amount: affiliate.MustParseMoney("50", "EUR")})
		if got := netStrings(netOf(f.entries("c"))); !equalStrings(got, []string{"a/p1/commission=15.00 EUR"}) {
			t.Fatalf("after the refund (%s): net %q", amounts(res.Entries), got)
		}
	})
}

func TestExpiredBindingEarnsNothing(t *testing.T) {
	f := newFixture(t, commission.Config{Terms: terms(thirty)}, aff("a", ""))
	if _, err := f.store.Bind(f.ctx, affiliate.Binding{Customer: "c", Affiliate: "a", Source: affiliate.BindByLink, BoundAt: jan15, ExpiresAt: month(1)}); err != nil {
		t.Fatal(err)
	}
	f.record(sub("p1", "c", jan15, "100"))
	if res := f.record(sub("p2", "c", month(1), "100")); !res.Unbound || len(res.Entries) != 0 {
		t.Fatalf("payment at expiry: %+v", res)
	}
}

func TestSuspendedAffiliates(t *testing.T) {
	program := rules.AllOf{thirty, rules.SubAffiliateBonus{Rate: affiliate.MustPercent("5")}}
	t.Run("a suspended referrer earns nothing; its parent keeps its bonus", func(t *testing.T) {
		s := aff("s", "p")
		s.Status = affiliate.StatusSuspended
		f := newFixture(t, commission.Config{Terms: terms(program)}, aff("p", ""), s)
		f.bind("c", "s", jan15)
		if got := amounts(f.record(sub("p1", "c", jan15, "100")).Entries); got != "p sub_affiliate_bonus 5.00 EUR" {
			t.Fatalf("entries %s", got)
		}
	})
	t.Run("suspension leaves earlier earnings alone, refunds still reverse them", func(t *testing.T) {
		f := newFixture(t, commission.Config{Terms: terms(program)}, aff("p", ""), aff("a", "p"))
		f.bind("c", "a", jan15)
		f.record(sub("p2", "c", month(1), "100"))
		a := aff("a", "p")
		a.Status = affiliate.StatusSuspended
		if err := f.store.PutAffiliate(f.ctx, a); err != nil {
			t.Fatal(err)
		}
		// An out-of-order payment makes the engine recompute the customer.
		if got := amounts(f.record(sub("p1", "c", jan15, "100")).Entries); got != "p sub_affiliate_bonus 5.00 EUR" {
			t.Fatalf("late payment: %s", got)
		}
		if got := amounts(f.record(refund("r2", "p2", "c", month(2), "", "")).Entries); got != "a reversal -30.00 EUR; p reversal -5.00 EUR" {
			t.Fatalf("refund: %s", got)
		}
	})
}

func TestHolds(t *testing.T) {
	day := 24 * time.Hour
	program := rules.AllOf{
		thirty,
		rules.WithHold{Hold: 60 * day, Rule: rules.When{If: rules.FirstPayments(1), Then: rules.Bounty{Amounts: []affiliate.Money{affiliate.MustParseMoney("100", "EUR")}}}},
	}
	f := newFixture(t, commission.Config{Terms: []commission.TermsVersion{{Version: "v1", Rule: program, Hold: 30 * day}}}, aff("a", ""))
	f.bind("c", "a", jan15)
	es := f.record(sub("p1", "c", jan15, "100")).Entries
	if len(es) != 2 || !es[0].AvailableAt.Equal(jan15.Add(30*day)) || !es[1].AvailableAt.Equal(jan15.Add(60*day)) || es[1].Kind != affiliate.KindBounty {
		t.Fatalf("entries %+v", es)
	}
}

func TestTermsVersionsAndReprice(t *testing.T) {
	v2From := month(3)
	schedule := []commission.TermsVersion{
		{Version: "2026-01", Rule: thirty},
		{Version: "2026-04", From: v2From, Rule: rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("40")}},
	}
	f := newFixture(t, commission.Config{Terms: schedule, Now: func() time.Time { return month(5) }}, aff("a", ""))
	f.bind("c", "a", jan15)
	for m := range 5 {
		e := f.record(sub("p"+seq(m), "c", month(m), "100")).Entries[0]
		want, version := "30.00 EUR", "2026-01"
		if m >= 3 {
			want, version = "40.00 EUR", "2026-04"
		}
		if e.Amount.String() != want || e.Terms != version {
			t.Fatalf("month %d: %s under %q, want %s under %q", m, e.Amount, e.Terms, want, version)
		}
	}
	if _, err := f.eng.Reprice(f.ctx, "c", "2027-01"); !errors.Is(err, commission.ErrUnknownTerms) {
		t.Fatalf("unknown version: %v", err)
	}
	res, err := f.eng.Reprice(f.ctx, "c", "2026-04")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range res.Entries {
		got = append(got, string(e.Payment)+" "+string(e.Kind)+" "+e.Amount.String()+" "+e.Terms)
	}
	want := []string{"p000 adjustment 10.00 EUR 2026-04", "p001 adjustment 10.00 EUR 2026-04", "p002 adjustment 10.00 EUR 2026-04"}
	if !equalStrings(got, want) {
		t.Fatalf("reprice: %q, want %q", got, want)
	}
	if e := f.record(sub("p5", "c", month(5), "100")).Entries[0]; e.Terms != "2026-04" {
		t.Fatalf("after a reprice, new payments use %q", e.Terms)
	}
}

func TestCaps(t *testing.T) {
	lifetime := rules.Cap{Name: "per_customer", Limits: []affiliate.Money{affiliate.MustParseMoney("100", "EUR")}, Rule: thirty}
	monthly := rules.Cap{Name: "per_month", Monthly: true, Limits: []affiliate.Money{affiliate.MustParseMoney("40", "EUR")}, Rule: thirty}
	tests := []struct {
		name string
		rule rules.Rule
		at   []time.Time
		want []string
	}{
		{"lifetime", lifetime, []time.Time{month(0), month(1), month(2), month(3), month(4)},
			[]string{"a commission 30.00 EUR", "a commission 30.00 EUR", "a commission 30.00 EUR", "a commission 10.00 EUR", ""}},
		{"monthly", monthly, []time.Time{month(0), month(0).Add(time.Hour), month(1), month(1).Add(time.Hour)},
			[]string{"a commission 30.00 EUR", "a commission 10.00 EUR", "a commission 30.00 EUR", "a commission 10.00 EUR"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, commission.Config{Terms: terms(tt.rule)}, aff("a", ""))
			f.bind("c", "a", jan15)
			for i, at := range tt.at {
				if got := amounts(f.record(sub("p"+seq(i), "c", at, "100")).Entries); got != tt.want[i] {
					t.Fatalf("payment %d: %q, want %q", i, got, tt.want[i])
				}
			}
		})
	}
}

func TestBonusOnTheCommissionAndDeeperChains(t *testing.T) {
	tier := rules.TierRate{}
	program := rules.AllOf{tier, rules.SubAffiliateBonus{Of: rules.OfCommission, Commission: tier, Rate: affiliate.MustPercent("10"), Depth: 2}}
	f := newFixture(t, commission.Config{Terms: terms(program), Tiers: commission.FixedTier(standard)}, aff("g", ""), aff("p", "g"), aff("a", "p"))
	f.bind("c", "a", jan15)
	got := amounts(f.record(sub("p1", "c", jan15, "200")).Entries)
	if want := "a commission 30.00 EUR; p sub_affiliate_bonus 3.00 EUR; g sub_affiliate_bonus 0.30 EUR"; got != want {
		t.Fatalf("entries %s, want %s", got, want)
	}
	chains := [][]affiliate.AffiliateID{}
	for _, e := range f.entries("c") {
		chains = append(chains, e.Chain)
	}
	if !slices.EqualFunc(chains, [][]affiliate.AffiliateID{{"a"}, {"a", "p"}, {"a", "p", "g"}}, slices.Equal) {
		t.Fatalf("chains %v", chains)
	}
}

func TestAggregates(t *testing.T) {
	f := newFixture(t, commission.Config{Terms: terms(thirty), Currency: "EUR"}, aff("a", ""))
	f.bind("c", "a", jan15)
	usd := pay("u1", "c", month(1), "USD", line(affiliate.LineSubscription, "10", "USD"))
	usd.Conversion = affiliate.Conversion{To: "EUR", Rate: affiliate.MustRate("0.9")}
	f.record(sub("e1", "c", month(0), "100"))
	f.record(sub("e2", "c", month(0).Add(time.Hour), "50"))
	f.record(usd)
	f.record(refund("r1", "u1", "c", month(2), "3.33", "USD"))
	f.record(refund("r2", "u1", "c", month(2), "", ""))
	// A customer nobody referred adds to no aggregate, not even the
	// program-wide row: the aggregates describe referred customers.
	f.record(sub("e9", "nobody", month(0), "999"))
	got := map[string]string{}
	for _, m := range []affiliate.Metric{affiliate.MetricRevenue, affiliate.MetricRevenueConverted, affiliate.MetricConversions, affiliate.MetricPayingCustomers, affiliate.MetricEarnings} {
		for _, a := range []affiliate.AffiliateID{"a", ""} {
			xs, err := f.store.AffiliateAggregates(f.ctx, a, m, per("2026-01"), per("2026-12"))
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range xs {
				got[string(m)+" "+string(a)+" "+x.Period.String()+" "+string(x.Amount.Currency())] = x.Amount.AmountString() + "/" + strconv.FormatInt(x.Count, 10)
			}
		}
	}
	want := map[string]string{
		"revenue a 2026-01 EUR": "150.00/0", "revenue  2026-01 EUR": "150.00/0",
		"revenue a 2026-02 USD": "10.00/0", "revenue  2026-02 USD": "10.00/0",
		"revenue a 2026-03 USD": "-10.00/0", "revenue  2026-03 USD": "-10.00/0",
		"revenue_converted a 2026-01 EUR": "150.00/0", "revenue_converted  2026-01 EUR": "150.00/0",
		"revenue_converted a 2026-02 EUR": "9.00/0", "revenue_converted  2026-02 EUR": "9.00/0",
		"revenue_converted a 2026-03 EUR": "-9.00/0", "revenue_converted  2026-03 EUR": "-9.00/0",
		"conversions a 2026-01 ": "0/1", "conversions  2026-01 ": "0/1",
		"paying_customers a 2026-01 ": "0/1", "paying_customers  2026-01 ": "0/1",
		"paying_customers a 2026-02 ": "0/1", "paying_customers  2026-02 ": "0/1",
		"earnings a 2026-01 EUR": "45.00/0", "earnings a 2026-02 USD": "3.00/0", "earnings a 2026-03 USD": "-3.00/0",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	for k, v := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected aggregate %s = %q", k, v)
		}
	}
}

func TestOutOfOrderMovesTheConversion(t *testing.T) {
	f := newFixture(t, commission.Config{Terms: terms(thirty)}, aff("a", ""))
	f.bind("c", "a", jan15)
	f.record(sub("m2", "c", month(1), "10"))
	f.record(sub("m1", "c", month(0), "10"))
	for period, want := range map[string]int64{"2026-01": 1, "2026-02": 0} {
		xs, err := f.store.PeriodAggregates(f.ctx, per(period), affiliate.MetricConversions)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range xs {
			if x.Count != want {
				t.Errorf("%s conversions for %q: %d, want %d", period, x.Affiliate, x.Count, want)
			}
		}
	}
}

func TestExplain(t *testing.T) {
	f := newFixture(t, commission.Config{Terms: []commission.TermsVersion{{Version: "v1", Rule: rules.AllOf{rules.TierRate{}, rules.SubAffiliateBonus{}}}}, Tiers: commission.FixedTier(premium)}, aff("p", ""), aff("a", "p"))
	f.bind("c", "a", jan15)
	es := f.record(pay("p1", "c", jan15, "EUR", line(affiliate.LineSubscription, "80", "EUR"), line(affiliate.LineAddOn, "20", "EUR"), line(affiliate.LineTax, "19", "EUR"))).Entries
	es = append(es, f.record(refund("r1", "p1", "c", month(1), "59.50", "EUR")).Entries...)
	want := []string{
		`a earns 20.00 EUR (commission) on payment p1 of customer c: rule "tier_rate", terms "v1", 20% of 100.00 EUR [subscription, add_on], tier "Premium", chain a — tier "Premium": 20% of 100.00 EUR (subscription, add_on)`,
		`p earns 5.00 EUR (sub_affiliate_bonus) on payment p1 of customer c: rule "sub_affiliate_bonus", terms "v1", 5% of 100.00 EUR [subscription, add_on], tier "Premium", chain a → p — tier "Premium" bonus: 5% of 100.00 EUR (subscription, add_on) referred by a`,
		`a gives back 10.00 EUR (reversal) on payment p1 of customer c: rule "tier_rate", terms "v1", 20% of -50.00 EUR [subscription, add_on], tier "Premium", chain a, corrects p1/1 — refunds took back 59.50 EUR of 119.00 EUR paid: keeps 10.00 EUR of 20.00 EUR`,
		`p gives back 2.50 EUR (reversal) on payment p1 of customer c: rule "sub_affiliate_bonus", terms "v1", 5% of -50.00 EUR [subscription, add_on], tier "Premium", chain a → p, corrects p1/2 — refunds took back 59.50 EUR of 119.00 EUR paid: keeps 2.50 EUR of 5.00 EUR`,
	}
	for i, e := range es {
		if got := f.eng.Explain(e); got != want[i] {
			t.Errorf("Explain(entry %d):\n got %s\nwant %s", i, got, want[i])
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// A refund after the commission was paid out reverses it all the same;
// the reversal is unsettled, so it nets against the next payout.
func TestRefundAfterPayout(t *testing.T) {
	f := newFixture(t, commission.Config{Terms: terms(thirty)}, aff("a", ""))
	f.bind("c", "a", jan15)
	e := f.record(sub("p1", "c", jan15, "100")).Entries[0]
	_, err := f.store.CreatePayoutRun(f.ctx, affiliate.PayoutRun{Program: "default", Period: per("2026-01"), Hash: "h", AsOf: month(1),
		Payouts: []affiliate.Payout{{ID: "po1", Affiliate: "a", Period: affiliate.PeriodOf(jan15, nil), Amount: e.Amount, Entries: []affiliate.EntryID{e.ID}, Status: affiliate.PayoutCreated, CreatedAt: month(1)}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.SettlePayout(f.ctx, storage.PayoutSettlement{ID: "po1", Status: affiliate.PayoutPaid, Reference: "tr_1", At: month(1)}); err != nil {
		t.Fatal(err)
	}
	rev := f.record(refund("r1", "p1", "c", month(2), "", "")).Entries
	if got := amounts(rev); got != "a reversal -30.00 EUR" {
		t.Fatalf("refund after payout: %s", got)
	}
	open, err := f.store.Entries(f.ctx, storage.EntryQuery{Beneficiary: "a", Unsettled: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 1 || open[0].ID != rev[0].ID {
		t.Fatalf("unsettled entries %s, want the reversal alone", amounts(open))
	}
}

// Event IDs may be as long as any ID; entry IDs then carry a hash of the
// event ID, and a replay still returns them in order.
func TestLongEventIDs(t *testing.T) {
	f := newFixture(t, commission.Config{Terms: terms(rules.AllOf{thirty, rules.SubAffiliateBonus{Rate: affiliate.MustPercent("5")}})}, aff("p", ""), aff("a", "p"))
	f.bind("c", "a", jan15)
	id := strings.Repeat("x", affiliate.MaxIDLen)
	first := f.record(sub(id, "c", jan15, "100"))
	if len(first.Entries) != 2 || !strings.HasPrefix(string(first.Entries[0].ID), "sha256-") {
		t.Fatalf("entries %+v", first.Entries)
	}
	again := f.record(sub(id, "c", jan15, "100"))
	if !again.Replayed || again.Entries[0].ID != first.Entries[0].ID || again.Entries[1].ID != first.Entries[1].ID {
		t.Fatalf("replay %+v", again)
	}
}

// TestRuleWritingLinesLeavesTheHostsAlone: the engine copies a payment's
// lines before a rule sees them (a value or a pointer, a few lines or
// many, in order or late), so a rule that writes to them changes nothing
// the host holds.
func TestRuleWritingLinesLeavesTheHostsAlone(t *testing.T) {
	scribbler := rules.RuleFunc(func(f rules.Facts) ([]rules.Accrual, error) {
		for i := range f.Payment.Lines {
			f.Payment.Lines[i].Description = "scribbled"
		}
		return nil, nil
	})
	f := newFixture(t, commission.Config{Terms: terms(rules.AllOf{scribbler, thirty})}, aff("a", ""))
	f.bind("c", "a", jan15)
	many := make([]affiliate.Line, 9)
	for i := range many {
		many[i] = line(affiliate.LineSubscription, "10", "EUR")
	}
	events := []affiliate.Event{
		sub("p2", "c", month(2), "100"),
		pay("p3", "c", month(3), "EUR", many...),
		sub("p1", "c", month(1), "100"), // late: a replay of the customer
	}
	ptr := sub("p4", "c", month(4), "100")
	events = append(events, &ptr)
	for _, ev := range events {
		f.record(ev)
		var lines []affiliate.Line
		switch v := ev.(type) {
		case affiliate.Payment:
			lines = v.Lines
		case *affiliate.Payment:
			lines = v.Lines
		}
		for i, l := range lines {
			if l.Description != "" {
				t.Fatalf("%s: the host's line %d was written: %q", ev.EventID(), i, l.Description)
			}
		}
	}
}
