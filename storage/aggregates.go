package storage

import (
	"context"
	"fmt"
	"math"

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

// AggregateOverflowError reports a commit whose deltas would take a
// running total (its amount in minor units, or its count) past the int64
// range. The commit is refused whole: no event, state, entry or delta of
// it is written. It matches affiliate.ErrOverflow, and so ErrInvalid: no
// retry makes the sum fit.
type AggregateOverflowError struct {
	Affiliate affiliate.AffiliateID
	Period    affiliate.Period
	Metric    affiliate.Metric
	Currency  affiliate.Currency // "" for a count-only aggregate
}

func (e *AggregateOverflowError) Error() string {
	return fmt.Sprintf("storage: aggregate %s of affiliate %q in %s (%s) would overflow int64",
		e.Metric, e.Affiliate, e.Period, e.Currency)
}

// Unwrap returns affiliate.ErrOverflow.
func (e *AggregateOverflowError) Unwrap() error { return affiliate.ErrOverflow }

// AddDelta adds d to total, an aggregate with d's key, or returns an
// *AggregateOverflowError when the amount would leave Money's range
// (±MaxInt64 minor units) or the count int64's. Stores check every delta
// of a commit with it before they write any.
func AddDelta(total, d AggregateDelta) (AggregateDelta, error) {
	if d.Amount.Currency() != "" {
		if total.Amount == (affiliate.Money{}) {
			total.Amount = affiliate.Zero(d.Amount.Currency())
		}
		sum, err := total.Amount.Add(d.Amount)
		if err != nil {
			return total, overflowOf(d)
		}
		total.Amount = sum
	}
	if (d.Count > 0 && total.Count > math.MaxInt64-d.Count) || (d.Count < 0 && total.Count < math.MinInt64-d.Count) {
		return total, overflowOf(d)
	}
	total.Count += d.Count
	return total, nil
}

func overflowOf(d AggregateDelta) error {
	return &AggregateOverflowError{Affiliate: d.Affiliate, Period: d.Period, Metric: d.Metric, Currency: d.Amount.Currency()}
}
