package memstore

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.TierCloses = (*Store)(nil)

type programPeriod struct {
	program string
	period  monthKey
}

// tierTables holds tier closes and snapshots. Both are append-only: a
// rerun adds a revision and new snapshots, and reads pick the latest (or
// the one as of a revision) from each affiliate's history.
type tierTables struct {
	// closes holds every run of a period's close, in revision order.
	closes map[programPeriod][]closeRecord
	// snapshots holds each period's snapshots as rows.
	snapshots map[programPeriod]*periodSnapshots
	// eventRuns says which close and snapshot row each tier.changed
	// outbox event is, so the events are derived when read
	// (storage.TierCloseEvents) instead of stored: a close's events are
	// its snapshots, in order. Event numbers count from 0 across closes.
	eventRuns []tierEventRun
	events    uint32
}

// tierEventRun is a close's events: numbers first, first+1, ... are the
// snapshot rows of its period from row on.
type tierEventRun struct {
	key        programPeriod
	revision   int64
	first, row uint32
}

type closeRecord struct {
	close affiliate.TierClose
	hash  string
}

// periodSnapshots is a period's snapshots in write order; heads holds, by
// affiliate number, its latest snapshot's index plus one, and each row
// chains to the affiliate's previous one: an affiliate's history, newest
// first.
type periodSnapshots struct {
	rows  []snapshotRow
	heads []uint32
}

// snapshotRow is a TierSnapshot without its program and period (its
// close's): numbers, no pointers.
type snapshotRow struct {
	revision, count, amount int64
	affiliate               uint32
	// metric, currency (0: the zero Money), reached, tier and applied
	// are words.
	metric, currency, reached, tier, applied uint32
	heldYear, heldMonth                      int32
	prev                                     uint32 // the affiliate's previous row plus one, or 0
}

func (t *tierTables) init() {
	t.closes = make(map[programPeriod][]closeRecord)
	t.snapshots = make(map[programPeriod]*periodSnapshots)
}

func (s *Store) snapshotRow(snap *affiliate.TierSnapshot) snapshotRow {
	r := snapshotRow{
		revision:  snap.Revision,
		count:     snap.Count,
		affiliate: s.ids.affiliates.intern(string(snap.Affiliate)),
		metric:    s.ids.words.intern(string(snap.Metric)),
		reached:   s.ids.words.intern(snap.Reached),
		tier:      s.ids.words.intern(snap.Tier),
		applied:   s.ids.words.intern(snap.Applied),
		heldYear:  int32(snap.HeldFrom.Year),
		heldMonth: int32(snap.HeldFrom.Month),
	}
	if snap.Amount != (affiliate.Money{}) {
		r.amount, r.currency = snap.Amount.Minor(), s.ids.words.intern(string(snap.Amount.Currency()))
	}
	return r
}

// snapshotOut rebuilds a snapshot of close k, its periods in loc.
func (s *Store) snapshotOut(k programPeriod, r *snapshotRow, loc *time.Location) affiliate.TierSnapshot {
	snap := affiliate.TierSnapshot{
		Program:   k.program,
		Period:    periodIn(k.period, loc),
		Revision:  r.revision,
		Affiliate: affiliate.AffiliateID(s.ids.affiliates.str(r.affiliate)),
		Metric:    affiliate.Metric(s.ids.words.str(r.metric)),
		Count:     r.count,
		Reached:   s.ids.words.str(r.reached),
		Tier:      s.ids.words.str(r.tier),
		Applied:   s.ids.words.str(r.applied),
		HeldFrom:  affiliate.Period{Year: int(r.heldYear), Month: time.Month(r.heldMonth)},
	}
	if r.currency != 0 {
		snap.Amount = s.ids.money(r.amount, r.currency)
	}
	if !snap.HeldFrom.IsZero() {
		snap.HeldFrom.Location = loc
	}
	return snap
}

