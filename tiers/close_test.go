package tiers_test

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/tiers"
)

var jan = affiliate.PeriodOf(day(time.January, 1), nil)

// TestThreshold: reaching the threshold exactly qualifies; one cent under
// does not. Refunds made in the month count against it.
func TestThreshold(t *testing.T) {
	tests := []struct {
		name     string
		payments []string // January payments of Ann's customer
		refund   string   // refunded of the first payment, in January ("" for none)
		value    string
		tier     string
		net      string // what Ann's January nets to after the close
	}{
		{"exactly at the threshold", []string{"6000.00", "4000.00"}, "", "10000.00", "Premium", "2000.00"},
		{"one cent under", []string{"6000.00", "3999.99"}, "", "9999.99", "Standard", "1500.00"},
		{"one cent over", []string{"6000.00", "4000.01"}, "", "10000.01", "Premium", "2000.00"},
		{"at the threshold net of a refund", []string{"6000.00", "4100.00"}, "100.00", "10000.00", "Premium", "2000.00"},
		{"under it net of a refund", []string{"6000.00", "4000.00"}, "0.01", "9999.99", "Standard", "1500.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, tiers.Config{Policy: tiers.Retroactive})
			w.bind("c1", "ann", "")
			for i, amt := range tt.payments {
				must[[]affiliate.Entry](t)(w.pay(payment("p"+string(rune('1'+i)), "c1", day(time.January, 10+i), eur(amt))))
			}
			if tt.refund != "" {
				must[[]affiliate.Entry](t)(w.refund("r1", "p1", day(time.January, 25), eur(tt.refund)))
			}
			res := w.close(time.January, 0)
			d := must[tiers.Decision](t)(w.prog.Decide(w.ctx, "ann", jan))
			if d.Value.String() != tt.value+" EUR" || d.Tier.Name != tt.tier || d.Reached.Name != tt.tier {
				t.Errorf("decided %s at %s, want %s at %s EUR", d.Tier.Name, d.Value, tt.tier, tt.value)
			}
			if len(res.Snapshots) != 1 || res.Snapshots[0].Amount.AmountString() != tt.value || res.Snapshots[0].Tier != tt.tier {
				t.Errorf("snapshots %+v, want one at %s (%s)", res.Snapshots, tt.value, tt.tier)
			}
			sum := affiliate.Zero("EUR")
			for i := range tt.payments {
				sum, _ = sum.Add(w.net("ann", affiliate.EventID("p"+string(rune('1'+i)))))
			}
			if sum.AmountString() != tt.net {
				t.Errorf("January nets %s, want %s", sum.AmountString(), tt.net)
			}
		})
	}
}

