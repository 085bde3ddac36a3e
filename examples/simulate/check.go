package main

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// checker is an independent model of the seed 000 program: it prices
// every event with integer arithmetic from the generator's own facts
// (who referred whom, which tier each affiliate reached), and judges what
// the library wrote against it, event by event, close by close, run by
// run. It keeps O(affiliates) state plus the open (unpaid) entries and the
// payments with a refund still to come, so it streams with the
// simulation instead of reading the whole ledger at the end.
type checker struct {
	gen  *Generator
	hold time.Duration
	v    *Violations

	premium  []bool  // per affiliate: the tier the current month pays (decided by the last close)
	revenue  []int64 // per affiliate: the current month's converted revenue, EUR cents
	earnings []int64 // per affiliate × currency: the current month's entries
	net      []int64 // per affiliate × currency: every entry so far
	paid     []int64 // per affiliate × currency: paid out so far
	open     [][]openEntry
	refunds  map[affiliate.EventID]refundable

	Totals Totals
}

// openEntry is an entry no payout holds yet.
type openEntry struct {
	id        uint64 // FNV-1a of the entry ID
	amount    int64
	at, avail int64 // Unix nanoseconds
}

// refundable is what the checker keeps of a payment whose refund is coming.
type refundable struct {
	total       int64
	revenue     int64 // the payment's revenue: the base, without tax and shipping
	cur         int
	units       int64 // the payment's exchange rate to EUR, in units of 0.0001
	aff, parent int
	comm, bonus int64 // the gross commission and bonus
}

// Totals are the year's figures, as the checker counted them.
type Totals struct {
	Bindings, Payments, Refunds, PartialRefunds, Chargebacks int
	Entries                                                  map[affiliate.EntryKind]int
	Earned, Reversed, PaidOut, Carried, OnHold               []int64 // per currency (index in currencies)
	Payouts, PremiumDecisions, TrueUps                       int
	RecomputeChecked                                         int
}

func newChecker(g *Generator, hold time.Duration, v *Violations) *checker {
	n, nc := len(g.affs), len(currencies)
	return &checker{
		gen: g, hold: hold, v: v,
		premium: make([]bool, n), revenue: make([]int64, n),
		earnings: make([]int64, n*nc), net: make([]int64, n*nc), paid: make([]int64, n*nc),
		open:    make([][]openEntry, n*nc),
		refunds: make(map[affiliate.EventID]refundable),
		Totals: Totals{
			Entries: map[affiliate.EntryKind]int{},
			Earned:  make([]int64, nc), Reversed: make([]int64, nc), PaidOut: make([]int64, nc),
			Carried: make([]int64, nc), OnHold: make([]int64, nc),
		},
	}
}

// want is one entry the model expects.
type want struct {
	aff    int
	kind   affiliate.EntryKind
	amount int64
	base   int64 // 0: not checked (reversals)
	rate   affiliate.Rate
	tier   string
}

