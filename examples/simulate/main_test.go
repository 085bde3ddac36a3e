package main

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/storage"
)

// ciGen is the size CI runs: one month at 1% of the scale (100 affiliates,
// 1,000 customers, about a thousand events).
var ciGen = GenConfig{Seed: 1, Scale: 0.01, Months: 1}

// TestSimulationCI runs the reduced simulation with every check of the
// model, and the full recomputation of every customer.
func TestSimulationCI(t *testing.T) {
	sim := simulate(t, Config{Gen: ciGen, Check: true, Model: true, Recompute: 1_000})
	res := sim.result()
	if n := res.Violations.Count(); n > 0 {
		t.Fatalf("%d violations:\n%s", n, res.Violations)
	}
	tot := res.Totals
	switch {
	case tot.Payments < 500 || tot.Refunds == 0 || tot.PartialRefunds == 0:
		t.Errorf("the month holds %d payments and %d refunds (%d partial): the generator's shape moved", tot.Payments, tot.Refunds, tot.PartialRefunds)
	case tot.Payouts == 0 || tot.Entries[affiliate.KindBonus] == 0 || tot.Entries[affiliate.KindReversal] == 0:
		t.Errorf("no payouts (%d), bonuses (%d) or reversals (%d): the checks judged nothing", tot.Payouts, tot.Entries[affiliate.KindBonus], tot.Entries[affiliate.KindReversal])
	case tot.RecomputeChecked < 500:
		t.Errorf("only %d customers recomputed", tot.RecomputeChecked)
	}
	m := res.Measures
	if m.Events != tot.Payments+tot.Refunds || m.Payments != tot.Payments || m.Refunds != tot.Refunds || m.PartialRefunds != tot.PartialRefunds || m.Chargebacks != tot.Chargebacks {
		t.Errorf("measured %d events (%d payments, %d refunds, %d partial, %d chargebacks), the checker counted %d payments and %d refunds (%d partial, %d chargebacks)",
			m.Events, m.Payments, m.Refunds, m.PartialRefunds, m.Chargebacks, tot.Payments, tot.Refunds, tot.PartialRefunds, tot.Chargebacks)
	}
	if m.Model <= 0 || m.LibraryMallocs == 0 {
		t.Errorf("the model took %v and the library made %d allocations: the yardstick measured nothing", m.Model, m.LibraryMallocs)
	}
}

// TestModelAgrees: the integer model, run alone over the same events,
// reaches the year's figures the checker found in the library's store:
// earnings, reversals, payouts, carried balances and tier decisions. With
// a hold, runs carry held entries across months.
func TestModelAgrees(t *testing.T) {
	for _, hold := range []time.Duration{0, 30 * 24 * time.Hour} {
		sim := simulate(t, Config{Gen: GenConfig{Seed: 5, Scale: 0.005, Months: 3}, Hold: hold, Check: true, Model: true})
		got, want := sim.model.Totals, sim.chk.Totals
		if want.Payouts == 0 || want.PremiumDecisions == 0 {
			t.Fatalf("hold %v: %d payouts and %d Premium decisions: the year judges little", hold, want.Payouts, want.PremiumDecisions)
		}
		for _, c := range []struct {
			name      string
			got, want []int64
		}{
			{"earned", got.Earned, want.Earned}, {"reversed", got.Reversed, want.Reversed},
			{"paid out", got.PaidOut, want.PaidOut}, {"carried", got.Carried, want.Carried},
			{"counts", []int64{int64(got.Payouts), int64(got.PremiumDecisions)}, []int64{int64(want.Payouts), int64(want.PremiumDecisions)}},
		} {
			if !slices.Equal(c.got, c.want) {
				t.Errorf("hold %v: %s: the model has %v, the checker %v", hold, c.name, c.got, c.want)
			}
		}
	}
}

