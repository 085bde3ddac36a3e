package commission_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// memstore tells the engine which months are paid out.
var _ commission.PayoutRuns = (*memstore.Store)(nil)

func day(m time.Month, d int) time.Time { return time.Date(2026, m, d, 12, 0, 0, 0, time.UTC) }

func eurPay(id string, at time.Time, amount string) affiliate.Payment {
	return pay(id, "c1", at, "EUR", line(affiliate.LineSubscription, amount, "EUR"))
}

func chargebackAt(id, payment string, at time.Time, amount string) affiliate.Refund {
	r := refund(id, payment, "c1", at, amount, "EUR")
	r.Kind = affiliate.KindChargeback
	return r
}

// monthly renders the ledger as net amounts per month, beneficiary and
// currency, leaving out zeros (an entry and its correction in one month).
func (f *fixture) monthly() []string {
	f.t.Helper()
	es, err := f.store.Entries(f.ctx, storage.EntryQuery{})
	if err != nil {
		f.t.Fatal(err)
	}
	sums := map[string]int64{}
	cur := map[string]affiliate.Currency{}
	for _, e := range es {
		k := affiliate.PeriodOf(e.At, time.UTC).String() + " " + string(e.Beneficiary)
		sums[k] += e.Amount.Minor()
		cur[k] = e.Amount.Currency()
	}
	var out []string
	for k, v := range sums {
		if v != 0 {
			out = append(out, k+" "+affiliate.MustMoney(v, cur[k]).String())
		}
	}
	slices.Sort(out)
	return out
}

// payouts runs the payouts of months as of the first day after the last
// one, and renders each month's payouts and carried balances (but zero
// ones: the same as none).
func (f *fixture) payouts(months ...affiliate.Period) []string {
	f.t.Helper()
	r, err := payout.New(payout.Config{Store: f.store})
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, m := range months {
		res, err := r.Run(f.ctx, m, m.End())
		if err != nil {
			f.t.Fatalf("payout run %s: %v", m, err)
		}
		for _, p := range res.Payouts {
			out = append(out, fmt.Sprintf("%s paid %s %s", m, p.Affiliate, p.Amount))
		}
		for _, c := range res.Carried {
			if c.Amount.IsZero() {
				continue // a month's entries that net to nothing
			}
			out = append(out, fmt.Sprintf("%s carried %s %s", m, c.Affiliate, c.Amount))
		}
	}
	return out
}

// TestMonthsOrderIndependent: the three cases of issue 13, each delivered
// in every arrival order before any payout run, and with the customer's
// binding first, after the first event or last, give the same net
// entries per month and the same payouts as the events in time order.
func TestMonthsOrderIndependent(t *testing.T) {
	twenty := rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("20")}
	tests := []struct {
		name     string
		rule     rules.Rule
		events   []affiliate.Event
		months   []affiliate.Period
		monthly  []string
		payouts  []string
		explains string // in the explanation of some entry, every order
	}{
		{
			// One rule for refunds asking for more than remains: they
			// take, in (RefundedAt, ID) order, what the others left.
			name: "refund 60 and chargeback 60 of a 100 EUR payment at 20%",
			rule: twenty,
			events: []affiliate.Event{
				eurPay("p1", day(time.January, 5), "100"),
				refund("r1", "p1", "c1", day(time.January, 10), "60", "EUR"),
				chargebackAt("cb1", "p1", day(time.February, 3), "60"),
			},
			months:   []affiliate.Period{per("2026-01"), per("2026-02")},
			monthly:  []string{"2026-01 a1 8.00 EUR", "2026-02 a1 -8.00 EUR"},
			payouts:  []string{"2026-01 paid a1 8.00 EUR", "2026-02 carried a1 -8.00 EUR"},
			explains: "the last took only what remained",
		},
		{
			name: "refunds dated Jan 30 and Feb 2 on a January payment",
			rule: twenty,
			events: []affiliate.Event{
				eurPay("p1", day(time.January, 5), "100"),
				refund("r1", "p1", "c1", day(time.January, 30), "50", "EUR"),
				refund("r2", "p1", "c1", day(time.February, 2), "30", "EUR"),
			},
			months:  []affiliate.Period{per("2026-01"), per("2026-02")},
			monthly: []string{"2026-01 a1 10.00 EUR", "2026-02 a1 -6.00 EUR"},
			payouts: []string{"2026-01 paid a1 10.00 EUR", "2026-02 carried a1 -6.00 EUR"},
		},
		{
			name: "first 2 payments earn: Jan 5, Jan 25, Feb 10",
			rule: rules.When{If: rules.FirstPayments(2), Then: rules.Percent{Name: "first_two", Rate: affiliate.MustPercent("30")}},
			events: []affiliate.Event{
				eurPay("p1", day(time.January, 5), "100"),
				eurPay("p2", day(time.January, 25), "100"),
				eurPay("p3", day(time.February, 10), "100"),
			},
			months:  []affiliate.Period{per("2026-01"), per("2026-02")},
			monthly: []string{"2026-01 a1 60.00 EUR"},
			payouts: []string{"2026-01 paid a1 60.00 EUR"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, order := range permutations(tt.events) {
				// The binding comes first, or after the first event, or last
				// (Engine.Bound re-prices what came before it).
				for _, bindAfter := range []int{0, 1, len(order)} {
					f, ids := newFixture(t, commission.Config{Terms: terms(tt.rule)}, aff("a1", "")), []string{}
					for i, ev := range order {
						if i == bindAfter {
							f.bindNow(t)
							ids = append(ids, "binding")
						}
						f.record(ev)
						ids = append(ids, string(ev.EventID()))
					}
					if bindAfter == len(order) {
						f.bindNow(t)
						ids = append(ids, "binding")
					}
					if diff := cmp.Diff(tt.monthly, f.monthly()); diff != "" {
						t.Errorf("arrival %v: monthly nets (-want +got):\n%s", ids, diff)
					}
					if diff := cmp.Diff(tt.payouts, f.payouts(tt.months...)); diff != "" {
						t.Errorf("arrival %v: payouts (-want +got):\n%s", ids, diff)
					}
					if tt.explains != "" && !slices.ContainsFunc(f.entries("c1"), func(e affiliate.Entry) bool { return strings.Contains(e.Explanation, tt.explains) }) {
						t.Errorf("arrival %v: no entry explains %q", ids, tt.explains)
					}
				}
			}
		})
	}
}

