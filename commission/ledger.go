package commission

import (
	"slices"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
)

// The engine keeps the ledger equal to the DESIRED ledger, the one that
// follows from the set of recorded events. Each line of it is a key:
// what one beneficiary earns from one payment under one rule, per earning
// kind. For each key the ledger holds
//
//	gross = the key's earning entry plus its adjustments,
//	net   = gross plus its reversals,
//
// and the desired values are gross* (what the rules give when the
// customer's payments are priced in (PaidAt, ID) order) and
// net* = keep(gross*, payment total, refunded). When they differ the
// engine appends an adjustment (gross* − gross), then a reversal for what
// is left (net* − net − adjustment). Entries are never edited; the
// ledger converges whatever order the events came in.

type key struct {
	beneficiary affiliate.AffiliateID
	payment     affiliate.EventID
	rule        string
	kind        affiliate.EntryKind // the earning kind: commission, bonus or bounty
}

func earning(k affiliate.EntryKind) bool {
	return k == affiliate.KindCommission || k == affiliate.KindBonus || k == affiliate.KindBounty
}

// holding is what the ledger holds for one key.
type holding struct {
	root               affiliate.Entry // the key's earning entry
	gross, net         int64
	grossBase, netBase int64
	closed             bool // a reviewer rejected the key: nothing more is appended
}

// holdingsOf groups entries by key. An adjustment or reversal belongs to
// the key of the earning entry its Corrects chain leads to (the tier
// true-ups versions before the one-writer engine appended are part of the
// keys they correct); one whose chain leads to no earning entry is not the
// engine's and is left out. keys lists the keys in ledger order.
func holdingsOf(entries []affiliate.Entry) (map[key]*holding, []key) {
	byID := make(map[affiliate.EntryID]int, len(entries))
	for i, e := range entries {
		byID[e.ID] = i
	}
	root := func(e affiliate.Entry) (affiliate.Entry, bool) {
		for range len(entries) + 1 {
			if earning(e.Kind) {
				return e, true
			}
			i, ok := byID[e.Corrects]
			if e.Corrects == "" || !ok || manual(e) {
				return affiliate.Entry{}, false
			}
			e = entries[i]
		}
		return affiliate.Entry{}, false // a Corrects cycle
	}
	held := make(map[key]*holding)
	var order []key
	for _, e := range entries {
		r, ok := root(e)
		if !ok {
			continue
		}
		k := key{beneficiary: r.Beneficiary, payment: r.Payment, rule: r.Rule, kind: r.Kind}
		h := held[k]
		if h == nil {
			h = &holding{root: r}
			held[k] = h
			order = append(order, k)
		}
		base := int64(0)
		if e.Base.Currency() == e.Amount.Currency() {
			base = e.Base.Minor()
		}
		h.net += e.Amount.Minor()
		h.netBase += base
		h.closed = h.closed || e.Rule == affiliate.RuleRejection
		if e.Kind != affiliate.KindReversal {
			h.gross += e.Amount.Minor()
			h.grossBase += base
		}
	}
	return held, order
}

// target is the desired state of one key.
type target struct {
	key      key
	currency affiliate.Currency
	amount   int64 // gross*
	base     int64 // base*, when hasBase
	hasBase  bool
	// what the entries say about it
	baseLines   []affiliate.LineKind
	rate        affiliate.Rate
	tier        string
	terms       string
	rounding    affiliate.RoundingMode
	hold        time.Duration // < 0: none
	chain       []affiliate.AffiliateID
	explanation string
}

// heldTarget is the target that keeps a key as it is: what a refund
// applies to, and what a suspended beneficiary's keys stay at.
func heldTarget(k key, h *holding) target {
	r := h.root
	return target{
		key: k, currency: r.Amount.Currency(), amount: h.gross, base: h.grossBase,
		hasBase: r.Base.Currency() != "", baseLines: r.BaseLines, rate: r.Rate, tier: r.Tier,
		terms: r.Terms, chain: r.Chain, explanation: r.Explanation,
	}
}

// payInfo is what the pro-rata reversal of a payment's entries needs.
type payInfo struct {
	paidAt   time.Time
	currency affiliate.Currency
	total    int64
	refunded int64
	// lastRefund is the latest effective refund's time: reversals are
	// dated no earlier.
	lastRefund time.Time
	clamped    bool // a parked refund was cut to what remained
}