// payment judges the entries Record appended for p.
func (c *checker) payment(p *affiliate.Payment, refundLater bool, res commission.Result) {
	c.Totals.Payments++
	if res.Unbound || res.Replayed || res.Reordered || res.Parked {
		c.v.Add("flags", "payment %s: result flags unbound=%v replayed=%v reordered=%v parked=%v on an in-order first delivery of a bound customer's payment", p.ID, res.Unbound, res.Replayed, res.Reordered, res.Parked)
	}
	ci := c.customer(p.Customer)
	if ci < 0 {
		c.v.Add("generator", "payment %s: unknown customer %s", p.ID, p.Customer)
		return
	}
	a := int(c.gen.custs[ci].aff)
	parent := c.gen.Parent(a)
	cur := curIndex(p.Currency)
	base, total := lineSums(p.Lines)
	tier, rateBP, r := "Standard", int64(1500), standardRate
	if c.premium[a] {
		tier, rateBP, r = "Premium", 2000, premiumRate
	}
	ws := make([]want, 0, 2)
	comm := halfEven(base*rateBP, 10_000)
	if comm > 0 {
		ws = append(ws, want{aff: a, kind: affiliate.KindCommission, amount: comm, base: base, rate: r, tier: tier})
	}
	bonus := int64(0)
	if parent >= 0 {
		bonus = halfEven(base*500, 10_000)
		if bonus > 0 {
			ptier := "Standard"
			if c.premium[parent] {
				ptier = "Premium"
			}
			ws = append(ws, want{aff: parent, kind: affiliate.KindBonus, amount: bonus, base: base, rate: bonusRate, tier: ptier})
		}
	}
	c.match(string(p.ID), p.Currency, p.PaidAt, c.hold, ws, res.Entries)
	units := int64(10_000)
	if cur != 0 {
		units = rateUnits(p.Conversion.Rate)
	}
	// The revenue metric counts the base: tax and shipping are not the
	// host's revenue.
	revenue := max(base, 0)
	c.revenue[a] += toEUR(cur, revenue, units)
	if refundLater {
		c.refunds[p.ID] = refundable{total: total, revenue: revenue, cur: cur, units: units, aff: a, parent: parent, comm: comm, bonus: bonus}
	}
}

// refund judges the reversals Record appended for r.
func (c *checker) refund(r *affiliate.Refund, res commission.Result) {
	c.Totals.Refunds++
	switch {
	case r.Kind == affiliate.KindChargeback:
		c.Totals.Chargebacks++
	case !r.Full:
		c.Totals.PartialRefunds++
	}
	if res.Replayed || res.Reordered || res.Parked {
		c.v.Add("flags", "refund %s: result flags replayed=%v reordered=%v parked=%v on an in-order first delivery", r.ID, res.Replayed, res.Reordered, res.Parked)
	}
	info, ok := c.refunds[r.Payment]
	if !ok {
		c.v.Add("generator", "refund %s of %s: no scheduled refund", r.ID, r.Payment)
		return
	}
	delete(c.refunds, r.Payment)
	refunded := info.total
	if !r.Full {
		refunded = r.Amount.Minor()
	}
	var ws []want
	for _, g := range []struct {
		aff   int
		gross int64
	}{{info.aff, info.comm}, {info.parent, info.bonus}} {
		if g.aff < 0 || g.gross == 0 {
			continue
		}
		if rev := keep(g.gross, info.total, refunded) - g.gross; rev != 0 {
			ws = append(ws, want{aff: g.aff, kind: affiliate.KindReversal, amount: rev})
		}
	}
	code := currencies[info.cur].code
	c.match(string(r.ID), code, r.RefundedAt, 0, ws, res.Entries)
	// The refunded share of the revenue leaves the revenue of the
	// refund's month, converted at the payment's rate.
	c.revenue[info.aff] -= toEUR(info.cur, refundedRevenue(info.revenue, info.total, refunded), info.units)
}

