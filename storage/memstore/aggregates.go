package memstore

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.Aggregates = (*Store)(nil)

// aggKey names an aggregate by numbers: the affiliate (0 for the
// program-wide bucket), the metric and currency (word numbers, 0 for a
// count-only aggregate) and the month (Year*12 + Month-1). Neither keys
// nor values hold pointers, so the maps cost the collector nothing.
type aggKey struct {
	affiliate, metric, currency uint32
	month                       int32
}

type aggValue struct{ minor, count int64 }

type periodMetric struct {
	month  int32
	metric uint32
}

type affiliateMetric struct{ affiliate, metric uint32 }

type aggregateTables struct {
	values      map[aggKey]aggValue
	byPeriod    map[periodMetric][]aggKey
	byAffiliate map[affiliateMetric][]aggKey
}

// aggSums are new totals while a commit, or a batch, is checked: a
// slice searched in order for one commit's handful of deltas, indexed by
// a map once a batch makes it long.
type aggSums struct {
	list  []keyedSum
	index map[aggKey]int
}

type keyedSum struct {
	key aggKey
	sum storage.AggregateDelta
}

func (t *aggregateTables) init() {
	t.values = make(map[aggKey]aggValue)
	t.byPeriod = make(map[periodMetric][]aggKey)
	t.byAffiliate = make(map[affiliateMetric][]aggKey)
}

func monthOf(p affiliate.Period) int32 { return int32(p.Year*12 + int(p.Month) - 1) }

func periodOf(month int32, loc *time.Location) affiliate.Period {
	return affiliate.Period{Year: int(month / 12), Month: time.Month(month%12 + 1), Location: loc}
}

// checkDeltas adds validated deltas to sums, or returns an
// *storage.AggregateOverflowError when one would take its total out of
// range. It writes nothing; apply does. Callers hold the lock.
func (s *Store) checkDeltas(deltas []storage.AggregateDelta, sums *aggSums) error {
	for _, d := range deltas {
		k := aggKey{
			affiliate: s.ids.affiliates.intern(string(d.Affiliate)),
			metric:    s.ids.words.intern(string(d.Metric)),
			currency:  s.ids.words.intern(string(d.Amount.Currency())),
			month:     monthOf(d.Period),
		}
		i := sums.find(k)
		if i < 0 {
			cur := storage.AggregateDelta{Affiliate: d.Affiliate, Period: d.Period, Metric: d.Metric}
			if v, ok := s.aggregates.values[k]; ok {
				cur.Count = v.count
				if k.currency != 0 {
					cur.Amount = s.ids.money(v.minor, k.currency)
				}
			}
			i = sums.add(k, cur)
		}
		sum, err := storage.AddDelta(sums.list[i].sum, d)
		if err != nil {
			return err
		}
		sums.list[i].sum = sum
	}
	return nil
}

func (a *aggSums) find(k aggKey) int {
	if a.index != nil {
		if i, ok := a.index[k]; ok {
			return i
		}
		return -1
	}
	return slices.IndexFunc(a.list, func(x keyedSum) bool { return x.key == k })
}

func (a *aggSums) add(k aggKey, sum storage.AggregateDelta) int {
	if a.index == nil && len(a.list) >= 16 {
		a.index = make(map[aggKey]int, 2*len(a.list))
		for i, x := range a.list {
			a.index[x.key] = i
		}
	}
	if a.index != nil {
		a.index[k] = len(a.list)
	}
	a.list = append(a.list, keyedSum{k, sum})
	return len(a.list) - 1
}

// apply writes checked sums. Callers hold the lock.
func (t *aggregateTables) apply(sums *aggSums) {
	for _, x := range sums.list {
		k := x.key
		if _, ok := t.values[k]; !ok {
			pm := periodMetric{k.month, k.metric}
			t.byPeriod[pm] = append(t.byPeriod[pm], k)
			am := affiliateMetric{k.affiliate, k.metric}
			t.byAffiliate[am] = append(t.byAffiliate[am], k)
		}
		t.values[k] = aggValue{minor: x.sum.Amount.Minor(), count: x.sum.Count}
	}
}

// collect returns the aggregates of keys that keep selects, their periods
// in loc.
func (s *Store) collect(keys []aggKey, metric affiliate.Metric, loc *time.Location, keep func(aggKey) bool) []storage.Aggregate {
	out := make([]storage.Aggregate, 0, len(keys))
	for _, k := range keys {
		if !keep(k) {
			continue
		}
		v := s.aggregates.values[k]
		a := storage.Aggregate{Affiliate: affiliate.AffiliateID(s.ids.affiliates.str(k.affiliate)), Period: periodOf(k.month, loc), Metric: metric, Count: v.count}
		if k.currency != 0 {
			a.Amount = s.ids.money(v.minor, k.currency)
		}
		out = append(out, a)
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
	m, ok := s.ids.words.lookup(string(metric))
	if !ok {
		return []storage.Aggregate{}, nil
	}
	out := s.collect(s.aggregates.byPeriod[periodMetric{monthOf(period), m}], metric, period.Location, func(aggKey) bool { return true })
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
	an, ok1 := s.ids.affiliates.lookup(string(a))
	m, ok2 := s.ids.words.lookup(string(metric))
	if !ok1 || !ok2 {
		return []storage.Aggregate{}, nil
	}
	lo, hi := monthOf(from), monthOf(to)
	out := s.collect(s.aggregates.byAffiliate[affiliateMetric{an, m}], metric, from.Location, func(k aggKey) bool {
		return k.month >= lo && k.month <= hi
	})
	slices.SortFunc(out, func(a, b storage.Aggregate) int {
		if c := cmp.Compare(monthOf(a.Period), monthOf(b.Period)); c != 0 {
			return c
		}
		return strings.Compare(string(a.Amount.Currency()), string(b.Amount.Currency()))
	})
	return out, nil
}
