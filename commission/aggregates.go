package commission

import (
	"sync"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// The aggregate deltas ride in the same commit as the entries (the tier
// close and the reports read them):
//
//   - MetricRevenue: a payment's revenue (Config.Revenue: by default
//     without tax and shipping), in its currency, in the period of
//     PaidAt, for the affiliate it was recorded for and program-wide
//     (""); a refund subtracts its share of the revenue (the revenue
//     times the share of the total it returned, see
//     affiliate.Revenue.Refunded) in the period of RefundedAt.
//   - MetricRevenueConverted: the same in Config.Currency, converted at
//     the rate the payment carries. Refunds convert the payment's
//     cumulative refunded amount and subtract the difference, so a
//     payment refunded in parts nets to exactly its converted total.
//   - MetricConversions: 1 in the period of the customer's first payment
//     recorded for an affiliate; MetricPayingCustomers: 1 per period in
//     which the customer has such a payment. Both per affiliate and "".
//     An out-of-order payment moves them with correcting deltas.
//   - MetricEarnings: every entry's amount, for its beneficiary, in the
//     period of its At. A 0.00 entry files a 0.00 delta, so its
//     beneficiary has a row for the month: the tier close reads these rows
//     to find whom a decision may re-price, and a payment whose commission
//     rounds to 0.00 at one tier may earn at another.

type deltaSet struct {
	loc  *time.Location
	list []storage.AggregateDelta
}

func (d *deltaSet) add(aff affiliate.AffiliateID, period string, m affiliate.Metric, amount affiliate.Money, count int64) {
	if amount.IsZero() && count == 0 {
		return
	}
	d.put(aff, period, m, amount, count)
}

// put is add without leaving out a zero delta.
func (d *deltaSet) put(aff affiliate.AffiliateID, period string, m affiliate.Metric, amount affiliate.Money, count int64) {
	per := periodOf(period, d.loc)
	for i := range d.list {
		x := &d.list[i]
		if x.Affiliate == aff && x.Period.Year == per.Year && x.Period.Month == per.Month && x.Metric == m && x.Amount.Currency() == amount.Currency() {
			if amount.Currency() == "" { // a count-only delta
				x.Count += count
				return
			}
			if sum, err := x.Amount.Add(amount); err == nil {
				x.Amount = sum
				x.Count += count
				return
			}
		}
	}
	if d.list == nil {
		d.list = make([]storage.AggregateDelta, 0, 12)
	}
	d.list = append(d.list, storage.AggregateDelta{Affiliate: aff, Period: per, Metric: m, Amount: amount, Count: count})
}

// periodOf reads a key periodKey wrote back as the month, in loc.
func periodOf(key string, loc *time.Location) affiliate.Period {
	if len(key) != len("2026-01") {
		p, _ := affiliate.ParsePeriod(key, loc)
		return p
	}
	y := int(key[0]-'0')*1000 + int(key[1]-'0')*100 + int(key[2]-'0')*10 + int(key[3]-'0')
	return affiliate.Period{Year: y, Month: time.Month(int(key[5]-'0')*10 + int(key[6]-'0')), Location: loc}
}

func (d *deltaSet) period(t time.Time) string { return periodKey(t, d.loc) }

// periodKey is affiliate.PeriodOf(t, loc).String() without fmt and, for
// the years of periodKeys, without an allocation: it runs for every
// aggregate delta.
func periodKey(t time.Time, loc *time.Location) string {
	y, m, _ := t.In(loc).Date()
	if y >= periodKeysFrom && y < periodKeysFrom+len(periodKeys())/12 {
		return periodKeys()[(y-periodKeysFrom)*12+int(m)-1]
	}
	if y < 1000 || y > 9999 {
		return affiliate.PeriodOf(t, loc).String()
	}
	b := [7]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-', byte('0' + int(m)/10), byte('0' + int(m)%10)}
	return string(b[:])
}

// periodKeys holds the keys of the months of 1970 to 2169, made once
// (about 40 KB) and never changed.
const periodKeysFrom = 1970

var periodKeys = sync.OnceValue(func() []string {
	keys := make([]string, 0, 200*12)
	for y := periodKeysFrom; y < periodKeysFrom+200; y++ {
		for m := 1; m <= 12; m++ {
			keys = append(keys, string([]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-', byte('0' + m/10), byte('0' + m%10)}))
		}
	}
	return keys
})

// both adds a delta for aff and to the program-wide ("") row. A customer
// nobody referred adds to neither: the aggregates describe referred
// customers, the program-wide row being the sum of the affiliates' rows.
func (d *deltaSet) both(aff affiliate.AffiliateID, period string, m affiliate.Metric, amount affiliate.Money, count int64) {
	if aff == "" {
		return
	}
	d.add(aff, period, m, amount, count)
	d.add("", period, m, amount, count)
}

// converted returns minor units of p's currency in the program currency,
// or false when there is no program currency or no conversion to it.
func (e *Engine) converted(p affiliate.Payment, minor int64) (affiliate.Money, bool) {
	if e.currency == "" {
		return affiliate.Money{}, false
	}
	m := mustMoney(minor, p.Currency)
	if p.Currency == e.currency {
		return m, true
	}
	if p.Conversion.To != e.currency || p.Conversion.Rate.IsZero() {
		return affiliate.Money{}, false
	}
	if p.Currency.Scale() == e.currency.Scale() {
		// Same scale: minor × rate rounded is what Convert computes, done
		// exactly in integers instead of through a decimal.
		c, err := m.MulRate(p.Conversion.Rate, affiliate.HalfEven)
		if err != nil {
			return affiliate.Money{}, false
		}
		return mustMoney(c.Minor(), e.currency), true
	}
	c, err := m.Convert(e.currency, p.Conversion.Rate, affiliate.HalfEven)
	if err != nil {
		return affiliate.Money{}, false
	}
	return c, true
}

// revenueOf is p's revenue under the program's definition (a validated
// payment always has one).
func (e *Engine) revenueOf(p affiliate.Payment) affiliate.Money {
	r, _ := e.revenue.Of(p)
	return r
}

func (e *Engine) paymentRevenue(d *deltaSet, p affiliate.Payment, recordedFor affiliate.AffiliateID) {
	total := e.revenueOf(p)
	period := d.period(p.PaidAt)
	d.both(recordedFor, period, affiliate.MetricRevenue, total, 0)
	if c, ok := e.converted(p, total.Minor()); ok {
		d.both(recordedFor, period, affiliate.MetricRevenueConverted, c, 0)
	}
}

// moveRevenue moves the revenue aggregates of payment p, with what its
// refunds took back, from one affiliate to another: a payment recorded
// before its customer was bound counts for the affiliate from then on.
func (e *Engine) moveRevenue(d *deltaSet, p affiliate.Payment, from, to affiliate.AffiliateID, refunds []refundFact) {
	total := e.revenueOf(p)
	period := d.period(p.PaidAt)
	d.both(from, period, affiliate.MetricRevenue, total.Neg(), 0)
	d.both(to, period, affiliate.MetricRevenue, total, 0)
	if c, ok := e.converted(p, total.Minor()); ok {
		d.both(from, period, affiliate.MetricRevenueConverted, c.Neg(), 0)
		d.both(to, period, affiliate.MetricRevenueConverted, c, 0)
	}
	e.refundDeltas(d, p, from, refunds, nil)
	e.refundDeltas(d, p, to, nil, refunds)
}

// refundDeltas moves the revenue aggregates of payment p from what its
// refunds old took back to what its refunds now take back. A set of
// refunds contributes, for each refund in (RefundedAt, ID) order, what it
// added to the payment's refunded revenue (the revenue's share of the
// cumulative refunded amount), in the period of its RefundedAt;
// converted amounts are differences of the converted cumulative refunded
// revenue. Both are functions of the set, so the
// aggregates do not depend on the order refunds arrive in, and a payment
// refunded in parts nets to exactly its converted total.
func (e *Engine) refundDeltas(d *deltaSet, p affiliate.Payment, recordedFor affiliate.AffiliateID, old, now []refundFact) {
	if len(old) == 0 && len(now) == 0 {
		return // most payments: no refund, nothing moves
	}
	total, _ := p.Total()
	revenue := e.revenueOf(p).Minor()
	type contrib struct {
		period        string
		revenue, conv int64
	}
	contribs := func(facts []refundFact, sign int64, into []contrib) []contrib {
		prevConv := int64(0)
		for i, f := range facts {
			before := e.revenue.Refunded(revenue, refunded(facts[:i], total.Minor()), total.Minor())
			after := e.revenue.Refunded(revenue, refunded(facts[:i+1], total.Minor()), total.Minor())
			c := contrib{period: d.period(f.At), revenue: sign * (before - after)}
			if conv, ok := e.converted(p, after); ok {
				c.conv = sign * (prevConv - conv.Minor())
				prevConv = conv.Minor()
			}
			into = append(into, c)
		}
		return into
	}
	all := contribs(now, 1, contribs(old, -1, nil))
	// Sum per period, in the order periods first appear.
	var periods []string
	sums := map[string]*contrib{}
	for _, c := range all {
		x := sums[c.period]
		if x == nil {
			x = &contrib{period: c.period}
			sums[c.period] = x
			periods = append(periods, c.period)
		}
		x.revenue += c.revenue
		x.conv += c.conv
	}
	for _, period := range periods {
		x := sums[period]
		d.both(recordedFor, period, affiliate.MetricRevenue, mustMoney(x.revenue, p.Currency), 0)
		if e.currency != "" && x.conv != 0 {
			d.both(recordedFor, period, affiliate.MetricRevenueConverted, mustMoney(x.conv, e.currency), 0)
		}
	}
}

func (d *deltaSet) earnings(entries []affiliate.Entry) {
	for _, e := range entries {
		d.put(e.Beneficiary, d.period(e.At), affiliate.MetricEarnings, e.Amount, 0)
	}
}

// countKey is one count aggregate a customer contributes to.
type countKey struct {
	affiliate affiliate.AffiliateID
	period    string
	metric    affiliate.Metric
}

// counts returns what a customer's recorded payments contribute to the
// count aggregates: payments are (time, affiliate recorded for) pairs in
// (PaidAt, ID) order.
func counts(payments []recordedPayment, loc *time.Location) map[countKey]int64 {
	out := make(map[countKey]int64)
	first := map[affiliate.AffiliateID]bool{}
	for _, p := range payments {
		if p.affiliate == "" {
			continue
		}
		period := affiliate.PeriodOf(p.at, loc).String()
		for _, a := range []affiliate.AffiliateID{p.affiliate, ""} {
			if !first[a] {
				first[a] = true
				out[countKey{a, period, affiliate.MetricConversions}] = 1
			}
			out[countKey{a, period, affiliate.MetricPayingCustomers}] = 1
		}
	}
	return out
}

type recordedPayment struct {
	at        time.Time
	affiliate affiliate.AffiliateID
}

// countDeltas adds the difference between two count contributions, in a
// deterministic order.
func (d *deltaSet) countDeltas(before, after map[countKey]int64) {
	keys := make([]countKey, 0, len(before)+len(after))
	for k := range before {
		keys = append(keys, k)
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			keys = append(keys, k)
		}
	}
	sortCountKeys(keys)
	for _, k := range keys {
		if n := after[k] - before[k]; n != 0 {
			d.add(k.affiliate, k.period, k.metric, affiliate.Money{}, n)
		}
	}
}

func sortCountKeys(ks []countKey) {
	less := func(a, b countKey) bool {
		if a.period != b.period {
			return a.period < b.period
		}
		if a.metric != b.metric {
			return a.metric < b.metric
		}
		return a.affiliate < b.affiliate
	}
	for i := 1; i < len(ks); i++ {
		for j := i; j > 0 && less(ks[j], ks[j-1]); j-- {
			ks[j], ks[j-1] = ks[j-1], ks[j]
		}
	}
}
