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
	tc.key("TierCloseCommit.Hash", c.Hash)
	tc.time("TierClose.AsOf", cl.AsOf)
	for _, s := range c.Snapshots {
		tc.key("TierSnapshot.Affiliate", string(s.Affiliate))
		tc.text("TierSnapshot.Metric", string(s.Metric))
		tc.text("TierSnapshot.Reached", s.Reached)
		tc.text("TierSnapshot.Tier", s.Tier)
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
			cl.Program, cl.Period.String()).Scan(&stored); err != nil {
			return dbError("commit tier close", err)
		}
		if cl.Revision > stored+1 {
			return conflict("tier close %s/%s is at revision %d, not %d", cl.Program, cl.Period.String(), stored, cl.Revision-1)
		}
		if cl.Revision == stored+1 {
			// The primary key settles a race with a concurrent run that
			// read the same revision: only one insert of revision n+1
			// succeeds; the other compares hashes below.
			r, err := q.ExecContext(ctx, `INSERT INTO affiliate_tier_closes (program, period, revision, as_of_ns, hash)
VALUES ($1, $2, $3, $4, $5) ON CONFLICT (program, period, revision) DO NOTHING`,
				cl.Program, cl.Period.String(), cl.Revision, timeNS(cl.AsOf), c.Hash)
			if err != nil {
				return dbError("commit tier close", err)
			}
			if n, err := r.RowsAffected(); err != nil {
				return dbError("commit tier close", err)
			} else if n == 1 {
				if err := s.insertSnapshots(ctx, q, c.Snapshots); err != nil {
					return err
				}
				return s.appendOutbox(ctx, q, storage.TierCloseEvents(c))
			}
		}
		var hash string
		if err := q.QueryRowContext(ctx, `SELECT hash FROM affiliate_tier_closes WHERE program = $1 AND period = $2 AND revision = $3`,
			cl.Program, cl.Period.String(), cl.Revision).Scan(&hash); err != nil {
			return dbError("commit tier close", err)
		}
		if hash != c.Hash {
			return &affiliate.FieldError{Field: "TierCloseCommit.Hash", Reason: "tier close " + cl.Program + "/" + cl.Period.String() + " revision " + strconv.FormatInt(cl.Revision, 10) + " was written with another payload", Err: affiliate.ErrIdempotencyMismatch}
		}
		replayed = true
		return nil
	})
	return replayed, err
}

func (s *Store) insertSnapshots(ctx context.Context, q querier, snaps []affiliate.TierSnapshot) error {
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
			held := ""
			if !sn.HeldFrom.IsZero() {
				held = sn.HeldFrom.String()
			}
			args = append(args, sn.Program, sn.Period.String(), sn.Revision, string(sn.Affiliate), string(sn.Metric), minor, cur, sn.Count,
				sn.Reached, sn.Tier, held, sn.Applied)
		}
		if _, err := q.ExecContext(ctx, b.String(), args...); err != nil {
			return dbError("commit tier close: snapshots", err)
		}
	}
	return nil
}

// TierClose implements storage.TierCloses, from the primary key.
func (s *Store) TierClose(ctx context.Context, program string, period affiliate.Period) (affiliate.TierClose, error) {
	if err := ctx.Err(); err != nil {
		return affiliate.TierClose{}, err
	}
	if !storable(program) {
		return affiliate.TierClose{}, notFound("tier close", program+"/"+period.String())
	}
	tc := affiliate.TierClose{Program: program, Period: period}
	err := s.read(ctx, "tier close", func(q querier) error {
		var asOf int64
		err := q.QueryRowContext(ctx, `SELECT revision, as_of_ns FROM affiliate_tier_closes
WHERE program = $1 AND period = $2 ORDER BY revision DESC LIMIT 1`, program, period.String()).Scan(&tc.Revision, &asOf)
		tc.AsOf = nsTime(asOf)
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return affiliate.TierClose{}, notFound("tier close", program+"/"+period.String())
	}
	if err != nil {
		return affiliate.TierClose{}, dbError("tier close", err)
	}
	return tc, nil
}

// TierSnapshots implements storage.TierCloses: for each affiliate, the
// snapshot with the highest revision at or below q.Revision, found by a
// backward probe of the primary key.
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
	var out []affiliate.TierSnapshot
	if q.Affiliate == "" {
		out = []affiliate.TierSnapshot{} // memstore: empty, not nil, for a whole period
	}
	if !storable(q.Program) || !storable(string(q.Affiliate)) {
		return out, nil
	}
	query := `SELECT ` + snapshotColumns + ` FROM affiliate_tier_snapshots s
WHERE s.program = $1 AND s.period = $2 AND s.revision = (
    SELECT MAX(m.revision) FROM affiliate_tier_snapshots m
    WHERE m.program = s.program AND m.period = s.period AND m.affiliate = s.affiliate AND ($3 = 0 OR m.revision <= $3))
ORDER BY s.affiliate`
	args := []any{q.Program, q.Period.String(), q.Revision}
	if q.Affiliate != "" {
		query = `SELECT ` + snapshotColumns + ` FROM affiliate_tier_snapshots s
WHERE s.program = $1 AND s.period = $2 AND s.affiliate = $3 AND ($4 = 0 OR s.revision <= $4)
ORDER BY s.revision DESC LIMIT 1`
		args = []any{q.Program, q.Period.String(), string(q.Affiliate), q.Revision}
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
				sn                          affiliate.TierSnapshot
				per, held, aff, metric, cur string
				minor                       int64
			)
			if err := rows.Scan(&sn.Program, &per, &sn.Revision, &aff, &metric, &minor, &cur, &sn.Count,
				&sn.Reached, &sn.Tier, &held, &sn.Applied); err != nil {
				return err
			}
			sn.Period = q.Period
			if held != "" {
				if sn.HeldFrom, err = affiliate.ParsePeriod(held, q.Period.Location); err != nil {
					return err
				}
			}
			if sn.Amount, err = toMoney(minor, cur); err != nil {
				return err
			}
			sn.Affiliate, sn.Metric = affiliate.AffiliateID(aff), affiliate.Metric(metric)
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
