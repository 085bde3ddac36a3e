package memstore

import (
	"github.com/openaffiliate/affiliate"
)

// entryRow is a ledger entry as the store holds it: numbers and int64s,
// no pointers. The fields reads filter on are columns; the rest of the
// entry is a blob in the arena, decoded only for the entries a read
// returns.
type entryRow struct {
	amount        int64 // minor units
	at, available instant
	// beneficiary, customer, event and payment are numbers of the store's
	// interners; currency is a word number.
	beneficiary, customer, event, payment, currency uint32
	// claim is the payout that holds the entry (its number in
	// payoutTables.ids), or 0 while the entry is open.
	claim uint32
	// The previous entry of the same customer, event and payment
	// (Payment differing from Event only), or none: the indexes are chains
	// through the rows, each headed by a per-number slice.
	prevCustomer, prevEvent, prevPayment uint32
	rest                                 ref
}

// ids are the store's interners: one per kind of ID, and one for short
// words (kinds, currencies, rule and tier names) that repeat in rows.
type ids struct {
	text       arena
	affiliates *interner
	customers  *interner
	events     *interner
	entries    *interner // entry number n is ledger position n-1
	keys       *interner // commit keys but those found through their event (eventKeyed)
	words      *interner
	locs       locations
	rates      []affiliate.Rate
	rateOf     map[affiliate.Rate]uint32
}

func (x *ids) init() {
	x.affiliates = newInterner(&x.text)
	x.customers = newInterner(&x.text)
	x.events = newInterner(&x.text)
	x.entries = newInterner(&x.text)
	x.keys = newInterner(&x.text)
	x.words = newInterner(&x.text)
	x.rateOf = make(map[affiliate.Rate]uint32)
}

func (x *ids) rate(r affiliate.Rate) uint32 {
	n, ok := x.rateOf[r]
	if !ok {
		n = uint32(len(x.rates))
		x.rates = append(x.rates, r)
		x.rateOf[r] = n
	}
	return n
}

func (x *ids) money(minor int64, currency uint32) affiliate.Money {
	return affiliate.MustMoney(minor, affiliate.Currency(x.words.str(currency)))
}

// entryRow returns e's row (chains left to the caller) and appends its
// blob to the arena.
func (x *ids) entryRow(e *affiliate.Entry, scratch blob) (entryRow, blob) {
	b := scratch[:0].uint(uint64(x.words.intern(string(e.Kind))))
	if e.Base == (affiliate.Money{}) {
		b = b.uint(0)
	} else {
		b = b.uint(1).int(e.Base.Minor())
	}
	b = b.uint(listLen(len(e.BaseLines), e.BaseLines == nil))
	for _, k := range e.BaseLines {
		b = b.uint(uint64(x.words.intern(string(k))))
	}
	b = b.uint(uint64(x.rate(e.Rate))).uint(uint64(x.words.intern(e.Rule))).uint(uint64(x.words.intern(e.Terms))).uint(uint64(x.words.intern(e.Tier)))
	b = b.uint(listLen(len(e.Chain), e.Chain == nil))
	for _, a := range e.Chain {
		b = b.uint(uint64(x.affiliates.intern(string(a))))
	}
	// The entry a correction names is usually stored: its number is
	// enough. Explanations repeat ("tier \"Standard\": 15% of 29.00 EUR
	// (subscription)"), so they are words.
	if n, ok := x.entries.lookup(string(e.Corrects)); ok && n != 0 {
		b = b.uint(1).uint(uint64(n))
	} else {
		b = b.uint(0).str(string(e.Corrects))
	}
	b = b.uint(uint64(x.words.intern(e.Explanation)))
	event := x.events.intern(string(e.Event))
	payment := event // most entries: one probe, not two
	if e.Payment != e.Event {
		payment = x.events.intern(string(e.Payment))
	}
	return entryRow{
		beneficiary: x.affiliates.intern(string(e.Beneficiary)),
		customer:    x.customers.intern(string(e.Customer)),
		event:       event,
		payment:     payment,
		currency:    x.words.intern(string(e.Amount.Currency())),
		amount:      e.Amount.Minor(),
		at:          x.locs.instant(e.At),
		available:   x.locs.instant(e.AvailableAt),
		rest:        x.text.add(b),
	}, b
}

// entry rebuilds the entry at ledger position pos. Its strings point
// into the arena; its slices are its own.
func (x *ids) entry(pos int, r *entryRow) affiliate.Entry {
	e := affiliate.Entry{
		ID:          affiliate.EntryID(x.entries.str(uint32(pos + 1))),
		Beneficiary: affiliate.AffiliateID(x.affiliates.str(r.beneficiary)),
		Event:       affiliate.EventID(x.events.str(r.event)),
		Payment:     affiliate.EventID(x.events.str(r.payment)),
		Customer:    affiliate.CustomerID(x.customers.str(r.customer)),
		Amount:      x.money(r.amount, r.currency),
		At:          x.locs.time(r.at),
		AvailableAt: x.locs.time(r.available),
	}
	rd := reader{x.text.bytes(r.rest)}
	e.Kind = affiliate.EntryKind(x.words.str(uint32(rd.uint())))
	if rd.uint() == 1 {
		e.Base = x.money(rd.int(), r.currency)
	}
	if n := rd.uint(); n > 0 {
		e.BaseLines = make([]affiliate.LineKind, n-1)
		for i := range e.BaseLines {
			e.BaseLines[i] = affiliate.LineKind(x.words.str(uint32(rd.uint())))
		}
	}
	e.Rate = x.rates[rd.uint()]
	e.Rule = x.words.str(uint32(rd.uint()))
	e.Terms = x.words.str(uint32(rd.uint()))
	e.Tier = x.words.str(uint32(rd.uint()))
	if n := rd.uint(); n > 0 {
		e.Chain = make([]affiliate.AffiliateID, n-1)
		for i := range e.Chain {
			e.Chain[i] = affiliate.AffiliateID(x.affiliates.str(uint32(rd.uint())))
		}
	}
	if rd.uint() == 1 {
		e.Corrects = affiliate.EntryID(x.entries.str(uint32(rd.uint())))
	} else {
		e.Corrects = affiliate.EntryID(rd.str())
	}
	e.Explanation = x.words.str(uint32(rd.uint()))
	return e
}

// listLen encodes a slice's length so that a nil slice reads back nil and
// an empty one empty: 0 for nil, n+1 otherwise.
func listLen(n int, isNil bool) uint64 {
	if isNil {
		return 0
	}
	return uint64(n) + 1
}
