package memstore

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.TierCloses = (*Store)(nil)

type programPeriod struct {
	program string
	period  string
}

// tierTables holds tier closes and snapshots. Both are append-only: a
// rerun adds a revision and new snapshots, and reads pick the latest (or
// the one as of a revision) from each affiliate's history.
type tierTables struct {
	// closes holds every run of a period's close, in revision order.
	closes map[programPeriod][]closeRecord
	// snapshots holds, per period and affiliate, its snapshots in
	// revision order.
	snapshots map[programPeriod]map[affiliate.AffiliateID][]affiliate.TierSnapshot
}

type closeRecord struct {
	close affiliate.TierClose
	hash  string
}

func (t *tierTables) init() {
	t.closes = make(map[programPeriod][]closeRecord)
	t.snapshots = make(map[programPeriod]map[affiliate.AffiliateID][]affiliate.TierSnapshot)
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
	k := programPeriod{c.Close.Program, c.Close.Period.String()}
	runs := s.tiers.closes[k]
	stored := int64(len(runs))
	if c.Close.Revision <= stored {
		if runs[c.Close.Revision-1].hash != c.Hash {
			return false, &affiliate.FieldError{Field: "TierCloseCommit.Hash", Reason: "tier close " + k.program + "/" + k.period + " revision " + strconv.FormatInt(c.Close.Revision, 10) + " was written with another payload", Err: affiliate.ErrIdempotencyMismatch}
		}
		return true, nil
	}
	if c.Close.Revision != stored+1 {
		return false, conflict("tier close %s/%s is at revision %d, not %d", k.program, k.period, stored, c.Close.Revision-1)
	}
	s.tiers.closes[k] = append(runs, closeRecord{c.Close, c.Hash})
	byAffiliate := s.tiers.snapshots[k]
	if byAffiliate == nil {
		byAffiliate = make(map[affiliate.AffiliateID][]affiliate.TierSnapshot, len(c.Snapshots))
		s.tiers.snapshots[k] = byAffiliate
	}
	for _, snap := range c.Snapshots {
		byAffiliate[snap.Affiliate] = append(byAffiliate[snap.Affiliate], snap)
	}
	s.appendOutbox(storage.TierCloseEvents(c))
	return false, nil
}

// TierClose implements storage.TierCloses.
func (s *Store) TierClose(ctx context.Context, program string, period affiliate.Period) (affiliate.TierClose, error) {
	if err := ctx.Err(); err != nil {
		return affiliate.TierClose{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	runs := s.tiers.closes[programPeriod{program, period.String()}]
	if len(runs) == 0 {
		// Not found is the common answer (the commission engine asks about
		// every open month), so it is a small value formatted only if read.
		return affiliate.TierClose{}, &noTierClose{program, period.String()}
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
	byAffiliate := s.tiers.snapshots[programPeriod{q.Program, q.Period.String()}]
	var out []affiliate.TierSnapshot
	if q.Affiliate != "" {
		if snap, ok := asOf(byAffiliate[q.Affiliate], q.Revision); ok {
			out = append(out, snap)
		}
	} else {
		out = make([]affiliate.TierSnapshot, 0, len(byAffiliate))
		for _, history := range byAffiliate {
			if snap, ok := asOf(history, q.Revision); ok {
				out = append(out, snap)
			}
		}
	}
	for i := range out {
		out[i].Period.Location = q.Period.Location
		if !out[i].HeldFrom.IsZero() {
			out[i].HeldFrom.Location = q.Period.Location
		}
	}
	slices.SortFunc(out, func(a, b affiliate.TierSnapshot) int {
		return strings.Compare(string(a.Affiliate), string(b.Affiliate))
	})
	return out, nil
}

// asOf returns the last snapshot of history written at or before revision
// (the last one when revision is 0). History is in revision order.
func asOf(history []affiliate.TierSnapshot, revision int64) (affiliate.TierSnapshot, bool) {
	for i := len(history) - 1; i >= 0; i-- {
		if revision == 0 || history[i].Revision <= revision {
			return history[i], true
		}
	}
	return affiliate.TierSnapshot{}, false
}

// noTierClose is ErrNotFound for a period never closed.
type noTierClose programPeriod

func (e *noTierClose) Error() string {
	return "memstore: tier close " + strconv.Quote(e.program+"/"+e.period) + ": " + affiliate.ErrNotFound.Error()
}

func (e *noTierClose) Unwrap() error { return affiliate.ErrNotFound }
