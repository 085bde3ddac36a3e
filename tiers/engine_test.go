package tiers_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/tiers"
)

// The program is the engine's tier source.
var _ commission.TierSource = (*tiers.Program)(nil)

// TestEngineRetroactive runs seed 000 through commission.Engine with the
// program as its tier source: the close trues the engine's entries up, a
// late refund is reversed by the engine and corrected by the next close,
// and the engine, asked to recompute, agrees with every correction.
func TestEngineRetroactive(t *testing.T) {
	w := newEngineWorld(t, tiers.Config{Policy: tiers.Retroactive})
	w.bind("cp", "pat", "")    // Pat's own customer
	w.bind("ca", "ann", "pat") // Ann is Pat's sub-affiliate
	must[[]affiliate.Entry](t)(w.pay(payment("pp", "cp", day(time.January, 3), eur("10000"))))
	must[[]affiliate.Entry](t)(w.pay(payment("pa1", "ca", day(time.January, 5), eur("4000"))))
	es := must[[]affiliate.Entry](t)(w.pay(payment("pa2", "ca", day(time.January, 10), eur("7000"))))
	// Priced at the floor: Ann 15% of 7,000; Pat 5% of it as her parent.
	if got := amounts(es); got != "pa2 commission +1050.00, pa2 sub_affiliate_bonus +350.00" {
		t.Fatalf("pa2 priced %s", got)
	}

	// January: Pat 10,000 and Ann 11,000 (her customer's payments count for
	// her, not for Pat): both Premium. Commissions go to 20%; the bonus
	// rate is 5% in both tiers, so bonuses stay, and a zero adjustment
	// names their new tier (Retier then finds them priced).
	res := w.close(time.January, 0)
	if got := amounts(res.Entries); got != "pa1 adjustment +200.00, pa1 adjustment 0.00, pa2 adjustment +350.00, pa2 adjustment 0.00, pp adjustment +500.00" {
		t.Errorf("close appended %s", got)
	}
	w.recomputesNothing(t, "cp", "ca")

	// A refund of 2,000 of pa2 made on 31 January, recorded after the
	// close: the engine reverses 2/7 of Ann's 1,400 and of Pat's 350.
	rev := must[[]affiliate.Entry](t)(w.refund("r1", "pa2", day(time.January, 31), eur("2000")))
	if got := amounts(rev); got != "pa2 reversal -400.00, pa2 reversal -100.00" {
		t.Errorf("refund reversed %s", got)
	}
	res = w.close(time.January, time.Hour)
	// Ann's January is 9,000 now: Standard. pa1 back to 600; pa2 to 15%
	// of 7,000 kept 5/7: 750 (it held 1,000 after the refund).
	if got := amounts(res.Entries); got != "pa1 adjustment -200.00, pa2 adjustment -350.00, pa2 reversal +100.00" {
		t.Errorf("re-close appended %s", got)
	}
	for _, e := range res.Entries {
		if line := commission.Explain(e); !strings.Contains(line, "Standard") {
			t.Errorf("Explain(%s) = %q", e.ID, line)
		}
	}
	want := map[affiliate.AffiliateID]map[affiliate.EventID]string{
		"ann": {"pa1": "600.00", "pa2": "750.00"},
		"pat": {"pp": "2000.00", "pa2": "250.00"},
	}
	for a, pays := range want {
		for p, amt := range pays {
			if got := w.net(a, p).AmountString(); got != amt {
				t.Errorf("%s nets %s on %s, want %s", a, got, p, amt)
			}
		}
	}
	w.recomputesNothing(t, "cp", "ca")
	if res := w.close(time.January, 2*time.Hour); res.Written {
		t.Errorf("third close wrote %+v", res)
	}
}