// TestModelRuns pins the model's payout rule on a hand-made ledger: a
// balance at the minimum is paid, one below it or owed to an affiliate
// without a payout method is carried, and an entry still on hold waits.
func TestModelRuns(t *testing.T) {
	g, err := NewGenerator(GenConfig{Seed: 1, Scale: 0.001, Months: 1})
	if err != nil {
		t.Fatal(err)
	}
	m := newModel(g, 0)
	unpayable := slices.IndexFunc(g.affs, func(a affiliate.Affiliate) bool { return !a.PayoutMethodOnFile })
	payable := slices.IndexFunc(g.affs, func(a affiliate.Affiliate) bool { return a.PayoutMethodOnFile })
	if unpayable < 0 {
		m.payable[1], unpayable, payable = false, 1, 0
	}
	const end = 100
	m.book(payable, 0, 50_00, 10, false)                                                                                              // EUR 50: the minimum, paid
	m.book(payable, 1, 54_99, 10, false)                                                                                              // USD 54.99: below 55, carried
	m.book(unpayable, 0, 900_00, 10, false)                                                                                           // no payout method: carried
	m.open[payable*len(currencies)+2] = append(m.open[payable*len(currencies)+2], modelEntry{amount: 100_00, at: 10, avail: end + 1}) // GBP on hold
	m.run(end, end)
	if m.Totals.Payouts != 1 || m.Totals.PaidOut[0] != 50_00 {
		t.Errorf("paid %d payouts, %v", m.Totals.Payouts, m.Totals.PaidOut)
	}
	if want := []int64{900_00, 54_99, 0, 0}; !slices.Equal(m.Totals.Carried, want) {
		t.Errorf("carried %v, want %v", m.Totals.Carried, want)
	}
	if n := len(m.open[payable*len(currencies)]); n != 0 {
		t.Errorf("%d paid entries stay open", n)
	}
}