// TestLateRefundAfterClose: a refund dated in January but recorded after
// January's close pulls revenue under the threshold. Closing again appends
// corrections (never edits), linked and explained; a third close is a
// no-op.
func TestLateRefundAfterClose(t *testing.T) {
	w := newWorld(t, tiers.Config{Policy: tiers.Retroactive})
	w.bind("c1", "ann", "")
	w.bind("c2", "ann", "")
	must[[]affiliate.Entry](t)(w.pay(payment("p1", "c1", day(time.January, 5), eur("6000"))))
	must[[]affiliate.Entry](t)(w.pay(payment("p2", "c2", day(time.January, 20), eur("4000"))))

	first := w.close(time.January, time.Hour)
	if got := amounts(first.Entries); got != "p1 adjustment +300.00, p2 adjustment +200.00" {
		t.Fatalf("first close appended %s", got)
	}
	written := w.ledger()

	// Refunded 1,000 of p2 on 31 January, recorded in February: the engine
	// reverses 25% of p2's 800 (its 600 and the 200 true-up).
	rev := must[[]affiliate.Entry](t)(w.refund("r1", "p2", day(time.January, 31), eur("1000")))
	if got := amounts(rev); got != "p2 reversal -200.00" {
		t.Fatalf("refund reversed %s", got)
	}

	second := w.close(time.January, 48*time.Hour)
	if !second.Written || second.Revision != 2 {
		t.Fatalf("second close: written %v, revision %d; want a revision 2", second.Written, second.Revision)
	}
	// p1 back to 15% of 6,000; p2 to 15% of 4,000 less 25% refunded: 450.
	if got := amounts(second.Entries); got != "p1 adjustment -300.00, p2 adjustment -200.00, p2 reversal +50.00" {
		t.Errorf("second close appended %s", got)
	}
	for _, e := range second.Entries {
		if !w.corrects(e, affiliate.EntryID(e.Payment+"/1")) || e.Tier != "Standard" {
			t.Errorf("correction %s: corrects %q, tier %q, explanation %q", e.ID, e.Corrects, e.Tier, e.Explanation)
		}
	}
	if got := w.net("ann", "p1").AmountString() + " " + w.net("ann", "p2").AmountString(); got != "900.00 450.00" {
		t.Errorf("p1 and p2 net %s, want 900.00 450.00", got)
	}
	// Nothing written before changed: the first run's entries are still
	// there, byte for byte, and the ledger only grew.
	after := w.ledger()
	for _, e := range written {
		i := slices.IndexFunc(after, func(o affiliate.Entry) bool { return o.ID == e.ID })
		if i < 0 || after[i].Amount != e.Amount || after[i].Explanation != e.Explanation {
			t.Errorf("entry %s was edited or removed", e.ID)
		}
	}
	snaps := must[[]affiliate.TierSnapshot](t)(w.store.TierSnapshots(w.ctx, storage.TierSnapshotQuery{Program: "default", Period: per("2026-01"), Revision: 1}))
	if len(snaps) != 1 || snaps[0].Tier != "Premium" || snaps[0].Amount.AmountString() != "10000.00" {
		t.Errorf("run 1's snapshot now reads %+v; want it kept as Premium at 10000.00", snaps)
	}
	if d := must[tiers.Decision](t)(w.prog.Decide(w.ctx, "ann", jan)); d.Tier.Name != "Standard" || d.Value.Amount.AmountString() != "9000.00" || d.Revision != 2 {
		t.Errorf("decision now %s at %s (run %d)", d.Tier.Name, d.Value, d.Revision)
	}

	third := w.close(time.January, 72*time.Hour)
	if third.Written || third.Revision != 2 || len(w.ledger()) != len(after) {
		t.Errorf("third close wrote %+v; want a no-op", third)
	}
}

// TestRefundMadeNextMonth: a refund made in February counts in February,
// not in the month of the payment it refunds.
func TestRefundMadeNextMonth(t *testing.T) {
	w := newWorld(t, tiers.Config{Policy: tiers.Retroactive})
	w.bind("c1", "ann", "")
	must[[]affiliate.Entry](t)(w.pay(payment("p1", "c1", day(time.January, 5), eur("10000"))))
	w.close(time.January, 0)
	must[[]affiliate.Entry](t)(w.refund("r1", "p1", day(time.February, 3), eur("5000")))
	if res := w.close(time.January, time.Hour); res.Written {
		t.Errorf("re-closing January after a February refund wrote %+v", res)
	}
	res := w.close(time.February, 0)
	if len(res.Snapshots) != 1 || res.Snapshots[0].Amount.AmountString() != "-5000.00" || res.Snapshots[0].Tier != "Standard" {
		t.Errorf("February snapshots %+v; want Ann at -5000.00, Standard", res.Snapshots)
	}
	// p1 stays at January's Premium, halved by the refund.
	if got := w.net("ann", "p1").AmountString(); got != "1000.00" {
		t.Errorf("p1 nets %s, want 1000.00", got)
	}
}