// match compares the entries an event produced with the model's, and
// books them.
func (c *checker) match(event string, cur affiliate.Currency, at time.Time, hold time.Duration, ws []want, got []affiliate.Entry) {
	if len(got) != len(ws) {
		c.v.Add("I3/I4 ledger", "event %s: %d entries, the model wants %d (%v)", event, len(got), len(ws), describe(got))
	}
	ci := curIndex(cur)
	for _, e := range got {
		c.Totals.Entries[e.Kind]++
		if e.Amount.Currency() != cur || (!e.Base.IsZero() && e.Base.Currency() != cur) {
			c.v.Add("I5 currency", "event %s: entry %s in %s (base %s), the event is in %s", event, e.ID, e.Amount.Currency(), e.Base.Currency(), cur)
			continue
		}
		a := c.affIndex(e.Beneficiary)
		i := slices.IndexFunc(ws, func(w want) bool { return w.aff == a && w.kind == e.Kind })
		switch {
		case i < 0:
			c.v.Add("I3/I4 ledger", "event %s: unexpected entry %s (%s %s to %s)", event, e.ID, e.Kind, e.Amount, e.Beneficiary)
		case ws[i].amount != e.Amount.Minor():
			c.v.Add("I3/I4 ledger", "event %s: %s to %s is %s, the model wants %d minor units", event, e.Kind, e.Beneficiary, e.Amount, ws[i].amount)
		case ws[i].base != 0 && (ws[i].base != e.Base.Minor() || !ws[i].rate.Equal(e.Rate) || ws[i].tier != e.Tier):
			c.v.Add("I4 rate", "event %s: %s to %s on base %s at %s (%s), the model wants base %d at %s (%s)", event, e.Kind, e.Beneficiary, e.Base, e.Rate, e.Tier, ws[i].base, ws[i].rate, ws[i].tier)
		case !e.At.Equal(at) || !e.AvailableAt.Equal(at.Add(hold)):
			c.v.Add("ledger times", "event %s: entry %s at %s available %s, the model wants %s and %s", event, e.ID, e.At, e.AvailableAt, at, at.Add(hold))
		}
		if i >= 0 {
			ws = slices.Delete(ws, i, i+1)
		}
		if a < 0 {
			continue
		}
		k := a*len(currencies) + ci
		m := e.Amount.Minor()
		c.net[k] += m
		c.earnings[k] += m
		if e.Kind == affiliate.KindReversal {
			c.Totals.Reversed[ci] += m
		} else {
			c.Totals.Earned[ci] += m
		}
		c.open[k] = append(c.open[k], openEntry{id: hashID(string(e.ID)), amount: m, at: e.At.UnixNano(), avail: e.AvailableAt.UnixNano()})
	}
}

// closed judges month m's close: no true-ups are due (every payment of
// the month was priced at the tier the previous close decided), the
// revenue and earnings aggregates equal the model's, and every snapshot
// names the tier the model's revenue reaches. It then moves the model to
// the next month.
func (c *checker) closed(ctx context.Context, st *memstore.Store, period affiliate.Period, snaps []affiliate.TierSnapshot, trueUps int) error {
	c.Totals.TrueUps += trueUps
	if trueUps > 0 {
		c.v.Add("tier close", "%s: the close re-priced %d entries; the model wants none (NextPeriod, closed before the next month's payments)", period, trueUps)
	}
	threshold := premiumThreshold.Minor()
	decided := make([]string, len(c.gen.affs))
	for _, s := range snaps {
		if a := c.affIndex(s.Affiliate); a >= 0 {
			decided[a] = s.Tier
		}
	}
	for a, rev := range c.revenue {
		want := "Standard"
		if rev >= threshold {
			want = "Premium"
			c.Totals.PremiumDecisions++
		}
		if got := cmp.Or(decided[a], "Standard"); got != want {
			c.v.Add("tier close", "%s: %s decided %s, the model's revenue %d EUR cents gives %s", period, c.gen.affs[a].ID, got, rev, want)
		}
	}
	if err := c.aggregates(ctx, st, period, affiliate.MetricRevenueConverted, func(a, cur int) *int64 {
		if cur != 0 {
			return nil
		}
		return &c.revenue[a]
	}); err != nil {
		return err
	}
	if err := c.aggregates(ctx, st, period, affiliate.MetricEarnings, func(a, cur int) *int64 {
		return &c.earnings[a*len(currencies)+cur]
	}); err != nil {
		return err
	}
	for a, rev := range c.revenue {
		c.premium[a] = rev >= threshold
	}
	clear(c.revenue)
	clear(c.earnings)
	return nil
}

