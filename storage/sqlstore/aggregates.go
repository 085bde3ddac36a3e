package sqlstore

import (
	"context"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.Aggregates = (*Store)(nil)

// PeriodAggregates implements storage.Aggregates, from the index
// affiliate_aggregates_by_period. The GROUP BY sums the program-wide
// bucket's shards (see programShards); other keys have one row.
func (s *Store) PeriodAggregates(ctx context.Context, period affiliate.Period, metric affiliate.Metric) ([]storage.Aggregate, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if period.Validate() != nil || metric == "" {
		return nil, invalid("PeriodAggregates", "a valid period and a metric are required")
	}
	if !storable(string(metric)) {
		return []storage.Aggregate{}, nil
	}
	return s.aggregates(ctx, "period aggregates", period.Location, `SELECT affiliate, metric, period, currency, CAST(SUM(amount_minor) AS BIGINT), CAST(SUM(count) AS BIGINT)
FROM affiliate_aggregates WHERE period = $1 AND metric = $2
GROUP BY affiliate, metric, period, currency ORDER BY affiliate, currency`, period.String(), string(metric))
}

// AffiliateAggregates implements storage.Aggregates, from the primary key.
func (s *Store) AffiliateAggregates(ctx context.Context, a affiliate.AffiliateID, metric affiliate.Metric, from, to affiliate.Period) ([]storage.Aggregate, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := storage.ValidateRange(from, to); err != nil {
		return nil, err
	}
	if !storable(string(a)) || !storable(string(metric)) {
		return []storage.Aggregate{}, nil
	}
	return s.aggregates(ctx, "affiliate aggregates", from.Location, `SELECT affiliate, metric, period, currency, CAST(SUM(amount_minor) AS BIGINT), CAST(SUM(count) AS BIGINT)
FROM affiliate_aggregates WHERE affiliate = $1 AND metric = $2 AND period >= $3 AND period <= $4
GROUP BY affiliate, metric, period, currency ORDER BY period, currency`,
		string(a), string(metric), from.String(), to.String())
}

// aggregates runs query and returns its aggregates, their periods in loc.
func (s *Store) aggregates(ctx context.Context, op string, loc *time.Location, query string, args ...any) ([]storage.Aggregate, error) {
	out := []storage.Aggregate{}
	err := s.read(ctx, op, func(q querier) error {
		out = out[:0]
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				agg                   storage.Aggregate
				aff, metric, cur, per string
				minor                 int64
			)
			if err := rows.Scan(&aff, &metric, &per, &cur, &minor, &agg.Count); err != nil {
				return err
			}
			if agg.Period, err = affiliate.ParsePeriod(per, loc); err != nil {
				return err
			}
			if agg.Amount, err = toMoney(minor, cur); err != nil {
				return err
			}
			agg.Affiliate, agg.Metric = affiliate.AffiliateID(aff), affiliate.Metric(metric)
			out = append(out, agg)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, dbError(op, err)
	}
	return out, nil
}