// TestSimulationInvariants judges the reduced simulation's store with the
// library's own invariant checkers (affiliatetest), on the events the
// generator produced: I1 (a second delivery of every event changes
// nothing), I3, I4, I5 with the earnings aggregates, I6 on the payout run,
// I2 (the events delivered in reverse, refunds before their payments,
// give the same net ledger) and I8 (two runs give byte-identical
// ledgers).
func TestSimulationInvariants(t *testing.T) {
	ctx := context.Background()
	sim := simulate(t, Config{Gen: ciGen})
	events, bindings := generated(t, ciGen)
	sys := affiliatetest.System{Engine: affiliatetest.Engine(sim.p.engine), Ledger: sim.p.store, Events: sim.p.store, Aggregates: sim.p.store, Location: time.UTC}
	bounds := affiliatetest.Bounds{MaxRate: premiumRate, MaxBonusRate: bonusRate}
	for name, check := range map[string]func() error{
		"I1": func() error { return affiliatetest.CheckIdempotent(ctx, sys, events) },
		"I3": func() error { return affiliatetest.CheckRefunds(ctx, sys, events) },
		"I4": func() error { return affiliatetest.CheckRateBounds(ctx, sys, events, bounds) },
		"I5": func() error { return affiliatetest.CheckCurrencies(ctx, sys, events) },
	} {
		start := time.Now()
		if err := check(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		t.Logf("%s: %v", name, time.Since(start))
	}

	period := sim.gen.Period(0)
	run, err := sim.p.store.PayoutRun(ctx, payout.DefaultProgram, period)
	if err != nil {
		t.Fatal(err)
	}
	ledger, err := sim.p.store.Entries(ctx, storage.EntryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Payouts) == 0 {
		t.Fatal("the run paid nothing")
	}
	if err := affiliatetest.CheckPayouts(affiliatetest.PayoutCheck{Run: run, Minimum: payoutMinimums, Ledger: ledger}); err != nil {
		t.Errorf("I6: %v", err)
	}

	// A fresh system holds the affiliates and every binding up front,
	// as a host that bound its customers before their payments does.
	factory := func() (affiliatetest.System, error) {
		p, err := newProgram(0, func() time.Time { return period.End() })
		if err != nil {
			return affiliatetest.System{}, err
		}
		for _, a := range sim.gen.Affiliates() {
			if err := p.store.PutAffiliate(ctx, a); err != nil {
				return affiliatetest.System{}, err
			}
		}
		for _, b := range bindings {
			if _, err := p.store.Bind(ctx, b); err != nil {
				return affiliatetest.System{}, err
			}
		}
		return affiliatetest.System{Engine: affiliatetest.Engine(p.engine), Ledger: p.store, Events: p.store}, nil
	}
	start := time.Now()
	reversed := slices.Clone(events)
	slices.Reverse(reversed)
	if err := affiliatetest.CheckOrderIndependent(ctx, factory, events, reversed); err != nil {
		t.Errorf("I2: %v", err)
	}
	t.Logf("I2: %v", time.Since(start))
	start = time.Now()
	if err := affiliatetest.CheckDeterministic(ctx, factory, events, 2); err != nil {
		t.Errorf("I8: %v", err)
	}
	t.Logf("I8: %v", time.Since(start))
}

// TestDeterministic: the same seed gives the same year, totals and all;
// another seed gives another.
func TestDeterministic(t *testing.T) {
	gen := GenConfig{Seed: 7, Scale: 0.005, Months: 3}
	a := simulate(t, Config{Gen: gen, Check: true}).result().Totals
	b := simulate(t, Config{Gen: gen, Check: true}).result().Totals
	a.RecomputeChecked, b.RecomputeChecked = 0, 0
	if !equalTotals(a, b) {
		t.Errorf("two runs of seed 7 differ:\n%+v\n%+v", a, b)
	}
	gen.Seed = 8
	if c := simulate(t, Config{Gen: gen, Check: true}).result().Totals; equalTotals(a, c) {
		t.Error("seeds 7 and 8 give the same year")
	}
}

// TestSeveralMonths runs three months with a 30-day hold, so closes decide
// Premium for later months, runs carry held entries, and refunds cross
// month ends.
func TestSeveralMonths(t *testing.T) {
	if testing.Short() {
		t.Skip("three months of 0.5% scale")
	}
	res := simulate(t, Config{Gen: GenConfig{Seed: 3, Scale: 0.005, Months: 3}, Hold: 30 * 24 * time.Hour, Check: true, Recompute: 100}).result()
	if n := res.Violations.Count(); n > 0 {
		t.Fatalf("%d violations:\n%s", n, res.Violations)
	}
	if res.Totals.PremiumDecisions == 0 || res.Totals.Payouts == 0 {
		t.Errorf("%d Premium decisions and %d payouts: the months judged little", res.Totals.PremiumDecisions, res.Totals.Payouts)
	}
}

// TestCheckerCatches feeds the model results that break an invariant and
// requires it to notice: a check that cannot fail proves nothing.
func TestCheckerCatches(t *testing.T) {
	ctx := context.Background()
	sim := simulate(t, Config{Gen: ciGen}) // a store with the month recorded, no model
	g := sim.gen
	events, _ := generated(t, ciGen)
	var p affiliate.Payment
	for _, e := range events {
		if pay, ok := e.(affiliate.Payment); ok && g.Parent(int(g.custs[mustCustomer(t, g, pay.Customer)].aff)) >= 0 {
			p = pay // a sub-affiliate's customer: commission and bonus
			break
		}
	}
	if p.ID == "" {
		t.Fatal("no payment of a sub-affiliate's customer in the month")
	}
	entries, err := sim.p.store.Entries(ctx, storage.EntryQuery{Event: p.ID})
	if err != nil || len(entries) != 2 {
		t.Fatalf("payment %s: %d entries, %v", p.ID, len(entries), err)
	}
	tamper := map[string]func([]affiliate.Entry) []affiliate.Entry{
		"amount": func(es []affiliate.Entry) []affiliate.Entry {
			es[0].Amount = affiliate.MustMoney(es[0].Amount.Minor()+1, es[0].Amount.Currency())
			return es
		},
		"missing bonus": func(es []affiliate.Entry) []affiliate.Entry { return es[:1] },
		"currency": func(es []affiliate.Entry) []affiliate.Entry {
			es[1].Amount = affiliate.MustMoney(es[1].Amount.Minor(), "CHF")
			return es
		},
		"beneficiary": func(es []affiliate.Entry) []affiliate.Entry {
			es[1].Beneficiary = es[0].Beneficiary
			return es
		},
		"rate": func(es []affiliate.Entry) []affiliate.Entry {
			es[0].Rate = affiliate.MustPercent("16")
			return es
		},
	}
	for name, f := range tamper {
		t.Run(name, func(t *testing.T) {
			v := &Violations{}
			chk := newChecker(g, 0, v)
			chk.payment(&p, false, commission.Result{Entries: f(slices.Clone(entries))})
			if v.Count() == 0 {
				t.Errorf("the model accepted tampered entries")
			}
			ok := &Violations{}
			newChecker(g, 0, ok).payment(&p, false, commission.Result{Entries: entries})
			if ok.Count() != 0 {
				t.Errorf("the model refused the engine's entries: %s", ok)
			}
		})
	}
}

// TestCLI runs the command as CI would.
func TestCLI(t *testing.T) {
	var out, errOut bytes.Buffer
	code := cli([]string{"-scale", "0.01", "-months", "1", "-baseline=false", "-recompute", "50"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, &out, &errOut)
	}
	for _, want := range []string{"events/s", "allocs/event", "MaxRSS", "paid out", "library/model", "checks: ok"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the output lacks %q:\n%s", want, &out)
		}
	}
	out.Reset()
	if code := cli([]string{"-scale", "0.01", "-months", "1", "-baseline=false", "-check=false"}, &out, &errOut); code != 0 || !strings.Contains(out.String(), "library/model") || strings.Contains(out.String(), "(0 payments") {
		t.Errorf("-check=false: exit %d, the output should time the model and count the events:\n%s", code, &out)
	}
	if code := cli([]string{"-months", "13"}, &out, &errOut); code != 2 {
		t.Errorf("-months 13: exit %d, want 2", code)
	}
}

