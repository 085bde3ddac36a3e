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
	sums        []keyedSum // add's scratch space, reused under the lock
}

// keyedSum is an aggregate's new total while a commit is checked.
type keyedSum struct {
	key aggKey
	sum storage.Aggregate
}

func (t *aggregateTables) init() {
	t.values = make(map[aggKey]storage.Aggregate)
	t.byPeriod = make(map[periodMetric][]aggKey)
	t.byAffiliate = make(map[affiliateMetric][]aggKey)
}

// add applies validated deltas, all or none: it returns an
// *storage.AggregateOverflowError, and changes nothing, when one would
// take its total out of range. Callers hold the lock.
func (t *aggregateTables) add(deltas []storage.AggregateDelta) error {
	// A commit has a handful of deltas: a slice searched in order costs
	// less than a map, and keeps the new keys in the deltas' order.
	sums := t.sums[:0]
	defer func() { t.sums = sums[:0] }()
	for _, d := range deltas {
		k := aggKey{d.Affiliate, d.Period.String(), d.Metric, d.Amount.Currency()}
		i := slices.IndexFunc(sums, func(x keyedSum) bool { return x.key == k })
		if i < 0 {
			cur, ok := t.values[k]
			if !ok {
				cur = storage.Aggregate{Affiliate: d.Affiliate, Period: d.Period, Metric: d.Metric, Amount: zeroLike(d.Amount)}
			}
			i = len(sums)
			sums = append(sums, keyedSum{k, cur})
		}
		sum, err := storage.AddDelta(sums[i].sum, d)
		if err != nil {
			return err
		}
		sums[i].sum = sum
	}
	for _, x := range sums {
		if _, ok := t.values[x.key]; !ok {
			pm := periodMetric{x.key.period, x.key.metric}
			t.byPeriod[pm] = append(t.byPeriod[pm], x.key)
			am := affiliateMetric{x.key.affiliate, x.key.metric}
			t.byAffiliate[am] = append(t.byAffiliate[am], x.key)
		}
		t.values[x.key] = x.sum
	}
	return nil
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
