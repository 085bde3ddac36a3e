package tiers_test

import (
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/tiers"
)

// The tests in this file pin what the tier close could not do while it
// wrote its own true-ups: the engine re-prices through the rules, so each
// now works. The zero accrual is TestZeroAccrual.

// TestLimitAccrualOutsideItsMonth: the engine re-prices a March accrual
// when a February payment of its customer arrives after it (an
// out-of-order replay), at February's running tier. When February's
// re-close brings the tier back to Standard, the engine's Retier re-prices
// March at once; March's re-close has nothing left to do.
func TestLimitAccrualOutsideItsMonth(t *testing.T) {
	w := newWorld(t, tiers.Config{Policy: tiers.NextPeriod})
	w.bind("c1", "ann", "")
	w.bind("c2", "ann", "")
	es := must[[]affiliate.Entry](t)(w.pay(payment("mar", "c1", day(time.March, 5), eur("100"))))
	if got := amounts(es); got != "mar commission +15.00" {
		t.Fatalf("March priced %s", got)
	}
	must[[]affiliate.Entry](t)(w.pay(payment("feb", "c2", day(time.February, 10), eur("12000"))))
	es = must[[]affiliate.Entry](t)(w.pay(payment("feb1", "c1", day(time.February, 11), eur("10"))))
	if got := amounts(es); got != "feb1 commission +1.50, mar adjustment +5.00" || es[1].At != day(time.March, 5) {
		t.Fatalf("the out-of-order payment appended %s (%v); want March's adjustment dated with March's accrual", got, es)
	}
	w.close(time.January, 0)
	w.close(time.February, 0)
	if res := w.close(time.March, 0); len(res.Entries) != 0 {
		t.Fatalf("March's close appended %s; March is already at February's Premium", amounts(res.Entries))
	}
	// A late refund pulls February under the threshold.
	must[[]affiliate.Entry](t)(w.refund("r1", "feb", day(time.February, 20), eur("3000")))
	res := w.close(time.February, time.Hour)
	if got := amounts(res.Entries); got != "mar adjustment -5.00" || len(res.Reclose) != 1 {
		t.Fatalf("February's re-close appended %q, reclose %v; want March back at Standard, and March to re-close", got, res.Reclose)
	}
	if res := w.close(time.March, time.Hour); len(res.Entries) != 0 {
		t.Errorf("March's re-close appended %s", amounts(res.Entries))
	}
	if got := w.net("ann", "mar").AmountString(); got != "15.00" {
		t.Errorf("March nets %s, want 15.00 at February's final Standard", got)
	}
	w.recomputesNothing(t, "c1", "c2")
}

// TestLimitRecomputedAccrual: a customer bound after its January payment
// earns from the recompute that follows, dated at the engine's clock
// (March). When January's re-close moves Ann back to Standard, Retier
// re-prices that accrual too: it is always re-priced, its date saying
// nothing of its payment's month.
func TestLimitRecomputedAccrual(t *testing.T) {
	w := newWorld(t, tiers.Config{Policy: tiers.Retroactive})
	eng, err := commission.New(commission.Config{
		Store: w.store, Terms: []commission.TermsVersion{{Version: "v1", Rule: seedRules()}},
		Tiers: w.prog, Currency: "EUR", RequireConversion: true,
		Now: func() time.Time { return day(time.March, 5) },
	})
	if err != nil {
		t.Fatal(err)
	}
	w.eng = eng
	w.bind("c1", "ann", "")
	must[[]affiliate.Entry](t)(w.pay(payment("big", "c1", day(time.January, 3), eur("10000"))))
	must[commission.Result](t)(eng.Record(w.ctx, payment("late", "c2", day(time.January, 4), eur("100"))))
	w.close(time.January, 0)
	w.bind("c2", "ann", "")
	must[commission.Result](t)(eng.Recompute(w.ctx, "c2"))
	if got := w.net("ann", "late").AmountString(); got != "20.00" {
		t.Fatalf("late nets %s after the recompute, want January's Premium 20.00", got)
	}
	w.close(time.February, 0)
	w.close(time.March, 0)
	// A late refund takes January under the threshold: 10,000 + 100 (the
	// late-bound payment counts for Ann since the recompute) − 101.
	must[[]affiliate.Entry](t)(w.refund("r1", "big", day(time.January, 31), eur("101")))
	if got := amounts(w.close(time.January, time.Hour).Entries); got != "big adjustment -500.00, big reversal +5.05, late adjustment -5.00" {
		t.Errorf("January's re-close appended %q", got)
	}
	if got := w.net("ann", "late").AmountString(); got != "15.00" {
		t.Errorf("late nets %s, want January's final Standard 15.00", got)
	}
	w.recomputesNothing(t, "c1", "c2")
}

// TestLimitCap: a cap on a tier-driven amount holds through a retroactive
// close: the rule runs again at Premium, and the cap cuts it again.
func TestLimitCap(t *testing.T) {
	capped := rules.Cap{Name: "lifetime", Limits: []affiliate.Money{eur("1500")}, Rule: rules.TierRate{}}
	w := newWorldWith(t, tiers.Config{Policy: tiers.Retroactive}, capped)
	w.bind("c1", "ann", "")
	must[[]affiliate.Entry](t)(w.pay(payment("p1", "c1", day(time.January, 5), eur("6000"))))
	must[[]affiliate.Entry](t)(w.pay(payment("p2", "c1", day(time.January, 6), eur("4000"))))
	// At Standard: 900 + 600 = 1,500, the cap. At Premium: 1,200, then
	// what is left of the cap, 300.
	w.close(time.January, 0)
	if got := w.net("ann", "p1").AmountString() + " " + w.net("ann", "p2").AmountString(); got != "1200.00 300.00" {
		t.Errorf("p1 and p2 net %s at Premium under the cap, want 1200.00 300.00", got)
	}
	w.recomputesNothing(t, "c1")
}

// TestLimitBonusOfCommission: a parent's bonus on its sub-affiliate's
// commission (rules.OfCommission) follows the sub-affiliate's tier: when
// the close moves the child to Premium, its commission and the parent's
// 10% of it are re-priced together.
func TestLimitBonusOfCommission(t *testing.T) {
	rule := rules.AllOf{rules.TierRate{}, rules.SubAffiliateBonus{Of: rules.OfCommission, Commission: rules.TierRate{}, Rate: affiliate.MustPercent("10")}}
	w := newWorldWith(t, tiers.Config{Policy: tiers.Retroactive}, rule)
	w.bind("c1", "kid", "mum")
	must[[]affiliate.Entry](t)(w.pay(payment("p1", "c1", day(time.January, 5), eur("10000"))))
	if got := w.net("kid", "p1").AmountString() + " " + w.net("mum", "p1").AmountString(); got != "1500.00 150.00" {
		t.Fatalf("priced %s in the open month, want 1500.00 150.00", got)
	}
	w.close(time.January, 0)
	if got := w.net("kid", "p1").AmountString() + " " + w.net("mum", "p1").AmountString(); got != "2000.00 200.00" {
		t.Errorf("after the close %s, want 2000.00 200.00", got)
	}
	w.recomputesNothing(t, "c1")
}
