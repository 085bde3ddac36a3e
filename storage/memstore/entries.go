package memstore

import (
	"encoding/binary"
	"strconv"
	"strings"
	"unsafe"

	"github.com/openaffiliate/affiliate"
)

// entryRow is a ledger entry as the store holds it: numbers and int64s,
// no pointers. The fields reads filter on are columns; the rest of the
// entry is a blob in the arena, decoded only for the entries a read
// returns.
type entryRow struct {
	amount int64 // minor units
	// At, laid out field by field (see at): an instant's padding and the
	// blob's length (blobAt) would make a row 80 bytes, not 72.
	atSec  int64
	atNsec int32
	// availableAfter is AvailableAt as seconds after At, when it has At's
	// nanoseconds and location and fits (the engine adds a hold to At);
	// else availableApart, and ledgerTables.availableApart holds it.
	availableAfter uint32
	atLoc          uint16
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
	rest                                 blobAt
}

func (r *entryRow) at() instant { return instant{r.atSec, r.atNsec, r.atLoc} }

const availableApart = ^uint32(0)

// availableAfter returns how available is encoded in a row whose At is at.
func availableAfter(at, available instant) uint32 {
	d := available.sec - at.sec
	if available.nsec != at.nsec || available.loc != at.loc || d < 0 || d >= int64(availableApart) {
		return availableApart
	}
	return uint32(d)
}

// available returns the AvailableAt of the entry at pos, whose row is r.
func (t *ledgerTables) available(pos uint32, r *entryRow) instant {
	if r.availableAfter == availableApart {
		return t.availableApart[pos]
	}
	return instant{r.atSec + int64(r.availableAfter), r.atNsec, r.atLoc}
}

// ids are the store's interners: one per kind of ID, and one for short
// words (kinds, currencies, rule and tier names) that repeat in rows.
type ids struct {
	text       arena
	affiliates *interner
	customers  *interner
	events     *interner
	entries    *interner // entry IDs that are not derived (see derivedSeq)
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

// Most entry IDs are the engine's "<event ID>/<n>" (commission's
// batch.entryID), and the entry's Event is that event: a million IDs of
// a year's ledger repeat text the store already holds. Such an ID is
// kept as its n, and rebuilt from the row's event when read; any other
// ID (a recompute's "<customer>/state-<v>/<n>", a hashed prefix, a
// host's own) is interned in ids.entries. The first field of an entry's
// blob says which: n<<1 | 1 for a derived ID, the entries number <<1
// otherwise.

// derivedSeq returns n when id is event, "/" and n in decimal as
// strconv writes it (no sign, no leading zero, 1 to 9 digits).
func derivedSeq(id affiliate.EntryID, event affiliate.EventID) (uint64, bool) {
	rest, ok := strings.CutPrefix(string(id), string(event))
	if !ok || event == "" || len(rest) < 2 || rest[0] != '/' {
		return 0, false
	}
	return seqOf(rest[1:])
}

// seqOf parses the n of a derived ID.
func seqOf(digits string) (uint64, bool) {
	if len(digits) == 0 || len(digits) > 9 || digits[0] == '0' {
		return 0, false
	}
	n := uint64(0)
	for _, c := range []byte(digits) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, true
}

// idCode returns the first field of an entry row's blob.
func (x *ids) idCode(r *entryRow) uint64 {
	v, _ := binary.Uvarint(x.text.blob(r.rest))
	return v
}

// appendEntryID appends the ID of the entry whose row has event and
// whose blob starts with code.
func (x *ids) appendEntryID(b []byte, code uint64, event uint32) []byte {
	if code&1 == 0 {
		return append(b, x.entries.str(uint32(code>>1))...)
	}
	b = append(append(b, x.events.str(event)...), '/')
	return strconv.AppendUint(b, code>>1, 10)
}

// entryID returns the ID of an entry: a derived one is written at the end
// of *buf, which the entries of one read share (its bytes are never
// written again, so the string may point into them); any other points
// into the arena.
func (x *ids) entryID(code uint64, event uint32, buf *[]byte) affiliate.EntryID {
	if code&1 == 0 {
		return affiliate.EntryID(x.entries.str(uint32(code >> 1)))
	}
	start := len(*buf)
	*buf = x.appendEntryID(*buf, code, event)
	return affiliate.EntryID(unsafe.String(&(*buf)[start], len(*buf)-start))
}

// entryRow returns e's row (chains left to the caller) and appends its
// blob to the arena. idCode is its ID's (see derivedSeq); corrects is the
// ledger position of the entry e.Corrects names plus one, or 0 when it
// names none stored.
func (x *ids) entryRow(e *affiliate.Entry, idCode uint64, corrects uint32, scratch blob) (entryRow, blob) {
	b := scratch[:0].uint(idCode).uint(uint64(x.words.intern(string(e.Kind))))
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
	// The entry a correction names is usually stored: its position is
	// enough. Explanations repeat ("tier \"Standard\": 15% of 29.00 EUR
	// (subscription)"), so they are words.
	if corrects != 0 {
		b = b.uint(1).uint(uint64(corrects))
	} else {
		b = b.uint(0).str(string(e.Corrects))
	}
	b = b.uint(uint64(x.words.intern(e.Explanation)))
	event := x.events.intern(string(e.Event))
	payment := event // most entries: one probe, not two
	if e.Payment != e.Event {
		payment = x.events.intern(string(e.Payment))
	}
	at := x.locs.instant(e.At)
	return entryRow{
		atSec:          at.sec,
		atNsec:         at.nsec,
		atLoc:          at.loc,
		availableAfter: availableAfter(at, x.locs.instant(e.AvailableAt)),
		beneficiary:    x.affiliates.intern(string(e.Beneficiary)),
		customer:       x.customers.intern(string(e.Customer)),
		event:          event,
		payment:        payment,
		currency:       x.words.intern(string(e.Amount.Currency())),
		amount:         e.Amount.Minor(),
		rest:           x.text.addBlob(b),
	}, b
}

// entry rebuilds the entry at ledger position pos. Its strings point into
// the arena or into *idBuf (see entryID); its slices are its own.
func (s *Store) entry(pos int, idBuf *[]byte) affiliate.Entry {
	x, r := &s.ids, s.ledger.rows.at(pos)
	rd := reader{x.text.blob(r.rest)}
	e := affiliate.Entry{
		ID:          x.entryID(rd.uint(), r.event, idBuf),
		Beneficiary: affiliate.AffiliateID(x.affiliates.str(r.beneficiary)),
		Event:       affiliate.EventID(x.events.str(r.event)),
		Payment:     affiliate.EventID(x.events.str(r.payment)),
		Customer:    affiliate.CustomerID(x.customers.str(r.customer)),
		Amount:      x.money(r.amount, r.currency),
		At:          x.locs.time(r.at()),
		AvailableAt: x.locs.time(s.ledger.available(uint32(pos), r)),
	}
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
		c := s.ledger.rows.at(int(rd.uint()) - 1)
		e.Corrects = x.entryID(x.idCode(c), c.event, idBuf)
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
