package memstore

import (
	"context"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.Reports = (*Store)(nil)

// reportTables holds the indexes behind storage.Reports.
//
// Clicks and signups are timelines: sorted instants per affiliate and for
// the program, so a count over any time range is two binary searches.
// AddTouch and Bind (through bindingAdded) feed them with reportTouch and
// reportBinding while they hold the store's write lock, in the same
// critical section as the write itself, so a count never misses a stored
// touch or binding.
//
// Program-wide balances come from a day index of unsettled entries by
// AvailableAt, per currency: a balance at asOf sums the buckets of the
// days after asOf's day and looks at single entries only within that one
// day. The index follows the append-only ledger by position: a reader
// catches up on the entries appended since its last read (lazily, under
// mu while it holds the store's read lock), and CreatePayoutRun and
// SettlePayout (which hold the write lock) move settled and released
// entries out of and back into their buckets.
type reportTables struct {
	mu sync.Mutex // guards lazy updates made under the store's read lock

	clicks     map[affiliate.AffiliateID]*timeline
	allClicks  timeline
	signups    map[affiliate.AffiliateID]*timeline
	allSignups timeline

	consumed int // ledger positions [0, consumed) are in the day indexes
	// unsettled sums unsettled entries by the day of their AvailableAt;
	// earned sums every entry by the day of its At.
	unsettled map[affiliate.Currency]*dayIndex
	earned    map[affiliate.Currency]*dayIndex
}

func (t *reportTables) init() {
	t.clicks = make(map[affiliate.AffiliateID]*timeline)
	t.signups = make(map[affiliate.AffiliateID]*timeline)
	t.unsettled = make(map[affiliate.Currency]*dayIndex)
	t.earned = make(map[affiliate.Currency]*dayIndex)
}

// timeline is a sorted list of instants (Unix nanoseconds).
type timeline []int64

func (tl *timeline) add(at time.Time) {
	v := at.UnixNano()
	s := *tl
	if n := len(s); n == 0 || s[n-1] <= v { // in order, the usual case
		*tl = append(s, v)
		return
	}
	i := sort.Search(len(s), func(i int) bool { return s[i] > v })
	*tl = slices.Insert(s, i, v)
}

// count returns how many instants lie in [from, to).
func (tl timeline) count(from, to time.Time) int64 {
	lo, _ := slices.BinarySearch(tl, from.UnixNano())
	hi, _ := slices.BinarySearch(tl, to.UnixNano())
	return int64(hi - lo)
}

func timelineOf(m map[affiliate.AffiliateID]*timeline, a affiliate.AffiliateID) *timeline {
	tl := m[a]
	if tl == nil {
		tl = new(timeline)
		m[a] = tl
	}
	return tl
}

// reportTouch counts a stored touch as a click. The attribution code
// calls it for every touch it stores, holding the write lock.
func (s *Store) reportTouch(t affiliate.Touch) {
	r := &s.reports
	timelineOf(r.clicks, t.Affiliate).add(t.At)
	r.allClicks.add(t.At)
}

// reportBinding counts a stored binding as a signup. bindingAdded calls
// it, holding the write lock.
func (s *Store) reportBinding(b affiliate.Binding) {
	r := &s.reports
	timelineOf(r.signups, b.Affiliate).add(b.BoundAt)
	r.allSignups.add(b.BoundAt)
}

// Activity implements storage.Reports.
func (s *Store) Activity(ctx context.Context, a affiliate.AffiliateID, from, to time.Time) (storage.Activity, error) {
	if err := ctx.Err(); err != nil {
		return storage.Activity{}, err
	}
	if to.Before(from) {
		return storage.Activity{}, invalid("Activity.to", "before from")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r := &s.reports
	r.mu.Lock()
	defer r.mu.Unlock()
	if a == "" {
		return storage.Activity{Clicks: r.allClicks.count(from, to), Signups: r.allSignups.count(from, to)}, nil
	}
	var out storage.Activity
	if tl := r.clicks[a]; tl != nil {
		out.Clicks = tl.count(from, to)
	}
	if tl := r.signups[a]; tl != nil {
		out.Signups = tl.count(from, to)
	}
	return out, nil
}

const secondsPerDay = 24 * 60 * 60

// dayOf returns the UTC day number of t (days since the Unix epoch).
func dayOf(t time.Time) int64 { return dayOfSec(t.Unix()) }

// dayOfSec returns the UTC day number of sec seconds since the epoch.
func dayOfSec(sec int64) int64 {
	d := sec / secondsPerDay
	if sec%secondsPerDay < 0 {
		d--
	}
	return d
}

// dayIndex sums unsettled entries of one currency by the UTC day of their
// AvailableAt. Each bucket also lists its entries (settled or not), for
// the one day a query cuts through.
type dayIndex struct {
	days    []int64 // sorted
	buckets map[int64]*dayBucket
	total   int64 // the sum of every bucket
}

type dayBucket struct {
	sum     int64    // unsettled entries only
	entries []uint32 // ledger positions
}

func indexOf(m map[affiliate.Currency]*dayIndex, c affiliate.Currency) *dayIndex {
	ix := m[c]
	if ix == nil {
		ix = &dayIndex{buckets: make(map[int64]*dayBucket)}
		m[c] = ix
	}
	return ix
}

func (ix *dayIndex) bucket(day int64) *dayBucket {
	b := ix.buckets[day]
	if b == nil {
		b = &dayBucket{}
		ix.buckets[day] = b
		i, _ := slices.BinarySearch(ix.days, day)
		ix.days = slices.Insert(ix.days, i, day)
	}
	return b
}

// catchUp indexes the entries appended since the last read. Callers hold
// the read lock and r.mu, or the write lock.
func (r *reportTables) catchUp(s *Store) {
	l := &s.ledger
	for ; r.consumed < l.rows.len(); r.consumed++ {
		e := l.rows.at(r.consumed)
		cur := affiliate.Currency(s.ids.words.str(e.currency))
		ix := indexOf(r.unsettled, cur)
		b := ix.bucket(dayOfSec(l.available(uint32(r.consumed), e).sec))
		b.entries = append(b.entries, uint32(r.consumed))
		if e.claim == 0 {
			b.sum += e.amount
			ix.total += e.amount
		}
		ix = indexOf(r.earned, cur)
		b = ix.bucket(dayOfSec(e.atSec))
		b.entries = append(b.entries, uint32(r.consumed))
		b.sum += e.amount
		ix.total += e.amount
	}
}

// move adds sign times each indexed entry's amount to its bucket. Entries
// not indexed yet are left to catchUp, which sees their state then.
// Callers hold the write lock.
func (r *reportTables) move(s *Store, positions []uint32, sign int64) {
	for _, p := range positions {
		if int(p) >= r.consumed {
			continue
		}
		e := s.ledger.rows.at(int(p))
		ix := r.unsettled[affiliate.Currency(s.ids.words.str(e.currency))]
		ix.buckets[dayOfSec(s.ledger.available(p, e).sec)].sum += sign * e.amount
		ix.total += sign * e.amount
	}
}

// settled takes entries that joined a payout out of the unsettled index.
func (r *reportTables) settled(s *Store, positions []uint32) { r.move(s, positions, -1) }

// released puts entries of a failed or cancelled payout back.
func (r *reportTables) released(s *Store, positions []uint32) { r.move(s, positions, 1) }

// split returns the unsettled minor units of the index that are pending
// (AvailableAt after asOf) and available. It reads the buckets of the days
// after asOf's day, which a hold bounds, and the entries of that one day.
func (ix *dayIndex) split(l *ledgerTables, asOf time.Time) (pending, available int64) {
	cut, at := dayOf(asOf), bare(asOf)
	i, found := slices.BinarySearch(ix.days, cut)
	if found {
		for _, p := range ix.buckets[cut].entries {
			e := l.rows.at(int(p))
			if e.claim != 0 {
				continue
			}
			if at.before(l.available(p, e)) {
				pending += e.amount
			}
		}
		i++
	}
	for _, day := range ix.days[i:] {
		pending += ix.buckets[day].sum
	}
	return pending, ix.total - pending
}

// between sums the entries of an earned index whose At lies in
// [from, to): whole days from their bucket, the days the bounds cut
// through entry by entry.
func (ix *dayIndex) between(l *ledgerTables, from, to time.Time) int64 {
	if !from.Before(to) {
		return 0
	}
	first, last := dayOf(from), dayOf(to.Add(-time.Nanosecond))
	i, _ := slices.BinarySearch(ix.days, first)
	var sum int64
	for ; i < len(ix.days) && ix.days[i] <= last; i++ {
		day := ix.days[i]
		b := ix.buckets[day]
		start := time.Unix(day*secondsPerDay, 0)
		if !start.Before(from) && !start.Add(secondsPerDay*time.Second).After(to) {
			sum += b.sum
			continue
		}
		lo, hi := bare(from), bare(to)
		for _, p := range b.entries {
			if e := l.rows.at(int(p)); !e.at().before(lo) && e.at().before(hi) {
				sum += e.amount
			}
		}
	}
	return sum
}

// ProgramEarnings implements storage.Reports.
func (s *Store) ProgramEarnings(ctx context.Context, from, to time.Time) ([]affiliate.Money, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if to.Before(from) {
		return nil, invalid("ProgramEarnings.to", "before from")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r := &s.reports
	r.mu.Lock()
	defer r.mu.Unlock()
	r.catchUp(s)
	var out []affiliate.Money
	for c, ix := range r.earned {
		if sum := ix.between(&s.ledger, from, to); sum != 0 || ix.hasEntry(&s.ledger, from, to) {
			out = append(out, affiliate.MustMoney(sum, c))
		}
	}
	slices.SortFunc(out, func(x, y affiliate.Money) int {
		switch {
		case x.Currency() < y.Currency():
			return -1
		case x.Currency() > y.Currency():
			return 1
		}
		return 0
	})
	return out, nil
}

// hasEntry reports whether an entry's At lies in [from, to), for a total
// that sums to zero.
func (ix *dayIndex) hasEntry(l *ledgerTables, from, to time.Time) bool {
	if !from.Before(to) {
		return false
	}
	i, _ := slices.BinarySearch(ix.days, dayOf(from))
	for last := dayOf(to.Add(-time.Nanosecond)); i < len(ix.days) && ix.days[i] <= last; i++ {
		lo, hi := bare(from), bare(to)
		for _, p := range ix.buckets[ix.days[i]].entries {
			if at := l.rows.at(int(p)).at(); !at.before(lo) && at.before(hi) {
				return true
			}
		}
	}
	return false
}

// EarningsBalances implements storage.Reports.
func (s *Store) EarningsBalances(ctx context.Context, a affiliate.AffiliateID, asOf time.Time) ([]storage.EarningsBalance, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if asOf.IsZero() {
		return nil, invalid("EarningsBalances.asOf", "zero time")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	sums := make(map[affiliate.Currency]*[4]int64) // pending, available, in payout, paid
	at := func(c affiliate.Currency) *[4]int64 {
		v := sums[c]
		if v == nil {
			v = new([4]int64)
			sums[c] = v
		}
		return v
	}
	if a == "" {
		r := &s.reports
		r.mu.Lock()
		r.catchUp(s)
		for c, ix := range r.unsettled {
			v := at(c)
			v[0], v[1] = ix.split(&s.ledger, asOf)
		}
		r.mu.Unlock()
		for c, st := range s.payouts.programState {
			v := at(c)
			v[2], v[3] = st.inPayout, st.paid
		}
	} else {
		n, _ := s.ids.affiliates.lookup(string(a))
		cut := bare(asOf)
		for _, p := range listAt(s.ledger.open, n) {
			e := s.ledger.rows.at(int(p))
			v := at(affiliate.Currency(s.ids.words.str(e.currency)))
			if cut.before(s.ledger.available(p, e)) {
				v[0] += e.amount
			} else {
				v[1] += e.amount
			}
		}
		for _, cs := range listAt(s.payouts.state, n) {
			v := at(cs.currency)
			v[2], v[3] = cs.sums.inPayout, cs.sums.paid
		}
	}
	out := make([]storage.EarningsBalance, 0, len(sums))
	for c, v := range sums {
		out = append(out, storage.EarningsBalance{
			Currency:  c,
			Pending:   affiliate.MustMoney(v[0], c),
			Available: affiliate.MustMoney(v[1], c),
			InPayout:  affiliate.MustMoney(v[2], c),
			Paid:      affiliate.MustMoney(v[3], c),
		})
	}
	slices.SortFunc(out, func(x, y storage.EarningsBalance) int {
		switch {
		case x.Currency < y.Currency:
			return -1
		case x.Currency > y.Currency:
			return 1
		}
		return 0
	})
	return out, nil
}
