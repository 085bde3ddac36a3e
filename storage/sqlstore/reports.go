package sqlstore

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.Reports = (*Store)(nil)

// Activity implements storage.Reports: two index-only counts, over
// affiliate_touches and affiliate_bindings by (affiliate, time) or by time.
func (s *Store) Activity(ctx context.Context, a affiliate.AffiliateID, from, to time.Time) (storage.Activity, error) {
	if err := ctx.Err(); err != nil {
		return storage.Activity{}, err
	}
	if to.Before(from) {
		return storage.Activity{}, invalid("Activity.to", "before from")
	}
	var out storage.Activity
	lo, ok := lowerBound(from)
	hi, some, all := upperBound(to)
	if !ok || !some || !storable(string(a)) {
		return out, nil
	}
	if all {
		hi = math.MaxInt64
	}
	clicks := `SELECT COUNT(*) FROM affiliate_touches WHERE at_ns >= $1 AND at_ns < $2`
	signups := `SELECT COUNT(*) FROM affiliate_bindings WHERE bound_ns >= $1 AND bound_ns < $2`
	args := []any{lo, hi}
	if a != "" {
		clicks += ` AND affiliate = $3`
		signups += ` AND affiliate = $3`
		args = append(args, string(a))
	}
	err := s.snapshot(ctx, "activity", func(q querier) error {
		if err := q.QueryRowContext(ctx, clicks, args...).Scan(&out.Clicks); err != nil {
			return err
		}
		return q.QueryRowContext(ctx, signups, args...).Scan(&out.Signups)
	})
	if err != nil {
		return storage.Activity{}, dbError("activity", err)
	}
	return out, nil
}

// EarningsBalances implements storage.Reports. Pending and Available are
// sums over affiliate_open_entries (the entries in no created or paid
// payout), split at asOf; InPayout and Paid come from
// affiliate_payout_sums, which payout runs and settlements keep. Neither
// read touches settled history.
func (s *Store) EarningsBalances(ctx context.Context, a affiliate.AffiliateID, asOf time.Time) ([]storage.EarningsBalance, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if asOf.IsZero() {
		return nil, invalid("EarningsBalances.asOf", "zero time")
	}
	out := []storage.EarningsBalance{}
	if !storable(string(a)) {
		return out, nil
	}
	cut, ok := lowerBound(asOf)
	if !ok {
		cut = math.MaxInt64
	}
	open := `SELECT currency,
    CAST(COALESCE(SUM(CASE WHEN available_ns > $1 THEN amount_minor ELSE 0 END), 0) AS BIGINT),
    CAST(COALESCE(SUM(CASE WHEN available_ns <= $1 THEN amount_minor ELSE 0 END), 0) AS BIGINT)
FROM affiliate_open_entries`
	payouts := `SELECT currency, CAST(SUM(in_payout) AS BIGINT), CAST(SUM(paid) AS BIGINT) FROM affiliate_payout_sums`
	openArgs, payoutArgs := []any{cut}, []any{}
	if a != "" {
		open += ` WHERE beneficiary = $2`
		payouts += ` WHERE affiliate = $1`
		openArgs, payoutArgs = append(openArgs, string(a)), append(payoutArgs, string(a))
	}
	open += ` GROUP BY currency`
	payouts += ` GROUP BY currency`
	sums := make(map[string]*[4]int64) // pending, available, in payout, paid
	at := func(c string) *[4]int64 {
		v := sums[c]
		if v == nil {
			v = new([4]int64)
			sums[c] = v
		}
		return v
	}
	err := s.snapshot(ctx, "earnings balances", func(q querier) error {
		clear(sums)
		for _, part := range []struct {
			query string
			args  []any
			first int
		}{{open, openArgs, 0}, {payouts, payoutArgs, 2}} {
			rows, err := q.QueryContext(ctx, part.query, part.args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var (
					cur  string
					x, y int64
				)
				if err := rows.Scan(&cur, &x, &y); err != nil {
					rows.Close()
					return err
				}
				v := at(cur)
				v[part.first], v[part.first+1] = x, y
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, dbError("earnings balances", err)
	}
	for c, v := range sums {
		cur := affiliate.Currency(c)
		m := func(minor int64) affiliate.Money { return affiliate.MustMoney(minor, cur) }
		out = append(out, storage.EarningsBalance{Currency: cur, Pending: m(v[0]), Available: m(v[1]), InPayout: m(v[2]), Paid: m(v[3])})
	}
	slices.SortFunc(out, func(x, y storage.EarningsBalance) int { return strings.Compare(string(x.Currency), string(y.Currency)) })
	return out, nil
}

// ProgramEarnings implements storage.Reports: one GROUP BY over the
// entries of the time range, an index-only range scan of
// affiliate_entries_by_at.
func (s *Store) ProgramEarnings(ctx context.Context, from, to time.Time) ([]affiliate.Money, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if to.Before(from) {
		return nil, invalid("ProgramEarnings.to", "before from")
	}
	lo, ok := lowerBound(from)
	hi, some, all := upperBound(to)
	if !ok || !some {
		return nil, nil
	}
	if all {
		hi = math.MaxInt64
	}
	var out []affiliate.Money
	err := s.read(ctx, "program earnings", func(q querier) error {
		out = out[:0]
		rows, err := q.QueryContext(ctx, `SELECT currency, CAST(SUM(amount_minor) AS BIGINT) FROM affiliate_entries
WHERE at_ns >= $1 AND at_ns < $2 GROUP BY currency ORDER BY currency`, lo, hi)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				cur   string
				minor int64
			)
			if err := rows.Scan(&cur, &minor); err != nil {
				return err
			}
			m, err := toMoney(minor, cur)
			if err != nil {
				return err
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, dbError("program earnings", err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}
