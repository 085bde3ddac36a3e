package tiers_test

import (
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/tiers"
)

// TestCorrectionOutsideTheMonth: the engine re-prices a March accrual when
// a payment dated in February arrives after it (an out-of-order replay), and
// dates that adjustment in February. March's close must count it: here
// February's re-close brings the tier back to Standard, so March's re-close
// takes the adjustment back, although the accrual itself was priced at
// Standard and nothing in March corrects it.
func TestCorrectionOutsideTheMonth(t *testing.T) {
	w := newEngineWorld(t, tiers.Config{Policy: tiers.NextPeriod})
	w.bind("c1", "ann", "")
	w.bind("c2", "ann", "")
	es := must[[]affiliate.Entry](t)(w.pay(payment("mar", "c1", day(time.March, 5), eur("100"))))
	if got := amounts(es); got != "mar commission +15.00" {
		t.Fatalf("March priced %s", got)
	}
	must[[]affiliate.Entry](t)(w.pay(payment("feb", "c2", day(time.February, 10), eur("12000"))))
	// c1's February payment arrives after its March one: the engine replays
	// c1 and re-prices March at February's running tier, Premium, with an
	// adjustment dated at the February payment.
	es = must[[]affiliate.Entry](t)(w.pay(payment("feb1", "c1", day(time.February, 11), eur("10"))))
	if got := amounts(es); got != "feb1 commission +1.50, mar adjustment +5.00" {
		t.Fatalf("the out-of-order payment appended %s", got)
	}
	w.close(time.January, 0)
	w.close(time.February, 0)
	if res := w.close(time.March, 0); len(res.Entries) != 0 {
		t.Fatalf("March's close appended %s; March is already at February's Premium", amounts(res.Entries))
	}
	// A late refund pulls February under the threshold.
	must[[]affiliate.Entry](t)(w.refund("r1", "feb", day(time.February, 20), eur("3000")))
	if res := w.close(time.February, time.Hour); len(res.Reclose) != 1 {
		t.Fatalf("February's re-close: reclose %v, want March", res.Reclose)
	}
	res := w.close(time.March, time.Hour)
	if got := amounts(res.Entries); got != "mar adjustment -5.00" {
		t.Errorf("March's re-close appended %q, want the February-dated adjustment taken back", got)
	}
	if got := w.net("ann", "mar").AmountString(); got != "15.00" {
		t.Errorf("March nets %s, want 15.00 at February's final Standard", got)
	}
	w.recomputesNothing(t, "c1", "c2")
}

// TestTierAnchors: a tier-driven accrual of zero (a 0% floor tier, or an
// amount that rounds to nothing) that the ledger holds as an entry of 0.00
// naming its tier, base and rate, is raised by a retroactive close, even
// for an affiliate whose month earned nothing so far. package rules
// returns such anchors; the entries here are written as an engine that
// keeps them would write them: zero amounts add nothing to the earnings
// aggregate.
func TestTierAnchors(t *testing.T) {
	starter := tiers.Tier{Name: "Starter", BonusRate: affiliate.MustPercent("0")}
	sched := tiers.MustSchedule(starter, premium)
	w := newWorld(t, tiers.Config{Policy: tiers.Retroactive, Schedule: sched})
	anchor := func(pay string, base affiliate.Money, rate affiliate.Rate, tier string, day int) affiliate.Entry {
		at := time.Date(2026, time.January, day, 12, 0, 0, 0, time.UTC)
		amount, _ := base.MulRate(rate, affiliate.HalfEven)
		return affiliate.Entry{
			ID: affiliate.EntryID(pay + "/1"), Beneficiary: "ann", Event: affiliate.EventID(pay), Payment: affiliate.EventID(pay), Customer: "c1",
			Kind: affiliate.KindCommission, Base: base, Rate: rate, Amount: amount, Tier: tier, Rule: "tier_rate",
			At: at, AvailableAt: at,
		}
	}
	must[storage.AppendResult](t)(w.store.Append(w.ctx, storage.AppendBatch{Key: "engine", Hash: "h",
		Entries: []affiliate.Entry{
			anchor("p1", eur("12000"), starter.Rate, "Starter", 5),
			anchor("p2", eur("0.03"), starter.Rate, "Starter", 6),
		},
		Deltas: []storage.AggregateDelta{{Affiliate: "ann", Period: "2026-01", Metric: storage.MetricRevenueConverted, Amount: eur("12000.03")}},
	}))
	res := w.close(time.January, 0)
	if got := amounts(res.Entries); got != "p1 adjustment +2400.00, p2 adjustment +0.01" {
		t.Errorf("close appended %q, want both anchors raised to Premium's 20%%", got)
	}
	if res := w.close(time.January, time.Hour); res.Written {
		t.Errorf("a second close wrote %+v", res)
	}
}

// TestRecomputedAccrualAfterReclose: an accrual the engine writes at a
// recompute is dated at the engine's clock (March) although its payment is
// January's; a re-close of January that changes the tier does not read it
// (see the package doc's limits), and Engine.Recompute of the customer
// brings it to January's final tier.
func TestRecomputedAccrualAfterReclose(t *testing.T) {
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
	// A late refund takes January under the threshold.
	must[[]affiliate.Entry](t)(w.refund("r1", "big", day(time.January, 31), eur("1")))
	if got := amounts(w.close(time.January, time.Hour).Entries); got != "big adjustment -500.00, big reversal +0.05" {
		t.Errorf("January's re-close appended %q", got)
	}
	res := must[commission.Result](t)(eng.Recompute(w.ctx, "c2"))
	if got := amounts(res.Entries); got != "late adjustment -5.00" {
		t.Errorf("Recompute(c2) appended %q", got)
	}
	if got := w.net("ann", "late").AmountString(); got != "15.00" {
		t.Errorf("late nets %s, want January's final Standard 15.00", got)
	}
	w.recomputesNothing(t, "c1", "c2")
}
