package main

import (
	"time"

	"github.com/openaffiliate/affiliate"
)

// model is the simulation's own implementation of the seed 000 year in
// int64 minor units over plain slices and one map: it binds, prices,
// reverses, closes and pays out from the same events the library gets,
// and judges nothing. The simulation times it beside the library, in the
// same run and over the same events, as the yardstick the library's time
// is compared with (the design's "within 4× of a plain integer model").
// It shares the checker's arithmetic (halfEven, keep, toEUR) but none of
// its state.
type model struct {
	hold     int64   // nanoseconds
	parent   []int32 // per affiliate: its parent, -1 for top-level
	payable  []bool  // per affiliate: a payout method on file
	custAff  []int32 // per customer: the affiliate bound, -1 while unbound
	premium  []bool  // per affiliate: the tier the current month pays
	revenue  []int64 // per affiliate: the current month's converted revenue, EUR cents
	open     [][]modelEntry
	refunds  map[affiliate.EventID]refundable
	minimums []int64 // per currency

	Totals modelTotals
}

// modelEntry is an entry no payout holds yet.
type modelEntry struct {
	amount    int64
	at, avail int64 // Unix nanoseconds
}

// modelTotals are what the model counts: the figures the checker's Totals
// also hold, so a test can require the two to agree.
type modelTotals struct {
	Earned, Reversed, PaidOut, Carried []int64 // per currency
	Payouts, PremiumDecisions          int
}

func newModel(g *Generator, hold time.Duration) *model {
	n, nc := len(g.affs), len(currencies)
	m := &model{
		hold: int64(hold), parent: make([]int32, n), payable: make([]bool, n),
		custAff: make([]int32, len(g.custs)), premium: make([]bool, n), revenue: make([]int64, n),
		open: make([][]modelEntry, n*nc), refunds: make(map[affiliate.EventID]refundable),
		minimums: make([]int64, nc),
		Totals: modelTotals{
			Earned: make([]int64, nc), Reversed: make([]int64, nc), PaidOut: make([]int64, nc), Carried: make([]int64, nc),
		},
	}
	for i, a := range g.Affiliates() {
		m.parent[i] = int32(affIndex(a.Parent, n))
		m.payable[i] = a.PayoutMethodOnFile && a.Status == affiliate.StatusActive
	}
	for i := range m.custAff {
		m.custAff[i] = -1
	}
	for i, c := range currencies {
		m.minimums[i] = payoutMinimums[c.code].Minor()
	}
	return m
}

// item applies one event of the year.
func (m *model) item(it *Item) {
	switch it.Kind {
	case ItemBind:
		if ci := customerIndex(it.Binding.Customer, len(m.custAff)); ci >= 0 && m.custAff[ci] < 0 {
			m.custAff[ci] = int32(affIndex(it.Binding.Affiliate, len(m.parent)))
		}
	case ItemPayment:
		m.payment(&it.Payment, it.RefundLater)
	case ItemRefund:
		m.refund(&it.Refund)
	}
}

func (m *model) payment(p *affiliate.Payment, refundLater bool) {
	ci := customerIndex(p.Customer, len(m.custAff))
	if ci < 0 || m.custAff[ci] < 0 {
		return // unbound: no commission
	}
	a := int(m.custAff[ci])
	parent := int(m.parent[a])
	cur := curIndex(p.Currency)
	base, total := lineSums(p.Lines)
	rateBP := int64(1500)
	if m.premium[a] {
		rateBP = 2000
	}
	at := p.PaidAt.UnixNano()
	comm := halfEven(base*rateBP, 10_000)
	m.book(a, cur, comm, at, false)
	bonus := int64(0)
	if parent >= 0 {
		bonus = halfEven(base*500, 10_000)
		m.book(parent, cur, bonus, at, false)
	}
	units := int64(10_000)
	if cur != 0 {
		units = rateUnits(p.Conversion.Rate)
	}
	revenue := max(base, 0)
	m.revenue[a] += toEUR(cur, revenue, units)
	if refundLater {
		m.refunds[p.ID] = refundable{total: total, revenue: revenue, cur: cur, units: units, aff: a, parent: parent, comm: comm, bonus: bonus}
	}
}

func (m *model) refund(r *affiliate.Refund) {
	info, ok := m.refunds[r.Payment]
	if !ok {
		return
	}
	delete(m.refunds, r.Payment)
	refunded := info.total
	if !r.Full {
		refunded = r.Amount.Minor()
	}
	at := r.RefundedAt.UnixNano()
	if info.comm > 0 {
		m.book(info.aff, info.cur, keep(info.comm, info.total, refunded)-info.comm, at, true)
	}
	if info.parent >= 0 && info.bonus > 0 {
		m.book(info.parent, info.cur, keep(info.bonus, info.total, refunded)-info.bonus, at, true)
	}
	m.revenue[info.aff] -= toEUR(info.cur, refundedRevenue(info.revenue, info.total, refunded), info.units)
}

// book opens an entry of amount for affiliate a in currency cur; a zero
// amount is no entry.
func (m *model) book(a, cur int, amount, at int64, reversal bool) {
	if amount == 0 {
		return
	}
	if reversal {
		m.Totals.Reversed[cur] += amount
	} else {
		m.Totals.Earned[cur] += amount
	}
	avail := at + m.hold
	if reversal {
		avail = at // a reversal is not held: it lowers what can be paid at once
	}
	k := a*len(currencies) + cur
	m.open[k] = append(m.open[k], modelEntry{amount: amount, at: at, avail: avail})
}

// close decides next month's tiers from this month's revenue.
func (m *model) close() {
	threshold := premiumThreshold.Minor()
	for a, rev := range m.revenue {
		m.premium[a] = rev >= threshold
		if m.premium[a] {
			m.Totals.PremiumDecisions++
		}
	}
	clear(m.revenue)
}

// run pays, per affiliate and currency, the open entries earned before
// end and available at asOf when they reach the minimum and the
// affiliate can be paid; it carries them otherwise.
func (m *model) run(end, asOf int64) {
	nc := len(currencies)
	clear(m.Totals.Carried)
	for k, es := range m.open {
		sum, n := int64(0), 0
		for _, e := range es {
			if e.at < end && e.avail <= asOf {
				sum += e.amount
				n++
			}
		}
		if n == 0 {
			continue
		}
		cur := k % nc
		if sum <= 0 || sum < m.minimums[cur] || !m.payable[k/nc] {
			m.Totals.Carried[cur] += sum
			continue
		}
		m.Totals.Payouts++
		m.Totals.PaidOut[cur] += sum
		kept := es[:0]
		for _, e := range es {
			if !(e.at < end && e.avail <= asOf) {
				kept = append(kept, e)
			}
		}
		m.open[k] = kept
	}
}

// lineSums returns a payment's commission base (the lines without tax and
// shipping, less discounts) and its total, in minor units.
func lineSums(lines []affiliate.Line) (base, total int64) {
	for _, l := range lines {
		switch l.Kind {
		case affiliate.LineDiscount:
			base -= l.Amount.Minor()
			total -= l.Amount.Minor()
		case affiliate.LineTax, affiliate.LineShipping:
			total += l.Amount.Minor()
		default:
			base += l.Amount.Minor()
			total += l.Amount.Minor()
		}
	}
	return base, total
}