// aggregates compares the store's aggregates of metric in period with the
// model's figures (cell returns the model's, or nil when it has none in
// that currency).
func (c *checker) aggregates(ctx context.Context, st *memstore.Store, period affiliate.Period, metric affiliate.Metric, cell func(a, cur int) *int64) error {
	aggs, err := st.PeriodAggregates(ctx, period, metric)
	if err != nil {
		return err
	}
	seen := make(map[int]bool, len(aggs))
	for _, ag := range aggs {
		if ag.Affiliate == "" {
			continue
		}
		a, cur := c.affIndex(ag.Affiliate), curIndex(ag.Amount.Currency())
		var p *int64
		if a >= 0 && cur >= 0 {
			p = cell(a, cur)
		}
		if p == nil || *p != ag.Amount.Minor() {
			c.v.Add("aggregates", "%s %s of %s: the store holds %s, the model %v", period, metric, ag.Affiliate, ag.Amount, deref(p))
			continue
		}
		seen[a*len(currencies)+cur] = true
	}
	for a := range c.gen.affs {
		for cur := range currencies {
			if p := cell(a, cur); p != nil && *p != 0 && !seen[a*len(currencies)+cur] {
				c.v.Add("aggregates", "%s %s of %s: the model has %d %s, the store none", period, metric, c.gen.affs[a].ID, *p, currencies[cur].code)
			}
		}
	}
	return nil
}

// ran judges the payout run of period as the store holds it (invariant I6):
// for each affiliate and currency, the payout or the carried balance is
// exactly the sum of the open entries earned before the period's end and
// available at the run's as-of time; a payout holds exactly those entries
// (so none is paid twice), reaches its minimum and goes to an affiliate
// with a payout method on file; a carried balance says why.
func (c *checker) ran(run affiliate.PayoutRun, period affiliate.Period) {
	end, asOf := period.End().UnixNano(), run.AsOf.UnixNano()
	nc := len(currencies)
	avail := func(k int) (sum int64, ids []uint64) {
		for _, e := range c.open[k] {
			if e.at < end && e.avail <= asOf {
				sum += e.amount
				ids = append(ids, e.id)
			}
		}
		return sum, ids
	}
	judged := make(map[int]bool, len(run.Payouts)+len(run.Carried))
	key := func(a affiliate.AffiliateID, cur affiliate.Currency) int {
		ai, ci := c.affIndex(a), curIndex(cur)
		if ai < 0 || ci < 0 {
			return -1
		}
		k := ai*nc + ci
		if judged[k] {
			c.v.Add("I6 payouts", "%s: %s in %s has more than one payout or carried balance", period, a, cur)
		}
		judged[k] = true
		return k
	}
	for _, p := range run.Payouts {
		c.Totals.Payouts++
		k := key(p.Affiliate, p.Amount.Currency())
		if k < 0 {
			c.v.Add("I6 payouts", "%s: payout %s to unknown %s in %s", period, p.ID, p.Affiliate, p.Amount.Currency())
			continue
		}
		sum, ids := avail(k)
		got := make([]uint64, len(p.Entries))
		for i, id := range p.Entries {
			got[i] = hashID(string(id))
		}
		slices.Sort(got)
		slices.Sort(ids)
		min := payoutMinimums[p.Amount.Currency()]
		switch {
		case p.Amount.Minor() != sum:
			c.v.Add("I6 payouts", "%s: payout %s to %s is %s, the available balance %d", period, p.ID, p.Affiliate, p.Amount, sum)
		case !slices.Equal(got, ids):
			c.v.Add("I6 payouts", "%s: payout %s settles %d entries, the available ones are %d (an entry paid twice, or one left out)", period, p.ID, len(got), len(ids))
		case p.Amount.Sign() <= 0 || p.Amount.Minor() < min.Minor():
			c.v.Add("I6 payouts", "%s: payout %s of %s is below the minimum %s", period, p.ID, p.Amount, min)
		case !c.gen.affs[k/nc].PayoutMethodOnFile:
			c.v.Add("I6 payouts", "%s: payout %s to %s, who has no payout method on file", period, p.ID, p.Affiliate)
		}
		c.paid[k] += p.Amount.Minor()
		c.Totals.PaidOut[k%nc] += p.Amount.Minor()
		c.open[k] = slices.DeleteFunc(c.open[k], func(e openEntry) bool { return e.at < end && e.avail <= asOf })
	}
	clear(c.Totals.Carried)
	for _, cb := range run.Carried {
		k := key(cb.Affiliate, cb.Amount.Currency())
		if k < 0 {
			c.v.Add("I6 payouts", "%s: carried balance of unknown %s in %s", period, cb.Affiliate, cb.Amount.Currency())
			continue
		}
		sum, _ := avail(k)
		min := payoutMinimums[cb.Amount.Currency()]
		reason := payout.ReasonIneligible
		switch {
		case sum <= 0:
			reason = payout.ReasonNotPositive
		case sum < min.Minor():
			reason = payout.ReasonBelowMinimum
		}
		switch {
		case cb.Amount.Minor() != sum:
			c.v.Add("I6 payouts", "%s: %s carries %s, the available balance is %d", period, cb.Affiliate, cb.Amount, sum)
		case cb.Reason != reason:
			c.v.Add("I6 payouts", "%s: %s carries %s as %q, the model says %q", period, cb.Affiliate, cb.Amount, cb.Reason, reason)
		case reason == payout.ReasonIneligible && c.gen.affs[k/nc].PayoutMethodOnFile:
			c.v.Add("I6 payouts", "%s: %s carried as ineligible with a payout method on file", period, cb.Affiliate)
		}
		c.Totals.Carried[k%nc] += cb.Amount.Minor()
	}
	for k := range c.open {
		if judged[k] {
			continue
		}
		if sum, ids := avail(k); len(ids) > 0 {
			c.v.Add("I6 payouts", "%s: %s has %d available entries (%d minor units of %s) that the run neither paid nor carried", period, c.gen.affs[k/nc].ID, len(ids), sum, currencies[k%nc].code)
		}
	}
}