// TestLatePayment: a payment dated in January and recorded after the close
// is priced at January's decided tier; the close run again reconsiders
// the month, and a rerun appends only what remains.
func TestLatePayment(t *testing.T) {
	w := newWorld(t, tiers.Config{Policy: tiers.Retroactive})
	w.bind("c1", "ann", "")
	must[[]affiliate.Entry](t)(w.pay(payment("p1", "c1", day(time.January, 5), eur("9000"))))
	if res := w.close(time.January, 0); len(res.Entries) != 0 || res.Snapshots[0].Tier != "Standard" {
		t.Fatalf("first close: %+v", res)
	}
	late := must[[]affiliate.Entry](t)(w.pay(payment("p2", "c1", day(time.January, 30), eur("1500"))))
	if late[0].Tier != "Standard" {
		t.Errorf("late payment priced at %s, want January's Standard", late[0].Tier)
	}
	res := w.close(time.January, time.Hour)
	if got := amounts(res.Entries); got != "p1 adjustment +450.00, p2 adjustment +75.00" {
		t.Errorf("second close appended %s", got)
	}
	// After it, late payments are priced at Premium directly, and the next
	// run only records the new value.
	late = must[[]affiliate.Entry](t)(w.pay(payment("p3", "c1", day(time.January, 31), eur("100"))))
	if late[0].Tier != "Premium" || late[0].Amount.AmountString() != "20.00" {
		t.Errorf("payment after the second close priced %s at %s", late[0].Amount, late[0].Tier)
	}
	res = w.close(time.January, 2*time.Hour)
	if len(res.Entries) != 0 || len(res.Snapshots) != 1 || res.Snapshots[0].Amount.AmountString() != "10600.00" || res.Revision != 3 {
		t.Errorf("third close: %+v; want only a new snapshot at 10600.00", res)
	}
	if res := w.close(time.January, 3*time.Hour); res.Written {
		t.Errorf("fourth close wrote %+v", res)
	}
}

// TestMultiCurrency: a payment in USD counts at the rate stored with it; a
// payment without a conversion is refused before anything is stored; a
// converted aggregate in a foreign currency is refused, not added.
func TestMultiCurrency(t *testing.T) {
	w := newWorld(t, tiers.Config{Policy: tiers.Retroactive})
	w.bind("c1", "ann", "")
	w.bind("c2", "ann", "")
	usd := affiliate.MustParseMoney("5000", "USD")
	must[[]affiliate.Entry](t)(w.pay(payment("p1", "c1", day(time.January, 5), eur("6000"))))
	must[[]affiliate.Entry](t)(w.pay(payment("p2", "c2", day(time.January, 6), usd, affiliate.Conversion{To: "EUR", Rate: affiliate.MustRate("0.9")})))

	before := w.state("c1", "c2")
	gbp := payment("p3", "c2", day(time.January, 7), affiliate.MustParseMoney("100", "GBP"))
	if _, err := w.pay(gbp); !errors.Is(err, tiers.ErrMissingConversion) || !errors.Is(err, affiliate.ErrInvalid) {
		t.Fatalf("payment without conversion: %v", err)
	}
	// The program refuses it too, for an engine that does not require
	// conversions.
	_, err := w.prog.TierAt(w.ctx, "ann", gbp)
	var ce *tiers.ConversionError
	if !errors.Is(err, tiers.ErrMissingConversion) || !errors.As(err, &ce) || ce.Currency != "GBP" || ce.To != "EUR" {
		t.Fatalf("TierAt of a payment without conversion: %v", err)
	}
	if _, err := w.store.Event(w.ctx, "p3"); !errors.Is(err, affiliate.ErrNotFound) || w.state("c1", "c2") != before {
		t.Errorf("a refused payment left something stored")
	}
	// A conversion to another currency than the program's does not count.
	gbp.Conversion = affiliate.Conversion{To: "USD", Rate: affiliate.MustRate("1.25")}
	if _, err := w.pay(gbp); !errors.Is(err, tiers.ErrMissingConversion) {
		t.Errorf("payment converted to USD: %v", err)
	}
	if w.state("c1", "c2") != before {
		t.Errorf("a payment converted to USD left something stored")
	}

	res := w.close(time.January, 0)
	// 6,000 EUR + 5,000 USD × 0.9 = 10,500 EUR: Premium. Each true-up is in
	// its payment's currency.
	if res.Snapshots[0].Amount.String() != "10500.00 EUR" || res.Snapshots[0].Tier != "Premium" {
		t.Errorf("snapshot %+v", res.Snapshots[0])
	}
	if got := amounts(res.Entries); got != "p1 adjustment +300.00, p2 adjustment +250.00" || res.Entries[1].Amount.Currency() != "USD" {
		t.Errorf("true-ups %s (%v)", got, res.Entries)
	}

	// A writer that filed converted revenue in USD: refused, nothing written.
	w2 := newWorld(t, tiers.Config{Policy: tiers.Retroactive})
	must[storage.CommitResult](t)(affiliatetest.SeedLedger(w2.ctx, w2.store, "stray", nil, []storage.AggregateDelta{
		{Affiliate: "ann", Period: per("2026-01"), Metric: affiliate.MetricRevenueConverted, Amount: usd},
	}))
	before = w2.state()
	_, err = w2.prog.Close(w2.ctx, jan, jan.End())
	if !errors.Is(err, affiliate.ErrCurrencyMismatch) {
		t.Errorf("close over a USD converted aggregate: %v", err)
	}
	if _, err := w2.store.TierClose(w2.ctx, "default", per("2026-01")); !errors.Is(err, affiliate.ErrNotFound) || w2.state() != before {
		t.Errorf("a refused close was recorded: %v", err)
	}
}

