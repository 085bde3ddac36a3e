package memstore

import (
	"bytes"
	"cmp"
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.Ledger = (*Store)(nil)

// ledgerTables holds the entries as rows, their indexes and the commit
// keys. Positions are uint32: the rows' index in the log.
type ledgerTables struct {
	rows pages[entryRow]
	// byBeneficiary lists each beneficiary's positions (by affiliate
	// number) ordered by At, so a time range is found by binary search.
	byBeneficiary [][]uint32
	// lastAt holds the At of each beneficiary's last listed entry, so
	// that an in-order append reads no older row (by then out of cache).
	lastAt []instant
	// The heads of the customer, event and payment chains (see entryRow),
	// by number. paymentHead chains only entries whose Payment differs
	// from their Event (reversals, deferred shares, corrections): most
	// entries are about the payment that produced them, and eventHead
	// finds those.
	customerHead, eventHead []uint32
	// paymentHead is a map: few payments have such entries (a year's
	// refunds), and an array by event number would span every event.
	paymentHead map[uint32]uint32
	// open holds, per beneficiary, the positions of entries in no created
	// or paid payout, so payout runs read only what is left to settle.
	// Unordered; settle filters a beneficiary's list, release appends.
	open [][]uint32
	// commits holds, in commit order, each stored commit's hash and the
	// positions of its entries (they are appended together). keyCommit
	// maps a key number minus one to its commit; a key that is "event:"
	// and the commit's event ID is not interned: the event's row names
	// its commit (eventRow.keyed).
	commits   pages[commitRow]
	keyCommit []uint32
	// otherIDPos holds the ledger position of each entry ID interned in
	// ids.entries (by its number minus one): the IDs not derived.
	otherIDPos []uint32
	// availableApart holds the AvailableAt of the entries whose row
	// cannot say it (entryRow.availableAfter), by position.
	availableApart map[uint32]instant
	scratch        blob
}

// none ends a chain of positions or numbers.
const none = ^uint32(0)

// commitRow is 16 bytes: its packed hash (packHash) reads itself to its
// end, so the row keeps only where it starts.
type commitRow struct {
	hash     blobAt
	first, n uint32
}

// headOf returns the chain head of number n, or none.
func headOf(heads []uint32, n uint32) uint32 {
	if int(n) >= len(heads) {
		return none
	}
	return heads[n]
}

// setHead makes pos the head of number n's chain and returns the old head.
func setHead(heads *[]uint32, n, pos uint32) uint32 {
	for int(n) >= len(*heads) {
		*heads = append(*heads, none)
	}
	old := (*heads)[n]
	(*heads)[n] = pos
	return old
}

// listOf returns number n's list in a per-number index, growing it.
func listOf(lists *[][]uint32, n uint32) *[]uint32 {
	if int(n) >= len(*lists) {
		*lists = append(*lists, make([][]uint32, int(n)+1-len(*lists))...)
	}
	return &(*lists)[n]
}

func listAt[T any](lists [][]T, n uint32) []T {
	if int(n) >= len(lists) {
		return nil
	}
	return lists[n]
}

// sameHash reports whether a stored commit was made with hash.
func (s *Store) sameHash(c commitRow, hash string) bool {
	// A packed hash delimits itself: no packed hash is the start of
	// another.
	packed := packHash(s.ledger.scratch[:0], hash)
	s.ledger.scratch = packed
	stored := s.ids.text.blob(c.hash)
	return len(stored) >= len(packed) && bytes.Equal(stored[:len(packed)], packed)
}

// eventKeyPrefix starts the commit keys the commission engine derives
// from event IDs.
const eventKeyPrefix = "event:"

// eventKeyed reports whether c's key is eventKeyPrefix and c's event ID.
func eventKeyed(c *storage.Commit) bool {
	id, ok := strings.CutPrefix(c.Key, eventKeyPrefix)
	return ok && c.Event != nil && id == string(c.Event.ID)
}

// commitOf returns the stored commit with key, if any.
func (s *Store) commitOf(key string) (commitRow, bool) {
	if id, ok := strings.CutPrefix(key, eventKeyPrefix); ok {
		if n, ok := s.ids.events.lookup(id); ok {
			if r := s.events.row(n); r != nil && r.keyed {
				return *s.ledger.commits.at(int(r.commit)), true
			}
		}
	}
	n, ok := s.ids.keys.lookup(key)
	if !ok || n == 0 {
		return commitRow{}, false
	}
	return *s.ledger.commits.at(int(s.ledger.keyCommit[n-1])), true
}

// entryPos returns the ledger position of the entry with id, if stored.
// An ID of the derived shape is looked for among its event's entries.
func (s *Store) entryPos(id affiliate.EntryID) (uint32, bool) {
	if i := strings.LastIndexByte(string(id), '/'); i > 0 {
		if ev, ok := s.ids.events.lookup(string(id[:i])); ok && ev != 0 {
			if seq, ok := seqOf(string(id[i+1:])); ok {
				code := seq<<1 | 1
				for p := headOf(s.ledger.eventHead, ev); p != none; {
					r := s.ledger.rows.at(int(p))
					if s.ids.idCode(r) == code {
						return p, true
					}
					p = r.prevEvent
				}
			}
		}
	}
	n, ok := s.ids.entries.lookup(string(id))
	if !ok || n == 0 {
		return 0, false
	}
	return s.ledger.otherIDPos[n-1], true
}

// addHash writes a commit's packed hash, for a commit without an event
// (logEvent writes the others).
func (s *Store) addHash(hash string) blobAt {
	s.ledger.scratch = packHash(s.ledger.scratch[:0], hash)
	return s.ids.text.addBlob(s.ledger.scratch)
}

// addEntries appends validated, checked entries under key, for a commit
// whose packed hash is at hash; keyed says the key is the commit's
// event's (eventKeyed), found through its row. Callers hold the lock.
func (s *Store) addEntries(key string, hash blobAt, keyed bool, entries []affiliate.Entry) {
	t := &s.ledger
	c := commitRow{hash: hash, first: uint32(t.rows.len()), n: uint32(len(entries))}
	if !keyed {
		s.ids.keys.intern(key)
		t.keyCommit = append(t.keyCommit, uint32(t.commits.len()))
	}
	t.commits.append(c)
	for i := range entries {
		e := &entries[i]
		pos := uint32(t.rows.len())
		code, derived := derivedSeq(e.ID, e.Event)
		if code = code<<1 | 1; !derived {
			code = uint64(s.ids.entries.intern(string(e.ID))) << 1
			t.otherIDPos = append(t.otherIDPos, pos)
		}
		var corrects uint32
		if e.Corrects != "" {
			if p, ok := s.entryPos(e.Corrects); ok {
				corrects = p + 1
			}
		}
		var row entryRow
		row, t.scratch = s.ids.entryRow(e, code, corrects, t.scratch)
		if row.availableAfter == availableApart {
			if t.availableApart == nil {
				t.availableApart = make(map[uint32]instant)
			}
			t.availableApart[pos] = s.ids.locs.instant(e.AvailableAt)
		}
		row.prevCustomer, row.prevEvent, row.prevPayment = none, none, none
		if row.customer != 0 {
			row.prevCustomer = setHead(&t.customerHead, row.customer, pos)
		}
		if row.event != 0 {
			row.prevEvent = setHead(&t.eventHead, row.event, pos)
		}
		if row.payment != 0 && row.payment != row.event {
			if t.paymentHead == nil {
				t.paymentHead = make(map[uint32]uint32)
			}
			if old, ok := t.paymentHead[row.payment]; ok {
				row.prevPayment = old
			}
			t.paymentHead[row.payment] = pos
		}
		t.rows.append(row)
		list := listOf(&t.byBeneficiary, row.beneficiary)
		if n := int(row.beneficiary); n >= len(t.lastAt) {
			t.lastAt = append(t.lastAt, make([]instant, n+1-len(t.lastAt))...)
		}
		*list = t.insertByTime(*list, pos, &t.lastAt[row.beneficiary])
		open := listOf(&t.open, row.beneficiary)
		*open = append(*open, pos)
	}
}

// commitEntries rebuilds a stored commit's entries.
func (s *Store) commitEntries(c commitRow) []affiliate.Entry {
	out := make([]affiliate.Entry, c.n)
	var idBuf []byte
	for i := range out {
		out[i] = s.entry(int(c.first)+i, &idBuf)
	}
	return out
}

// entryFilter is an EntryQuery in the store's numbers.
type entryFilter struct {
	beneficiary, customer, event, payment, currency uint32
	from, to, availableBy                           instant
	hasFrom, hasTo, hasAvailableBy, unsettled       bool
}

// filterOf translates q; ok is false when q names an ID or currency the
// store never saw, so nothing can match.
func (s *Store) filterOf(q storage.EntryQuery) (f entryFilter, ok bool) {
	for _, x := range []struct {
		in  *interner
		s   string
		dst *uint32
	}{
		{s.ids.affiliates, string(q.Beneficiary), &f.beneficiary},
		{s.ids.customers, string(q.Customer), &f.customer},
		{s.ids.events, string(q.Event), &f.event},
		{s.ids.events, string(q.Payment), &f.payment},
		{s.ids.words, string(q.Currency), &f.currency},
	} {
		n, found := x.in.lookup(x.s)
		if !found {
			return f, false
		}
		*x.dst = n
	}
	f.from, f.hasFrom = bare(q.From), !q.From.IsZero()
	f.to, f.hasTo = bare(q.To), !q.To.IsZero()
	f.availableBy, f.hasAvailableBy = bare(q.AvailableBy), !q.AvailableBy.IsZero()
	f.unsettled = q.Unsettled
	return f, true
}

func (f *entryFilter) matches(t *ledgerTables, pos uint32, r *entryRow) bool {
	switch {
	case f.beneficiary != 0 && r.beneficiary != f.beneficiary,
		f.customer != 0 && r.customer != f.customer,
		f.event != 0 && r.event != f.event,
		f.payment != 0 && r.payment != f.payment,
		f.currency != 0 && r.currency != f.currency,
		f.hasFrom && r.at().before(f.from),
		f.hasTo && !r.at().before(f.to),
		f.hasAvailableBy && f.availableBy.before(t.available(pos, r)),
		f.unsettled && r.claim != 0:
		return false
	}
	return true
}

// chain appends the positions of a chain starting at head.
func (t *ledgerTables) chain(out []uint32, head uint32, prev func(*entryRow) uint32) []uint32 {
	for p := head; p != none; p = prev(t.rows.at(int(p))) {
		out = append(out, p)
	}
	return out
}

func prevCustomer(r *entryRow) uint32 { return r.prevCustomer }
func prevEvent(r *entryRow) uint32    { return r.prevEvent }
func prevPayment(r *entryRow) uint32  { return r.prevPayment }

// Entries implements storage.Ledger.
func (s *Store) Entries(ctx context.Context, q storage.EntryQuery) ([]affiliate.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return nil, invalid("EntryQuery.To", "before From")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	f, ok := s.filterOf(q)
	if !ok {
		return nil, nil
	}
	t := &s.ledger
	var candidates []uint32
	switch {
	case f.event != 0:
		candidates = t.chain(nil, headOf(t.eventHead, f.event), prevEvent)
	case f.payment != 0:
		// Entries about a payment: those its own event produced, and those
		// later events wrote about it. matches keeps Payment == q.Payment.
		candidates = t.chain(nil, headOf(t.eventHead, f.payment), prevEvent)
		if head, ok := t.paymentHead[f.payment]; ok {
			candidates = t.chain(candidates, head, prevPayment)
		}
	case f.customer != 0:
		candidates = t.chain(nil, headOf(t.customerHead, f.customer), prevCustomer)
	case f.unsettled && f.beneficiary != 0:
		candidates = listAt(t.open, f.beneficiary)
	case f.beneficiary != 0:
		candidates = t.inRange(listAt(t.byBeneficiary, f.beneficiary), f)
	case f.unsettled:
		n := 0
		for _, open := range t.open {
			n += len(open)
		}
		candidates = make([]uint32, 0, n)
		for _, open := range t.open {
			candidates = append(candidates, open...)
		}
	default:
		candidates = make([]uint32, t.rows.len())
		for i := range candidates {
			candidates[i] = uint32(i)
		}
	}
	picked := make([]timed, 0, len(candidates))
	for _, p := range candidates {
		if r := t.rows.at(int(p)); f.matches(t, p, r) {
			picked = append(picked, timed{r.atSec, r.atNsec, p})
		}
	}
	if len(picked) == 0 {
		return nil, nil
	}
	s.sortEntries(picked)
	return s.timedEntries(picked), nil
}

// timed is a ledger position with its entry's At, so that sorting reads
// no row.
type timed struct {
	sec  int64
	nsec int32
	pos  uint32
}

func compareTimed(a, b timed) int {
	switch {
	case a.sec != b.sec:
		return cmp.Compare(a.sec, b.sec)
	case a.nsec != b.nsec:
		return cmp.Compare(a.nsec, b.nsec)
	}
	return cmp.Compare(a.pos, b.pos)
}

// sortEntries orders positions by At, then ID: the order every ledger
// read returns. It sorts by At and position, numbers only, and then
// sorts by ID only the runs of equal At whose IDs are out of order:
// IDs usually arrive in order (the engine's and the seeds' do), and a
// string comparison per step of the sort was most of a payout run's read.
func (s *Store) sortEntries(picked []timed) {
	slices.SortFunc(picked, compareTimed)
	var abuf, bbuf [64]byte // IDs are built here only to be compared
	byID := func(a, b timed) int {
		return bytes.Compare(s.appendEntryIDAt(abuf[:0], a.pos), s.appendEntryIDAt(bbuf[:0], b.pos))
	}
	for lo := 0; lo < len(picked); {
		hi, sorted := lo+1, true
		for ; hi < len(picked) && picked[hi].sec == picked[lo].sec && picked[hi].nsec == picked[lo].nsec; hi++ {
			sorted = sorted && byID(picked[hi-1], picked[hi]) < 0
		}
		if !sorted {
			slices.SortFunc(picked[lo:hi], byID)
		}
		lo = hi
	}
}

// idRoom is the bytes a read sets aside per entry for the IDs it
// builds: the engine's event IDs and "/n" mostly fit.
const idRoom = 24

// appendEntryIDAt appends the ID of the entry at pos.
func (s *Store) appendEntryIDAt(b []byte, pos uint32) []byte {
	r := s.ledger.rows.at(int(pos))
	return s.ids.appendEntryID(b, s.ids.idCode(r), r.event)
}

// timedEntries rebuilds the entries at sorted positions.
func (s *Store) timedEntries(picked []timed) []affiliate.Entry {
	out := make([]affiliate.Entry, len(picked))
	idBuf := make([]byte, 0, idRoom*len(picked))
	for i, p := range picked {
		out[i] = s.entry(int(p.pos), &idBuf)
	}
	return out
}

// settle records that the entries at positions are in the payout numbered
// claim and takes them out of the open index, one pass over each affected
// beneficiary's open list. Callers check first that none is settled, and
// hold the lock.
func (t *ledgerTables) settle(positions []uint32, claim uint32) {
	var touched []uint32
	for _, p := range positions {
		r := t.rows.at(int(p))
		r.claim = claim
		if !slices.Contains(touched, r.beneficiary) {
			touched = append(touched, r.beneficiary)
		}
	}
	for _, b := range touched {
		open := t.open[b][:0]
		for _, p := range t.open[b] {
			if t.rows.at(int(p)).claim == 0 {
				open = append(open, p)
			}
		}
		t.open[b] = open
	}
}

// release returns the entries of a failed or cancelled payout to the open
// index, for the next run. Callers hold the lock.
func (t *ledgerTables) release(positions []uint32) {
	for _, p := range positions {
		r := t.rows.at(int(p))
		r.claim = 0
		t.open[r.beneficiary] = append(t.open[r.beneficiary], p)
	}
}

// insertByTime inserts position pos into positions kept in At order, equal
// times in arrival order: a time range needs no more, and reads sort what
// they return by (At, ID). Entries arrive nearly in time order, so the
// search starts at the end and an in-order append costs nothing; ordering
// equal times by ID here would make every append of a batch stamped at
// one instant walk the whole list. last is the At of positions' last
// entry, which an append moves.
func (t *ledgerTables) insertByTime(positions []uint32, pos uint32, last *instant) []uint32 {
	at := t.rows.at(int(pos)).at()
	if len(positions) == 0 || !at.before(*last) {
		*last = at
		return append(positions, pos)
	}
	k := len(positions)
	for k > 0 && at.before(t.rows.at(int(positions[k-1])).at()) {
		k--
	}
	return slices.Insert(positions, k, pos)
}

// inRange returns the part of At-ordered positions whose At lies in
// f's [from, to); unset bounds are open.
func (t *ledgerTables) inRange(positions []uint32, f entryFilter) []uint32 {
	lo, hi := 0, len(positions)
	if f.hasFrom {
		lo = sort.Search(len(positions), func(k int) bool { return !t.rows.at(int(positions[k])).at().before(f.from) })
	}
	if f.hasTo {
		hi = sort.Search(len(positions), func(k int) bool { return !t.rows.at(int(positions[k])).at().before(f.to) })
	}
	if hi < lo {
		return nil
	}
	return positions[lo:hi]
}
