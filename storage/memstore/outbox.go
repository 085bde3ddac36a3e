package memstore

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.Outbox = (*Store)(nil)

// outboxTables is the outbox as rows without pointers. Most events are
// derived again when read, by the storage function the write would have
// called, so they are the same events byte for byte:
//   - an entry's event (entry.earned, .reversed, .adjusted: most of the
//     outbox) is its ledger position, read back with
//     storage.CommitEvents;
//   - a payout's payout.created and its one settlement event are its
//     number, read back with storage.PayoutRunEvents and
//     storage.SettleEvents. A payout settles once, so its row then holds
//     what its settlement event says; a payout created with a reference
//     or a note, which its row forgets at settlement, has its created
//     event stored instead;
//   - a customer.bound event is its binding's row, read back with
//     storage.BindEvents. A rebind rewrites the row, so the first one
//     stores the bound event first (boundStored);
//   - a tier.changed event is its close's snapshot, read back with
//     storage.TierCloseEvents (tierTables.eventRuns).
//
// Other events are rows whose ID and payload are bytes in the store's
// arena. Event Seq n is seq.at(n-1): what kind of number, and the
// number. Nothing is dropped: a consumer that starts later reads from
// the first event.
type outboxTables struct {
	seq       seqRuns
	stored    pages[outboxRow]
	consumers map[string]storage.Cursor
	// boundStored maps the binding rows a rebind rewrote to the stored
	// row of their customer.bound event.
	boundStored map[uint32]uint32
}

// seqRuns holds the outbox's seq values as runs of consecutive values:
// a commit's entries are consecutive ledger positions, a run's payouts
// consecutive numbers, and commits follow each other, so the year's two
// million events are a small fraction as many runs, not 8 bytes each.
type seqRuns struct {
	runs []seqRun
	n    int // values
}

// seqRun is the values first, first+1, ... at positions from start on,
// up to the next run's start.
type seqRun struct {
	first uint64
	start int
}

func (q *seqRuns) len() int { return q.n }

func (q *seqRuns) append(v uint64) {
	if k := len(q.runs) - 1; k < 0 || q.runs[k].first+uint64(q.n-q.runs[k].start) != v {
		q.runs = append(q.runs, seqRun{first: v, start: q.n})
	}
	q.n++
}

// at returns the value at position i.
func (q *seqRuns) at(i int) uint64 {
	k := sort.Search(len(q.runs), func(k int) bool { return q.runs[k].start > i }) - 1
	return q.runs[k].first + uint64(i-q.runs[k].start)
}

// The high 32 bits of a seq value say what its number, the low 32 bits,
// is.
const (
	ledgerPosition = 0
	storedEvent    = 1 << 32 // a row of stored
	payoutCreated  = 2 << 32 // a payout number
	payoutSettled  = 3 << 32 // a payout number
	customerBound  = 4 << 32 // a binding row (bindingTables.rows)
	tierChanged    = 5 << 32 // a tier event number (tierTables.eventRuns)
)

type outboxRow struct {
	at                      instant // UTC
	typ, program, affiliate uint32
	id, payload             ref
}

// appendOutbox numbers evs and appends them. Callers hold the write lock
// and call it only once the write can no longer fail.
func (s *Store) appendOutbox(evs []affiliate.OutboxEvent) {
	for _, e := range evs {
		s.outbox.seq.append(storedEvent | uint64(s.storeOutboxRow(e)))
	}
}

// storeOutboxRow stores e as a row of stored and returns its number.
func (s *Store) storeOutboxRow(e affiliate.OutboxEvent) uint32 {
	return uint32(s.outbox.stored.append(outboxRow{
		at:        bare(e.At),
		typ:       s.ids.words.intern(string(e.Type)),
		program:   s.ids.words.intern(e.Program),
		affiliate: s.ids.affiliates.intern(string(e.Affiliate)),
		id:        s.ids.text.addString(e.ID),
		payload:   s.ids.text.add(e.Payload),
	}))
}

// keepBoundEvent stores the customer.bound event of binding row n before
// a rebind rewrites the row. Callers hold the write lock.
func (s *Store) keepBoundEvent(n uint32) {
	if _, ok := s.outbox.boundStored[n]; ok {
		return
	}
	if s.outbox.boundStored == nil {
		s.outbox.boundStored = make(map[uint32]uint32)
	}
	s.outbox.boundStored[n] = s.storeOutboxRow(storage.BindEvents(s.bindingOut(&s.bindings.rows[n]))[0])
}

