package memstore

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.Ledger = (*Store)(nil)

// ledgerTables holds the entries, their indexes and the commit keys.
type ledgerTables struct {
	entries entryLog
	byID    map[affiliate.EntryID]int
	// byBeneficiary lists each beneficiary's entry positions ordered by
	// At, so a time range is found by binary search.
	byBeneficiary map[affiliate.AffiliateID][]int
	byCustomer    map[affiliate.CustomerID][]int
	byEvent       map[affiliate.EventID][]int
	// byPayment lists only entries whose Payment differs from their Event
	// (reversals, deferred shares, corrections): most entries are about
	// the payment that produced them, and byEvent finds those.
	byPayment map[affiliate.EventID][]int
	keys      map[string]keyRecord
	// open holds, per beneficiary, the entries in no created or paid
	// payout, so payout runs read only what is left to settle.
	// Unordered; settle filters a beneficiary's list, release appends.
	open map[affiliate.AffiliateID][]int
	// settledBy maps an entry in a created or paid payout to that payout.
	settledBy map[affiliate.EntryID]affiliate.PayoutID
}

type keyRecord struct {
	hash    string
	entries []int
}

func (t *ledgerTables) init() {
	t.byID = make(map[affiliate.EntryID]int)
	t.byBeneficiary = make(map[affiliate.AffiliateID][]int)
	t.byCustomer = make(map[affiliate.CustomerID][]int)
	t.byEvent = make(map[affiliate.EventID][]int)
	t.byPayment = make(map[affiliate.EventID][]int)
	t.keys = make(map[string]keyRecord)
	t.open = make(map[affiliate.AffiliateID][]int)
	t.settledBy = make(map[affiliate.EntryID]affiliate.PayoutID)
}

func copyEntry(e affiliate.Entry) affiliate.Entry {
	e.BaseLines = slices.Clone(e.BaseLines)
	e.Chain = slices.Clone(e.Chain)
	return e
}

// checkKey reports whether key is a replay (and of which entries), or an
// error for a reuse with another hash. Callers hold the lock.
func (t *ledgerTables) checkKey(key, hash string) (rec keyRecord, replay bool, err error) {
	rec, ok := t.keys[key]
	if !ok {
		return keyRecord{}, false, nil
	}
	if rec.hash != hash {
		return keyRecord{}, false, &affiliate.FieldError{Field: "Key", Reason: "key " + key + " was used with another payload", Err: affiliate.ErrIdempotencyMismatch}
	}
	return rec, true, nil
}

func (t *ledgerTables) checkNewIDs(entries []affiliate.Entry) error {
	for _, e := range entries {
		if _, ok := t.byID[e.ID]; ok {
			return conflict("entry %q is already in the ledger", e.ID)
		}
	}
	return nil
}

// add writes entries under key. Callers validated and hold the lock.
func (t *ledgerTables) add(key, hash string, entries []affiliate.Entry) {
	rec := keyRecord{hash: hash, entries: make([]int, 0, len(entries))}
	for _, e := range entries {
		i := t.entries.append(copyEntry(e))
		t.byID[e.ID] = i
		t.byBeneficiary[e.Beneficiary] = t.insertByTime(t.byBeneficiary[e.Beneficiary], i)
		if e.Customer != "" {
			t.byCustomer[e.Customer] = append(t.byCustomer[e.Customer], i)
		}
		if e.Event != "" {
			t.byEvent[e.Event] = append(t.byEvent[e.Event], i)
		}
		if e.Payment != "" && e.Payment != e.Event {
			t.byPayment[e.Payment] = append(t.byPayment[e.Payment], i)
		}
		t.open[e.Beneficiary] = append(t.open[e.Beneficiary], i)
		rec.entries = append(rec.entries, i)
	}
	t.keys[key] = rec
}

func (t *ledgerTables) copies(idx []int) []affiliate.Entry {
	out := make([]affiliate.Entry, len(idx))
	for i, j := range idx {
		out[i] = copyEntry(*t.entries.at(j))
	}
	return out
}

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
	t := &s.ledger
	var candidates []int
	switch {
	case q.Event != "":
		candidates = t.byEvent[q.Event]
	case q.Payment != "":
		// Entries about a payment: those its own event produced, and those
		// later events wrote about it. matches() keeps Payment == q.Payment.
		candidates = append(slices.Clip(t.byEvent[q.Payment]), t.byPayment[q.Payment]...)
	case q.Customer != "":
		candidates = t.byCustomer[q.Customer]
	case q.Unsettled && q.Beneficiary != "":
		candidates = t.open[q.Beneficiary]
	case q.Beneficiary != "":
		candidates = t.inRange(t.byBeneficiary[q.Beneficiary], q.From, q.To)
	case q.Unsettled:
		n := 0
		for _, open := range t.open {
			n += len(open)
		}
		candidates = make([]int, 0, n)
		for _, open := range t.open {
			candidates = append(candidates, open...)
		}
	default:
		candidates = make([]int, t.entries.len())
		for i := range candidates {
			candidates[i] = i
		}
	}
	// Filter and sort positions, then copy each match once: entries are
	// large, so moving them during the sort would cost more than the rest.
	picked := make([]int, 0, len(candidates))
	for _, i := range candidates {
		if matches(t, t.entries.at(i), q) {
			picked = append(picked, i)
		}
	}
	slices.SortFunc(picked, func(a, b int) int { return compareEntries(t.entries.at(a), t.entries.at(b)) })
	if len(picked) == 0 {
		return nil, nil
	}
	out := make([]affiliate.Entry, len(picked))
	for k, i := range picked {
		out[k] = copyEntry(*t.entries.at(i))
	}
	return out, nil
}