// CommitTierClose implements storage.TierCloses.
func (s *Store) CommitTierClose(ctx context.Context, c storage.TierCloseCommit) (replayed bool, err error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if err := c.Validate(); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	period, _ := keyOf(c.Close.Period) // Validate checked it
	k := programPeriod{c.Close.Program, period}
	runs := s.tiers.closes[k]
	stored := int64(len(runs))
	if c.Close.Revision <= stored {
		if runs[c.Close.Revision-1].hash != c.Hash {
			return false, &affiliate.FieldError{Field: "TierCloseCommit.Hash", Reason: "tier close " + k.program + "/" + c.Close.Period.String() + " revision " + strconv.FormatInt(c.Close.Revision, 10) + " was written with another payload", Err: affiliate.ErrIdempotencyMismatch}
		}
		return true, nil
	}
	if c.Close.Revision != stored+1 {
		return false, conflict("tier close %s/%s is at revision %d, not %d", k.program, c.Close.Period, stored, c.Close.Revision-1)
	}
	s.tiers.closes[k] = append(runs, closeRecord{c.Close, c.Hash})
	ps := s.tiers.snapshots[k]
	if ps == nil {
		ps = &periodSnapshots{}
		s.tiers.snapshots[k] = ps
	}
	if len(c.Snapshots) > 0 {
		s.tiers.eventRuns = append(s.tiers.eventRuns, tierEventRun{key: k, revision: c.Close.Revision, first: s.tiers.events, row: uint32(len(ps.rows))})
	}
	ps.rows = slices.Grow(ps.rows, len(c.Snapshots))
	for i := range c.Snapshots {
		r := s.snapshotRow(&c.Snapshots[i])
		for int(r.affiliate) >= len(ps.heads) {
			ps.heads = append(ps.heads, 0)
		}
		r.prev = ps.heads[r.affiliate]
		ps.rows = append(ps.rows, r)
		ps.heads[r.affiliate] = uint32(len(ps.rows))
	}
	for range c.Snapshots {
		s.outbox.seq.append(tierChanged | uint64(s.tiers.events))
		s.tiers.events++
	}
	return false, nil
}

// tierEvent derives tier.changed event number n.
func (s *Store) tierEvent(n uint32) affiliate.OutboxEvent {
	t := &s.tiers
	run := t.eventRuns[sort.Search(len(t.eventRuns), func(k int) bool { return t.eventRuns[k].first > n })-1]
	r := &t.snapshots[run.key].rows[run.row+n-run.first]
	snap := affiliate.TierSnapshot{Affiliate: affiliate.AffiliateID(s.ids.affiliates.str(r.affiliate)), Tier: s.ids.words.str(r.tier)}
	return storage.TierCloseEvents(storage.TierCloseCommit{Close: t.closes[run.key][run.revision-1].close, Snapshots: []affiliate.TierSnapshot{snap}})[0]
}

// TierClose implements storage.TierCloses.
func (s *Store) TierClose(ctx context.Context, program string, period affiliate.Period) (affiliate.TierClose, error) {
	if err := ctx.Err(); err != nil {
		return affiliate.TierClose{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	key, ok := keyOf(period)
	runs := s.tiers.closes[programPeriod{program, key}]
	if !ok || len(runs) == 0 {
		// Not found is the common answer (the commission engine asks about
		// every open month), so it is a small value formatted only if read.
		return affiliate.TierClose{}, &noTierClose{program, period}
	}
	c := runs[len(runs)-1].close
	c.Period.Location = period.Location
	return c, nil
}

// TierSnapshots implements storage.TierCloses.
func (s *Store) TierSnapshots(ctx context.Context, q storage.TierSnapshotQuery) ([]affiliate.TierSnapshot, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if q.Program == "" || q.Period.Validate() != nil {
		return nil, invalid("TierSnapshotQuery", "a program and a valid period are required")
	}
	if q.Revision < 0 {
		return nil, invalid("TierSnapshotQuery.Revision", "negative")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	key, _ := keyOf(q.Period) // checked above
	k := programPeriod{q.Program, key}
	ps := s.tiers.snapshots[k]
	if ps == nil {
		return nil, nil
	}
	var out []affiliate.TierSnapshot
	if q.Affiliate != "" {
		if n, ok := s.ids.affiliates.lookup(string(q.Affiliate)); ok && n != 0 && int(n) < len(ps.heads) {
			if r := ps.asOf(ps.heads[n], q.Revision); r != nil {
				out = append(out, s.snapshotOut(k, r, q.Period.Location))
			}
		}
	} else {
		out = make([]affiliate.TierSnapshot, 0, len(ps.heads))
		for _, head := range ps.heads {
			if r := ps.asOf(head, q.Revision); r != nil {
				out = append(out, s.snapshotOut(k, r, q.Period.Location))
			}
		}
	}
	slices.SortFunc(out, func(a, b affiliate.TierSnapshot) int {
		return strings.Compare(string(a.Affiliate), string(b.Affiliate))
	})
	return out, nil
}

// asOf returns the last snapshot of the history ending at head (a row
// index plus one) written at or before revision (the last one when
// revision is 0), or nil.
func (ps *periodSnapshots) asOf(head uint32, revision int64) *snapshotRow {
	for i := head; i != 0; i = ps.rows[i-1].prev {
		if r := &ps.rows[i-1]; revision == 0 || r.revision <= revision {
			return r
		}
	}
	return nil
}

// noTierClose is ErrNotFound for a period never closed.
type noTierClose struct {
	program string
	period  affiliate.Period
}

func (e *noTierClose) Error() string {
	return "memstore: tier close " + strconv.Quote(e.program+"/"+e.period.String()) + ": " + affiliate.ErrNotFound.Error()
}

func (e *noTierClose) Unwrap() error { return affiliate.ErrNotFound }
