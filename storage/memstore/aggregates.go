package memstore

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.Aggregates = (*Store)(nil)

type aggKey struct {
	affiliate affiliate.AffiliateID
	period    string
	metric    affiliate.Metric
	currency  affiliate.Currency
}

type periodMetric struct {
	period string
	metric affiliate.Metric
}

type affiliateMetric struct {
	affiliate affiliate.AffiliateID
	metric    affiliate.Metric
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
		k := aggKey{d.Affiliate, d.Period.String(), d.Metric, d.Amount.Currency()}
		cur, ok := t.values[k]
		if !ok {
			cur = storage.Aggregate{Affiliate: d.Affiliate, Period: d.Period, Metric: d.Metric, Amount: d.Amount}
			cur.Amount = zeroLike(d.Amount)
			pm := periodMetric{k.period, d.Metric}
			t.byPeriod[pm] = append(t.byPeriod[pm], k)
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

// collect returns the aggregates of keys that keep selects, their periods
// in loc.
func (t *aggregateTables) collect(keys []aggKey, loc *time.Location, keep func(aggKey) bool) []storage.Aggregate {
	out := make([]storage.Aggregate, 0, len(keys))
	for _, k := range keys {
		if keep(k) {
			v := t.values[k]
			v.Period.Location = loc
			out = append(out, v)
		}
	}
	return out
}

// PeriodAggregates implements storage.Aggregates.
func (s *Store) PeriodAggregates(ctx context.Context, period affiliate.Period, metric affiliate.Metric) ([]storage.Aggregate, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if period.Validate() != nil || metric == "" {
		return nil, invalid("PeriodAggregates", "a valid period and a metric are required")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := s.aggregates.collect(s.aggregates.byPeriod[periodMetric{period.String(), metric}], period.Location, func(aggKey) bool { return true })
	slices.SortFunc(out, func(a, b storage.Aggregate) int {
		if c := strings.Compare(string(a.Affiliate), string(b.Affiliate)); c != 0 {
			return c
		}
		return strings.Compare(string(a.Amount.Currency()), string(b.Amount.Currency()))
	})
	return out, nil
}

// AffiliateAggregates implements storage.Aggregates.
func (s *Store) AffiliateAggregates(ctx context.Context, a affiliate.AffiliateID, metric affiliate.Metric, from, to affiliate.Period) ([]storage.Aggregate, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := storage.ValidateRange(from, to); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	lo, hi := from.String(), to.String()
	out := s.aggregates.collect(s.aggregates.byAffiliate[affiliateMetric{a, metric}], from.Location, func(k aggKey) bool {
		return k.period >= lo && k.period <= hi
	})
	slices.SortFunc(out, func(a, b storage.Aggregate) int {
		if c := strings.Compare(a.Period.String(), b.Period.String()); c != 0 {
			return c
		}
		return strings.Compare(string(a.Amount.Currency()), string(b.Amount.Currency()))
	})
	return out, nil
}
