package affiliatetest_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
)

var (
	day = 24 * time.Hour
	p1  = affiliate.Payment{
		ID: "cus_1-p01", Customer: "cus_1", PaidAt: affiliatetest.Epoch.Add(day), Currency: "EUR",
		Lines: []affiliate.Line{
			{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(10000, "EUR"), Plan: "pro"},
			{Kind: affiliate.LineTax, Amount: affiliate.MustMoney(1900, "EUR")},
		},
	}
	p2 = affiliate.Payment{
		ID: "cus_1-p02", Customer: "cus_1", PaidAt: affiliatetest.Epoch.Add(32 * day), Currency: "USD",
		Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(2000, "USD"), Plan: "pro"}},
	}
	r1 = affiliate.Refund{
		ID: "cus_1-p01-r1", Payment: p1.ID, Customer: "cus_1", RefundedAt: affiliatetest.Epoch.Add(3 * day),
		Kind: affiliate.KindRefund, Amount: affiliate.MustMoney(2975, "EUR"),
	}
	story = []affiliate.Event{p1, r1, p2}
)

func system(t interface {
	Helper()
	Fatal(...any)
}, f affiliatetest.Factory) affiliatetest.System {
	t.Helper()
	sys, err := f()
	if err != nil {
		t.Fatal(err)
	}
	return sys
}

// TestCheckersPassACorrectEngine runs every engine checker on generated
// histories, delivered in generated orders with duplicates, against the
// fake engine without bugs: none may report a violation.
func TestCheckersPassACorrectEngine(t *testing.T) {
	ctx := context.Background()
	rapid.Check(t, func(t *rapid.T) {
		bound := affiliatetest.History(affiliatetest.HistoryOptions{Customer: "cus_1", MultiCurrency: true}).Draw(t, "bound history")
		unbound := affiliatetest.History(affiliatetest.HistoryOptions{Customer: "cus_2", MaxPayments: 2}).Draw(t, "unbound history")
		events := append(bound, unbound...)
		affiliatetest.SortEvents(events)
		arrivals := affiliatetest.Arrivals(events).Draw(t, "arrivals")
		checks := map[string]func() error{
			"I1": func() error { return affiliatetest.CheckIdempotent(ctx, system(t, newFake(noBug)), arrivals) },
			"I2": func() error { return affiliatetest.CheckOrderIndependent(ctx, newFake(noBug), events, arrivals) },
			"I3": func() error { return affiliatetest.CheckRefunds(ctx, system(t, newFake(noBug)), arrivals) },
			"I4": func() error {
				return affiliatetest.CheckRateBounds(ctx, system(t, newFake(noBug)), arrivals, affiliatetest.Bounds{MaxRate: rate, MaxBonusRate: bonusRate})
			},
			"I5": func() error { return affiliatetest.CheckCurrencies(ctx, system(t, newFake(noBug)), arrivals) },
			"I8": func() error { return affiliatetest.CheckDeterministic(ctx, newFake(noBug), arrivals, 2) },
		}
		for name, check := range checks {
			if err := check(); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
	})
}

func TestAtomicFailuresPassACorrectEngine(t *testing.T) {
	if err := affiliatetest.CheckAtomicFailures(context.Background(), newFaultyFake(noBug), story); err != nil {
		t.Fatal(err)
	}
}

// TestCheckersCatchBrokenEngines gives each checker the fake engine with
// the bug it exists to catch, and requires a Violation of its invariant
// that says what went wrong.
func TestCheckersCatchBrokenEngines(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		check func() error
		inv   string
		want  []string
	}{
		{
			"I1: a redelivery appends again",
			func() error { return affiliatetest.CheckIdempotent(ctx, system(t, newFake(bugReplayAppends)), story) },
			"I1", []string{"on cus_1-p01", "delivering it a second time at once changed the ledger", "added cus_1-p01/again"},
		},
		{
			"I2: the rate depends on arrival",
			func() error {
				return affiliatetest.CheckOrderIndependent(ctx, newFake(bugArrivalRate), story, []affiliate.Event{p2, r1, p1})
			},
			"I2", []string{"net ledgers differ", "aff_1 from cus_1's payment cus_1-p02 (commission, USD): arrival order 1 4.00 USD, arrival order 2 6.00 USD"},
		},
		{
			"I3: a partial refund reverses everything",
			func() error { return affiliatetest.CheckRefunds(ctx, system(t, newFake(bugFullReversal)), story) },
			"I3", []string{"on cus_1-p01, cus_1-p01-r1", "29.75 EUR of 119.00 EUR refunded, so 22.5000 EUR of the 30.00 EUR earned should remain", "but 0.00 EUR remains"},
		},
		{
			"I4: pays above its rate",
			func() error {
				return affiliatetest.CheckRateBounds(ctx, system(t, newFake(bugOverRate)), story, affiliatetest.Bounds{MaxRate: rate})
			},
			"I4", []string{"entry cus_1-p01/1 (aff_1, commission on payment cus_1-p01): 31.00 EUR is more than its rate 0.3 times its base 100.00 EUR (at most 30.00 EUR)"},
		},
		{
			"I4: a negative bonus",
			func() error {
				return affiliatetest.CheckRateBounds(ctx, system(t, newFake(bugNegativeBonus)), story, affiliatetest.Bounds{})
			},
			"I4", []string{"entry cus_1-p01/2 (aff_2, sub_affiliate_bonus on payment cus_1-p01): a negative accrual, -5.00 EUR", "aff_2 from cus_1's payment cus_1-p01 (sub_affiliate_bonus, EUR): earned -5.00 EUR before refunds"},
		},
		{
			"I4: above the program's bonus rate",
			func() error {
				return affiliatetest.CheckRateBounds(ctx, system(t, newFake(noBug)), story, affiliatetest.Bounds{MaxBonusRate: affiliate.MustPercent("4")})
			},
			"I4", []string{"rate 0.05 is above the program's sub-affiliate bonus rate 0.04"},
		},
		{
			"I5: entries in the wrong currency",
			func() error { return affiliatetest.CheckCurrencies(ctx, system(t, newFake(bugWrongCurrency)), story) },
			"I5", []string{"on cus_1-p02", "entry cus_1-p02/1 (commission) is in 6.00 EUR, but payment cus_1-p02 is in USD"},
		},
		{
			"I5: a total that mixes currencies",
			func() error { return affiliatetest.CheckCurrencies(ctx, system(t, newFake(bugMixedTotals)), story) },
			"I5", []string{"aff_1's earnings total for 2026-02 in EUR is 6.00 EUR, but its EUR entries sum to 0.00 EUR"},
		},
		{
			"I7: two writes per event",
			func() error { return affiliatetest.CheckAtomicFailures(ctx, newFaultyFake(bugTwoWrites), story) },
			"I7", []string{"on cus_1-p01", "(Events.Commit) failed after it reached the store (a lost answer)", "left a partial event", "event log: [], then [cus_1-p01]"},
		},
		{
			"I8: random entry IDs",
			func() error { return affiliatetest.CheckDeterministic(ctx, newFake(bugRandomIDs), story, 2) },
			"I8", []string{"entry 1 differs between run 1 and run 2 (-run 1 +run 2)", "ID:"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.check()
			var v *affiliatetest.Violation
			if !errors.As(err, &v) {
				t.Fatalf("got %v, want a *Violation of %s", err, tc.inv)
			}
			if v.Invariant != tc.inv {
				t.Errorf("Invariant = %s, want %s; %v", v.Invariant, tc.inv, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("the report does not say %q; it says:\n%v", w, err)
				}
			}
		})
	}
}

