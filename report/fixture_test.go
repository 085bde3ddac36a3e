package report_test

import (
	"context"
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/report"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

var ctx = context.Background()

func month(m time.Month) affiliate.Period {
	return affiliate.Period{Year: 2026, Month: m, Location: time.UTC}
}

func day(m time.Month, d int) time.Time { return time.Date(2026, m, d, 12, 0, 0, 0, time.UTC) }

// world is a memstore the tests script like the attribution tracker and
// the commission engine would: touches, bindings, entries and the
// aggregates the engine writes alongside them.
type world struct {
	t     tester
	store *memstore.Store
	now   time.Time
	n     int
}

// tester is what world needs of *testing.T, *testing.B and *rapid.T.
type tester interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

func newWorld(t tester) *world {
	return &world{t: t, store: memstore.New(), now: day(3, 2)}
}

func (w *world) reporter() *report.Reporter {
	w.t.Helper()
	r, err := report.New(report.Config{Store: w.store, Now: func() time.Time { return w.now }})
	if err != nil {
		w.t.Fatal(err)
	}
	return r
}

func (w *world) clicks(a affiliate.AffiliateID, n int, at time.Time) {
	w.t.Helper()
	for range n {
		w.n++
		err := w.store.AddTouch(ctx, affiliate.Touch{
			ID: affiliate.TouchID(fmt.Sprintf("t%d", w.n)), Visitor: affiliate.VisitorID(fmt.Sprintf("v%d", w.n)),
			Affiliate: a, Source: affiliate.TouchLink, At: at.Add(time.Duration(w.n) * time.Minute),
		})
		if err != nil {
			w.t.Fatal(err)
		}
	}
}

func (w *world) signup(a affiliate.AffiliateID, c affiliate.CustomerID, at time.Time) {
	w.t.Helper()
	if _, err := w.store.Bind(ctx, affiliate.Binding{Customer: c, Affiliate: a, Source: affiliate.BindByLink, BoundAt: at}); err != nil {
		w.t.Fatal(err)
	}
}

// pay records what the engine writes for a payment of a referred
// customer: revenue (affiliate and program-wide), a conversion on the
// customer's first payment, and a commission entry with its earnings
// aggregate, held for 30 days.
func (w *world) pay(a affiliate.AffiliateID, c affiliate.CustomerID, amount string, commission string, first bool, at time.Time) {
	w.t.Helper()
	w.n++
	paid, cut := money(amount), money(commission)
	p := affiliate.PeriodOf(at, nil)
	deltas := []storage.AggregateDelta{
		{Affiliate: a, Period: p, Metric: affiliate.MetricRevenue, Amount: paid},
		{Affiliate: "", Period: p, Metric: affiliate.MetricRevenue, Amount: paid},
		{Affiliate: a, Period: p, Metric: affiliate.MetricEarnings, Amount: cut},
	}
	if first {
		deltas = append(deltas,
			storage.AggregateDelta{Affiliate: a, Period: p, Metric: affiliate.MetricConversions, Count: 1},
			storage.AggregateDelta{Affiliate: "", Period: p, Metric: affiliate.MetricConversions, Count: 1})
	}
	w.append(a, c, affiliate.KindCommission, cut, at, at.Add(30*24*time.Hour), deltas)
}

// refund records a refund and the reversal of its commission, available
// at once.
func (w *world) refund(a affiliate.AffiliateID, c affiliate.CustomerID, amount, reversal string, at time.Time) {
	w.t.Helper()
	w.n++
	back, rev := money(amount).Neg(), money(reversal).Neg()
	p := affiliate.PeriodOf(at, nil)
	w.append(a, c, affiliate.KindReversal, rev, at, at, []storage.AggregateDelta{
		{Affiliate: a, Period: p, Metric: affiliate.MetricRevenue, Amount: back},
		{Affiliate: "", Period: p, Metric: affiliate.MetricRevenue, Amount: back},
		{Affiliate: a, Period: p, Metric: affiliate.MetricEarnings, Amount: rev},
	})
}

func (w *world) append(a affiliate.AffiliateID, c affiliate.CustomerID, kind affiliate.EntryKind, amount affiliate.Money, at, available time.Time, deltas []storage.AggregateDelta) {
	w.t.Helper()
	id := fmt.Sprintf("ev%d", w.n)
	_, err := affiliatetest.SeedLedger(ctx, w.store, id, []affiliate.Entry{{
		ID: affiliate.EntryID(id + "/0"), Beneficiary: a, Customer: c, Event: affiliate.EventID(id), Payment: affiliate.EventID(id),
		Kind: kind, Amount: amount, Rule: "test", Terms: "v1", At: at, AvailableAt: available,
	}}, deltas)
	if err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) payoutRunner(policy payout.Policy) *payout.Runner {
	w.t.Helper()
	r, err := payout.New(payout.Config{Policy: policy, Store: w.store, Now: func() time.Time { return w.now }})
	if err != nil {
		w.t.Fatal(err)
	}
	return r
}

func money(s string) affiliate.Money {
	var amount, cur string
	fmt.Sscan(s, &amount, &cur)
	return affiliate.MustParseMoney(amount, cur)
}

// scriptedMonth is January 2026 for two affiliates: Ann (EUR customers)
// and Bob (a USD customer); February's run pays Bob and carries Ann.
func scriptedMonth(t tester) *world {
	w := newWorld(t)
	w.clicks("ann", 10, day(1, 2))
	w.clicks("bob", 4, day(1, 3))
	w.clicks("ann", 1, day(2, 2))
	for i, c := range []affiliate.CustomerID{"c1", "c2", "c3", "c4"} {
		w.signup("ann", c, day(1, 4+i))
	}
	w.signup("bob", "c5", day(1, 5))
	w.pay("ann", "c1", "100 EUR", "15 EUR", true, day(1, 5))
	w.pay("ann", "c2", "200 EUR", "30 EUR", true, day(1, 10))
	w.pay("bob", "c5", "50 USD", "15 USD", true, day(1, 12))
	w.refund("ann", "c2", "50 EUR", "7.50 EUR", day(1, 20))
	runner := w.payoutRunner(payout.Policy{Minimums: map[affiliate.Currency]affiliate.Money{"EUR": money("50 EUR")}})
	res, err := runner.Run(ctx, month(1), day(3, 1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := runner.MarkPaid(ctx, res.Payouts[0].ID, "ACH-7"); err != nil {
		t.Fatal(err)
	}
	return w
}
