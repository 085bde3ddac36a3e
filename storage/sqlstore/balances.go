package sqlstore

import (
	"context"
	"database/sql"
	"math"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.BalanceReader = (*Store)(nil)

// OpenBalances implements storage.BalanceReader with one statement, so
// that the sums and the watermark come from one snapshot on both
// dialects: the watermark is the highest sequence number of the ledger
// (seqColumn), the sums a GROUP BY over affiliate_open_entries read in
// the order of its index on (beneficiary, currency, at_ns). The row of
// the watermark is LEFT JOINed to the sums, so that a read with no
// balance still returns it.
func (s *Store) OpenBalances(ctx context.Context, q storage.BalanceQuery) (storage.Balances, error) {
	if err := ctx.Err(); err != nil {
		return storage.Balances{}, err
	}
	if err := q.Validate(); err != nil {
		return storage.Balances{}, err
	}
	query := `SELECT w.through, g.beneficiary, g.currency, g.total, g.n
FROM (SELECT COALESCE(MAX(` + s.dialect.seqColumn() + `), 0) AS through FROM affiliate_entries) w
LEFT JOIN (SELECT beneficiary, currency, CAST(SUM(amount_minor) AS BIGINT) AS total, COUNT(*) AS n
    FROM affiliate_open_entries WHERE at_ns < $1 AND available_ns <= $2`
	args := []any{before(q.To), atOrBefore(q.AvailableBy)}
	if q.Beneficiary != "" {
		query += ` AND beneficiary = $3`
		args = append(args, string(q.Beneficiary))
	}
	query += ` GROUP BY beneficiary, currency) g ON TRUE ORDER BY g.beneficiary, g.currency`
	var out storage.Balances
	err := s.read(ctx, "open balances", func(db querier) error {
		out = storage.Balances{}
		rows, err := db.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				through          int64
				beneficiary, cur sql.NullString
				total, n         sql.NullInt64
			)
			if err := rows.Scan(&through, &beneficiary, &cur, &total, &n); err != nil {
				return err
			}
			out.Through = uint64(through)
			if !beneficiary.Valid {
				continue // no balance: the watermark's row alone
			}
			amount, err := toMoney(total.Int64, cur.String)
			if err != nil {
				return err
			}
			out.Balances = append(out.Balances, storage.OpenBalance{Affiliate: affiliate.AffiliateID(beneficiary.String), Amount: amount, Entries: int(n.Int64)})
		}
		return rows.Err()
	})
	if err != nil {
		return storage.Balances{}, dbError("open balances", err)
	}
	return out, nil
}

// before returns the nanosecond bound n of "earlier than t" as
// "at_ns < n", for any t: a t before every storable time selects
// nothing, one after every storable time everything.
func before(t time.Time) int64 {
	ns, ok, all := upperBound(t)
	switch {
	case !ok:
		return math.MinInt64
	case all:
		return math.MaxInt64
	}
	return ns
}

// atOrBefore returns the bound n of "not after t" as "available_ns <= n".
func atOrBefore(t time.Time) int64 {
	ns, ok := lowerBound(t)
	if !ok {
		return math.MaxInt64
	}
	return ns
}