// TestEnginePolicies runs TestPolicies' month through the engine under
// each policy and checks the nets.
func TestEnginePolicies(t *testing.T) {
	final := map[tiers.Policy]string{
		tiers.NextPeriod:  "600.00 750.00 300.00 150.00 200.00",
		tiers.Retroactive: "800.00 1000.00 400.00 200.00 150.00",
		tiers.Immediate:   "600.00 750.00 400.00 200.00 150.00",
	}
	for policy, want := range final {
		t.Run(policy.String(), func(t *testing.T) {
			w := newEngineWorld(t, tiers.Config{Policy: policy})
			w.bind("c1", "ann", "")
			w.bind("c2", "ann", "")
			for _, p := range []affiliate.Payment{
				payment("p1", "c1", day(time.January, 5), eur("4000")),
				payment("p2", "c2", day(time.January, 12), eur("5000")),
				payment("p3", "c1", day(time.January, 20), eur("2000")),
				payment("p4", "c2", day(time.January, 28), eur("1000")),
			} {
				must[[]affiliate.Entry](t)(w.pay(p))
			}
			w.close(time.January, 0)
			must[[]affiliate.Entry](t)(w.pay(payment("p5", "c1", day(time.February, 10), eur("1000"))))
			w.close(time.February, 0)
			var got []string
			for _, p := range []affiliate.EventID{"p1", "p2", "p3", "p4", "p5"} {
				got = append(got, w.net("ann", p).AmountString())
			}
			if strings.Join(got, " ") != want {
				t.Errorf("nets %v, want %s", got, want)
			}
			w.recomputesNothing(t, "c1", "c2")
		})
	}
}

// TestEngineMissingConversion: a payment in another currency without a
// conversion to EUR is refused, whether or not the engine itself requires
// conversions (the revenue metric does), and nothing is stored.
func TestEngineMissingConversion(t *testing.T) {
	for _, require := range []bool{true, false} {
		w := newWorld(t, tiers.Config{Policy: tiers.Retroactive})
		eng, err := commission.New(commission.Config{
			Store: w.store, Terms: []commission.TermsVersion{{Version: "v1", Rule: seedRules()}},
			Tiers: w.prog, Currency: "EUR", RequireConversion: require,
		})
		if err != nil {
			t.Fatal(err)
		}
		w.eng = eng
		w.bind("c1", "ann", "")
		before := w.state("c1")
		_, err = w.pay(payment("p1", "c1", day(time.January, 5), affiliate.MustParseMoney("100", "GBP")))
		if !errors.Is(err, affiliate.ErrInvalid) || !(errors.Is(err, commission.ErrMissingConversion) || errors.Is(err, tiers.ErrMissingConversion)) {
			t.Errorf("RequireConversion %v: %v", require, err)
		}
		if !require && !errors.Is(err, tiers.ErrMissingConversion) {
			t.Errorf("without RequireConversion the tier source refuses it: %v", err)
		}
		if _, err := w.store.Event(w.ctx, "p1"); !errors.Is(err, affiliate.ErrNotFound) || w.state("c1") != before {
			t.Errorf("RequireConversion %v: a refused payment was stored", require)
		}
		// With its conversion it is recorded, and counts converted.
		must[[]affiliate.Entry](t)(w.pay(payment("p1", "c1", day(time.January, 5), affiliate.MustParseMoney("100", "GBP"),
			affiliate.Conversion{To: "EUR", Rate: affiliate.MustRate("1.17")})))
		if d := must[tiers.Decision](t)(w.prog.Decide(w.ctx, "ann", jan)); d.Value.String() != "117.00 EUR" {
			t.Errorf("January's running value %s, want 117.00 EUR", d.Value)
		}
	}
}

// TestZeroAccrual: an accrual that rounds to zero at its tier (15% of
// 0.03 EUR) is kept as a 0.00 entry naming the tier, so the Retier after
// a close re-prices it (20% of 0.03 is 0.01), also for a customer whose
// only payment it is. A 0% tier, where every payment would be such, is
// refused by tiers.New (see TestZeroRateRefused).
func TestZeroAccrual(t *testing.T) {
	w := newWorld(t, tiers.Config{Policy: tiers.Retroactive})
	w.bind("c1", "ann", "")
	w.bind("c2", "ann", "")
	es := must[[]affiliate.Entry](t)(w.pay(payment("tiny", "c1", day(time.January, 2), eur("0.03"))))
	if amounts(es) != "tiny commission 0.00" || es[0].Tier != "Standard" || es[0].Base.String() != "0.03 EUR" {
		t.Fatalf("15%% of 0.03 EUR: %s %+v; want one 0.00 entry at Standard on 0.03 EUR", amounts(es), es)
	}
	must[[]affiliate.Entry](t)(w.pay(payment("alone", "c2", day(time.January, 2), eur("0.03"))))
	must[[]affiliate.Entry](t)(w.pay(payment("big", "c1", day(time.January, 3), eur("10000"))))
	res := w.close(time.January, 0)
	if got := w.net("ann", "tiny").AmountString() + " " + w.net("ann", "alone").AmountString(); got != "0.01 0.01" {
		t.Errorf("tiny and alone net %s after the close (it appended %s), want 0.01 0.01", got, amounts(res.Entries))
	}
	w.recomputesNothing(t, "c1", "c2")
	if res := w.close(time.January, time.Hour); len(res.Entries) != 0 {
		t.Errorf("re-close appended %s", amounts(res.Entries))
	}
}

