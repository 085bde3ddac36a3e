package tiers_test

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
	"github.com/openaffiliate/affiliate/tiers"
)

// world drives the real commission engine, running seed 000's rules (the
// tier rate and the direct parent's tier bonus) with the program as its
// tier source, and closes months as a program does: tiers.Close, then
// Engine.Retier for every affiliate the close reports.
type world struct {
	eng   *commission.Engine
	tb    tester
	ctx   context.Context
	store *memstore.Store
	prog  *tiers.Program
	cur   affiliate.Currency
	loc   *time.Location
	now   time.Time // the engine's clock: the time of the latest close
}

var (
	standard = tiers.Tier{Name: "Standard", Rate: affiliate.MustPercent("15"), BonusRate: affiliate.MustPercent("5")}
	premium  = tiers.Tier{Name: "Premium", Threshold: tiers.Amount(eur("10000")), Rate: affiliate.MustPercent("20"), BonusRate: affiliate.MustPercent("5")}
	// seed000 is seed 000's schedule with the example threshold.
	seed000 = tiers.MustSchedule(standard, premium)
)

func eur(s string) affiliate.Money { return affiliate.MustParseMoney(s, "EUR") }

// tester is what world needs of *testing.T, *testing.B and *rapid.T.
type tester interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

func newWorld(tb tester, cfg tiers.Config) *world {
	tb.Helper()
	return newWorldWith(tb, cfg, seedRules())
}

// newWorldWith is newWorld with the engine running rule.
func newWorldWith(tb tester, cfg tiers.Config, rule rules.Rule) *world {
	tb.Helper()
	st := memstore.New()
	cfg.Store = st
	if cfg.Currency == "" {
		cfg.Currency = "EUR"
	}
	if cfg.Schedule.Len() == 0 {
		cfg.Schedule = seed000
	}
	prog, err := tiers.New(cfg)
	if err != nil {
		tb.Fatalf("tiers.New: %v", err)
	}
	loc := cfg.Location
	if loc == nil {
		loc = time.UTC
	}
	w := &world{tb: tb, ctx: context.Background(), store: st, prog: prog, cur: cfg.Currency, loc: loc, now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	w.eng, err = commission.New(commission.Config{
		Store: st,
		Terms: []commission.TermsVersion{{Version: "v1", Rule: rule, Hold: 30 * 24 * time.Hour}},
		Tiers: prog, Currency: cfg.Currency, RequireConversion: true, Location: loc,
		Now: func() time.Time { return w.now },
	})
	if err != nil {
		tb.Fatalf("commission.New: %v", err)
	}
	return w
}

// newEngineWorld is newWorld.
func newEngineWorld(tb tester, cfg tiers.Config) *world { return newWorld(tb, cfg) }

// seedRules is seed 000's commission: the referrer's tier rate, and the
// direct parent's tier bonus rate, on the payment.
func seedRules() rules.Rule { return rules.AllOf{rules.TierRate{}, rules.SubAffiliateBonus{}} }

// bind makes customer a referral of aff, and aff a sub-affiliate of
// parent when parent is not "".
func (w *world) bind(customer affiliate.CustomerID, aff, parent affiliate.AffiliateID) {
	w.tb.Helper()
	for _, a := range []affiliate.Affiliate{{ID: parent, Status: affiliate.StatusActive}, {ID: aff, Parent: parent, Status: affiliate.StatusActive}} {
		if _, err := w.store.Affiliate(w.ctx, a.ID); a.ID == "" || err == nil {
			continue
		}
		if err := w.store.PutAffiliate(w.ctx, a); err != nil {
			w.tb.Fatalf("PutAffiliate(%s): %v", a.ID, err)
		}
	}
	_, err := w.store.Bind(w.ctx, affiliate.Binding{Customer: customer, Affiliate: aff, Source: affiliate.BindByManual, BoundAt: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		w.tb.Fatalf("Bind(%s): %v", customer, err)
	}
}

func day(month time.Month, d int) time.Time { return time.Date(2026, month, d, 12, 0, 0, 0, time.UTC) }

// payment builds a one-line payment of amount (currency included, "12.30 EUR").
func payment(id string, customer affiliate.CustomerID, at time.Time, amount affiliate.Money, conv ...affiliate.Conversion) affiliate.Payment {
	p := affiliate.Payment{
		ID: affiliate.EventID(id), Customer: customer, PaidAt: at, Currency: amount.Currency(),
		Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: amount}},
	}
	if len(conv) > 0 {
		p.Conversion = conv[0]
	}
	return p
}

// pay records p through the engine and returns its entries.
func (w *world) pay(p affiliate.Payment) ([]affiliate.Entry, error) {
	res, err := w.eng.Record(w.ctx, p)
	return res.Entries, err
}

// refund records a refund of amount (the zero Money for a full refund) of
// payment at time at.
func (w *world) refund(id string, pay affiliate.EventID, at time.Time, amount affiliate.Money) ([]affiliate.Entry, error) {
	prec, err := w.store.Event(w.ctx, pay)
	if err != nil {
		return nil, err
	}
	r := affiliate.Refund{ID: affiliate.EventID(id), Payment: pay, Customer: prec.Customer, RefundedAt: at, Kind: affiliate.KindRefund, Full: amount == (affiliate.Money{}), Amount: amount}
	res, err := w.eng.Record(w.ctx, r)
	return res.Entries, err
}

