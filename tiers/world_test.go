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

// world is a small stand-in for the commission engine, written from the
// team's engine design: it prices each payment with the program's TierAt
// (the referrer's tier rate on the payment total, and the direct parent's
// tier bonus rate, each an entry even when it rounds to zero: the tier
// anchors package rules returns, which the engine does not keep yet), reverses pro rata on refunds (a key keeps gross × (T
// − R) / T, rounded once, half-even, as the engine's keep does), and
// commits the event, its entries and
// the aggregates (revenue, converted revenue, paying customers,
// conversions, earnings) in one Events.Commit, as the engine does. The
// tiers tests drive the close through it; the integration test drives the
// real engine.
type world struct {
	eng     *commission.Engine // when set, payments and refunds go through it
	tb      tester
	ctx     context.Context
	store   *memstore.Store
	prog    *tiers.Program
	cur     affiliate.Currency
	loc     *time.Location
	parents map[affiliate.AffiliateID]affiliate.AffiliateID
	// paidIn records (customer, period) pairs and customers seen, for the
	// count aggregates.
	paidIn map[string]bool
	seen   map[affiliate.CustomerID]bool
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
	return &world{
		tb: tb, ctx: context.Background(), store: st, prog: prog, cur: cfg.Currency, loc: loc,
		parents: make(map[affiliate.AffiliateID]affiliate.AffiliateID),
		paidIn:  make(map[string]bool), seen: make(map[affiliate.CustomerID]bool),
	}
}

// newEngineWorld is a world whose payments and refunds go through the
// real commission engine, running seed 000's rules (the tier rate and the
// direct parent's tier bonus) with the program as its tier source.
func newEngineWorld(tb tester, cfg tiers.Config) *world {
	tb.Helper()
	w := newWorld(tb, cfg)
	eng, err := commission.New(commission.Config{
		Store: w.store,
		Terms: []commission.TermsVersion{{Version: "v1", Rule: seedRules(), Hold: 30 * 24 * time.Hour}},
		Tiers: w.prog, Currency: w.cur, RequireConversion: true, Location: w.loc,
	})
	if err != nil {
		tb.Fatalf("commission.New: %v", err)
	}
	w.eng = eng
	return w
}

// seedRules is seed 000's commission: the referrer's tier rate, and the
// direct parent's tier bonus rate, on the payment.
func seedRules() rules.Rule { return rules.AllOf{rules.TierRate{}, rules.SubAffiliateBonus{}} }