// bindNow binds c1 to a1 (as of January 1st) and tells the engine.
func (f *fixture) bindNow(t *testing.T) {
	t.Helper()
	f.bind("c1", "a1", day(time.January, 1))
	if _, err := f.eng.Bound(f.ctx, "c1"); err != nil {
		t.Fatal(err)
	}
}

// TestCorrectionAfterPayout: a refund dated in January that arrives after
// January's payout run is dated at the start of February, the first month
// without a run; it reverses the January entry (Corrects) and says which
// month it corrects. January's payout and statement stay as they were.
func TestCorrectionAfterPayout(t *testing.T) {
	f := newFixture(t, commission.Config{Terms: terms(rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("20")})}, aff("a1", ""))
	f.bind("c1", "a1", day(time.January, 1))
	earned := f.record(eurPay("p1", day(time.January, 5), "100")).Entries[0]
	if got := f.payouts(per("2026-01")); !slices.Equal(got, []string{"2026-01 paid a1 20.00 EUR"}) {
		t.Fatalf("January's run: %v", got)
	}
	res := f.record(refund("r1", "p1", "c1", day(time.January, 20), "50", "EUR"))
	if len(res.Entries) != 1 {
		t.Fatalf("late refund appended %s", amounts(res.Entries))
	}
	rev := res.Entries[0]
	if rev.Kind != affiliate.KindReversal || rev.Amount.String() != "-10.00 EUR" || !rev.At.Equal(per("2026-02").Start()) || rev.Corrects != earned.ID {
		t.Fatalf("late reversal %+v; want -10.00 EUR dated 2026-02-01 correcting %s", rev, earned.ID)
	}
	if line := commission.Explain(rev); !strings.Contains(line, "for 2026-01, paid out before it was known") || !strings.Contains(line, "corrects "+string(earned.ID)) {
		t.Errorf("Explain = %q", line)
	}
	// A second payment in February, then a late payment dated in January:
	// it earns in February too, and nothing is dated in January.
	f.record(eurPay("p2", day(time.February, 10), "100"))
	late := f.record(eurPay("p0", day(time.January, 7), "100")).Entries
	if len(late) != 1 || !late[0].At.Equal(per("2026-02").Start()) || late[0].Kind != affiliate.KindCommission {
		t.Fatalf("late payment appended %+v", late)
	}
	want := []string{"2026-01 a1 20.00 EUR", "2026-02 a1 30.00 EUR"}
	if diff := cmp.Diff(want, f.monthly()); diff != "" {
		t.Errorf("monthly nets (-want +got):\n%s", diff)
	}
	if res, err := f.eng.Recompute(f.ctx, "c1"); err != nil || len(res.Entries) != 0 {
		t.Errorf("Recompute after the corrections: %s, %v", amounts(res.Entries), err)
	}
	if got := f.payouts(per("2026-02")); !slices.Equal(got, []string{"2026-02 paid a1 30.00 EUR"}) {
		t.Errorf("February's run: %v", got)
	}
}