// final compares every affiliate's ledger, as the store's balances sum it,
// with the model's net, and the store's paid and unpaid parts with the
// model's payouts; then it asks the engine to recompute a sample of
// customers from their events and requires it to find nothing to change:
// the ledger the engine built event by event is the one a full
// recomputation gives.
func (c *checker) final(ctx context.Context, p *program, asOf time.Time, sample int) error {
	nc := len(currencies)
	for a, af := range c.gen.affs {
		bals, err := p.store.EarningsBalances(ctx, af.ID, asOf)
		if err != nil {
			return err
		}
		got := make([]int64, nc)
		gotPaid := make([]int64, nc)
		for _, b := range bals {
			ci := curIndex(b.Currency)
			if ci < 0 {
				c.v.Add("I5 currency", "%s has a balance in %s, which no payment was in", af.ID, b.Currency)
				continue
			}
			got[ci] = b.Pending.Minor() + b.Available.Minor() + b.InPayout.Minor() + b.Paid.Minor()
			gotPaid[ci] = b.InPayout.Minor() + b.Paid.Minor()
		}
		for ci := range nc {
			k := a*nc + ci
			if got[ci] != c.net[k] || gotPaid[ci] != c.paid[k] {
				c.v.Add("ledger net", "%s in %s: the ledger nets %d (%d in payouts), the model %d (%d in payouts)", af.ID, currencies[ci].code, got[ci], gotPaid[ci], c.net[k], c.paid[k])
			}
			for _, e := range c.open[k] {
				if e.avail > asOf.UnixNano() {
					c.Totals.OnHold[ci] += e.amount
				}
			}
		}
	}
	// Paid + carried + on hold = net, per currency: what the ledger holds
	// is either in a payout, or was available and carried by the last
	// run, or was still on hold then.
	for ci := range nc {
		var net int64
		for a := range c.gen.affs {
			net += c.net[a*nc+ci]
		}
		if sum := c.Totals.PaidOut[ci] + c.Totals.Carried[ci] + c.Totals.OnHold[ci]; sum != net {
			c.v.Add("I6 payouts", "%s: paid %d + carried %d + on hold %d = %d, the ledger nets %d", currencies[ci].code, c.Totals.PaidOut[ci], c.Totals.Carried[ci], c.Totals.OnHold[ci], sum, net)
		}
	}
	if sample <= 0 {
		return nil
	}
	step := max(1, c.gen.Customers()/sample)
	for i := 0; i < c.gen.Customers(); i += step {
		if c.gen.custs[i].signupDay == maxSignup {
			continue // never signed up
		}
		res, err := p.engine.Recompute(ctx, c.gen.CustomerID(i))
		if err != nil {
			return fmt.Errorf("recompute %s: %w", c.gen.CustomerID(i), err)
		}
		c.Totals.RecomputeChecked++
		if len(res.Entries) > 0 {
			c.v.Add("recompute", "customer %s: a full recomputation appends %d entries (%v); the ledger built event by event differs from it", c.gen.CustomerID(i), len(res.Entries), describe(res.Entries))
		}
	}
	return nil
}

