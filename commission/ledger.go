package commission

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
)

// The engine keeps the ledger equal to the DESIRED ledger, the one that
// follows from the set of recorded events. Each line of it is a key:
// what one beneficiary earns from one payment under one rule, per earning
// kind. For each key and each date, the ledger holds its earnings and
// adjustments (gross) and its reversals, and the desired ledger holds
// gross* (what the rules give when the customer's payments are priced in
// (PaidAt, ID) order) at the time it is earned, and each refund's share
// of it, keep(gross*, total, refunded before) − keep(gross*, total,
// refunded after), at the refund's time. Where they differ the engine
// appends an adjustment or a reversal at that date (in a month closed by
// a payout run: at the start of the first open month). Entries are never
// edited; the ledger converges, date by date, whatever order the events
// came in.

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
	root affiliate.Entry // the key's earning entry
	// tip is the key's latest earning or adjustment entry: the one
	// deepest down the Corrects chain (each adjustment corrects the tip
	// before it), then the latest, then the greatest ID. Its tier is the
	// tier the key is priced at.
	tip              affiliate.Entry
	tipDepth         int
	gross, grossBase int64 // earnings and adjustments, before reversals
	// dated is what the key holds at each date, earnings and adjustments
	// apart from reversals.
	dated  []piece
	closed bool // a reviewer rejected the key: nothing more is appended
}

// piece is an amount (and base) of a key at one date: held, or wanted.
type piece struct {
	reversal     bool
	at           time.Time
	amount, base int64
}

func addPiece(ps []piece, p piece) []piece {
	for i := range ps {
		if ps[i].reversal == p.reversal && ps[i].at.Equal(p.at) {
			ps[i].amount += p.amount
			ps[i].base += p.base
			return ps
		}
	}
	return append(ps, p)
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
	root := func(e affiliate.Entry) (affiliate.Entry, int, bool) {
		for depth := range len(entries) + 1 {
			if earning(e.Kind) {
				return e, depth, true
			}
			i, ok := byID[e.Corrects]
			if e.Corrects == "" || !ok || manual(e) {
				return affiliate.Entry{}, 0, false
			}
			e = entries[i]
		}
		return affiliate.Entry{}, 0, false // a Corrects cycle
	}
	held := make(map[key]*holding)
	var order []key
	for _, e := range entries {
		r, depth, ok := root(e)
		if !ok {
			continue
		}
		k := key{beneficiary: r.Beneficiary, payment: r.Payment, rule: r.Rule, kind: r.Kind}
		h := held[k]
		if h == nil {
			h = &holding{root: r, tip: r}
			held[k] = h
			order = append(order, k)
		}
		base := int64(0)
		if e.Base.Currency() == e.Amount.Currency() {
			base = e.Base.Minor()
		}
		h.closed = h.closed || e.Rule == affiliate.RuleRejection
		rev := e.Kind == affiliate.KindReversal
		h.dated = addPiece(h.dated, piece{reversal: rev, at: e.At, amount: e.Amount.Minor(), base: base})
		if !rev {
			h.gross += e.Amount.Minor()
			h.grossBase += base
			if later(e, depth, h.tip, h.tipDepth) {
				h.tip, h.tipDepth = e, depth
			}
		}
	}
	return held, order
}

// later orders a key's earning and adjustment entries: down the Corrects
// chain, then by time, then by ID.
func later(e affiliate.Entry, depth int, than affiliate.Entry, thanDepth int) bool {
	if depth != thanDepth {
		return depth > thanDepth
	}
	if c := e.At.Compare(than.At); c != 0 {
		return c > 0
	}
	return e.ID > than.ID
}

