package affiliatetest_test

import (
	"context"
	"testing"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// seed000 is the commission of seed 000 at its Standard tier: 15% of the
// revenue to the referrer, 5% of it to the referrer's direct parent.
var seed000 = commission.Config{
	Terms: []commission.TermsVersion{{
		Version: "v1",
		Rule:    rules.AllOf{rules.TierRate{}, rules.SubAffiliateBonus{}},
	}},
	Tiers: commission.FixedTier(rules.Tier{Name: "Standard", Rate: affiliate.MustPercent("15"), BonusRate: affiliate.MustPercent("5")}),
}

// engineStore is a memstore seeded with aff_1, a sub-affiliate of aff_2,
// and cus_1 bound to aff_1; cus_2 stays unbound.
func engineStore(t interface{ Fatal(...any) }) *memstore.Store {
	store, err := seeded()
	if err != nil {
		t.Fatal(err)
	}
	return store
}

func newEngine(store commission.Store) (affiliatetest.Recorder, error) {
	cfg := seed000
	cfg.Store = store
	eng, err := commission.New(cfg)
	if err != nil {
		return nil, err
	}
	return affiliatetest.Engine(eng), nil
}

func engineSystem(t interface{ Fatal(...any) }) affiliatetest.System {
	store := engineStore(t)
	eng, err := newEngine(store)
	if err != nil {
		t.Fatal(err)
	}
	return affiliatetest.System{Engine: eng, Ledger: store, Events: store, Aggregates: store}
}

func engineFactory() (affiliatetest.System, error) {
	store, err := seeded()
	if err != nil {
		return affiliatetest.System{}, err
	}
	eng, err := newEngine(store)
	return affiliatetest.System{Engine: eng, Ledger: store, Events: store, Aggregates: store}, err
}

// TestCommissionEngineKeepsTheInvariants runs the checkers for I1–I5 and
// I8 on the library's own engine, on generated histories delivered in
// generated orders with duplicates.
func TestCommissionEngineKeepsTheInvariants(t *testing.T) {
	ctx := context.Background()
	rapid.Check(t, func(t *rapid.T) {
		bound := affiliatetest.History(affiliatetest.HistoryOptions{Customer: "cus_1", MultiCurrency: rapid.Bool().Draw(t, "multi")}).Draw(t, "bound history")
		unbound := affiliatetest.History(affiliatetest.HistoryOptions{Customer: "cus_2", MaxPayments: 2}).Draw(t, "unbound history")
		events := append(bound, unbound...)
		affiliatetest.SortEvents(events)
		arrivals := affiliatetest.Arrivals(events).Draw(t, "arrivals")
		if err := affiliatetest.CheckIdempotent(ctx, engineSystem(t), arrivals); err != nil {
			t.Fatal(err)
		}
		if err := affiliatetest.CheckOrderIndependent(ctx, engineFactory, events, arrivals); err != nil {
			t.Fatal(err)
		}
		if err := affiliatetest.CheckRefunds(ctx, engineSystem(t), arrivals); err != nil {
			t.Fatal(err)
		}
		bounds := affiliatetest.Bounds{MaxRate: affiliate.MustPercent("15"), MaxBonusRate: affiliate.MustPercent("5")}
		if err := affiliatetest.CheckRateBounds(ctx, engineSystem(t), arrivals, bounds); err != nil {
			t.Fatal(err)
		}
		if err := affiliatetest.CheckCurrencies(ctx, engineSystem(t), arrivals); err != nil {
			t.Fatal(err)
		}
		if err := affiliatetest.CheckDeterministic(ctx, engineFactory, arrivals, 2); err != nil {
			t.Fatal(err)
		}
	})
}

// TestCommissionEngineSurvivesStoreFailures runs the I7 checker on the
// library's engine: every store call of every event fails once.
func TestCommissionEngineSurvivesStoreFailures(t *testing.T) {
	newSystem := func(f *affiliatetest.Faults) (affiliatetest.System, error) {
		store, err := seeded()
		if err != nil {
			return affiliatetest.System{}, err
		}
		eng, err := newEngine(affiliatetest.NewFaultStore(store, f))
		return affiliatetest.System{Engine: eng, Ledger: store, Events: store}, err
	}
	// The story has a refund that arrives before its payment (parked),
	// an out-of-order payment, a duplicate and a second currency.
	events := []affiliate.Event{r1, p2, p1, r1}
	if err := affiliatetest.CheckAtomicFailures(context.Background(), newSystem, events); err != nil {
		t.Fatal(err)
	}
}