// toEUR converts minor units of currency cur into EUR cents at units/10,000
// EUR per unit, half to even, as the program's revenue metric does.
func toEUR(cur int, minor, units int64) int64 {
	if cur == 0 {
		return minor
	}
	from, to := int64(currencies[cur].code.Scale()), int64(programCurrency.Scale())
	num, den := minor*units, int64(10_000)
	for ; to > from; to-- {
		num *= 10
	}
	for ; from > to; from-- {
		den *= 10
	}
	return halfEven(num, den)
}

// rateUnits reads a rate the generator built from units of 0.0001.
func rateUnits(r affiliate.Rate) int64 {
	d := r.Decimal().Shift(4)
	return d.IntPart()
}

func (c *checker) customer(id affiliate.CustomerID) int { return customerIndex(id, len(c.gen.custs)) }

func (c *checker) affIndex(id affiliate.AffiliateID) int { return affIndex(id, len(c.gen.affs)) }

// customerIndex reads the index of a generated customer ID ("cus_000042"
// is 41), or -1 when id is none of the n customers.
func customerIndex(id affiliate.CustomerID, n int) int {
	return seqIndex(string(id), "cus_", n)
}

// affIndex reads the index of a generated affiliate ID, or -1.
func affIndex(id affiliate.AffiliateID, n int) int {
	return seqIndex(string(id), "aff_", n)
}

func seqIndex(id, prefix string, n int) int {
	if len(id) <= len(prefix) || id[:len(prefix)] != prefix {
		return -1
	}
	i, err := strconv.Atoi(id[len(prefix):])
	if err != nil || i < 1 || i > n {
		return -1
	}
	return i - 1
}

func curIndex(c affiliate.Currency) int {
	for i, cur := range currencies {
		if cur.code == c {
			return i
		}
	}
	return -1
}

// halfEven returns num/den rounded half to even, for num ≥ 0 and den > 0.
func halfEven(num, den int64) int64 {
	q, r := num/den, num%den
	if 2*r > den || (2*r == den && q%2 == 1) {
		q++
	}
	return q
}

// keep is what remains of gross earned on a payment of total once
// refunded of it was refunded: gross × (total − refunded) / total, half to
// even. It is the program's pro-rata rule, written again here.
func keep(gross, total, refunded int64) int64 {
	if refunded >= total {
		return 0
	}
	return halfEven(gross*(total-refunded), total)
}

// refundedRevenue is the revenue a refund of refunded takes back of a
// payment of total: revenue × refunded / total, half to even, as
// affiliate.Revenue.Refunded.
func refundedRevenue(revenue, total, refunded int64) int64 {
	if refunded >= total {
		return revenue
	}
	return halfEven(revenue*refunded, total)
}

func hashID(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := range len(s) {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

func describe(es []affiliate.Entry) string {
	out := ""
	for i, e := range es {
		if i == 3 {
			return out + ", …"
		}
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%s %s to %s", e.Kind, e.Amount, e.Beneficiary)
	}
	return out
}

func deref(p *int64) any {
	if p == nil {
		return "none"
	}
	return *p
}
