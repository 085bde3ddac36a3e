package payout_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/storage"
	"pgregory.net/rapid"
)

var (
	propAffiliates = []affiliate.AffiliateID{"ann", "bob", "cyd", "dan"}
	propCurrencies = []affiliate.Currency{"EUR", "USD", "JPY"}
	propHolds      = []time.Duration{0, 7 * 24 * time.Hour, hold30}
)

// genEntry draws an entry around January 2026: amounts in minor units
// (negative ones too), times from mid-December to mid-February.
func genEntry(id string) *rapid.Generator[affiliate.Entry] {
	return rapid.Custom(func(t *rapid.T) affiliate.Entry {
		cur := rapid.SampledFrom(propCurrencies).Draw(t, "currency")
		minor := rapid.Int64Range(-5000, 10000).Draw(t, "minor")
		at := day(1, 1).Add(time.Duration(rapid.IntRange(-17*24, 45*24).Draw(t, "hour")) * time.Hour)
		e := ent{id: id, aff: rapid.SampledFrom(propAffiliates).Draw(t, "affiliate"), at: at, amount: "0 EUR",
			hold: rapid.SampledFrom(propHolds).Draw(t, "hold")}.entry()
		e.Amount = affiliate.MustMoney(minor, cur)
		return e
	})
}

func genPolicy(t *rapid.T) payout.Policy {
	p := payout.Policy{Minimums: map[affiliate.Currency]affiliate.Money{}, Overrides: map[affiliate.AffiliateID]map[affiliate.Currency]affiliate.Money{}}
	for _, c := range propCurrencies {
		if rapid.Bool().Draw(t, "has minimum "+string(c)) {
			p.Minimums[c] = affiliate.MustMoney(rapid.Int64Range(0, 8000).Draw(t, "minimum "+string(c)), c)
		}
	}
	for _, a := range propAffiliates {
		if rapid.IntRange(0, 3).Draw(t, "override? "+string(a)) == 0 {
			c := rapid.SampledFrom(propCurrencies).Draw(t, "override currency")
			p.Overrides[a] = map[affiliate.Currency]affiliate.Money{c: affiliate.MustMoney(rapid.Int64Range(0, 8000).Draw(t, "override"), c)}
		}
	}
	return p
}

func genInput(t *rapid.T) payout.Input {
	n := rapid.IntRange(0, 40).Draw(t, "entries")
	in := payout.Input{
		Program:    "prop",
		Period:     month(1),
		AsOf:       day(2, 1).Add(time.Duration(rapid.IntRange(-12, 40*24).Draw(t, "asOf hours")) * time.Hour),
		Policy:     genPolicy(t),
		Ineligible: map[payout.Key]string{},
	}
	for i := range n {
		in.Entries = append(in.Entries, genEntry(fmt.Sprintf("e%02d", i)).Draw(t, "entry"))
	}
	for _, a := range propAffiliates {
		for _, c := range propCurrencies {
			if rapid.IntRange(0, 4).Draw(t, "ineligible?") == 0 {
				in.Ineligible[payout.Key{Affiliate: a, Currency: c}] = "refused"
			}
		}
	}
	return in
}

// payable reports whether a run of in would consider e.
func payable(in payout.Input, e affiliate.Entry) bool {
	return e.At.Before(in.Period.End()) && e.Available(in.AsOf)
}

