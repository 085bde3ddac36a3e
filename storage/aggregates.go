package storage

import (
	"context"

	"github.com/openaffiliate/affiliate"
)

// AggregateDelta adds Amount and Count to the aggregate identified by
// Affiliate, Period, Metric and Amount's currency. Affiliate "" is the
// program-wide bucket: the sum over affiliates, so referred customers
// only. A delta that only counts leaves Amount as the zero
// Money (no currency).
type AggregateDelta struct {
	Affiliate affiliate.AffiliateID
	Period    affiliate.Period
	Metric    affiliate.Metric
	Amount    affiliate.Money
	Count     int64
}

// Aggregate is a running total: the sum of every delta with its key.
type Aggregate = AggregateDelta

// Aggregates reads the running totals Events.Commit keeps.
type Aggregates interface {
	// PeriodAggregates returns every aggregate of metric in period, ordered
	// by affiliate, then currency, each with period's location. Returns
	// ErrInvalid for an invalid period or an empty metric.
	PeriodAggregates(ctx context.Context, period affiliate.Period, metric affiliate.Metric) ([]Aggregate, error)

	// AffiliateAggregates returns an affiliate's aggregates of metric for
	// periods from through to (inclusive), ordered by period, then
	// currency, each with from's location. Returns ErrInvalid for an
	// invalid period or when to is before from.
	AffiliateAggregates(ctx context.Context, a affiliate.AffiliateID, metric affiliate.Metric, from, to affiliate.Period) ([]Aggregate, error)
}
