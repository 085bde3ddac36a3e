package memstore

import (
	"context"
	"math/bits"
	"slices"
	"strings"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var (
	_ storage.Events         = (*Store)(nil)
	_ storage.CustomerStates = (*Store)(nil)
)

// eventTables is the event log and the customer states. Events are rows
// by event number (numbers an entry names without an event stay
// unlogged rows); the record itself is a blob in the arena. States are
// slots of their own arena, by customer number, rewritten in place while
// the new state fits.
type eventTables struct {
	rows pages[eventRow]
	// The heads of each customer's and each payment's chain of events,
	// by number.
	customerHead, paymentHead []uint32
	states                    []stateRow
	// stateBytes holds the states' slots, which are rewritten in place:
	// unlike the text arena, its bytes are only ever copied out, never
	// read through strings that point into it.
	stateBytes arena
	freeSlots  map[uint32][]ref // slots left behind, by size
	scratch    blob
}

// eventRow is 32 bytes: its instant is laid out field by field, the
// flags fill what would be the instant's padding, and its blob follows
// its commit's packed hash in the arena (logEvent), so the row needs no
// reference to it.
type eventRow struct {
	timeSec                   int64
	timeNsec                  int32
	timeLoc                   uint16
	logged                    bool
	keyed                     bool // its commit's key is "event:" and its ID
	customer                  uint32
	prevCustomer, prevPayment uint32 // event numbers, or none
	commit                    uint32 // the commit that logged it (ledgerTables.commits)
}

func (r *eventRow) time() instant { return instant{r.timeSec, r.timeNsec, r.timeLoc} }

type stateRow struct {
	version int64
	data    ref    // in stateBytes
	room    uint32 // the slot's size, data.n or more
}

// row returns the logged event numbered n, or nil.
func (t *eventTables) row(n uint32) *eventRow {
	if int(n) >= t.rows.len() {
		return nil
	}
	if r := t.rows.at(int(n)); r.logged {
		return r
	}
	return nil
}

// eventLogged reports whether an event with id is in the log.
func (s *Store) eventLogged(id affiliate.EventID) bool {
	n, ok := s.ids.events.lookup(string(id))
	return ok && s.events.row(n) != nil
}

// logEvent appends a checked record, logged by commit number commit
// whose hash is hash; keyed as eventKeyed reports. It writes the commit's
// packed hash and then the record's blob, and returns where the hash
// starts, for the commit's row. Callers hold the lock.
func (s *Store) logEvent(rec *affiliate.EventRecord, commit uint32, hash string, keyed bool) blobAt {
	t := &s.events
	n := s.ids.events.intern(string(rec.ID))
	for t.rows.len() <= int(n) {
		t.rows.append(eventRow{})
	}
	cust := s.ids.customers.intern(string(rec.Customer))
	pay := s.ids.events.intern(string(rec.PaymentID()))
	t.scratch = s.ids.recordBlob(packHash(t.scratch[:0], hash), rec, hash)
	at := s.ids.locs.instant(rec.Time)
	*t.rows.at(int(n)) = eventRow{
		timeSec:      at.sec,
		timeNsec:     at.nsec,
		timeLoc:      at.loc,
		logged:       true,
		keyed:        keyed,
		customer:     cust,
		prevCustomer: setHead(&t.customerHead, cust, n),
		prevPayment:  setHead(&t.paymentHead, pay, n),
		commit:       commit,
	}
	return s.ids.text.addBlob(t.scratch)
}

func (s *Store) record(n uint32) affiliate.EventRecord {
	r := s.events.rows.at(int(n))
	hash := s.ids.text.blob(s.ledger.commits.at(int(r.commit)).hash)
	rest := reader{hash}
	rest.skipHash()
	return s.ids.record(affiliate.EventID(s.ids.events.str(n)), affiliate.CustomerID(s.ids.customers.str(r.customer)), s.ids.locs.time(r.time()), rest.b, hash)
}

// state returns the stored state of the customer numbered n.
func (t *eventTables) state(n uint32) (stateRow, bool) {
	if int(n) >= len(t.states) || t.states[n].version == 0 {
		return stateRow{}, false
	}
	return t.states[n], true
}

// stateVersion returns the customer's stored version, 0 for none.
func (s *Store) stateVersion(c affiliate.CustomerID) int64 {
	n, ok := s.ids.customers.lookup(string(c))
	if !ok {
		return 0
	}
	st, _ := s.events.state(n)
	return st.version
}

// putState stores a checked state. Callers hold the lock.
func (s *Store) putState(st storage.CustomerState) {
	t := &s.events
	n := s.ids.customers.intern(string(st.Customer))
	if int(n) >= len(t.states) {
		t.states = append(t.states, make([]stateRow, int(n)+1-len(t.states))...)
	}
	row := &t.states[n]
	if uint32(len(st.Data)) > row.room {
		// States grow as customers pay: a state that outgrows its slot
		// moves to one of the next size, and the old slot is kept for the
		// next state of its size.
		if t.freeSlots == nil {
			t.freeSlots = make(map[uint32][]ref)
		}
		if row.room > 0 {
			t.freeSlots[row.room] = append(t.freeSlots[row.room], row.data)
		}
		row.room = slotSize(len(st.Data))
		if free := t.freeSlots[row.room]; len(free) > 0 {
			row.data, t.freeSlots[row.room] = free[len(free)-1], free[:len(free)-1]
		} else {
			row.data = t.stateBytes.add(make([]byte, row.room))
		}
	}
	row.data.n = uint32(len(st.Data))
	if len(st.Data) > 0 {
		copy(t.stateBytes.chunks[row.data.chunk][row.data.off:], st.Data)
	}
	row.version = st.Version
}

// slotSize is the size of the slot for a state of n bytes: n rounded up
// to an eighth of the power of two below it, and at least 16. Slots of
// powers of two left nearly half of a year's state bytes empty; eighths
// waste at most one in eight, and still few sizes recur, so left slots
// are reused.
func slotSize(n int) uint32 {
	n = max(n, 16)
	step := 1<<(bits.Len(uint(n-1))-4) - 1
	return uint32((n + step) &^ step)
}

// Event implements storage.Events.
func (s *Store) Event(ctx context.Context, id affiliate.EventID) (affiliate.EventRecord, error) {
	if err := ctx.Err(); err != nil {
		return affiliate.EventRecord{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	n, ok := s.ids.events.lookup(string(id))
	if !ok || s.events.row(n) == nil {
		return affiliate.EventRecord{}, errNoEvent
	}
	return s.record(n), nil
}

// Events implements storage.Events.
func (s *Store) Events(ctx context.Context, q storage.EventQuery) ([]affiliate.EventRecord, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if (q.Customer == "") == (q.Payment == "") {
		return nil, invalid("EventQuery", "set exactly one of Customer and Payment")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	t := &s.events
	var head uint32 = none
	byCustomer := q.Customer != ""
	if byCustomer {
		if n, ok := s.ids.customers.lookup(string(q.Customer)); ok {
			head = headOf(t.customerHead, n)
		}
	} else if n, ok := s.ids.events.lookup(string(q.Payment)); ok {
		head = headOf(t.paymentHead, n)
	}
	var picked []uint32
	for n := head; n != none; {
		picked = append(picked, n)
		if r := t.rows.at(int(n)); byCustomer {
			n = r.prevCustomer
		} else {
			n = r.prevPayment
		}
	}
	slices.SortFunc(picked, func(a, b uint32) int {
		if c := t.rows.at(int(a)).time().compare(t.rows.at(int(b)).time()); c != 0 {
			return c
		}
		return strings.Compare(s.ids.events.str(a), s.ids.events.str(b))
	})
	out := make([]affiliate.EventRecord, len(picked))
	for i, n := range picked {
		out[i] = s.record(n)
	}
	return out, nil
}

// CustomerState implements storage.CustomerStates.
func (s *Store) CustomerState(ctx context.Context, c affiliate.CustomerID) (storage.CustomerState, error) {
	if err := ctx.Err(); err != nil {
		return storage.CustomerState{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	n, ok := s.ids.customers.lookup(string(c))
	if !ok {
		return storage.CustomerState{Customer: c}, nil
	}
	st, ok := s.events.state(n)
	if !ok {
		return storage.CustomerState{Customer: c}, nil
	}
	return storage.CustomerState{Customer: c, Version: st.version, Data: slices.Clone(s.events.stateBytes.bytes(st.data))}, nil
}
