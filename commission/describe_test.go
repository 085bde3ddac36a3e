package commission_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
)

// TestEntriesDescribeThemselvesAsBefore: a year of corrections on a
// three-level chain (tiers, bonuses on the revenue and on the commission,
// a cap, a 0.00 accrual at a tier, refunds, a payment into a paid-out
// month, re-pricing at new tiers, a suspended parent) gives entries whose
// Describe is, line for line, the explanation the engine stored before it
// stopped building one per accrual (the want list is that engine's
// output). Entries whose fields do not render their line (a base moved
// to a later month, a correction quoting the accrual) store it whole.
func TestEntriesDescribeThemselvesAsBefore(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	tier := map[affiliate.AffiliateID]rules.Tier{"a1": standard, "a2": standard, "a3": standard}
	source := commission.TierSourceFunc(func(_ context.Context, a affiliate.AffiliateID, _ affiliate.Payment) (rules.Tier, error) {
		mu.Lock()
		defer mu.Unlock()
		return tier[a], nil
	})
	program := rules.AllOf{
		rules.TierRate{},
		rules.SubAffiliateBonus{Depth: 2},
		rules.SubAffiliateBonus{Name: "on_commission", Of: rules.OfCommission, Commission: rules.TierRate{}, Rate: affiliate.MustPercent("10"), Depth: 2},
		rules.Cap{Name: "cap", Limits: []affiliate.Money{affiliate.MustParseMoney("25", "EUR")}, Rule: rules.Percent{Name: "capped", Rate: affiliate.MustPercent("10")}},
	}
	f := newFixture(t, commission.Config{Terms: terms(program), Tiers: source}, aff("a1", ""), aff("a2", "a1"), aff("a3", "a2"))
	f.bind("c1", "a3", day(time.January, 1))
	f.record(pay("p1", "c1", day(time.January, 5), "EUR", line(affiliate.LineSubscription, "100", "EUR"), line(affiliate.LineAddOn, "20", "EUR")))
	f.record(pay("p2", "c1", day(time.January, 10), "EUR", line(affiliate.LineSubscription, "0.03", "EUR")))
	f.record(pay("p3", "c1", day(time.January, 20), "EUR", line(affiliate.LineSubscription, "200", "EUR")))
	f.record(refund("r1", "p1", "c1", day(time.January, 25), "50", "EUR"))
	f.payouts(per("2026-01"))
	f.record(pay("p4", "c1", day(time.January, 28), "EUR", line(affiliate.LineSubscription, "100", "EUR")))
	mu.Lock()
	tier["a3"], tier["a2"] = premium, premium
	mu.Unlock()
	for _, a := range []affiliate.AffiliateID{"a3", "a2"} {
		if _, err := f.eng.Retier(ctx, a, per("2026-01").Start()); err != nil {
			t.Fatal(err)
		}
	}
	suspended := aff("a1", "")
	suspended.Status = affiliate.StatusSuspended
	if err := f.store.PutAffiliate(ctx, suspended); err != nil {
		t.Fatal(err)
	}
	f.record(refund("r2", "p3", "c1", day(time.February, 3), "", "EUR"))
	f.record(pay("p5", "c1", day(time.February, 10), "EUR", line(affiliate.LineSubscription, "40", "EUR")))

	es, err := f.store.Entries(ctx, storage.EntryQuery{Customer: "c1"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		got = append(got, fmt.Sprintf("%s %s %s %s: %s", e.ID, e.Beneficiary, e.Kind, e.Amount, describeEntry(e)))
	}
	want := []string{
		`p1/1 a3 commission 18.00 EUR: tier "Standard": 15% of 120.00 EUR (subscription, add_on)`,
		`p1/2 a2 sub_affiliate_bonus 6.00 EUR: tier "Standard" bonus: 5% of 120.00 EUR (subscription, add_on) referred by a3`,
		`p1/3 a1 sub_affiliate_bonus 6.00 EUR: tier "Standard" bonus: 5% of 120.00 EUR (subscription, add_on) referred by a3`,
		"p1/4 a2 sub_affiliate_bonus 1.80 EUR: 10% of a3's commission 18.00 EUR",
		"p1/5 a1 sub_affiliate_bonus 0.18 EUR: 10% of a2's bonus 1.80 EUR",
		"p1/6 a3 commission 12.00 EUR: 10% of 120.00 EUR (subscription, add_on)",
		`p2/1 a3 commission 0.00 EUR: tier "Standard": 15% of 0.03 EUR (subscription)`,
		`p2/2 a2 sub_affiliate_bonus 0.00 EUR: tier "Standard" bonus: 5% of 0.03 EUR (subscription) referred by a3`,
		`p2/3 a1 sub_affiliate_bonus 0.00 EUR: tier "Standard" bonus: 5% of 0.03 EUR (subscription) referred by a3`,
		`p3/1 a3 commission 30.00 EUR: tier "Standard": 15% of 200.00 EUR (subscription)`,
		`p3/2 a2 sub_affiliate_bonus 10.00 EUR: tier "Standard" bonus: 5% of 200.00 EUR (subscription) referred by a3`,
		`p3/3 a1 sub_affiliate_bonus 10.00 EUR: tier "Standard" bonus: 5% of 200.00 EUR (subscription) referred by a3`,
		"p3/4 a2 sub_affiliate_bonus 3.00 EUR: 10% of a3's commission 30.00 EUR",
		"p3/5 a1 sub_affiliate_bonus 0.30 EUR: 10% of a2's bonus 3.00 EUR",
		`p3/6 a3 commission 13.00 EUR: 10% of 200.00 EUR (subscription); capped at 13.00 EUR by lifetime cap "cap" of 25.00 EUR`,
		"r1/1 a3 reversal -7.50 EUR: refunds took back 50.00 EUR of 120.00 EUR paid: keeps 10.50 EUR of 18.00 EUR",
		"r1/2 a2 reversal -2.50 EUR: refunds took back 50.00 EUR of 120.00 EUR paid: keeps 3.50 EUR of 6.00 EUR",
		"r1/3 a1 reversal -2.50 EUR: refunds took back 50.00 EUR of 120.00 EUR paid: keeps 3.50 EUR of 6.00 EUR",
		"r1/4 a2 reversal -0.75 EUR: refunds took back 50.00 EUR of 120.00 EUR paid: keeps 1.05 EUR of 1.80 EUR",
		"r1/5 a1 reversal -0.08 EUR: refunds took back 50.00 EUR of 120.00 EUR paid: keeps 0.10 EUR of 0.18 EUR",
		"r1/6 a3 reversal -5.00 EUR: refunds took back 50.00 EUR of 120.00 EUR paid: keeps 7.00 EUR of 12.00 EUR",
		`c1/state-6/1 a3 adjustment 6.00 EUR: adjusted from 18.00 EUR to 24.00 EUR: tier "Premium": 20% of 120.00 EUR (subscription, add_on) (for 2026-01, paid out before it was known)`,
		`c1/state-6/10 a3 adjustment 10.00 EUR: adjusted from 30.00 EUR to 40.00 EUR: tier "Premium": 20% of 200.00 EUR (subscription) (for 2026-01, paid out before it was known)`,
		`c1/state-6/11 a2 adjustment 0.00 EUR: tier "Standard" → "Premium": the amount stays 10.00 EUR`,
		"c1/state-6/12 a2 adjustment 1.00 EUR: adjusted from 3.00 EUR to 4.00 EUR: 10% of a3's commission 40.00 EUR (for 2026-01, paid out before it was known)",
		"c1/state-6/13 a1 adjustment 0.10 EUR: adjusted from 0.30 EUR to 0.40 EUR: 10% of a2's bonus 4.00 EUR (for 2026-01, paid out before it was known)",
		`c1/state-6/14 a3 adjustment 5.00 EUR: adjusted from 15.00 EUR to 20.00 EUR: tier "Premium": 20% of 100.00 EUR (subscription) (for 2026-01, paid out before it was known)`,
		`c1/state-6/15 a2 adjustment 0.00 EUR: tier "Standard" → "Premium": the amount stays 5.00 EUR`,
		"c1/state-6/16 a2 adjustment 0.50 EUR: adjusted from 1.50 EUR to 2.00 EUR: 10% of a3's commission 20.00 EUR (for 2026-01, paid out before it was known)",
		"c1/state-6/17 a1 adjustment 0.05 EUR: adjusted from 0.15 EUR to 0.20 EUR: 10% of a2's bonus 2.00 EUR (for 2026-01, paid out before it was known)",
		"c1/state-6/2 a3 reversal -2.50 EUR: refunds took back 50.00 EUR of 120.00 EUR paid: keeps 14.00 EUR of 24.00 EUR (for 2026-01, paid out before it was known)",
		`c1/state-6/3 a2 adjustment 0.00 EUR: tier "Standard" → "Premium": the amount stays 6.00 EUR`,
		"c1/state-6/4 a2 adjustment 0.60 EUR: adjusted from 1.80 EUR to 2.40 EUR: 10% of a3's commission 24.00 EUR (for 2026-01, paid out before it was known)",
		"c1/state-6/5 a2 reversal -0.25 EUR: refunds took back 50.00 EUR of 120.00 EUR paid: keeps 1.40 EUR of 2.40 EUR (for 2026-01, paid out before it was known)",
		"c1/state-6/6 a1 adjustment 0.06 EUR: adjusted from 0.18 EUR to 0.24 EUR: 10% of a2's bonus 2.40 EUR (for 2026-01, paid out before it was known)",
		"c1/state-6/7 a1 reversal -0.02 EUR: refunds took back 50.00 EUR of 120.00 EUR paid: keeps 0.14 EUR of 0.24 EUR (for 2026-01, paid out before it was known)",
		`c1/state-6/8 a3 adjustment 0.01 EUR: adjusted from 0.00 EUR to 0.01 EUR: tier "Premium": 20% of 0.03 EUR (subscription) (for 2026-01, paid out before it was known)`,
		`c1/state-6/9 a2 adjustment 0.00 EUR: tier "Standard" → "Premium": the amount stays 0.00 EUR`,
		`p4/1 a3 commission 15.00 EUR: tier "Standard": 15% of 100.00 EUR (subscription) (for 2026-01, paid out before it was known)`,
		`p4/2 a2 sub_affiliate_bonus 5.00 EUR: tier "Standard" bonus: 5% of 100.00 EUR (subscription) referred by a3 (for 2026-01, paid out before it was known)`,
		`p4/3 a1 sub_affiliate_bonus 5.00 EUR: tier "Standard" bonus: 5% of 100.00 EUR (subscription) referred by a3 (for 2026-01, paid out before it was known)`,
		"p4/4 a2 sub_affiliate_bonus 1.50 EUR: 10% of a3's commission 15.00 EUR (for 2026-01, paid out before it was known)",
		"p4/5 a1 sub_affiliate_bonus 0.15 EUR: 10% of a2's bonus 1.50 EUR (for 2026-01, paid out before it was known)",
		"r2/1 a3 reversal -40.00 EUR: refunds took back 200.00 EUR of 200.00 EUR paid: keeps 0.00 EUR of 40.00 EUR",
		"r2/2 a2 reversal -10.00 EUR: refunds took back 200.00 EUR of 200.00 EUR paid: keeps 0.00 EUR of 10.00 EUR",
		"r2/3 a1 reversal -10.00 EUR: refunds took back 200.00 EUR of 200.00 EUR paid: keeps 0.00 EUR of 10.00 EUR",
		"r2/4 a2 reversal -4.00 EUR: refunds took back 200.00 EUR of 200.00 EUR paid: keeps 0.00 EUR of 4.00 EUR",
		"r2/5 a1 reversal -0.40 EUR: refunds took back 200.00 EUR of 200.00 EUR paid: keeps 0.00 EUR of 0.40 EUR",
		"r2/6 a3 reversal -13.00 EUR: refunds took back 200.00 EUR of 200.00 EUR paid: keeps 0.00 EUR of 13.00 EUR",
		`p5/1 a3 commission 8.00 EUR: tier "Premium": 20% of 40.00 EUR (subscription)`,
		`p5/2 a2 sub_affiliate_bonus 2.00 EUR: tier "Premium" bonus: 5% of 40.00 EUR (subscription) referred by a3`,
		"p5/3 a2 sub_affiliate_bonus 0.80 EUR: 10% of a3's commission 8.00 EUR",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	// What is stored: a plain accrual nothing, a cap its "; " note, a
	// payment into a paid-out month its whole line.
	stored := map[affiliate.EntryID]string{}
	for _, e := range es {
		stored[e.ID] = e.Explanation
	}
	for id, want := range map[affiliate.EntryID]string{
		"p1/1": "", "p1/5": "", "p2/1": "",
		"p3/6": `; capped at 13.00 EUR by lifetime cap "cap" of 25.00 EUR`,
		"p4/1": `tier "Standard": 15% of 100.00 EUR (subscription) (for 2026-01, paid out before it was known)`,
	} {
		if stored[id] != want {
			t.Errorf("%s stores %q, want %q", id, stored[id], want)
		}
	}
}

func describeEntry(e affiliate.Entry) string { return e.Describe() }