// target is the desired state of one key.
type target struct {
	key      key
	currency affiliate.Currency
	amount   int64 // gross*
	// at is when it is earned: the time of the payment whose pricing
	// accrued it (a deferred reward about an earlier payment is earned
	// when a later one meets its condition).
	at time.Time
	// heldGross, when set, is what the key should hold before refunds,
	// date by date: what it holds (a key kept as it is).
	heldGross []piece
	base      int64 // base*, when hasBase
	hasBase   bool
	// what the entries say about it
	baseLines   []affiliate.LineKind
	rate        affiliate.Rate
	tier        string
	terms       string
	rounding    affiliate.RoundingMode
	hold        time.Duration // < 0: none
	chain       []affiliate.AffiliateID
	explanation string // the accrual's note (see affiliate.Entry.Explanation)
}

// heldTarget is the target that keeps a key as it is: what a refund
// applies to, and what a suspended beneficiary's keys stay at. It
// describes the key as its tip does.
func heldTarget(k key, h *holding) target {
	r := h.tip
	var gross []piece
	for _, p := range h.dated {
		if !p.reversal {
			gross = append(gross, p)
		}
	}
	return target{heldGross: gross,
		key: k, currency: r.Amount.Currency(), amount: h.gross, base: h.grossBase, at: h.root.At,
		hasBase: h.root.Base.Currency() != "", baseLines: r.BaseLines, rate: r.Rate, tier: r.Tier,
		terms: r.Terms, chain: r.Chain, explanation: r.Explanation,
		hold: h.root.AvailableAt.Sub(h.root.At), // its corrections are held as it was
	}
}

// describe is the line for people of t's key at its whole base: its
// note composed as affiliate.Entry.Describe composes it. Corrections
// quote it.
func (t *target) describe() string {
	e := affiliate.Entry{Kind: t.key.kind, BaseLines: t.baseLines, Rate: t.rate, Tier: t.tier, Chain: t.chain, Explanation: t.explanation}
	if t.hasBase {
		e.Base = mustMoney(t.base, t.currency)
	}
	return e.Describe()
}

// note is what an entry of t's key on base stores as its explanation:
// t's own note when the entry's fields render the rest of its line, and
// the whole line, then more, when they do not (base is not t's, more is
// added).
func (t *target) note(base int64, more string) string {
	if base == t.base && more == "" {
		return t.explanation
	}
	return t.describe() + more
}

// payInfo is what dating and reversing a payment's entries needs.
type payInfo struct {
	paidAt   time.Time
	currency affiliate.Currency
	total    int64
	refunded int64
	refunds  []refundFact // effective, in (At, ID) order
	clamped  bool         // the refunds asked for more than the payment
}

func payInfoOf(p affiliate.Payment, refunds []refundFact) payInfo {
	total, _ := p.Total()
	pi := payInfo{paidAt: p.PaidAt, currency: p.Currency, total: total.Minor(), refunds: refunds}
	pi.refunded = refunded(refunds, pi.total)
	sum := int64(0)
	for _, r := range refunds {
		sum += r.Amount
	}
	pi.clamped = sum > pi.total && !slices.ContainsFunc(refunds, func(r refundFact) bool { return r.Full })
	return pi
}

// wanted returns what key t should hold at each date: its gross amount
// when it is earned (t.at), and each effective refund's share taken back
// at the refund's time (at the payment's, for a refund dated before it:
// the rule for refunds dated before their payment).
// Each refund takes keep(before) − keep(after), so the shares sum to what
// the refunds take back together, rounded once.
func wanted(t *target, pi payInfo, buf []piece) []piece {
	ps := append(buf[:0], piece{at: t.at, amount: t.amount, base: t.base})
	if t.heldGross != nil {
		ps = append(buf[:0], t.heldGross...)
	}
	var before int64
	for i, f := range pi.refunds {
		after := refunded(pi.refunds[:i+1], pi.total)
		at := f.At
		if at.Before(pi.paidAt) {
			at = pi.paidAt
		}
		ps = addPiece(ps, piece{
			reversal: true, at: at,
			amount: keep(t.amount, pi.total, after, t.rounding) - keep(t.amount, pi.total, before, t.rounding),
			base:   keep(t.base, pi.total, after, t.rounding) - keep(t.base, pi.total, before, t.rounding),
		})
		before = after
	}
	return ps
}

