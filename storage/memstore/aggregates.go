package memstore

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.Aggregates = (*Store)(nil)

// aggregateTables holds the running totals as dense arrays: one series
// per metric and currency, in it one array per month, indexed by
// affiliate number (0 is the program-wide bucket). A delta is a short
// search among the few series and months, then an index: no hashing,
// and nothing for the collector to scan.
type aggregateTables struct {
	series []aggSeries
	sums   aggSums // commit's scratch space, reused under the lock
}

type aggSeries struct {
	metric   affiliate.Metric
	currency affiliate.Currency // "" for a count-only aggregate
	months   []int32            // Year*12 + Month-1, in the order first seen
	cells    [][]aggCell        // by month slot, then affiliate number
	// set has a bit per cell, by month slot and affiliate number: the
	// cells a delta reached, even one that left them at zero. As a bool
	// of aggCell it made every cell 24 bytes, not 16.
	set [][]uint64
}

type aggCell struct{ minor, count int64 }

// isSet reports whether the cell of affiliate number a in month slot
// slot was written.
func (s *aggSeries) isSet(slot int, a uint32) bool {
	bits := s.set[slot]
	return int(a/64) < len(bits) && bits[a/64]&(1<<(a%64)) != 0
}

// cellKey names a cell: a series, a month slot in it, an affiliate.
type cellKey struct{ series, slot, affiliate uint32 }

// aggSums are new totals while a commit, or a batch, is checked: a
// slice searched in order for one commit's handful of deltas, indexed by
// a map once a batch makes it long.
type aggSums struct {
	list  []keyedSum
	index map[cellKey]int
}

type keyedSum struct {
	key  cellKey
	cell aggCell
}

func monthOf(p affiliate.Period) int32 { return int32(p.Year*12 + int(p.Month) - 1) }

func periodOf(month int32, loc *time.Location) affiliate.Period {
	return affiliate.Period{Year: int(month / 12), Month: time.Month(month%12 + 1), Location: loc}
}

// seriesOf returns the number of the series of metric and currency,
// adding it when add is set; -1 when it is missing.
func (t *aggregateTables) seriesOf(metric affiliate.Metric, currency affiliate.Currency, add bool) int {
	for i := range t.series {
		if t.series[i].metric == metric && t.series[i].currency == currency {
			return i
		}
	}
	if !add {
		return -1
	}
	t.series = append(t.series, aggSeries{metric: metric, currency: currency})
	return len(t.series) - 1
}

// slotOf returns the slot of month in the series, adding it when add is
// set; -1 when it is missing. Recent months were added last.
func (s *aggSeries) slotOf(month int32, add bool) int {
	for i := len(s.months) - 1; i >= 0; i-- {
		if s.months[i] == month {
			return i
		}
	}
	if !add {
		return -1
	}
	s.months = append(s.months, month)
	s.cells = append(s.cells, nil)
	s.set = append(s.set, nil)
	return len(s.months) - 1
}

func (t *aggregateTables) cell(k cellKey) aggCell {
	cells := t.series[k.series].cells[k.slot]
	if int(k.affiliate) >= len(cells) {
		return aggCell{}
	}
	return cells[k.affiliate]
}

// checkDeltas adds validated deltas to sums, or returns an
// *storage.AggregateOverflowError when one would take its total out of
// range: the bounds of storage.AddDelta. It writes no total; apply does.
// Callers hold the lock.
func (s *Store) checkDeltas(deltas []storage.AggregateDelta, sums *aggSums) error {
	t := &s.aggregates
	for _, d := range deltas {
		series := t.seriesOf(d.Metric, d.Amount.Currency(), true)
		k := cellKey{
			series:    uint32(series),
			slot:      uint32(t.series[series].slotOf(monthOf(d.Period), true)),
			affiliate: s.ids.affiliates.intern(string(d.Affiliate)),
		}
		i := sums.find(k)
		if i < 0 {
			i = sums.add(k, t.cell(k))
		}
		c := &sums.list[i].cell
		minor := c.minor + d.Amount.Minor()
		if (minor > c.minor) != (d.Amount.Minor() > 0) || minor == math.MinInt64 ||
			(d.Count > 0 && c.count > math.MaxInt64-d.Count) || (d.Count < 0 && c.count < math.MinInt64-d.Count) {
			return &storage.AggregateOverflowError{Affiliate: d.Affiliate, Period: d.Period, Metric: d.Metric, Currency: d.Amount.Currency()}
		}
		c.minor, c.count = minor, c.count+d.Count
	}
	return nil
}