// halfEven returns a×b/c rounded half to even, independently of the
// engine's own helper.
func halfEven(a, b, c int64) int64 {
	r := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(a), big.NewInt(b)), big.NewInt(c))
	num, den := r.Num(), r.Denom()
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	twice := new(big.Int).Mul(new(big.Int).Abs(m), big.NewInt(2))
	if c := twice.Cmp(den); c > 0 || (c == 0 && q.Bit(0) == 1) {
		q.Add(q, big.NewInt(int64(num.Sign())))
	}
	return q.Int64()
}

// must fails the test on err.
func must[T any](tb tester) func(T, error) T {
	return func(v T, err error) T {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
		return v
	}
}

// closed is what closing a month did: the close's result and the entries
// the engine's Retier appended.
type closed struct {
	tiers.CloseResult
	Entries []affiliate.Entry
}

// close closes month m of 2026 at the start of the month after, plus d,
// and has the engine re-price what the close changed.
func (w *world) close(m time.Month, d time.Duration) closed {
	w.tb.Helper()
	per := affiliate.PeriodOf(time.Date(2026, m, 1, 0, 0, 0, 0, w.loc), w.loc)
	w.now = per.End().Add(d)
	res, err := closeAndRetier(w.ctx, w.prog, w.eng, per, w.now)
	if err != nil {
		w.tb.Fatalf("Close(%s): %v", per, err)
	}
	return res
}

// net returns what beneficiary's entries about payment net to.
func (w *world) net(beneficiary affiliate.AffiliateID, pay affiliate.EventID) affiliate.Money {
	w.tb.Helper()
	es, err := w.store.Entries(w.ctx, storage.EntryQuery{Payment: pay, Beneficiary: beneficiary})
	if err != nil {
		w.tb.Fatal(err)
	}
	if len(es) == 0 {
		return affiliate.Zero(w.cur)
	}
	sum := affiliate.Zero(es[0].Amount.Currency())
	for _, e := range es {
		sum, err = sum.Add(e.Amount)
		if err != nil {
			w.tb.Fatal(err)
		}
	}
	return sum
}

// ledger returns every entry, for before/after comparisons.
// corrects reports whether e's Corrects chain leads to the entry root:
// an adjustment corrects the key's latest adjustment, a reversal its
// earning entry.
func (w *world) corrects(e affiliate.Entry, root affiliate.EntryID) bool {
	byID := map[affiliate.EntryID]affiliate.Entry{}
	for _, x := range w.ledger() {
		byID[x.ID] = x
	}
	for range len(byID) {
		if e.Corrects == root {
			return true
		}
		next, ok := byID[e.Corrects]
		if !ok {
			return false
		}
		e = next
	}
	return false
}

func (w *world) ledger() []affiliate.Entry {
	w.tb.Helper()
	es, err := w.store.Entries(w.ctx, storage.EntryQuery{})
	if err != nil {
		w.tb.Fatal(err)
	}
	return es
}

// state renders what the store holds of the first months of 2026 (the
// ledger, every aggregate, the tier closes with their snapshots, and the
// given customers' events and summaries), so a test can check that a
// refused call changed nothing at all.
func (w *world) state(customers ...affiliate.CustomerID) string {
	w.tb.Helper()
	var b strings.Builder
	for _, e := range w.ledger() {
		fmt.Fprintf(&b, "entry %+v\n", e)
	}
	for m := time.January; m <= time.April; m++ {
		per := affiliate.PeriodOf(day(m, 1), nil)
		for _, metric := range []affiliate.Metric{affiliate.MetricRevenue, affiliate.MetricRevenueConverted, affiliate.MetricPayingCustomers, affiliate.MetricConversions, affiliate.MetricEarnings} {
			aggs, err := w.store.PeriodAggregates(w.ctx, per, metric)
			if err != nil {
				w.tb.Fatal(err)
			}
			fmt.Fprintf(&b, "aggregates %s %s %+v\n", per, metric, aggs)
		}
		c, err := w.store.TierClose(w.ctx, "default", per)
		fmt.Fprintf(&b, "close %s %+v %v\n", per, c, err)
		snaps, err := w.store.TierSnapshots(w.ctx, storage.TierSnapshotQuery{Program: "default", Period: per})
		if err != nil {
			w.tb.Fatal(err)
		}
		fmt.Fprintf(&b, "snapshots %s %+v\n", per, snaps)
	}
	for _, c := range customers {
		evs, err := w.store.Events(w.ctx, storage.EventQuery{Customer: c})
		if err != nil {
			w.tb.Fatal(err)
		}
		st, err := w.store.CustomerState(w.ctx, c)
		if err != nil {
			w.tb.Fatal(err)
		}
		fmt.Fprintf(&b, "customer %s state %+v\n", c, st)
		for _, ev := range evs {
			fmt.Fprintf(&b, "event %s %s %s %s %q", ev.ID, ev.Time, ev.Hash, ev.Affiliate, ev.Customer)
			if ev.Payment != nil {
				fmt.Fprintf(&b, " payment %+v", *ev.Payment)
			}
			if ev.Refund != nil {
				fmt.Fprintf(&b, " refund %+v", *ev.Refund)
			}
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// closeAndRetier closes per as a program does: tiers.Close, then
// Engine.Retier for every affiliate the close reports.
func closeAndRetier(ctx context.Context, p *tiers.Program, eng *commission.Engine, per affiliate.Period, asOf time.Time) (closed, error) {
	res, err := p.Close(ctx, per, asOf)
	if err != nil {
		return closed{}, err
	}
	out := closed{CloseResult: res}
	for _, c := range res.Affected {
		r, err := eng.Retier(ctx, c.Affiliate, c.From)
		if err != nil {
			return out, err
		}
		out.Entries = append(out.Entries, r.Entries...)
	}
	return out, nil
}
