package payout_test

import (
	"context"
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

var ctx = context.Background()

// month returns the period of 2026-m in UTC.
func month(m time.Month) affiliate.Period {
	return affiliate.Period{Year: 2026, Month: m, Location: time.UTC}
}

// day returns 2026-m-d 12:00 UTC.
func day(m time.Month, d int) time.Time { return time.Date(2026, m, d, 12, 0, 0, 0, time.UTC) }

func money(s string) affiliate.Money {
	var amount, cur string
	fmt.Sscan(s, &amount, &cur)
	return affiliate.MustParseMoney(amount, cur)
}

// ent is a ledger entry: amount like "12.30 EUR", earned at at, available
// after hold.
type ent struct {
	id     string
	aff    affiliate.AffiliateID
	amount string
	at     time.Time
	hold   time.Duration
	kind   affiliate.EntryKind
}

func (e ent) entry() affiliate.Entry {
	kind := e.kind
	if kind == "" {
		kind = affiliate.KindCommission
		if money(e.amount).Sign() < 0 {
			kind = affiliate.KindReversal
		}
	}
	amt := money(e.amount)
	return affiliate.Entry{
		ID:          affiliate.EntryID(e.id),
		Beneficiary: e.aff,
		Event:       affiliate.EventID("ev-" + e.id),
		Payment:     affiliate.EventID("pay-" + e.id),
		Customer:    "cust-" + affiliate.CustomerID(e.aff),
		Kind:        kind,
		Amount:      amt,
		Rule:        "test",
		Terms:       "v1",
		Chain:       []affiliate.AffiliateID{e.aff},
		At:          e.at,
		AvailableAt: e.at.Add(e.hold),
		Explanation: string(kind) + " " + amt.String() + " (" + e.id + ")",
	}
}

// tester is what env needs of *testing.T, *testing.B and *rapid.T.
type tester interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// env is a memstore with a runner over it.
type env struct {
	t      tester
	store  *memstore.Store
	runner *payout.Runner
	policy payout.Policy
	now    time.Time
}

func newEnv(t tester, cfg payout.Config) *env {
	t.Helper()
	e := &env{t: t, store: memstore.New(), now: day(time.December, 31), policy: cfg.Policy}
	cfg.Store = e.store
	cfg.Now = func() time.Time { return e.now }
	r, err := payout.New(cfg)
	if err != nil {
		t.Fatalf("payout.New: %v", err)
	}
	e.runner = r
	return e
}

func eurMinimum(amount string) payout.Config {
	return payout.Config{Policy: payout.Policy{Minimums: map[affiliate.Currency]affiliate.Money{"EUR": money(amount + " EUR")}}}
}

func (e *env) append(es ...ent) {
	e.t.Helper()
	entries := make([]affiliate.Entry, len(es))
	var deltas []storage.AggregateDelta
	for i, x := range es {
		entries[i] = x.entry()
		deltas = append(deltas, storage.AggregateDelta{
			Affiliate: x.aff, Period: affiliate.PeriodOf(x.at, time.UTC),
			Metric: affiliate.MetricEarnings, Amount: entries[i].Amount,
		})
	}
	key := "append"
	for _, x := range es {
		key += "/" + x.id
	}
	if _, err := affiliatetest.SeedLedger(ctx, e.store, key, entries, deltas); err != nil {
		e.t.Fatalf("Append: %v", err)
	}
}

func (e *env) affiliate(a affiliate.Affiliate) {
	e.t.Helper()
	if a.Status == "" {
		a.Status = affiliate.StatusActive
	}
	if err := e.store.PutAffiliate(ctx, a); err != nil {
		e.t.Fatalf("PutAffiliate: %v", err)
	}
}

func (e *env) run(p affiliate.Period, asOf time.Time) payout.Result {
	e.t.Helper()
	res, err := e.runner.Run(ctx, p, asOf)
	if err != nil {
		e.t.Fatalf("Run(%s): %v", p, err)
	}
	return res
}

func (e *env) unsettled() []affiliate.EntryID {
	e.t.Helper()
	es, err := e.store.Entries(ctx, storage.EntryQuery{Unsettled: true})
	if err != nil {
		e.t.Fatal(err)
	}
	ids := make([]affiliate.EntryID, len(es))
	for i, x := range es {
		ids[i] = x.ID
	}
	return ids
}

// summary renders a result as "aff:amount" lines, payouts then carried.
func summary(r payout.Result) []string {
	var out []string
	for _, p := range r.Payouts {
		out = append(out, fmt.Sprintf("pay %s %s", p.Affiliate, p.Amount))
	}
	for _, c := range r.Carried {
		out = append(out, fmt.Sprintf("carry %s %s %s", c.Affiliate, c.Amount, c.Reason))
	}
	return out
}

// payingCustomer records, as the commission engine would, that one of a's
// referred customers paid in p.
func (e *env) payingCustomer(a affiliate.AffiliateID, p affiliate.Period) {
	e.t.Helper()
	key := "paying/" + string(a) + "/" + p.String()
	_, err := affiliatetest.SeedLedger(ctx, e.store, key, nil, []storage.AggregateDelta{
		{Affiliate: a, Period: p, Metric: affiliate.MetricPayingCustomers, Count: 1},
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// storedPayout reads payout id as it stands now, from its run: a payout's
// ID names its period ("po_2026-01_…").
func storedPayout(store *memstore.Store, id affiliate.PayoutID) (affiliate.Payout, error) {
	run, err := store.PayoutRun(ctx, payout.DefaultProgram, per(string(id)[len("po_"):len("po_2026-01")]))
	if err != nil {
		return affiliate.Payout{}, err
	}
	for _, p := range run.Payouts {
		if p.ID == id {
			return p, nil
		}
	}
	return affiliate.Payout{}, affiliate.ErrNotFound
}