// TestRefundBeforeItsPayment: a refund dated before its payment is
// accepted and its reversal dated at the payment, in either order.
func TestRefundBeforeItsPayment(t *testing.T) {
	events := []affiliate.Event{
		eurPay("p1", day(time.January, 10), "100"),
		refund("r1", "p1", "c1", day(time.January, 5), "25", "EUR"),
	}
	for _, order := range permutations(events) {
		f := newFixture(t, commission.Config{Terms: terms(rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("20")})}, aff("a1", ""))
		f.bind("c1", "a1", day(time.January, 1))
		for _, ev := range order {
			f.record(ev)
		}
		var got []string
		for _, e := range f.entries("c1") {
			got = append(got, fmt.Sprintf("%s %s at %s", e.Kind, e.Amount, e.At.Format(time.DateOnly)))
		}
		want := []string{"commission 20.00 EUR at 2026-01-10", "reversal -5.00 EUR at 2026-01-10"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("arrival %s first (-want +got):\n%s", order[0].EventID(), diff)
		}
	}
}

// TestMoveAfterRequest: a month an affiliate was paid for on its own
// request (payout.Runner.Request, for that month or a later one, which
// pays it too) is closed for that affiliate as a monthly run closes it:
// moving the customer afterwards takes back nothing from the old
// affiliate and pays the new one nothing of it.
func TestMoveAfterRequest(t *testing.T) {
	for _, requested := range []string{"2026-01", "2026-02"} {
		t.Run(requested, func(t *testing.T) {
			f := newFixture(t, commission.Config{Terms: terms(rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("30")})}, aff("a1", ""), aff("a2", ""))
			f.bind("c1", "a1", day(time.January, 1))
			f.record(eurPay("p1", day(time.January, 9), "100"))
			r, err := payout.New(payout.Config{Store: f.store})
			if err != nil {
				t.Fatal(err)
			}
			period := per(requested)
			res, err := r.Request(f.ctx, "a1", period, period.End())
			if err != nil || len(res.Payouts) != 1 {
				t.Fatalf("request: %+v, %v", res.Payouts, err)
			}
			moved := affiliate.Binding{Customer: "c1", Affiliate: "a2", Source: affiliate.BindByManual, BoundAt: period.End().AddDate(0, 0, 1)}
			if _, err := f.store.Rebind(f.ctx, "a1", moved); err != nil {
				t.Fatal(err)
			}
			if got, err := f.eng.Bound(f.ctx, "c1"); err != nil || len(got.Entries) != 0 {
				t.Errorf("the move after the request appended %s, %v; want nothing", amounts(got.Entries), err)
			}
			if diff := cmp.Diff([]string{"2026-01 a1 30.00 EUR"}, f.monthly()); diff != "" {
				t.Errorf("monthly nets (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAdjustIntoClosedMonth: a manual adjustment dated in a month with a
// payout run is dated at the start of the first month without one, as
// the engine's own corrections are, and says which month it is for; the
// paid-out month's net stays. One dated in an open month keeps its date.
func TestAdjustIntoClosedMonth(t *testing.T) {
	f := newFixture(t, commission.Config{Terms: terms(rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("20")})}, aff("a1", ""))
	f.bind("c1", "a1", day(time.January, 1))
	f.record(eurPay("p1", day(time.January, 5), "100"))
	if got := f.payouts(per("2026-01")); !slices.Equal(got, []string{"2026-01 paid a1 20.00 EUR"}) {
		t.Fatalf("January's run: %v", got)
	}
	adjust := func(key string, at time.Time) affiliate.Entry {
		t.Helper()
		e, err := f.eng.Adjust(f.ctx, commission.Adjustment{Key: key, Kind: commission.AdjustClawback, Affiliate: "a1", Amount: affiliate.MustMoney(-500, "EUR"), Reason: "r", Actor: "max", At: at})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	late := adjust("late", day(time.January, 20))
	if !late.At.Equal(per("2026-02").Start()) || !late.AvailableAt.Equal(late.At) {
		t.Errorf("the adjustment into January is dated %s (available %s); want 2026-02-01", late.At, late.AvailableAt)
	}
	if line := commission.Explain(late); !strings.Contains(line, "for 2026-01, paid out before it was known") {
		t.Errorf("Explain = %q; want it to name January", line)
	}
	if open := adjust("open", day(time.February, 3)); !open.At.Equal(day(time.February, 3)) || strings.Contains(open.Explanation, "paid out") {
		t.Errorf("the adjustment into open February: %+v", open)
	}
	want := []string{"2026-01 a1 20.00 EUR", "2026-02 a1 -10.00 EUR"}
	if diff := cmp.Diff(want, f.monthly()); diff != "" {
		t.Errorf("monthly nets (-want +got):\n%s", diff)
	}
}