// batch collects the entries of one commit, numbering them.
type batch struct {
	prefix   string // entry IDs are prefix + "/" + n
	event    affiliate.EventID
	customer affiliate.CustomerID
	entries  []affiliate.Entry
	// months says which months are closed to new entries (paid out);
	// nil: none is.
	months *months
	// ids holds the IDs of entries 1 to sharedIDs back to back: a commit's
	// entries share one string. A payment's comes with its key and hash
	// (eventKeys); any other batch makes it at its first entry.
	ids string
}

const sharedIDs = 4

// entryID is the ID of the batch's n-th entry.
func (b *batch) entryID(n int) affiliate.EntryID {
	if n > sharedIDs {
		return affiliate.EntryID(b.prefix + "/" + itoa(n))
	}
	width := len(b.prefix) + len("/1")
	if b.ids == "" {
		b.ids = string(appendSharedIDs(make([]byte, 0, sharedIDs*width), b.prefix))
	}
	return affiliate.EntryID(b.ids[(n-1)*width : n*width])
}

// appendSharedIDs appends the IDs of entries 1 to sharedIDs of prefix,
// back to back.
func appendSharedIDs(dst []byte, prefix string) []byte {
	for i := range sharedIDs {
		dst = append(append(dst, prefix...), '/', byte('1'+i))
	}
	return dst
}

func (b *batch) append(kind affiliate.EntryKind, t *target, amount, base int64, corrects affiliate.EntryID, at, available time.Time, why string) affiliate.EntryID {
	id := b.entryID(len(b.entries) + 1)
	b.entries = append(b.entries, affiliate.Entry{
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
	})
	if t.hasBase {
		b.entries[len(b.entries)-1].Base = mustMoney(base, t.currency)
	}
	return id
}

// converge appends what brings each target's key from what the ledger
// holds to what it should hold, date by date: a key's earning and its
// adjustments are dated at its payment's time, each refund's reversal at
// the refund's. What the ledger holds in a month that is closed (paid
// out) stays; the difference there is dated at the start of the first
// open month after it, and says so.
func (b *batch) converge(ctx context.Context, targets []target, held map[key]*holding, pays map[affiliate.EventID]payInfo) error {
	for i := range targets {
		t := &targets[i]
		if h := held[t.key]; h != nil && h.closed {
			continue
		}
		if err := b.convergeKey(ctx, t, held[t.key], pays[t.key.payment]); err != nil {
			return err
		}
	}
	return nil
}

