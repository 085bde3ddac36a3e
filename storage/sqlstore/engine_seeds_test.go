package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
)

// storeUnderTest is what the engine and the checkers need of a store.
type storeUnderTest interface {
	commission.Store
	storage.Aggregates
	storage.Affiliates
	storage.Bindings
}

// seedEngine puts affiliates and bindings in s and returns an engine over
// it with rule r.
func seedEngine(t testing.TB, s storeUnderTest, r rules.Rule, tiers commission.TierSource, affs []affiliate.Affiliate, bound map[affiliate.CustomerID]affiliate.AffiliateID) *commission.Engine {
	t.Helper()
	ctx := context.Background()
	for _, a := range affs {
		if err := s.PutAffiliate(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	for c, a := range bound {
		if _, err := s.Bind(ctx, affiliate.Binding{Customer: c, Affiliate: a, Source: affiliate.BindByLink, BoundAt: jan15.Add(-24 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	eng, err := commission.New(commission.Config{Store: s, Terms: []commission.TermsVersion{{Version: "v1", Rule: r}}, Tiers: tiers})
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

func monthly(id string, c affiliate.CustomerID, n int, cur affiliate.Currency, lines ...affiliate.Line) affiliate.Payment {
	return affiliate.Payment{ID: affiliate.EventID(fmt.Sprintf("%s-%d", id, n)), Customer: c, PaidAt: jan15.AddDate(0, n, 0), Currency: cur, Lines: lines}
}

func sub(amount string, cur affiliate.Currency) affiliate.Line {
	return affiliate.Line{Kind: affiliate.LineSubscription, Amount: affiliate.MustParseMoney(amount, string(cur))}
}

// earned sums what each beneficiary nets in the ledger, as "12.30 EUR".
func earned(t testing.TB, l storage.Ledger) map[affiliate.AffiliateID]string {
	t.Helper()
	es, err := l.Entries(context.Background(), storage.EntryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	sums := map[affiliate.AffiliateID]affiliate.Money{}
	for _, e := range es {
		s, ok := sums[e.Beneficiary]
		if !ok {
			s = affiliate.Zero(e.Amount.Currency())
		}
		if sums[e.Beneficiary], err = s.Add(e.Amount); err != nil {
			t.Fatal(err)
		}
	}
	out := map[affiliate.AffiliateID]string{}
	for a, m := range sums {
		out[a] = m.String()
	}
	return out
}

// TestEngineSeedsOnSQL runs the three seed programs' scenarios through
// commission.Engine on each SQL dialect, with the amounts the seeds state.
func TestEngineSeedsOnSQL(t *testing.T) {
	ctx := context.Background()
	active := func(id, parent affiliate.AffiliateID) affiliate.Affiliate {
		return affiliate.Affiliate{ID: id, Parent: parent, Status: affiliate.StatusActive}
	}
	scenarios := []struct {
		name   string
		rule   rules.Rule
		tiers  commission.TierSource
		affs   []affiliate.Affiliate
		bound  map[affiliate.CustomerID]affiliate.AffiliateID
		events []affiliate.Event
		want   map[affiliate.AffiliateID]string
	}{{
		// Seed 001: 30% of every payment for life: $20 → $6 and a $200
		// whitelabel add-on → $60, every month the customer pays.
		name:  "001 lifetime 30 percent",
		rule:  rules.Percent{Name: "revshare", Rate: affiliate.MustPercent("30")},
		affs:  []affiliate.Affiliate{active("maya", "")},
		bound: map[affiliate.CustomerID]affiliate.AffiliateID{"acme": "maya"},
		events: []affiliate.Event{
			monthly("inv", "acme", 0, "USD", sub("20", "USD"), affiliate.Line{Kind: affiliate.LineAddOn, Amount: affiliate.MustParseMoney("200", "USD")}),
			monthly("inv", "acme", 1, "USD", sub("20", "USD"), affiliate.Line{Kind: affiliate.LineAddOn, Amount: affiliate.MustParseMoney("200", "USD")}),
			monthly("inv", "acme", 2, "USD", sub("20", "USD"), affiliate.Line{Kind: affiliate.LineAddOn, Amount: affiliate.MustParseMoney("200", "USD")}),
		},
		want: map[affiliate.AffiliateID]string{"maya": "198.00 USD"},
	}, {
		// Seed 002: 50% of the first two months, earned once the second is
		// paid, in the invoice's currency; one month and gone earns nothing.
		name:  "002 deferred half of two months",
		rule:  rules.Deferred{Name: "lead_reward", Rate: affiliate.MustPercent("50"), Payments: 2},
		affs:  []affiliate.Affiliate{active("otto", ""), active("sam", "")},
		bound: map[affiliate.CustomerID]affiliate.AffiliateID{"northwind": "otto", "fjord": "sam"},
		events: []affiliate.Event{
			monthly("nw", "northwind", 0, "GBP", sub("250", "GBP")),
			monthly("fj", "fjord", 0, "EUR", sub("400", "EUR")),
			monthly("nw", "northwind", 1, "GBP", sub("250", "GBP")),
			monthly("nw", "northwind", 2, "GBP", sub("250", "GBP")),
		},
		want: map[affiliate.AffiliateID]string{"otto": "250.00 GBP"},
	}, {
		// Seed 000: the sub-affiliate earns its tier's rate, its direct
		// parent 5% of the revenue, the grandparent nothing.
		name:  "000 tier rate and direct bonus",
		rule:  rules.AllOf{rules.TierRate{Name: "tier_rate"}, rules.SubAffiliateBonus{Name: "sub_bonus", Rate: affiliate.MustPercent("5")}},
		tiers: commission.FixedTier(rules.Tier{Name: "Standard", Rate: affiliate.MustPercent("15"), BonusRate: affiliate.MustPercent("5")}),
		affs:  []affiliate.Affiliate{active("grand", ""), active("parent", "grand"), active("cleo", "parent")},
		bound: map[affiliate.CustomerID]affiliate.AffiliateID{"harbor": "cleo"},
		events: []affiliate.Event{
			monthly("hb", "harbor", 0, "EUR", sub("1000", "EUR")),
		},
		want: map[affiliate.AffiliateID]string{"cleo": "150.00 EUR", "parent": "50.00 EUR"},
	}}
	for _, d := range dialects() {
		for _, sc := range scenarios {
			t.Run(d.name+"/"+sc.name, func(t *testing.T) {
				s, _ := d.open(t)
				eng := seedEngine(t, s, sc.rule, sc.tiers, sc.affs, sc.bound)
				for _, ev := range sc.events {
					if _, err := eng.Record(ctx, ev); err != nil {
						t.Fatalf("Record(%s): %v", ev.EventID(), err)
					}
				}
				got := earned(t, s)
				if fmt.Sprint(got) != fmt.Sprint(sc.want) {
					t.Fatalf("earned %v, want %v", got, sc.want)
				}
			})
		}
	}
}

// TestEngineInvariantsOnSQL checks invariants I1–I5 and I8 with
// affiliatetest's checkers on generated histories, on each SQL dialect:
// a replay changes nothing, any arrival order nets the same, refunds
// reverse pro rata, no accrual exceeds its rate, currencies stay apart,
// and the same inputs give the same ledger.
func TestEngineInvariantsOnSQL(t *testing.T) {
	ctx := context.Background()
	rate := affiliate.MustPercent("30")
	for _, d := range dialects() {
		t.Run(d.name, func(t *testing.T) {
			// The systems of a run are released when the run ends.
			var runCleanups []func()
			newSystem := func() (affiliatetest.System, error) {
				s, release := d.openRelease(t)
				runCleanups = append(runCleanups, release)
				eng := seedEngine(t, s, rules.Percent{Name: "revshare", Rate: rate}, nil,
					[]affiliate.Affiliate{{ID: "aff", Status: affiliate.StatusActive}},
					map[affiliate.CustomerID]affiliate.AffiliateID{"cus_1": "aff"})
				return affiliatetest.System{Engine: affiliatetest.Engine(eng), Ledger: s, Events: s, Aggregates: s, Location: time.UTC}, nil
			}
			// Every run opens six fresh databases (released at its end),
			// so this leans on rapid's run count (lowered under -race by TestMain); memstore
			// runs the engine's own properties at full strength in package
			// commission.
			rapid.Check(t, func(rt *rapid.T) {
				rt.Cleanup(func() {
					for _, release := range runCleanups {
						release()
					}
					runCleanups = nil
				})
				events := affiliatetest.History(affiliatetest.HistoryOptions{Start: jan15, MaxPayments: 4}).Draw(rt, "history")
				shuffled := affiliatetest.Shuffled(events).Draw(rt, "shuffled")
				sys, _ := newSystem()
				one, _ := newSystem()
				bounds := affiliatetest.Bounds{MaxRate: rate}
				for _, c := range []struct {
					invariant string
					check     func() error
				}{
					{"I1", func() error { return affiliatetest.CheckIdempotent(ctx, sys, events) }},
					{"I2", func() error { return affiliatetest.CheckOrderIndependent(ctx, newSystem, events, shuffled) }},
					{"I3", func() error { return affiliatetest.CheckRefunds(ctx, one, events) }},
					{"I4", func() error { return affiliatetest.CheckRateBounds(ctx, one, events, bounds) }},
					{"I5", func() error { return affiliatetest.CheckCurrencies(ctx, one, events) }},
					{"I8", func() error { return affiliatetest.CheckDeterministic(ctx, newSystem, events, 2) }},
				} {
					if err := c.check(); err != nil {
						rt.Fatalf("%s: %v", c.invariant, err)
					}
				}
			})
		})
	}
}