func (a *aggSums) find(k cellKey) int {
	if a.index != nil {
		if i, ok := a.index[k]; ok {
			return i
		}
		return -1
	}
	return slices.IndexFunc(a.list, func(x keyedSum) bool { return x.key == k })
}

func (a *aggSums) add(k cellKey, c aggCell) int {
	if a.index == nil && len(a.list) >= 32 {
		a.index = make(map[cellKey]int, 2*len(a.list))
		for i, x := range a.list {
			a.index[x.key] = i
		}
	}
	if a.index != nil {
		a.index[k] = len(a.list)
	}
	a.list = append(a.list, keyedSum{k, c})
	return len(a.list) - 1
}

// reset empties sums for the next commit, keeping its room.
func (a *aggSums) reset() {
	a.list = a.list[:0]
	a.index = nil
}

// apply writes checked sums, and marks their cells set. Callers hold
// the lock.
func (t *aggregateTables) apply(sums *aggSums) {
	for _, x := range sums.list {
		series, a := &t.series[x.key.series], x.key.affiliate
		cells, set := &series.cells[x.key.slot], &series.set[x.key.slot]
		if n := int(a) + 1; n > len(*cells) {
			*cells = append(*cells, make([]aggCell, n-len(*cells))...)
		}
		if n := int(a/64) + 1; n > len(*set) {
			*set = append(*set, make([]uint64, n-len(*set))...)
		}
		(*cells)[a] = x.cell
		(*set)[a/64] |= 1 << (a % 64)
	}
}

func (s *Store) aggregate(series *aggSeries, month int32, a uint32, c aggCell, loc *time.Location) storage.Aggregate {
	out := storage.Aggregate{Affiliate: affiliate.AffiliateID(s.ids.affiliates.str(a)), Period: periodOf(month, loc), Metric: series.metric, Count: c.count}
	if series.currency != "" {
		out.Amount = affiliate.MustMoney(c.minor, series.currency)
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
	out := []storage.Aggregate{}
	month := monthOf(period)
	for i := range s.aggregates.series {
		series := &s.aggregates.series[i]
		slot := series.slotOf(month, false)
		if series.metric != metric || slot < 0 {
			continue
		}
		for a, c := range series.cells[slot] {
			if series.isSet(slot, uint32(a)) {
				out = append(out, s.aggregate(series, month, uint32(a), c, period.Location))
			}
		}
	}
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
	out := []storage.Aggregate{}
	n, ok := s.ids.affiliates.lookup(string(a))
	if !ok {
		return out, nil
	}
	lo, hi := monthOf(from), monthOf(to)
	for i := range s.aggregates.series {
		series := &s.aggregates.series[i]
		if series.metric != metric {
			continue
		}
		for slot, month := range series.months {
			if month < lo || month > hi || int(n) >= len(series.cells[slot]) {
				continue
			}
			if c := series.cells[slot][n]; series.isSet(slot, n) {
				out = append(out, s.aggregate(series, month, n, c, from.Location))
			}
		}
	}
	slices.SortFunc(out, func(a, b storage.Aggregate) int {
		if c := cmp.Compare(monthOf(a.Period), monthOf(b.Period)); c != 0 {
			return c
		}
		return strings.Compare(string(a.Amount.Currency()), string(b.Amount.Currency()))
	})
	return out, nil
}