// bind makes customer a referral of aff, and aff a sub-affiliate of
// parent when parent is not "".
func (w *world) bind(customer affiliate.CustomerID, aff, parent affiliate.AffiliateID) {
	w.tb.Helper()
	if parent != "" {
		w.parents[aff] = parent
	}
	if w.eng != nil {
		for _, a := range []affiliate.Affiliate{{ID: parent, Status: affiliate.StatusActive}, {ID: aff, Parent: parent, Status: affiliate.StatusActive}} {
			if _, err := w.store.Affiliate(w.ctx, a.ID); a.ID == "" || err == nil {
				continue
			}
			if err := w.store.PutAffiliate(w.ctx, a); err != nil {
				w.tb.Fatalf("PutAffiliate(%s): %v", a.ID, err)
			}
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

// pay records p as the engine would, and returns its entries.
func (w *world) pay(p affiliate.Payment) ([]affiliate.Entry, error) {
	if w.eng != nil {
		res, err := w.eng.Record(w.ctx, p)
		return res.Entries, err
	}
	b, err := w.store.Binding(w.ctx, p.Customer)
	if err != nil {
		return nil, err
	}
	a := b.Affiliate
	total, err := p.Total()
	if err != nil {
		return nil, err
	}
	tier, err := w.prog.TierAt(w.ctx, a, p)
	if err != nil {
		return nil, err
	}
	per := affiliate.PeriodOf(p.PaidAt, w.loc).String()
	commission, err := total.MulRate(tier.Rate, affiliate.HalfEven)
	if err != nil {
		return nil, err
	}
	entries := []affiliate.Entry{w.accrual(p, total, a, []affiliate.AffiliateID{a}, affiliate.KindCommission, tier.Rate, tier.Name, commission, 0)}
	if parent := w.parents[a]; parent != "" {
		ptier, err := w.prog.TierAt(w.ctx, parent, p)
		if err != nil {
			return nil, err
		}
		bonus, err := total.MulRate(ptier.BonusRate, affiliate.HalfEven)
		if err != nil {
			return nil, err
		}
		entries = append(entries, w.accrual(p, total, parent, []affiliate.AffiliateID{a, parent}, affiliate.KindBonus, ptier.BonusRate, ptier.Name, bonus, 1))
	}
	converted := total
	if p.Currency != w.cur {
		if converted, err = total.Convert(w.cur, p.Conversion.Rate, affiliate.HalfEven); err != nil {
			return nil, err
		}
	}
	deltas := []storage.AggregateDelta{
		{Affiliate: a, Period: per, Metric: storage.MetricRevenue, Amount: total},
		{Affiliate: "", Period: per, Metric: storage.MetricRevenue, Amount: total},
		{Affiliate: a, Period: per, Metric: storage.MetricRevenueConverted, Amount: converted},
		{Affiliate: "", Period: per, Metric: storage.MetricRevenueConverted, Amount: converted},
	}
	if k := string(p.Customer) + "@" + per; !w.paidIn[k] {
		w.paidIn[k] = true
		deltas = append(deltas, storage.AggregateDelta{Affiliate: a, Period: per, Metric: storage.MetricPayingCustomers, Count: 1})
	}
	if !w.seen[p.Customer] {
		w.seen[p.Customer] = true
		deltas = append(deltas, storage.AggregateDelta{Affiliate: a, Period: per, Metric: storage.MetricConversions, Count: 1})
	}
	deltas = append(deltas, earnings(entries, w.loc)...)
	rec := &storage.EventRecord{ID: p.ID, Customer: p.Customer, Time: p.PaidAt, Hash: string(p.ID), Payment: &p, Affiliate: a}
	return w.commit(p.Customer, rec, entries, deltas)
}

func (w *world) accrual(p affiliate.Payment, base affiliate.Money, beneficiary affiliate.AffiliateID, chain []affiliate.AffiliateID, kind affiliate.EntryKind, rate affiliate.Rate, tier string, amount affiliate.Money, n int) affiliate.Entry {
	return affiliate.Entry{
		ID: affiliate.EntryID(fmt.Sprintf("%s/%d", p.ID, n)), Beneficiary: beneficiary, Event: p.ID, Payment: p.ID, Customer: p.Customer,
		Kind: kind, Base: base, BaseLines: []affiliate.LineKind{affiliate.LineSubscription}, Rate: rate, Amount: amount,
		Rule: "tier", Terms: "v1", Tier: tier, Chain: chain, At: p.PaidAt, AvailableAt: p.PaidAt.Add(30 * 24 * time.Hour),
		Explanation: fmt.Sprintf("%s × %s (%s)", base, rate.PercentString(), tier),
	}
}

func (w *world) commit(c affiliate.CustomerID, rec *storage.EventRecord, entries []affiliate.Entry, deltas []storage.AggregateDelta) ([]affiliate.Entry, error) {
	st, err := w.store.CustomerState(w.ctx, c)
	if err != nil {
		return nil, err
	}
	res, err := w.store.Commit(w.ctx, storage.Commit{
		Key: "event:" + string(rec.ID), Hash: rec.Hash, Event: rec,
		State:   storage.CustomerState{Customer: c, Version: st.Version + 1},
		Entries: entries, Deltas: deltas,
	})
	return res.Entries, err
}

// earnings adds entries to the earnings aggregate as the engine does:
// a zero amount (a tier anchor) adds no delta.
func earnings(entries []affiliate.Entry, loc *time.Location) []storage.AggregateDelta {
	var out []storage.AggregateDelta
	for _, e := range entries {
		if e.Amount.IsZero() {
			continue
		}
		out = append(out, storage.AggregateDelta{Affiliate: e.Beneficiary, Period: affiliate.PeriodOf(e.At, loc).String(), Metric: storage.MetricEarnings, Amount: e.Amount})
	}
	return out
}

// refund records a refund of amount (the zero Money for a full refund) of
// payment at time at, reversing every key of the payment pro rata: a key
// keeps gross × (total − refunded) / total, rounded once, half-even.
func (w *world) refund(id string, pay affiliate.EventID, at time.Time, amount affiliate.Money) ([]affiliate.Entry, error) {
	prec, err := w.store.Event(w.ctx, pay)
	if err == nil && w.eng != nil {
		r := affiliate.Refund{ID: affiliate.EventID(id), Payment: pay, Customer: prec.Customer, RefundedAt: at, Kind: affiliate.KindRefund, Full: amount == (affiliate.Money{}), Amount: amount}
		res, err := w.eng.Record(w.ctx, r)
		return res.Entries, err
	}
	if err != nil {
		return nil, err
	}
	p := *prec.Payment
	total, _ := p.Total()
	r := affiliate.Refund{ID: affiliate.EventID(id), Payment: pay, Customer: p.Customer, RefundedAt: at, Kind: affiliate.KindRefund, Full: amount == (affiliate.Money{}), Amount: amount}
	recs, err := w.store.Events(w.ctx, storage.EventQuery{Payment: pay})
	if err != nil {
		return nil, err
	}
	before := int64(0)
	for _, rr := range recs {
		if rr.Refund != nil {
			if rr.Refund.Full {
				before = total.Minor()
			} else {
				before += rr.Refund.Amount.Minor()
			}
		}
	}
	before = min(before, total.Minor())
	after := total.Minor()
	if !r.Full {
		after = min(before+amount.Minor(), total.Minor())
	}
	back := after - before // what this refund takes back of the payment
	all, err := w.store.Entries(w.ctx, storage.EntryQuery{Payment: pay})
	if err != nil {
		return nil, err
	}
	type sums struct {
		root       affiliate.Entry
		gross, net int64
	}
	var order []affiliate.EntryID
	keys := map[affiliate.EntryID]*sums{}
	for _, e := range all {
		if e.Corrects == "" {
			keys[e.ID] = &sums{root: e}
			order = append(order, e.ID)
		}
	}
	for _, e := range all {
		id := e.ID
		if e.Corrects != "" {
			id = e.Corrects
		}
		k := keys[id]
		k.net += e.Amount.Minor()
		if e.Kind != affiliate.KindReversal {
			k.gross += e.Amount.Minor()
		}
	}
	var entries []affiliate.Entry
	for i, id := range order {
		k := keys[id]
		want := halfEven(k.gross, total.Minor()-after, total.Minor())
		if d := want - k.net; d != 0 {
			e := k.root
			e.ID = affiliate.EntryID(fmt.Sprintf("%s/%d", r.ID, i))
			e.Event, e.Kind, e.Corrects = r.ID, affiliate.KindReversal, k.root.ID
			e.Amount = affiliate.MustMoney(d, e.Amount.Currency())
			e.At, e.AvailableAt = at, at
			e.Explanation = "refund reversal"
			entries = append(entries, e)
		}
	}
	per := affiliate.PeriodOf(at, w.loc).String()
	backMoney := affiliate.MustMoney(-back, total.Currency())
	converted := backMoney
	if p.Currency != w.cur {
		converted, _ = backMoney.Convert(w.cur, p.Conversion.Rate, affiliate.HalfEven)
	}
	deltas := []storage.AggregateDelta{
		{Affiliate: prec.Affiliate, Period: per, Metric: storage.MetricRevenue, Amount: backMoney},
		{Affiliate: "", Period: per, Metric: storage.MetricRevenue, Amount: backMoney},
		{Affiliate: prec.Affiliate, Period: per, Metric: storage.MetricRevenueConverted, Amount: converted},
		{Affiliate: "", Period: per, Metric: storage.MetricRevenueConverted, Amount: converted},
	}
	deltas = append(deltas, earnings(entries, w.loc)...)
	rec := &storage.EventRecord{ID: r.ID, Customer: r.Customer, Time: at, Hash: id, Refund: &r, Affiliate: prec.Affiliate}
	return w.commit(r.Customer, rec, entries, deltas)
}

// halfEven returns a×b/c rounded half to even, independently of the
// package's own helper.
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

// close closes month m of 2026 at the start of the month after, plus d.
func (w *world) close(m time.Month, d time.Duration) tiers.CloseResult {
	w.tb.Helper()
	per := affiliate.PeriodOf(time.Date(2026, m, 1, 0, 0, 0, 0, w.loc), w.loc)
	res, err := w.prog.Close(w.ctx, per, per.End().Add(d))
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
		per := affiliate.PeriodOf(day(m, 1), nil).String()
		for _, metric := range []storage.Metric{storage.MetricRevenue, storage.MetricRevenueConverted, storage.MetricPayingCustomers, storage.MetricConversions, storage.MetricEarnings} {
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

// closeAndRetier closes per as a program does.
func closeAndRetier(ctx context.Context, p *tiers.Program, _ *commission.Engine, per affiliate.Period, asOf time.Time) (tiers.CloseResult, error) {
	return p.Close(ctx, per, asOf)
}