func TestSeqID(t *testing.T) {
	for _, c := range []struct {
		n, width int
		want     string
	}{{1, 3, "x_001"}, {10, 3, "x_010"}, {999, 3, "x_999"}, {1234, 3, "x_1234"}, {0, 1, "x_0"}} {
		if got := seqID("x_", c.n, c.width); got != c.want {
			t.Errorf("seqID(%d, %d) = %q, want %q", c.n, c.width, got, c.want)
		}
	}
}

func simulate(t *testing.T, cfg Config) *simulation {
	t.Helper()
	sim, err := newSimulation(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return sim
}

// generated returns the billing events and every binding of a generated
// year, in the order the simulation delivers them.
func generated(t *testing.T, cfg GenConfig) ([]affiliate.Event, []affiliate.Binding) {
	t.Helper()
	g, err := NewGenerator(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var events []affiliate.Event
	bindings := slices.Collect(g.ExistingBindings())
	for m := range g.Months() {
		for it := range g.Month(m) {
			switch it.Kind {
			case ItemBind:
				bindings = append(bindings, it.Binding)
			case ItemPayment:
				events = append(events, it.Payment)
			case ItemRefund:
				events = append(events, it.Refund)
			}
		}
	}
	return events, bindings
}

func mustCustomer(t *testing.T, g *Generator, id affiliate.CustomerID) int {
	t.Helper()
	chk := checker{gen: g}
	i := chk.customer(id)
	if i < 0 {
		t.Fatalf("unknown customer %s", id)
	}
	return i
}

func equalTotals(a, b Totals) bool {
	ints := func(t Totals) []int64 {
		out := []int64{int64(t.Bindings), int64(t.Payments), int64(t.Refunds), int64(t.PartialRefunds), int64(t.Chargebacks), int64(t.Payouts), int64(t.PremiumDecisions), int64(t.TrueUps)}
		for _, k := range []affiliate.EntryKind{affiliate.KindCommission, affiliate.KindBonus, affiliate.KindReversal, affiliate.KindAdjustment} {
			out = append(out, int64(t.Entries[k]))
		}
		for _, s := range [][]int64{t.Earned, t.Reversed, t.PaidOut, t.Carried, t.OnHold} {
			out = append(out, s...)
		}
		return out
	}
	return slices.Equal(ints(a), ints(b))
}