func (b *batch) convergeKey(ctx context.Context, t *target, h *holding, pi payInfo) error {
	var wantBuf [4]piece
	want := wanted(t, pi, wantBuf[:0])
	var have []piece
	if h != nil {
		have = h.dated
	}
	if h == nil && t.amount == 0 && t.tier == "" {
		return nil // nothing owed, nothing held
	}
	// diffs: what to append at each date; moved marks a date that holds
	// what closed months could not take.
	type diff struct {
		piece
		moved []affiliate.Period
	}
	var diffsBuf [4]diff
	diffs := diffsBuf[:0]
	at := func(p piece) int {
		for i := range diffs {
			if diffs[i].reversal == p.reversal && diffs[i].at.Equal(p.at) {
				return i
			}
		}
		diffs = append(diffs, diff{piece: piece{reversal: p.reversal, at: p.at}})
		return len(diffs) - 1
	}
	for _, p := range want {
		i := at(p)
		diffs[i].amount += p.amount
		diffs[i].base += p.base
	}
	for _, p := range have {
		i := at(p)
		diffs[i].amount -= p.amount
		diffs[i].base -= p.base
	}
	for i := 0; i < len(diffs); i++ {
		d := diffs[i]
		if d.amount == 0 && d.base == 0 {
			continue
		}
		open, month, err := b.months.openFrom(ctx, d.at)
		if err != nil {
			return err
		}
		if open.Equal(month) {
			continue
		}
		j := at(piece{reversal: d.reversal, at: open.Start()})
		diffs[j].amount += d.amount
		diffs[j].base += d.base
		diffs[j].moved = append(diffs[j].moved, month)
		diffs[i].amount, diffs[i].base = 0, 0
	}
	// Earnings and adjustments first (the earning entry is the one
	// reversals correct), then reversals, each in time order.
	slices.SortFunc(diffs, func(x, y diff) int {
		if x.reversal != y.reversal {
			if x.reversal {
				return 1
			}
			return -1
		}
		return x.at.Compare(y.at)
	})

	// The key's first entry and its last, as far as this batch needs
	// them: what a correction names, and the tier the key is held at.
	var (
		rootID, tipID affiliate.EntryID
		tipTier       string
		gross         int64
	)
	if h != nil {
		rootID, tipID, tipTier, gross = h.root.ID, h.tip.ID, h.tip.Tier, h.gross
	}
	note := func(moved []affiliate.Period) string {
		if len(moved) == 0 {
			return ""
		}
		var s strings.Builder
		s.WriteString(" (for ")
		for i, m := range moved {
			if i > 0 {
				s.WriteString(", ")
			}
			s.WriteString(m.String())
		}
		s.WriteString(", paid out before it was known)")
		return s.String()
	}
	for _, d := range diffs {
		if d.amount == 0 && d.base == 0 {
			continue
		}
		switch {
		case !d.reversal && rootID == "":
			rootID = b.append(t.key.kind, t, d.amount, d.base, "", d.at, d.at.Add(max(t.hold, 0)), t.note(d.base, note(d.moved)))
			tipID, tipTier = rootID, t.tier
		case !d.reversal:
			why := "adjusted from " + mustMoney(gross, t.currency).String() + " to " + mustMoney(gross+d.amount, t.currency).String()
			if line := t.describe(); line != "" && t.amount != 0 {
				why += ": " + line
			}
			tipID, tipTier = b.append(affiliate.KindAdjustment, t, d.amount, d.base, tipID, d.at, d.at.Add(max(t.hold, 0)), why+note(d.moved)), t.tier
		default:
			var why strings.Builder
			why.WriteString("refunds took back ")
			why.WriteString(mustMoney(pi.refunded, pi.currency).String())
			why.WriteString(" of ")
			why.WriteString(mustMoney(pi.total, pi.currency).String())
			why.WriteString(" paid: keeps ")
			why.WriteString(mustMoney(keep(t.amount, pi.total, pi.refunded, t.rounding), t.currency).String())
			why.WriteString(" of ")
			why.WriteString(mustMoney(t.amount, t.currency).String())
			if pi.clamped {
				why.WriteString(" (the refunds asked for more than the payment; the last took only what remained)")
			}
			why.WriteString(note(d.moved))
			b.append(affiliate.KindReversal, t, d.amount, d.base, rootID, d.at, d.at, why.String())
			continue
		}
		gross += d.amount
	}
	// A key at a tier is held by an entry naming that tier, so that Retier
	// finds it priced: a zero accrual with no base gets a 0.00 entry, and a
	// key whose amount stayed while its tier changed an adjustment of zero.
	if tipTier == t.tier && rootID != "" || t.tier == "" && rootID == "" {
		return nil
	}
	open, _, err := b.months.openFrom(ctx, t.at)
	if err != nil {
		return err
	}
	when := t.at
	if !open.Contains(when) {
		when = open.Start()
	}
	if rootID == "" {
		b.append(t.key.kind, t, 0, 0, "", when, when.Add(max(t.hold, 0)), t.note(0, ""))
		return nil
	}
	why := "tier " + quote(tipTier) + " → " + quote(t.tier) + ": the amount stays " + mustMoney(gross, t.currency).String()
	b.append(affiliate.KindAdjustment, t, 0, 0, tipID, when, when.Add(max(t.hold, 0)), why)
	return nil
}

// mustMoney builds Money in a currency the engine already validated.
func mustMoney(minor int64, c affiliate.Currency) affiliate.Money {
	m, err := affiliate.NewMoney(minor, c)
	if err != nil {
		panic("commission: " + err.Error()) // unreachable: currencies come from validated payments
	}
	return m
}