// appendEntryEvents appends the events of the n entries stored from
// ledger position first on. Callers hold the write lock.
func (s *Store) appendEntryEvents(first, n int) {
	for p := first; p < first+n; p++ {
		s.outbox.seq.append(uint64(p))
	}
}

// appendPayoutEvent appends the event of kind (payoutCreated or
// payoutSettled) of payout n. Callers hold the write lock.
func (s *Store) appendPayoutEvent(kind uint64, n uint32) {
	s.outbox.seq.append(kind | uint64(n))
}

// outboxEvent returns the event at position i (Seq i+1); the entry IDs
// it builds go into *idBuf (see entryID).
func (s *Store) outboxEvent(i int, idBuf *[]byte) affiliate.OutboxEvent {
	v := s.outbox.seq.at(i)
	var ev affiliate.OutboxEvent
	switch n := uint32(v); v &^ (1<<32 - 1) {
	case ledgerPosition:
		e := s.entry(int(n), idBuf)
		ev = storage.CommitEvents(storage.Commit{Entries: []affiliate.Entry{e}})[0]
	case payoutCreated:
		p := s.payoutHead(n)
		p.Status, p.Reference, p.Note, p.SettledAt = affiliate.PayoutCreated, "", "", time.Time{}
		ev = storage.PayoutRunEvents(affiliate.PayoutRun{Program: s.payoutProgram(n), Payouts: []affiliate.Payout{p}})[0]
	case payoutSettled:
		ev = storage.SettleEvents(s.payoutProgram(n), s.payoutHead(n))[0]
	case customerBound:
		if stored, ok := s.outbox.boundStored[n]; ok {
			return s.storedEvent(i, stored)
		}
		ev = storage.BindEvents(s.bindingOut(&s.bindings.rows[n]))[0]
	case tierChanged:
		ev = s.tierEvent(n)
	default:
		return s.storedEvent(i, n)
	}
	ev.Seq = int64(i + 1)
	return ev
}

// storedEvent returns the event at position i, stored as row n.
func (s *Store) storedEvent(i int, n uint32) affiliate.OutboxEvent {
	r := s.outbox.stored.at(int(n))
	return affiliate.OutboxEvent{
		Seq:       int64(i + 1),
		ID:        s.ids.text.str(r.id),
		Type:      affiliate.OutboxEventType(s.ids.words.str(r.typ)),
		At:        time.Unix(r.at.sec, int64(r.at.nsec)).UTC(),
		Program:   s.ids.words.str(r.program),
		Affiliate: affiliate.AffiliateID(s.ids.affiliates.str(r.affiliate)),
		Payload:   slices.Clone(s.ids.text.bytes(r.payload)),
	}
}

func (s *Store) head() storage.Cursor { return storage.Cursor(s.outbox.seq.len()) }

// Read implements storage.Outbox.
func (s *Store) Read(ctx context.Context, after storage.Cursor, limit int) ([]affiliate.OutboxEvent, storage.Cursor, error) {
	if err := ctx.Err(); err != nil {
		return nil, after, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	limit, err := storage.ValidateRead(after, s.head(), limit)
	if err != nil {
		return nil, after, err
	}
	n := s.outbox.seq.len()
	out := make([]affiliate.OutboxEvent, 0, min(limit, n-int(after)))
	var idBuf []byte
	for i := int(after); i < n && len(out) < limit; i++ {
		out = append(out, s.outboxEvent(i, &idBuf))
	}
	return out, after + storage.Cursor(len(out)), nil
}

// Ack implements storage.Outbox.
func (s *Store) Ack(ctx context.Context, consumer string, c storage.Cursor) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := storage.ValidateConsumer(consumer); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c < 0 || c > s.head() {
		return &storage.CursorError{Cursor: c, Head: s.head()}
	}
	if s.outbox.consumers == nil {
		s.outbox.consumers = make(map[string]storage.Cursor)
	}
	s.outbox.consumers[consumer] = max(s.outbox.consumers[consumer], c)
	return nil
}

// Cursor implements storage.Outbox.
func (s *Store) Cursor(ctx context.Context, consumer string) (storage.Cursor, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if err := storage.ValidateConsumer(consumer); err != nil {
		return 0, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.outbox.consumers[consumer], nil
}
