package memstore

import (
	"context"
	"slices"
	"strings"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.Aggregates = (*Store)(nil)

type aggKey struct {
	affiliate affiliate.AffiliateID
	period    string
	metric    storage.Metric
	currency  affiliate.Currency
}

type periodMetric struct {
	period string
	metric storage.Metric
}

type affiliateMetric struct {
	affiliate affiliate.AffiliateID
	metric    storage.Metric
}

type aggregateTables struct {
	values      map[aggKey]storage.Aggregate
	byPeriod    map[periodMetric][]aggKey
	byAffiliate map[affiliateMetric][]aggKey
}

func (t *aggregateTables) init() {
	t.values = make(map[aggKey]storage.Aggregate)
	t.byPeriod = make(map[periodMetric][]aggKey)
	t.byAffiliate = make(map[affiliateMetric][]aggKey)
}

// add applies validated deltas. Callers hold the lock.
func (t *aggregateTables) add(deltas []storage.AggregateDelta) {
	for _, d := range deltas {
		k := aggKey{d.Affiliate, d.Period, d.Metric, d.Amount.Currency()}
		cur, ok := t.values[k]
		if !ok {
			cur = storage.Aggregate{Affiliate: d.Affiliate, Period: d.Period, Metric: d.Metric, Amount: d.Amount}
			cur.Amount = zeroLike(d.Amount)
			t.byPeriod[periodMetric{d.Period, d.Metric}] = append(t.byPeriod[periodMetric{d.Period, d.Metric}], k)
			t.byAffiliate[affiliateMetric{d.Affiliate, d.Metric}] = append(t.byAffiliate[affiliateMetric{d.Affiliate, d.Metric}], k)
		}
		if d.Amount.Currency() != "" {
			// Validated deltas are in range of any realistic total; an
			// overflow here would be a host bug, so saturate rather than
			// fail a write that already passed validation.
			if sum, err := cur.Amount.Add(d.Amount); err == nil {
				cur.Amount = sum
			}
		}
		cur.Count += d.Count
		t.values[k] = cur
	}
}

func zeroLike(m affiliate.Money) affiliate.Money {
	if m.Currency() == "" {
		return affiliate.Money{}
	}
	return affiliate.Zero(m.Currency())
}

func (t *aggregateTables) collect(keys []aggKey, keep func(aggKey) bool) []storage.Aggregate {
	out := make([]storage.Aggregate, 0, len(keys))
	for _, k := range keys {
		if keep(k) {
			out = append(out, t.values[k])
		}
	}
	return out
}

// PeriodAggregates implements storage.Aggregates.
func (s *Store) PeriodAggregates(ctx context.Context, period string, metric storage.Metric) ([]storage.Aggregate, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if period == "" || metric == "" {
		return nil, invalid("PeriodAggregates", "period and metric are required")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := s.aggregates.collect(s.aggregates.byPeriod[periodMetric{period, metric}], func(aggKey) bool { return true })
	slices.SortFunc(out, func(a, b storage.Aggregate) int {
		if c := strings.Compare(string(a.Affiliate), string(b.Affiliate)); c != 0 {
			return c
		}
		return strings.Compare(string(a.Amount.Currency()), string(b.Amount.Currency()))
	})
	return out, nil
}

// AffiliateAggregates implements storage.Aggregates.
func (s *Store) AffiliateAggregates(ctx context.Context, a affiliate.AffiliateID, metric storage.Metric, from, to string) ([]storage.Aggregate, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if to < from {
		return nil, invalid("AffiliateAggregates", "to is before from")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := s.aggregates.collect(s.aggregates.byAffiliate[affiliateMetric{a, metric}], func(k aggKey) bool {
		return k.period >= from && k.period <= to
	})
	slices.SortFunc(out, func(a, b storage.Aggregate) int {
		if c := strings.Compare(a.Period, b.Period); c != 0 {
			return c
		}
		return strings.Compare(string(a.Amount.Currency()), string(b.Amount.Currency()))
	})
	return out, nil
}