// TestCheckersFindBugsWithRapid shows the checkers inside a property: the
// broken engines are caught on generated histories too, not only on the
// hand-made story.
func TestCheckersFindBugsWithRapid(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		check func(t *rapid.T, events []affiliate.Event) error
	}{
		{"I1", func(t *rapid.T, events []affiliate.Event) error {
			return affiliatetest.CheckIdempotent(ctx, system(t, newFake(bugReplayAppends)), events)
		}},
		{"I2", func(t *rapid.T, events []affiliate.Event) error {
			return affiliatetest.CheckOrderIndependent(ctx, newFake(bugArrivalRate), events, affiliatetest.Shuffled(events).Draw(t, "order"))
		}},
		{"I3", func(t *rapid.T, events []affiliate.Event) error {
			return affiliatetest.CheckRefunds(ctx, system(t, newFake(bugFullReversal)), events)
		}},
		{"I8", func(t *rapid.T, events []affiliate.Event) error {
			return affiliatetest.CheckDeterministic(ctx, newFake(bugRandomIDs), events, 2)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			found := false
			for range 20 {
				failed := false
				rapid.Check(t, func(rt *rapid.T) {
					events := affiliatetest.History(affiliatetest.HistoryOptions{Customer: "cus_1", MinPayments: 2}).Draw(rt, "history")
					if err := tc.check(rt, events); err != nil {
						var v *affiliatetest.Violation
						if !errors.As(err, &v) || v.Invariant != tc.name {
							rt.Fatalf("unexpected error: %v", err)
						}
						failed = true
					}
				})
				if found = failed; found {
					break
				}
			}
			if !found {
				t.Errorf("no generated history exposed the %s bug", tc.name)
			}
		})
	}
}

func TestNetLedger(t *testing.T) {
	eur := func(minor int64) affiliate.Money { return affiliate.MustMoney(minor, "EUR") }
	entries := []affiliate.Entry{
		{ID: "a", Beneficiary: "aff_1", Customer: "cus_1", Payment: "p1", Kind: affiliate.KindCommission, Amount: eur(600)},
		{ID: "b", Beneficiary: "aff_1", Customer: "cus_1", Payment: "p1", Kind: affiliate.KindReversal, Amount: eur(-600), Corrects: "a"},
		{ID: "c", Beneficiary: "aff_2", Customer: "cus_1", Payment: "p1", Kind: affiliate.KindBonus, Amount: eur(100)},
		{ID: "d", Beneficiary: "aff_2", Customer: "cus_1", Payment: "p1", Kind: affiliate.KindAdjustment, Amount: eur(-40), Corrects: "c"},
	}
	net, err := affiliatetest.Net(entries)
	if err != nil {
		t.Fatal(err)
	}
	want := affiliatetest.NetLedger{
		{Beneficiary: "aff_2", Customer: "cus_1", Payment: "p1", Currency: "EUR", Kind: affiliate.KindBonus}: eur(60),
	}
	if len(net) != len(want) {
		t.Fatalf("Net = %v, want %v", net, want)
	}
	for k, v := range want {
		if net[k] != v {
			t.Errorf("Net[%v] = %v, want %v", k, net[k], v)
		}
	}
}

func TestOrderIndependentRefusesDifferentEventSets(t *testing.T) {
	err := affiliatetest.CheckOrderIndependent(context.Background(), newFake(noBug), story, []affiliate.Event{p1, p2})
	var v *affiliatetest.Violation
	if err == nil || errors.As(err, &v) {
		t.Fatalf("got %v, want a caller error, not a violation", err)
	}
}
