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

// aggregateTables holds the running totals as dense arrays: a grid per
// currency ("" for count-only metrics) and month, in it a row per
// affiliate number (0 is the program-wide bucket) with a cell per
// metric. A payment's deltas for one affiliate and month (revenue,
// converted revenue and earnings in one currency; the customer counts)
// so fall in a row of each of two grids, a cache line each, where one
// array per metric cost a miss per metric. A delta is a short search
// among the few currencies, metrics and months, then an index: no
// hashing, and nothing for the collector to scan.
type aggregateTables struct {
	groups []aggGroup
	sums   aggSums // commit's scratch space, reused under the lock
}

// aggGroup is one currency's grids.
type aggGroup struct {
	currency affiliate.Currency
	metrics  []affiliate.Metric // the rows' columns, in the order first seen
	stride   int                // cells a row: len(metrics) up to a power of two
	months   []int32            // Year*12 + Month-1, in the order first seen
	// cells and set are by month slot; affiliate a's row is cells
	// [a*stride, (a+1)*stride). set has a bit per cell: the cells a delta
	// reached, even one that left them at zero. As a bool of aggCell it
	// made every cell 24 bytes, not 16.
	cells [][]aggCell
	set   [][]uint64
}

type aggCell struct{ minor, count int64 }

// cellKey names a cell: a group, a column and a month slot in it, an
// affiliate. It holds no index into the grid, which moves when a new
// metric widens the rows.
type cellKey struct{ group, col, slot, affiliate uint32 }

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

// groupOf returns the number of currency's group, adding it when add is
// set; -1 when it is missing.
func (t *aggregateTables) groupOf(currency affiliate.Currency, add bool) int {
	for i := range t.groups {
		if t.groups[i].currency == currency {
			return i
		}
	}
	if !add {
		return -1
	}
	t.groups = append(t.groups, aggGroup{currency: currency, stride: 1})
	return len(t.groups) - 1
}

// colOf returns metric's column, adding it when add is set (and widening
// the rows when they are full); -1 when it is missing.
func (g *aggGroup) colOf(metric affiliate.Metric, add bool) int {
	if i := slices.Index(g.metrics, metric); i >= 0 || !add {
		return i
	}
	g.metrics = append(g.metrics, metric)
	if len(g.metrics) > g.stride {
		g.widen(2 * g.stride)
	}
	return len(g.metrics) - 1
}

// widen lays every month's rows out again stride cells wide.
func (g *aggGroup) widen(stride int) {
	for slot, cells := range g.cells {
		rows := len(cells) / g.stride
		wide := make([]aggCell, rows*stride)
		set := make([]uint64, (len(wide)+63)/64)
		for a := range rows {
			for col := range g.stride {
				from := a*g.stride + col
				to := a*stride + col
				wide[to] = cells[from]
				if bitSet(g.set[slot], from) {
					set[to/64] |= 1 << (to % 64)
				}
			}
		}
		g.cells[slot], g.set[slot] = wide, set
	}
	g.stride = stride
}

// slotOf returns the slot of month in the group, adding it when add is
// set; -1 when it is missing. Recent months were added last.
func (g *aggGroup) slotOf(month int32, add bool) int {
	for i := len(g.months) - 1; i >= 0; i-- {
		if g.months[i] == month {
			return i
		}
	}
	if !add {
		return -1
	}
	g.months = append(g.months, month)
	g.cells = append(g.cells, nil)
	g.set = append(g.set, nil)
	return len(g.months) - 1
}

func bitSet(bits []uint64, i int) bool { return i/64 < len(bits) && bits[i/64]&(1<<(i%64)) != 0 }

// at returns the cell of affiliate number a in column col of month slot
// slot, and whether a delta reached it.
func (g *aggGroup) at(slot int, a uint32, col int) (aggCell, bool) {
	i := int(a)*g.stride + col
	if i >= len(g.cells[slot]) {
		return aggCell{}, false
	}
	return g.cells[slot][i], bitSet(g.set[slot], i)
}

func (t *aggregateTables) cell(k cellKey) aggCell {
	c, _ := t.groups[k.group].at(int(k.slot), k.affiliate, int(k.col))
	return c
}

// checkDeltas adds validated deltas to sums, or returns an
// *storage.AggregateOverflowError when one would take its total out of
// range: the bounds of storage.AddDelta. It writes no total; apply does.
// Callers hold the lock.
func (s *Store) checkDeltas(deltas []storage.AggregateDelta, sums *aggSums) error {
	t := &s.aggregates
	for _, d := range deltas {
		gi := t.groupOf(d.Amount.Currency(), true)
		g := &t.groups[gi]
		k := cellKey{
			group:     uint32(gi),
			col:       uint32(g.colOf(d.Metric, true)),
			slot:      uint32(g.slotOf(monthOf(d.Period), true)),
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
		g := &t.groups[x.key.group]
		cells, set := &g.cells[x.key.slot], &g.set[x.key.slot]
		i := int(x.key.affiliate)*g.stride + int(x.key.col)
		if n := int(x.key.affiliate+1) * g.stride; n > len(*cells) {
			*cells = append(*cells, make([]aggCell, n-len(*cells))...)
		}
		if n := i/64 + 1; n > len(*set) {
			*set = append(*set, make([]uint64, n-len(*set))...)
		}
		(*cells)[i] = x.cell
		(*set)[i/64] |= 1 << (i % 64)
	}
}

func (s *Store) aggregate(g *aggGroup, metric affiliate.Metric, month int32, a uint32, c aggCell, loc *time.Location) storage.Aggregate {
	out := storage.Aggregate{Affiliate: affiliate.AffiliateID(s.ids.affiliates.str(a)), Period: periodOf(month, loc), Metric: metric, Count: c.count}
	if g.currency != "" {
		out.Amount = affiliate.MustMoney(c.minor, g.currency)
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
	for i := range s.aggregates.groups {
		g := &s.aggregates.groups[i]
		col, slot := g.colOf(metric, false), g.slotOf(month, false)
		if col < 0 || slot < 0 {
			continue
		}
		for a := range len(g.cells[slot]) / g.stride {
			if c, set := g.at(slot, uint32(a), col); set {
				out = append(out, s.aggregate(g, metric, month, uint32(a), c, period.Location))
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
	for i := range s.aggregates.groups {
		g := &s.aggregates.groups[i]
		col := g.colOf(metric, false)
		if col < 0 {
			continue
		}
		for slot, month := range g.months {
			if month < lo || month > hi {
				continue
			}
			if c, set := g.at(slot, n, col); set {
				out = append(out, s.aggregate(g, metric, month, n, c, from.Location))
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