// TestBonusFollowsParentTier: the sub-affiliate bonus is paid at the
// parent's own tier's bonus rate, and trued up with the parent's tier.
func TestBonusFollowsParentTier(t *testing.T) {
	sched := tiers.MustSchedule(standard,
		tiers.Tier{Name: "Premium", Threshold: tiers.Amount(eur("10000")), Rate: affiliate.MustPercent("20"), BonusRate: affiliate.MustPercent("8")})
	for _, policy := range []tiers.Policy{tiers.Retroactive, tiers.NextPeriod, tiers.Immediate} {
		t.Run(policy.String(), func(t *testing.T) {
			w := newWorld(t, tiers.Config{Policy: policy, Schedule: sched})
			w.bind("cp", "pat", "")
			w.bind("cs", "sam", "pat")
			must[[]affiliate.Entry](t)(w.pay(payment("pp", "cp", day(time.January, 5), eur("10000"))))
			es := must[[]affiliate.Entry](t)(w.pay(payment("ps", "cs", day(time.January, 6), eur("2000"))))
			w.close(time.January, 0)
			feb := must[[]affiliate.Entry](t)(w.pay(payment("ps2", "cs", day(time.February, 6), eur("1000"))))
			// Sam's own month is 2,000: Standard under every policy. Pat's is
			// 10,000 (the sub's customers do not count): Premium, 8%.
			want := map[tiers.Policy][3]string{
				tiers.Retroactive: {"100.00", "160.00", "50.00"}, // priced at the floor, trued up; February at the floor
				tiers.NextPeriod:  {"100.00", "100.00", "80.00"}, // January at December's tier; February at January's
				tiers.Immediate:   {"160.00", "160.00", "50.00"}, // Pat is Premium since pp
			}[policy]
			if got := [3]string{es[1].Amount.AmountString(), w.net("pat", "ps").AmountString(), feb[1].Amount.AmountString()}; got != want {
				t.Errorf("bonus priced, netted, February: %v, want %v", got, want)
			}
			if es[1].Beneficiary != "pat" || es[0].Tier != "Standard" || w.net("sam", "ps").AmountString() != "300.00" {
				t.Errorf("sam's commission %s at %s", w.net("sam", "ps"), es[0].Tier)
			}
		})
	}
}