// TestZeroBonus: a parent's tier bonus that rounds to zero (5% of
// 0.09 EUR) is kept as a 0.00 entry, so when the close moves the parent to
// a tier paying 10% the Retier re-prices it to 0.01, though the child's
// tier, and so its commission, stays.
func TestZeroBonus(t *testing.T) {
	richer := premium
	richer.BonusRate = affiliate.MustPercent("10")
	w := newWorld(t, tiers.Config{Policy: tiers.Retroactive, Schedule: tiers.MustSchedule(standard, richer)})
	w.bind("c1", "kid", "mum")
	w.bind("c0", "mum", "")
	es := must[[]affiliate.Entry](t)(w.pay(payment("small", "c1", day(time.January, 2), eur("0.09"))))
	if got := amounts(es); got != "small commission +0.01, small sub_affiliate_bonus 0.00" {
		t.Fatalf("0.09 EUR priced %s; want the kid's 0.01 and mum's 0.00", got)
	}
	must[[]affiliate.Entry](t)(w.pay(payment("own", "c0", day(time.January, 3), eur("10000"))))
	res := w.close(time.January, 0)
	if got := w.net("kid", "small").AmountString() + " " + w.net("mum", "small").AmountString(); got != "0.01 0.01" {
		t.Errorf("kid and mum net %s on small after the close (it appended %s), want 0.01 0.01", got, amounts(res.Entries))
	}
	w.recomputesNothing(t, "c0", "c1")
}

// recomputesNothing fails unless the engine, recomputing each customer,
// finds the ledger as it would have written it.
func (w *world) recomputesNothing(t *testing.T, customers ...affiliate.CustomerID) {
	t.Helper()
	for _, c := range customers {
		res, err := w.eng.Recompute(w.ctx, c)
		if err != nil || len(res.Entries) != 0 {
			t.Errorf("Recompute(%s) = %s, %v; want nothing to append", c, amounts(res.Entries), err)
		}
	}
}

// TestRecomputedAccrualKeepsItsMonth: a customer bound after its January
// payment earns nothing until the engine recomputes it; the accrual the
// recompute writes in March is dated at the payment (January has no
// payout run), priced at January's decided tier, and March's close leaves
// it to January.
func TestRecomputedAccrualKeepsItsMonth(t *testing.T) {
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
	must[[]affiliate.Entry](t)(w.pay(payment("big", "c1", day(time.January, 3), eur("12000"))))
	if res := must[commission.Result](t)(eng.Record(w.ctx, payment("late", "c2", day(time.January, 4), eur("100")))); !res.Unbound {
		t.Fatalf("c2's payment: %+v; want it recorded unbound", res)
	}
	w.close(time.January, 0)
	w.bind("c2", "ann", "")
	res := must[commission.Result](t)(eng.Recompute(w.ctx, "c2"))
	if len(res.Entries) != 1 || res.Entries[0].Tier != "Premium" || res.Entries[0].At.Month() != time.January {
		t.Fatalf("recompute wrote %+v; want one Premium accrual dated in January", res.Entries)
	}
	w.close(time.February, 0)
	// The second run of March reads Ann's March entries (the first may
	// skip an affiliate at the lowest tier).
	for run := range 2 {
		if res := w.close(time.March, time.Duration(run)*time.Hour); len(res.Entries) != 0 {
			t.Errorf("March's close, run %d, corrected January's accrual: %s", run+1, amounts(res.Entries))
		}
	}
	if got := w.net("ann", "late").AmountString(); got != "20.00" {
		t.Errorf("late nets %s, want January's 20%%: 20.00", got)
	}
}