// checkPlan checks invariant I6 on one plan against its input.
func checkPlan(t *rapid.T, in payout.Input, plan payout.Plan) {
	available := map[affiliate.Currency]int64{}
	entries := map[affiliate.EntryID]affiliate.Entry{}
	keys := map[payout.Key]bool{}
	for _, e := range in.Entries {
		if payable(in, e) {
			available[e.Amount.Currency()] += e.Amount.Minor()
			entries[e.ID] = e
			keys[payout.Key{Affiliate: e.Beneficiary, Currency: e.Amount.Currency()}] = true
		}
	}
	settled := map[affiliate.Currency]int64{}
	seen := map[affiliate.EntryID]affiliate.PayoutID{}
	balances := map[payout.Key]int{}
	for _, p := range plan.Payouts {
		k := payout.Key{Affiliate: p.Affiliate, Currency: p.Amount.Currency()}
		balances[k]++
		if p.Amount.Sign() <= 0 {
			t.Fatalf("payout %s pays %s: not positive", p.ID, p.Amount)
		}
		if min := in.Policy.Minimum(p.Affiliate, p.Amount.Currency()); p.Amount.Minor() < min.Minor() {
			t.Fatalf("payout %s of %s is below its minimum %s", p.ID, p.Amount, min)
		}
		if _, refused := in.Ineligible[k]; refused {
			t.Fatalf("payout %s pays an ineligible balance", p.ID)
		}
		var sum int64
		for _, id := range p.Entries {
			if other, dup := seen[id]; dup {
				t.Fatalf("entry %s is in payouts %s and %s", id, other, p.ID)
			}
			seen[id] = p.ID
			e, ok := entries[id]
			if !ok {
				t.Fatalf("payout %s holds entry %s, which is not payable", p.ID, id)
			}
			if e.Beneficiary != p.Affiliate || e.Amount.Currency() != p.Amount.Currency() {
				t.Fatalf("payout %s holds %s's %s entry %s", p.ID, e.Beneficiary, e.Amount.Currency(), id)
			}
			sum += e.Amount.Minor()
		}
		if sum != p.Amount.Minor() {
			t.Fatalf("payout %s is %s, its entries sum to %d", p.ID, p.Amount, sum)
		}
		settled[p.Amount.Currency()] += p.Amount.Minor()
	}
	for _, c := range plan.Carried {
		k := payout.Key{Affiliate: c.Affiliate, Currency: c.Amount.Currency()}
		balances[k]++
		settled[c.Amount.Currency()] += c.Amount.Minor()
		min := in.Policy.Minimum(c.Affiliate, c.Amount.Currency())
		if c.Amount.Sign() > 0 && c.Amount.Minor() >= min.Minor() && c.Reason != payout.ReasonIneligible {
			t.Fatalf("balance %s of %s reaches its minimum %s but was carried (%s)", c.Amount, c.Affiliate, min, c.Reason)
		}
	}
	for k, n := range balances {
		if n != 1 || !keys[k] {
			t.Fatalf("balance %v appears %d times in the plan (payable: %v)", k, n, keys[k])
		}
	}
	if len(balances) != len(keys) {
		t.Fatalf("plan has %d balances, the input %d", len(balances), len(keys))
	}
	if diff := cmp.Diff(available, settled); diff != "" {
		t.Fatalf("per currency, paid + carried != available (-available +paid+carried):\n%s", diff)
	}
}

// TestPlanInvariants checks I6 on the pure core: per currency, paid plus
// carried equals available; no payout is below its minimum or not
// positive; each entry is in at most one payout; and the plan does not
// depend on the order of the entries.
func TestPlanInvariants(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := genInput(t)
		plan, err := payout.NewPlan(in)
		if err != nil {
			t.Fatalf("NewPlan: %v", err)
		}
		checkPlan(t, in, plan)

		shuffled := in
		shuffled.Entries = rapid.Permutation(in.Entries).Draw(t, "shuffled")
		again, err := payout.NewPlan(shuffled)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(plan, again); diff != "" {
			t.Fatalf("the plan depends on the entries' order:\n%s", diff)
		}
	})
}

// byList hides memstore's storage.BalanceReader: a run over it reads the
// open entries and claims them by list.
type byList struct{ payout.Store }