// TestKeepFor: a reached tier is kept for N months; by default each month
// stands alone.
func TestKeepFor(t *testing.T) {
	for _, keep := range []int{0, 2} {
		w := newWorld(t, tiers.Config{Policy: tiers.Retroactive, KeepFor: keep})
		w.bind("c1", "ann", "")
		amounts := map[time.Month]string{time.January: "12000", time.February: "1000", time.March: "500", time.April: "100"}
		var got []string
		for m := time.January; m <= time.April; m++ {
			es := must[[]affiliate.Entry](t)(w.pay(payment("p"+m.String(), "c1", day(m, 3), eur(amounts[m]))))
			res := w.close(m, 0)
			s := res.Snapshots[0]
			got = append(got, es[0].Tier+"→"+s.Tier+"/"+s.Reached+"/"+heldFrom(s))
		}
		want := map[int][]string{
			0: {"Standard→Premium/Premium/", "Standard→Standard/Standard/", "Standard→Standard/Standard/", "Standard→Standard/Standard/"},
			2: {"Standard→Premium/Premium/", "Premium→Premium/Standard/2026-01", "Premium→Premium/Standard/2026-01", "Standard→Standard/Standard/"},
		}[keep]
		if !slices.Equal(got, want) {
			t.Errorf("KeepFor %d: priced→decided/reached/held %v, want %v", keep, got, want)
		}
	}
}

// TestRecloseCascade: under NextPeriod, re-closing January changes the
// tier February was paid at: the engine re-prices February's payment
// after the rerun, which names February to close again (its snapshot
// records the tier applied).
func TestRecloseCascade(t *testing.T) {
	w := newWorld(t, tiers.Config{Policy: tiers.NextPeriod})
	w.bind("c1", "ann", "")
	must[[]affiliate.Entry](t)(w.pay(payment("p1", "c1", day(time.January, 5), eur("10000"))))
	// February's payment arrives before January is closed: January's
	// running aggregates already say Premium.
	es := must[[]affiliate.Entry](t)(w.pay(payment("p2", "c1", day(time.February, 5), eur("1000"))))
	if es[0].Tier != "Premium" {
		t.Errorf("February priced at %s before January's close, want Premium", es[0].Tier)
	}
	if res := w.close(time.January, 0); len(res.Reclose) != 0 {
		t.Errorf("first close of January: reclose %v", res.Reclose)
	}
	if res := w.close(time.February, 0); len(res.Entries) != 0 || res.Snapshots[0].Applied != "Premium" {
		t.Errorf("February's close: %+v", res)
	}
	must[[]affiliate.Entry](t)(w.refund("r1", "p1", day(time.January, 31), eur("0.01")))
	res := w.close(time.January, time.Hour)
	if got := amounts(res.Entries); len(res.Reclose) != 1 || res.Reclose[0].String() != "2026-02" || got != "p2 adjustment -50.00" {
		t.Fatalf("re-close of January: %s, %+v; want p2 at Standard and February to re-close", got, res)
	}
	res = w.close(time.February, time.Hour)
	if len(res.Entries) != 0 || res.Snapshots[0].Applied != "Standard" {
		t.Errorf("re-close of February appended %s (%+v)", amounts(res.Entries), res.Snapshots)
	}
}

