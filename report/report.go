package report

import (
	"context"
	"slices"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// DefaultProgram is the payout program read when Config.Program is empty;
// it is payout.DefaultProgram.
const DefaultProgram = "default"

// MaxMonths is the longest range a dashboard covers: ten years.
const MaxMonths = 120

// Store is what a Reporter reads: the counts and balances no aggregate
// holds, an affiliate's monthly aggregates, and the payout history.
// memstore.Store and sqlstore.Store implement it.
type Store interface {
	storage.Reports
	storage.PayoutHistory
	AffiliateAggregates(ctx context.Context, a affiliate.AffiliateID, metric affiliate.Metric, from, to affiliate.Period) ([]storage.Aggregate, error)
}

// Config configures a Reporter. Store is required.
type Config struct {
	// Program is the payout program whose runs make the payout history;
	// "" means DefaultProgram.
	Program string
	Store   Store
	// Now is the as-of time of balances; nil means time.Now.
	Now func() time.Time
}

// Reporter computes dashboards. It is safe for concurrent use.
type Reporter struct {
	cfg Config
}

// New validates cfg and returns a Reporter. It returns a
// *affiliate.FieldError (ErrInvalid) for a missing store or a bad
// program.
func New(cfg Config) (*Reporter, error) {
	if cfg.Program == "" {
		cfg.Program = DefaultProgram
	}
	if err := affiliate.ValidateID("Config.Program", cfg.Program); err != nil {
		return nil, err
	}
	if cfg.Store == nil {
		return nil, &affiliate.FieldError{Field: "Config.Store", Reason: "missing"}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Reporter{cfg: cfg}, nil
}

// Range is the months a dashboard covers, From through To inclusive, in
// From's location (the program's, so months match the aggregates).
type Range struct {
	From, To affiliate.Period
}

// Month is a range of one month.
func Month(p affiliate.Period) Range { return Range{From: p, To: p} }

// months validates r and lists its months.
func (r Range) months() ([]affiliate.Period, error) {
	if err := r.From.Validate(); err != nil {
		return nil, err
	}
	if err := r.To.Validate(); err != nil {
		return nil, err
	}
	if r.To.Before(r.From) {
		return nil, &affiliate.FieldError{Field: "Range.To", Reason: r.To.String() + " is before " + r.From.String()}
	}
	if r.From.Start().Location().String() != r.To.Start().Location().String() {
		return nil, &affiliate.FieldError{Field: "Range.To", Reason: "in another location than From"}
	}
	var out []affiliate.Period
	for p := r.From; !r.To.Before(p); p = p.Next() {
		if len(out) == MaxMonths {
			return nil, &affiliate.FieldError{Field: "Range", Reason: "longer than 120 months"}
		}
		p.Location = r.From.Location
		out = append(out, p)
	}
	return out, nil
}

// Affiliate returns affiliate a's dashboard over r. Its reads are
// bounded by the range's months and the affiliate's own open entries
// and runs, never by the size of the ledger.
//
// Returns a *affiliate.FieldError (ErrInvalid) for a bad ID or range,
// affiliate.ErrOverflow when a sum leaves the Money range (corrupt
// aggregates), and the stores' errors.
func (r *Reporter) Affiliate(ctx context.Context, a affiliate.AffiliateID, rng Range) (Dashboard, error) {
	if err := affiliate.ValidateID("affiliate", a); err != nil {
		return Dashboard{}, err
	}
	return r.dashboard(ctx, a, rng)
}

// Program returns the program-wide dashboard over r: every affiliate
// together. Its cost grows with the months of the range and, for money
// spent by referred customers, with the affiliates that have revenue in
// each month (one aggregate row each); never with the ledger or the
// touches.
//
// Returns a *affiliate.FieldError (ErrInvalid) for a bad range,
// affiliate.ErrOverflow when a sum leaves the Money range (corrupt
// aggregates), and the stores' errors.
func (r *Reporter) Program(ctx context.Context, rng Range) (Dashboard, error) {
	return r.dashboard(ctx, "", rng)
}

func (r *Reporter) dashboard(ctx context.Context, a affiliate.AffiliateID, rng Range) (Dashboard, error) {
	months, err := rng.months()
	if err != nil {
		return Dashboard{}, err
	}
	d := Dashboard{Affiliate: a, From: months[0], To: months[len(months)-1], AsOf: r.cfg.Now()}
	from, to := d.From, d.To
	byPeriod := make(map[string]*MonthFigures, len(months))
	for _, m := range months {
		act, err := r.cfg.Store.Activity(ctx, a, m.Start(), m.End())
		if err != nil {
			return Dashboard{}, err
		}
		d.Months = append(d.Months, MonthFigures{Period: m, Touches: act.Clicks, Signups: act.Signups})
	}
	for i := range d.Months {
		byPeriod[d.Months[i].Period.String()] = &d.Months[i]
	}

	conversions, err := r.cfg.Store.AffiliateAggregates(ctx, a, affiliate.MetricConversions, from, to)
	if err != nil {
		return Dashboard{}, err
	}
	for _, g := range conversions {
		if m := byPeriod[g.Period.String()]; m != nil {
			m.Conversions += g.Count
		}
	}
	if err := r.spent(ctx, a, months, byPeriod); err != nil {
		return Dashboard{}, err
	}
	if err := r.earnings(ctx, a, months, byPeriod); err != nil {
		return Dashboard{}, err
	}

	currencies := make(map[affiliate.Currency]*CurrencyFigures)
	figures := func(c affiliate.Currency) *CurrencyFigures {
		f := currencies[c]
		if f == nil {
			z := affiliate.Zero(c)
			f = &CurrencyFigures{Currency: c, Spent: z, Earned: z, Pending: z, Available: z, InPayout: z, Paid: z}
			currencies[c] = f
		}
		return f
	}
	for _, m := range d.Months {
		d.Touches += m.Touches
		d.Signups += m.Signups
		d.Conversions += m.Conversions
		for _, s := range m.Spent {
			f := figures(s.Currency())
			if f.Spent, err = f.Spent.Add(s); err != nil {
				return Dashboard{}, err
			}
		}
		for _, e := range m.Earned {
			f := figures(e.Currency())
			if f.Earned, err = f.Earned.Add(e); err != nil {
				return Dashboard{}, err
			}
		}
	}
	balances, err := r.cfg.Store.EarningsBalances(ctx, a, d.AsOf)
	if err != nil {
		return Dashboard{}, err
	}
	for _, b := range balances {
		f := figures(b.Currency)
		f.Pending, f.Available, f.InPayout, f.Paid = b.Pending, b.Available, b.InPayout, b.Paid
	}
	for _, f := range currencies {
		f.EarningsPerTouch = Average{Total: f.Earned, Count: d.Touches}
		d.Currencies = append(d.Currencies, *f)
	}
	slices.SortFunc(d.Currencies, func(x, y CurrencyFigures) int { return compareCurrency(x.Currency, y.Currency) })
	d.funnel()

	if a == "" {
		d.PayoutTotals, err = r.cfg.Store.PayoutTotals(ctx, r.cfg.Program, from, to)
		if err != nil {
			return Dashboard{}, err
		}
	} else {
		runs, err := r.cfg.Store.AffiliateRuns(ctx, r.cfg.Program, a, from, to)
		if err != nil {
			return Dashboard{}, err
		}
		for _, run := range runs {
			d.Payouts = append(d.Payouts, run.Payouts...)
		}
	}
	if d.Payouts == nil {
		d.Payouts = []affiliate.Payout{}
	}
	if d.PayoutTotals == nil {
		d.PayoutTotals = []affiliate.PayoutTotal{}
	}
	return d, nil
}

// spent fills each month's Spent: what referred customers paid, net of
// refunds, from the revenue aggregate of the affiliate, or of the
// program-wide ("") row, which the commission engine keeps for referred
// customers only (payments of customers nobody referred are not money
// spent by referrals).
func (r *Reporter) spent(ctx context.Context, a affiliate.AffiliateID, months []affiliate.Period, byPeriod map[string]*MonthFigures) error {
	rows, err := r.cfg.Store.AffiliateAggregates(ctx, a, affiliate.MetricRevenue, months[0], months[len(months)-1])
	if err != nil {
		return err
	}
	return addRows(byPeriod, rows, func(m *MonthFigures) *[]affiliate.Money { return &m.Spent })
}

// earnings fills each month's Earned: an affiliate's from its earnings
// aggregate, the program's from storage.Reports.ProgramEarnings (the
// commission engine keeps no program-wide earnings aggregate, and summing
// every affiliate's row would grow with the affiliates).
func (r *Reporter) earnings(ctx context.Context, a affiliate.AffiliateID, months []affiliate.Period, byPeriod map[string]*MonthFigures) error {
	if a != "" {
		rows, err := r.cfg.Store.AffiliateAggregates(ctx, a, affiliate.MetricEarnings, months[0], months[len(months)-1])
		if err != nil {
			return err
		}
		return addRows(byPeriod, rows, func(m *MonthFigures) *[]affiliate.Money { return &m.Earned })
	}
	for _, p := range months {
		sums, err := r.cfg.Store.ProgramEarnings(ctx, p.Start(), p.End())
		if err != nil {
			return err
		}
		m := byPeriod[p.String()]
		for _, e := range sums {
			if m.Earned, err = addMoney(m.Earned, e); err != nil {
				return err
			}
		}
	}
	return nil
}

// addRows adds each aggregate row with an amount to the list field picks
// in the row's month.
func addRows(byPeriod map[string]*MonthFigures, rows []storage.Aggregate, field func(*MonthFigures) *[]affiliate.Money) error {
	for _, g := range rows {
		m := byPeriod[g.Period.String()]
		if m == nil || g.Amount.Currency() == "" {
			continue
		}
		list := field(m)
		var err error
		if *list, err = addMoney(*list, g.Amount); err != nil {
			return err
		}
	}
	return nil
}

// addMoney adds m to the total in its currency, keeping the list sorted
// by currency. The aggregates it adds are each in range, so an overflow
// (affiliate.ErrOverflow) means corrupt storage; the dashboard fails
// rather than showing a wrong figure.
func addMoney(list []affiliate.Money, m affiliate.Money) ([]affiliate.Money, error) {
	for i, x := range list {
		if x.Currency() == m.Currency() {
			sum, err := x.Add(m)
			if err != nil {
				return nil, err
			}
			list[i] = sum
			return list, nil
		}
	}
	list = append(list, m)
	slices.SortFunc(list, func(x, y affiliate.Money) int { return compareCurrency(x.Currency(), y.Currency()) })
	return list, nil
}

func compareCurrency(x, y affiliate.Currency) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}