// TestRunsInvariants drives a store through months of appends, runs,
// reruns and settlements, and checks I6 after every step: no entry is in
// two created-or-paid payouts, each run paid plus carried what was
// available, and a rerun returns the same payouts. A twin store gets the
// same steps with runs that read entries and claim them by list: every
// run by watermark must be that run.
func TestRunsInvariants(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := payout.Config{Policy: genPolicy(t)}
		e := newEnv(t, cfg)
		twin := newEnv(t, cfg)
		twinCfg := cfg
		twinCfg.Store, twinCfg.Now = byList{twin.store}, func() time.Time { return twin.now }
		var err error
		if twin.runner, err = payout.New(twinCfg); err != nil {
			t.Fatal(err)
		}
		next := month(1)
		var ran []affiliate.Period
		runs := map[string]payout.Result{}
		var created []affiliate.PayoutID
		n := 0
		t.Repeat(map[string]func(*rapid.T){
			"append": func(t *rapid.T) {
				k := rapid.IntRange(1, 5).Draw(t, "count")
				var es []ent
				for range k {
					n++
					es = append(es, ent{
						id:     fmt.Sprintf("e%03d", n),
						aff:    rapid.SampledFrom(propAffiliates).Draw(t, "affiliate"),
						amount: fmt.Sprintf("%d %s", rapid.Int64Range(-3000, 9000).Draw(t, "units"), rapid.SampledFrom(propCurrencies).Draw(t, "currency")),
						at:     next.Start().Add(time.Duration(rapid.IntRange(0, 27*24).Draw(t, "hour")) * time.Hour),
						hold:   rapid.SampledFrom(propHolds).Draw(t, "hold"),
					})
				}
				e.append(es...)
				twin.append(es...)
			},
			"run": func(t *rapid.T) {
				if next.Year > 2026 {
					t.Skip("a year is enough")
				}
				asOf := next.End().Add(time.Duration(rapid.IntRange(0, 20*24).Draw(t, "asOf hours")) * time.Hour)
				open, err := e.store.Entries(ctx, storage.EntryQuery{Unsettled: true})
				if err != nil {
					t.Fatal(err)
				}
				res := e.run(next, asOf)
				checkPlan(t, payout.Input{Period: next, AsOf: asOf, Policy: e.policy, Entries: open}, res.Plan)
				byList := twin.run(next, asOf)
				if res.Through == 0 && n > 0 || byList.Through != 0 {
					t.Fatalf("run of %s: Through %d by watermark, %d by list", next, res.Through, byList.Through)
				}
				byList.Through = res.Through
				if diff := cmp.Diff(byList, res, cmp.Comparer(func(a, b affiliate.Money) bool { return a == b })); diff != "" {
					t.Fatalf("run of %s by watermark differs from the run by list (-list +watermark):\n%s", next, diff)
				}
				for _, p := range res.Payouts {
					created = append(created, p.ID)
				}
				runs[next.String()] = res
				ran = append(ran, next)
				next = next.Next()
			},
			"rerun": func(t *rapid.T) {
				if len(ran) == 0 {
					t.Skip("nothing ran")
				}
				p := rapid.SampledFrom(ran).Draw(t, "period")
				res := e.run(p, p.End().Add(90*24*time.Hour))
				first := runs[p.String()]
				if !res.Replayed || res.Hash != first.Hash || !res.AsOf.Equal(first.AsOf) || len(res.Payouts) != len(first.Payouts) {
					t.Fatalf("rerun of %s = %+v, first run %+v", p, res, first)
				}
				for i := range res.Payouts {
					if res.Payouts[i].ID != first.Payouts[i].ID || !cmp.Equal(res.Payouts[i].Entries, first.Payouts[i].Entries) {
						t.Fatalf("rerun of %s returned other payouts", p)
					}
				}
			},
			"statement": func(t *rapid.T) {
				if len(ran) == 0 {
					t.Skip("nothing ran")
				}
				a := rapid.SampledFrom(propAffiliates).Draw(t, "affiliate")
				c := rapid.SampledFrom(propCurrencies).Draw(t, "currency")
				p := rapid.SampledFrom(ran).Draw(t, "period")
				st, err := e.runner.Statement(ctx, a, p, c)
				if err != nil {
					t.Fatalf("Statement(%s, %s, %s): %v", a, p, c, err)
				}
				next, err := e.runner.Statement(ctx, a, p.Next(), c)
				if err != nil {
					t.Fatalf("Statement(%s, %s, %s): %v", a, p.Next(), c, err)
				}
				if st.Closing != next.Opening {
					t.Fatalf("closing of %s is %s, opening of %s is %s", p, st.Closing, p.Next(), next.Opening)
				}
			},
			"settle": func(t *rapid.T) {
				if len(created) == 0 {
					t.Skip("no payouts")
				}
				id := rapid.SampledFrom(created).Draw(t, "payout")
				how := rapid.IntRange(0, 2).Draw(t, "how")
				for _, r := range []*payout.Runner{e.runner, twin.runner} {
					var err error
					switch how {
					case 0:
						_, err = r.MarkPaid(ctx, id, "TR-"+string(id))
					case 1:
						_, err = r.MarkFailed(ctx, id, "bounced")
					default:
						_, err = r.Cancel(ctx, id, "withdrawn")
					}
					if err != nil && !errors.Is(err, payout.ErrAlreadyPaid) && !errors.Is(err, payout.ErrReleased) {
						t.Fatalf("settling %s: %v", id, err)
					}
				}
			},
			"": func(t *rapid.T) {
				holder := map[affiliate.EntryID]affiliate.PayoutID{}
				for _, id := range created {
					p, err := storedPayout(e.store, id)
					if err != nil {
						t.Fatal(err)
					}
					if p.Status != affiliate.PayoutCreated && p.Status != affiliate.PayoutPaid {
						continue
					}
					for _, entry := range p.Entries {
						if other, dup := holder[entry]; dup {
							t.Fatalf("entry %s is in live payouts %s and %s", entry, other, id)
						}
						holder[entry] = id
					}
				}
				for _, id := range e.unsettled() {
					if p, held := holder[id]; held {
						t.Fatalf("entry %s is in live payout %s and also unsettled", id, p)
					}
				}
			},
		})
	})
}