// TestCountMetrics: tiers decided by the number of customers.
func TestCountMetrics(t *testing.T) {
	sched := tiers.MustSchedule(
		tiers.Tier{Name: "Standard", Rate: affiliate.MustPercent("15"), BonusRate: affiliate.MustPercent("5")},
		tiers.Tier{Name: "Premium", Threshold: tiers.Count(2), Rate: affiliate.MustPercent("20"), BonusRate: affiliate.MustPercent("5")},
	)
	for _, tt := range []struct {
		metric tiers.Metric
		jan    string
		feb    string
	}{
		// Two customers pay in January and again in February (one twice).
		{tiers.NewCustomers, "2 customers Premium", "0 customers Standard"},
		{tiers.ActiveCustomers, "2 customers Premium", "2 customers Premium"},
	} {
		t.Run(tt.metric.String(), func(t *testing.T) {
			w := newWorld(t, tiers.Config{Metric: tt.metric, Schedule: sched, Policy: tiers.Retroactive})
			w.bind("c1", "ann", "")
			w.bind("c2", "ann", "")
			for i, c := range []affiliate.CustomerID{"c1", "c2", "c1"} {
				must[[]affiliate.Entry](t)(w.pay(payment("j"+string(c)+string(rune('0'+i)), c, day(time.January, 3+i), eur("10"))))
				must[[]affiliate.Entry](t)(w.pay(payment("f"+string(c)+string(rune('0'+i)), c, day(time.February, 3+i), eur("10"))))
			}
			for m, want := range map[time.Month]string{time.January: tt.jan, time.February: tt.feb} {
				s := w.close(m, 0).Snapshots[0]
				if got := tiers.Count(s.Count).String() + " " + s.Tier; got != want || s.Amount != (affiliate.Money{}) {
					t.Errorf("%s: %s, want %s", m, got, want)
				}
			}
		})
	}
}

// TestClosePeriodOpen: a month that has not ended cannot be closed, and
// the refusal stores nothing.
func TestClosePeriodOpen(t *testing.T) {
	w := newWorld(t, tiers.Config{Policy: tiers.Retroactive})
	w.bind("c1", "ann", "")
	must[[]affiliate.Entry](t)(w.pay(payment("p1", "c1", day(time.January, 5), eur("12000"))))
	before := w.state("c1")
	for _, asOf := range []time.Time{jan.End().Add(-time.Nanosecond), day(time.January, 20), jan.Start()} {
		_, err := w.prog.Close(w.ctx, jan, asOf)
		var pe *tiers.PeriodOpenError
		if !errors.Is(err, affiliate.ErrPeriodOpen) || !errors.Is(err, affiliate.ErrInvalid) || !errors.As(err, &pe) || pe.AsOf != asOf {
			t.Errorf("Close at %s: %v", asOf, err)
		}
	}
	for name, call := range map[string]func() error{
		"zero asOf": func() error { _, err := w.prog.Close(w.ctx, jan, time.Time{}); return err },
		"month 13": func() error {
			_, err := w.prog.Close(w.ctx, affiliate.Period{Year: 2026, Month: 13}, jan.End())
			return err
		},
		"another location": func() error {
			paris, _ := time.LoadLocation("Europe/Paris")
			_, err := w.prog.Close(w.ctx, affiliate.PeriodOf(day(time.January, 1), paris), jan.End().Add(time.Hour))
			return err
		},
	} {
		if err := call(); !errors.Is(err, affiliate.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	if _, err := w.store.TierClose(w.ctx, "default", per("2026-01")); !errors.Is(err, affiliate.ErrNotFound) || w.state("c1") != before {
		t.Errorf("a refused close stored something (%v)", err)
	}
	// The month is over at its End exactly (half-open).
	if _, err := w.prog.Close(w.ctx, jan, jan.End()); err != nil {
		t.Errorf("Close at the month's end: %v", err)
	}
}

// TestLocation: months begin and end in the program's location, so a
// payment at 23:30 UTC on 31 January is February's in Paris.
func TestLocation(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip(err)
	}
	w := newWorld(t, tiers.Config{Policy: tiers.Retroactive, Location: paris})
	w.bind("c1", "ann", "")
	must[[]affiliate.Entry](t)(w.pay(payment("p1", "c1", time.Date(2026, 1, 31, 23, 30, 0, 0, time.UTC), eur("12000"))))
	janParis := affiliate.PeriodOf(time.Date(2026, 1, 15, 0, 0, 0, 0, paris), paris)
	res := must[tiers.CloseResult](t)(w.prog.Close(w.ctx, janParis, janParis.End()))
	if len(res.Snapshots) != 0 {
		t.Errorf("January in Paris: %+v; the payment is February's", res.Snapshots)
	}
	res = must[tiers.CloseResult](t)(w.prog.Close(w.ctx, janParis.Next(), janParis.Next().End()))
	if len(res.Snapshots) != 1 || res.Snapshots[0].Tier != "Premium" {
		t.Errorf("February in Paris: %+v", res.Snapshots)
	}
}

// TestCloseConcurrent: concurrent closes of one month write one run and
// one set of true-ups.
func TestCloseConcurrent(t *testing.T) {
	w := newWorld(t, tiers.Config{Policy: tiers.Retroactive})
	for i := range 20 {
		c := affiliate.CustomerID("c" + string(rune('a'+i)))
		w.bind(c, affiliate.AffiliateID("aff"+string(rune('a'+i%4))), "")
		must[[]affiliate.Entry](t)(w.pay(payment("p"+string(c), c, day(time.January, 1+i), eur("3000"))))
	}
	var wg sync.WaitGroup
	results := make([]closed, 8)
	errs := make([]error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = closeAndRetier(w.ctx, w.prog, w.eng, jan, jan.End())
		}()
	}
	wg.Wait()
	written := 0
	for i := range 8 {
		if errs[i] != nil {
			t.Fatalf("close %d: %v", i, errs[i])
		}
		if results[i].Written {
			written++
		}
	}
	c := must[affiliate.TierClose](t)(w.store.TierClose(w.ctx, "default", per("2026-01")))
	adjustments := 0
	for _, e := range w.ledger() {
		if e.Kind == affiliate.KindAdjustment {
			adjustments++
		}
	}
	if written != 1 || c.Revision != 1 || adjustments != 20 {
		t.Errorf("%d runs wrote, revision %d, %d adjustments; want 1, 1, 20", written, c.Revision, adjustments)
	}
}

