package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.TierCloses = (*Store)(nil)

const snapshotColumns = `s.program, s.period, s.revision, s.affiliate, s.metric, s.amount_minor, s.currency, s.count,
    s.reached, s.tier, s.held_from, s.applied`

// validateTierClose runs the shared checks (storage.TierCloseCommit.Validate),
// then the database's.
func validateTierClose(c storage.TierCloseCommit) error {
	if err := c.Validate(); err != nil {
		return err
	}
	cl := c.Close
	var tc textCheck
	tc.key("TierClose.Program", cl.Program)
	tc.key("TierClose.Period", cl.Period)
	tc.key("TierCloseCommit.Hash", c.Hash)
	tc.time("TierClose.AsOf", cl.AsOf)
	for _, s := range c.Snapshots {
		tc.key("TierSnapshot.Affiliate", string(s.Affiliate))
		tc.text("TierSnapshot.Metric", string(s.Metric))
		tc.text("TierSnapshot.Reached", s.Reached)
		tc.text("TierSnapshot.Tier", s.Tier)
		tc.text("TierSnapshot.HeldFrom", s.HeldFrom)
		tc.text("TierSnapshot.Applied", s.Applied)
	}
	return tc.err
}

// CommitTierClose implements storage.TierCloses: one transaction that
// appends the revision and its snapshots, in memstore's order of checks.
func (s *Store) CommitTierClose(ctx context.Context, c storage.TierCloseCommit) (replayed bool, err error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if err := validateTierClose(c); err != nil {
		return false, err
	}
	cl := c.Close
	err = s.write(ctx, "commit tier close", readCommitted, func(q querier) error {
		replayed = false
		var stored int64
		if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(revision), 0) FROM affiliate_tier_closes WHERE program = $1 AND period = $2`,
			cl.Program, cl.Period).Scan(&stored); err != nil {
			return dbError("commit tier close", err)
		}
		if cl.Revision > stored+1 {
			return conflict("tier close %s/%s is at revision %d, not %d", cl.Program, cl.Period, stored, cl.Revision-1)
		}
		if cl.Revision == stored+1 {
			// The primary key settles a race with a concurrent run that
			// read the same revision: only one insert of revision n+1
			// succeeds; the other compares hashes below.
			r, err := q.ExecContext(ctx, `INSERT INTO affiliate_tier_closes (program, period, revision, as_of_ns, hash)
VALUES ($1, $2, $3, $4, $5) ON CONFLICT (program, period, revision) DO NOTHING`,
				cl.Program, cl.Period, cl.Revision, timeNS(cl.AsOf), c.Hash)
			if err != nil {
				return dbError("commit tier close", err)
			}
			if n, err := r.RowsAffected(); err != nil {
				return dbError("commit tier close", err)
			} else if n == 1 {
				return s.insertSnapshots(ctx, q, c.Snapshots)
			}
		}
		var hash string
		if err := q.QueryRowContext(ctx, `SELECT hash FROM affiliate_tier_closes WHERE program = $1 AND period = $2 AND revision = $3`,
			cl.Program, cl.Period, cl.Revision).Scan(&hash); err != nil {
			return dbError("commit tier close", err)
		}
		if hash != c.Hash {
			return &affiliate.FieldError{Field: "TierCloseCommit.Hash", Reason: "tier close " + cl.Program + "/" + cl.Period + " revision " + strconv.FormatInt(cl.Revision, 10) + " was written with another payload", Err: affiliate.ErrIdempotencyMismatch}
		}
		replayed = true
		return nil
	})
	return replayed, err
}

func (s *Store) insertSnapshots(ctx context.Context, q querier, snaps []storage.TierSnapshot) error {
	const cols = 12
	per := s.q.rowsPer(cols)
	for start := 0; start < len(snaps); start += per {
		chunk := snaps[start:min(start+per, len(snaps))]
		var b strings.Builder
		b.WriteString(`INSERT INTO affiliate_tier_snapshots (program, period, revision, affiliate, metric, amount_minor, currency, count,
    reached, tier, held_from, applied) VALUES `)
		placeholders(&b, 1, len(chunk), cols)
		args := make([]any, 0, cols*len(chunk))
		for _, sn := range chunk {
			minor, cur := money(sn.Amount)
			args = append(args, sn.Program, sn.Period, sn.Revision, string(sn.Affiliate), string(sn.Metric), minor, cur, sn.Count,
				sn.Reached, sn.Tier, sn.HeldFrom, sn.Applied)
		}
		if _, err := q.ExecContext(ctx, b.String(), args...); err != nil {
			return dbError("commit tier close: snapshots", err)
		}
	}
	return nil
}

// TierClose implements storage.TierCloses, from the primary key.
func (s *Store) TierClose(ctx context.Context, program, period string) (storage.TierClose, error) {
	if err := ctx.Err(); err != nil {
		return storage.TierClose{}, err
	}
	if !storable(program) || !storable(period) {
		return storage.TierClose{}, notFound("tier close", program+"/"+period)
	}
	var tc storage.TierClose
	err := s.read(ctx, "tier close", func(q querier) error {
		var asOf int64
		err := q.QueryRowContext(ctx, `SELECT program, period, revision, as_of_ns FROM affiliate_tier_closes
WHERE program = $1 AND period = $2 ORDER BY revision DESC LIMIT 1`, program, period).Scan(&tc.Program, &tc.Period, &tc.Revision, &asOf)
		tc.AsOf = nsTime(asOf)
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return storage.TierClose{}, notFound("tier close", program+"/"+period)
	}
	if err != nil {
		return storage.TierClose{}, dbError("tier close", err)
	}
	return tc, nil
}

// TierSnapshots implements storage.TierCloses: for each affiliate, the
// snapshot with the highest revision at or below q.Revision, found by a
// backward probe of the primary key.
func (s *Store) TierSnapshots(ctx context.Context, q storage.TierSnapshotQuery) ([]storage.TierSnapshot, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if q.Program == "" || q.Period == "" {
		return nil, invalid("TierSnapshotQuery", "program and period are required")
	}
	if q.Revision < 0 {
		return nil, invalid("TierSnapshotQuery.Revision", "negative")
	}
	var out []storage.TierSnapshot
	if q.Affiliate == "" {
		out = []storage.TierSnapshot{} // memstore: empty, not nil, for a whole period
	}
	if !storable(q.Program) || !storable(q.Period) || !storable(string(q.Affiliate)) {
		return out, nil
	}
	query := `SELECT ` + snapshotColumns + ` FROM affiliate_tier_snapshots s
WHERE s.program = $1 AND s.period = $2 AND s.revision = (
    SELECT MAX(m.revision) FROM affiliate_tier_snapshots m
    WHERE m.program = s.program AND m.period = s.period AND m.affiliate = s.affiliate AND ($3 = 0 OR m.revision <= $3))
ORDER BY s.affiliate`
	args := []any{q.Program, q.Period, q.Revision}
	if q.Affiliate != "" {
		query = `SELECT ` + snapshotColumns + ` FROM affiliate_tier_snapshots s
WHERE s.program = $1 AND s.period = $2 AND s.affiliate = $3 AND ($4 = 0 OR s.revision <= $4)
ORDER BY s.revision DESC LIMIT 1`
		args = []any{q.Program, q.Period, string(q.Affiliate), q.Revision}
	}
	err := s.read(ctx, "tier snapshots", func(db querier) error {
		out = out[:0]
		rows, err := db.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				sn               storage.TierSnapshot
				aff, metric, cur string
				minor            int64
			)
			if err := rows.Scan(&sn.Program, &sn.Period, &sn.Revision, &aff, &metric, &minor, &cur, &sn.Count,
				&sn.Reached, &sn.Tier, &sn.HeldFrom, &sn.Applied); err != nil {
				return err
			}
			if sn.Amount, err = toMoney(minor, cur); err != nil {
				return err
			}
			sn.Affiliate, sn.Metric = affiliate.AffiliateID(aff), storage.Metric(metric)
			out = append(out, sn)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, dbError("tier snapshots", err)
	}
	if q.Affiliate != "" && len(out) == 0 {
		return nil, nil
	}
	return out, nil
}
