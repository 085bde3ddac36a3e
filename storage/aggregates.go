package storage

import (
	"context"

	"github.com/openaffiliate/affiliate"
)

// Metric names a running aggregate. The writers (the commission engine,
// the tier close, the attribution shell) choose the names; the store only
// adds.
type Metric string

// The metrics the library writes.
const (
	// MetricRevenue: referred customers' payments minus refunds, in the
	// payment's currency, in the period the money moved.
	MetricRevenue Metric = "revenue"
	// MetricRevenueConverted: the same converted to the program currency
	// at the rate stored with each event.
	MetricRevenueConverted Metric = "revenue_converted"
	// MetricPayingCustomers counts referred customers with a payment in
	// the period (Count only).
	MetricPayingCustomers Metric = "paying_customers"
	// MetricConversions counts customers whose first payment falls in the
	// period (Count only).
	MetricConversions Metric = "conversions"
	// MetricEarnings sums ledger entries by At period, in their currency.
	MetricEarnings Metric = "earnings"
)

// AggregateDelta adds Amount and Count to the aggregate identified by
// Affiliate, Period, Metric and Amount's currency. Affiliate "" is the
// program-wide bucket: the sum over affiliates, so referred customers
// only. A delta that only counts leaves Amount as the zero
// Money (no currency).
type AggregateDelta struct {
	Affiliate affiliate.AffiliateID
	Period    string // affiliate.Period.String(), "2026-01"
	Metric    Metric
	Amount    affiliate.Money
	Count     int64
}

// Aggregate is a running total: the sum of every delta with its key.
type Aggregate = AggregateDelta

// Aggregates reads running totals kept by Ledger.Append and Events.Commit.
type Aggregates interface {
	// PeriodAggregates returns every aggregate of metric in period, ordered
	// by affiliate, then currency. Returns ErrInvalid for an empty period
	// or metric.
	PeriodAggregates(ctx context.Context, period string, metric Metric) ([]Aggregate, error)

	// AffiliateAggregates returns an affiliate's aggregates of metric for
	// periods from through to (inclusive, "2026-01" form), ordered by
	// period, then currency. Returns ErrInvalid when to is before from.
	AffiliateAggregates(ctx context.Context, a affiliate.AffiliateID, metric Metric, from, to string) ([]Aggregate, error)
}