func matches(t *ledgerTables, e *affiliate.Entry, q storage.EntryQuery) bool {
	switch {
	case q.Beneficiary != "" && e.Beneficiary != q.Beneficiary,
		q.Customer != "" && e.Customer != q.Customer,
		q.Event != "" && e.Event != q.Event,
		q.Payment != "" && e.Payment != q.Payment,
		q.Currency != "" && e.Amount.Currency() != q.Currency,
		!q.From.IsZero() && e.At.Before(q.From),
		!q.To.IsZero() && !e.At.Before(q.To),
		!q.AvailableBy.IsZero() && e.AvailableAt.After(q.AvailableBy):
		return false
	}
	if q.Unsettled {
		if _, settled := t.settledBy[e.ID]; settled {
			return false
		}
	}
	return true
}

// compareEntries orders entries by At, then ID: the order every ledger
// read returns.
func compareEntries(a, b *affiliate.Entry) int {
	if c := a.At.Compare(b.At); c != 0 {
		return c
	}
	return strings.Compare(string(a.ID), string(b.ID))
}

// settle records that entries are in payout p and takes them out of the
// open index, one pass over each affected beneficiary's open list.
// Callers check first that none is settled, and hold the lock.
func (t *ledgerTables) settle(ids []affiliate.EntryID, p affiliate.PayoutID) {
	touched := map[affiliate.AffiliateID]bool{}
	for _, id := range ids {
		t.settledBy[id] = p
		touched[t.entries.at(t.byID[id]).Beneficiary] = true
	}
	for b := range touched {
		open := t.open[b][:0]
		for _, i := range t.open[b] {
			if _, settled := t.settledBy[t.entries.at(i).ID]; !settled {
				open = append(open, i)
			}
		}
		t.open[b] = open
	}
}

// release returns entries of a failed or cancelled payout to the open
// index, for the next run. Callers hold the lock.
func (t *ledgerTables) release(ids []affiliate.EntryID) {
	for _, id := range ids {
		i := t.byID[id]
		delete(t.settledBy, id)
		b := t.entries.at(i).Beneficiary
		t.open[b] = append(t.open[b], i)
	}
}

// entryLog is the ledger's entries in fixed-size pages: positions are
// stable, reads are one index away, and growing never copies the entries
// already stored (a slice of a million 300-byte entries would).
type entryLog struct {
	pages [][]affiliate.Entry
	n     int
}

const entryPageSize = 4096

func (l *entryLog) len() int { return l.n }

func (l *entryLog) at(i int) *affiliate.Entry { return &l.pages[i/entryPageSize][i%entryPageSize] }

// append stores e and returns its position.
func (l *entryLog) append(e affiliate.Entry) int {
	if l.n%entryPageSize == 0 {
		l.pages = append(l.pages, make([]affiliate.Entry, 0, entryPageSize))
	}
	last := len(l.pages) - 1
	l.pages[last] = append(l.pages[last], e)
	l.n++
	return l.n - 1
}

// insertByTime inserts position i into positions kept in At order, equal
// times in arrival order: a time range needs no more, and reads sort what
// they return by (At, ID). Entries arrive nearly in time order, so the
// search starts at the end and an in-order append costs nothing; ordering
// equal times by ID here would make every append of a batch stamped at
// one instant walk the whole list.
func (t *ledgerTables) insertByTime(positions []int, i int) []int {
	at := t.entries.at(i).At
	k := len(positions)
	for k > 0 && t.entries.at(positions[k-1]).At.After(at) {
		k--
	}
	return slices.Insert(positions, k, i)
}

// inRange returns the part of At-ordered positions whose At lies in
// [from, to); zero bounds are open.
func (t *ledgerTables) inRange(positions []int, from, to time.Time) []int {
	lo, hi := 0, len(positions)
	if !from.IsZero() {
		lo = sort.Search(len(positions), func(k int) bool { return !t.entries.at(positions[k]).At.Before(from) })
	}
	if !to.IsZero() {
		hi = sort.Search(len(positions), func(k int) bool { return !t.entries.at(positions[k]).At.Before(to) })
	}
	if hi < lo {
		return nil
	}
	return positions[lo:hi]
}