func payInfoOf(p affiliate.Payment, refunds []refundFact) payInfo {
	total, _ := p.Total()
	pi := payInfo{paidAt: p.PaidAt, currency: p.Currency, total: total.Minor()}
	pi.refunded = refunded(refunds, pi.total)
	sum := int64(0)
	for _, r := range refunds {
		if r.At.After(pi.lastRefund) {
			pi.lastRefund = r.At
		}
		sum += r.Amount
	}
	pi.clamped = sum > pi.total && !slices.ContainsFunc(refunds, func(r refundFact) bool { return r.Full })
	return pi
}

// batch collects the entries of one commit, numbering them.
type batch struct {
	prefix   string // entry IDs are prefix + "/" + n
	event    affiliate.EventID
	customer affiliate.CustomerID
	at       time.Time // the event's time (or the clock's, for a recompute)
	entries  []affiliate.Entry
}

func (b *batch) append(kind affiliate.EntryKind, t target, amount, base int64, corrects affiliate.EntryID, at, available time.Time, why string) affiliate.EntryID {
	id := affiliate.EntryID(b.prefix + "/" + itoa(len(b.entries)+1))
	e := affiliate.Entry{
		ID:          id,
		Beneficiary: t.key.beneficiary,
		Event:       b.event,
		Payment:     t.key.payment,
		Customer:    b.customer,
		Kind:        kind,
		BaseLines:   t.baseLines, // the store copies them in
		Rate:        t.rate,
		Amount:      mustMoney(amount, t.currency),
		Rule:        t.key.rule,
		Terms:       t.terms,
		Tier:        t.tier,
		Chain:       t.chain,
		At:          at,
		AvailableAt: available,
		Corrects:    corrects,
		Explanation: why,
	}
	if t.hasBase {
		e.Base = mustMoney(base, t.currency)
	}
	b.entries = append(b.entries, e)
	return id
}

// converge appends what brings each target's key from what the ledger
// holds to what it should hold.
func (b *batch) converge(targets []target, held map[key]*holding, pays map[affiliate.EventID]payInfo) {
	for _, t := range targets {
		h := held[t.key]
		pi := pays[t.key.payment]
		var gross, grossBase, net, netBase int64
		var root affiliate.EntryID
		if h != nil && h.closed {
			continue
		}
		if h != nil {
			gross, grossBase, net, netBase, root = h.gross, h.grossBase, h.net, h.netBase, h.root.ID
		}
		// A key's entries are dated no earlier than its payment (an event
		// dated before it, arriving out of order, re-prices it), so a read
		// from a date on finds the whole keys of the payments made since
		// (Retier).
		at := b.at
		if h != nil && h.root.At.After(at) {
			at = h.root.At
		} else if h == nil && pi.paidAt.After(at) {
			at = pi.paidAt
		}
		available := at.Add(max(t.hold, 0))
		switch {
		case h == nil && t.amount == 0:
			continue // nothing owed
		case h == nil:
			root = b.append(t.key.kind, t, t.amount, t.base, "", at, available, t.explanation)
			net, netBase = t.amount, t.base
		case t.amount != gross || t.base != grossBase:
			why := "adjusted from " + mustMoney(gross, t.currency).String() + " to " + mustMoney(t.amount, t.currency).String()
			if t.explanation != "" && t.amount != 0 {
				why += ": " + t.explanation
			}
			b.append(affiliate.KindAdjustment, t, t.amount-gross, t.base-grossBase, root, at, available, why)
			net += t.amount - gross
			netBase += t.base - grossBase
		}
		wantNet := keep(t.amount, pi.total, pi.refunded, t.rounding)
		wantNetBase := keep(t.base, pi.total, pi.refunded, t.rounding)
		if wantNet == net && wantNetBase == netBase {
			continue
		}
		at = b.at
		if pi.lastRefund.After(at) {
			at = pi.lastRefund
		}
		var why strings.Builder
		why.WriteString("refunds took back ")
		why.WriteString(mustMoney(pi.refunded, pi.currency).String())
		why.WriteString(" of ")
		why.WriteString(mustMoney(pi.total, pi.currency).String())
		why.WriteString(" paid: keeps ")
		why.WriteString(mustMoney(wantNet, t.currency).String())
		why.WriteString(" of ")
		why.WriteString(mustMoney(t.amount, t.currency).String())
		if pi.clamped {
			why.WriteString(" (refunds recorded before the payment asked for more than it; cut to the whole payment)")
		}
		b.append(affiliate.KindReversal, t, wantNet-net, wantNetBase-netBase, root, at, at, why.String())
	}
}

// mustMoney builds Money in a currency the engine already validated.
func mustMoney(minor int64, c affiliate.Currency) affiliate.Money {
	m, err := affiliate.NewMoney(minor, c)
	if err != nil {
		panic("commission: " + err.Error()) // unreachable: currencies come from validated payments
	}
	return m
}