// TestTierAtErrors: TierAt refuses what it cannot answer for.
func TestTierAtErrors(t *testing.T) {
	w := newWorld(t, tiers.Config{Policy: tiers.Retroactive})
	p := payment("p1", "c1", day(time.January, 5), eur("10"))
	if _, err := w.prog.TierAt(w.ctx, "", p); !errors.Is(err, affiliate.ErrInvalid) {
		t.Errorf("empty affiliate: %v", err)
	}
	// A snapshot naming a tier the schedule no longer has.
	must[bool](t)(w.store.CommitTierClose(w.ctx, storage.TierCloseCommit{
		Close: affiliate.TierClose{Program: "default", Period: per("2026-01"), Revision: 1, AsOf: jan.End()}, Hash: "h",
		Snapshots: []affiliate.TierSnapshot{{Program: "default", Period: per("2026-01"), Revision: 1, Affiliate: "ann", Tier: "Gold", Reached: "Gold"}},
	}))
	if _, err := w.prog.TierAt(w.ctx, "ann", p); !errors.Is(err, tiers.ErrUnknownTier) {
		t.Errorf("snapshot with an unknown tier: %v", err)
	}
}

// amounts renders entries as "payment kind ±amount, ...", for compact
// comparisons.
func amounts(es []affiliate.Entry) string {
	var parts []string
	for _, e := range es {
		parts = append(parts, string(e.Payment)+" "+string(e.Kind)+" "+signedAmount(e.Amount))
	}
	return strings.Join(parts, ", ")
}

func signedAmount(m affiliate.Money) string {
	if m.Sign() > 0 {
		return "+" + m.AmountString()
	}
	return m.AmountString()
}

// TestCloseOpenMonth: a month that has not ended is refused.
func TestCloseOpenMonth(t *testing.T) {
	w := newWorld(t, tiers.Config{Policy: tiers.Retroactive})
	var pe *tiers.PeriodOpenError
	_, err := w.prog.Close(w.ctx, jan.Next(), jan.End())
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "2026-02") {
		t.Errorf("Close of February in January: %v", err)
	}
}
