package tiers

import (
	"fmt"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// Metric says what decides an affiliate's tier for a month. Each metric is
// read from a running aggregate the commission engine keeps per affiliate
// and month, so evaluating it never rescans events.
type Metric uint8

const (
	// Revenue, the zero value and seed 000's rule: the affiliate's own
	// referred customers' payments in the month, net of the refunds made
	// in the month, in the program's currency. Payments in another
	// currency count at the conversion rate stored with each event
	// (affiliate.MetricRevenueConverted); amounts are never added
	// unconverted.
	Revenue Metric = iota
	// NewCustomers counts the affiliate's referred customers whose first
	// payment ever falls in the month: its new paying customers
	// (affiliate.MetricConversions).
	NewCustomers
	// ActiveCustomers counts the affiliate's referred customers with at
	// least one payment in the month (affiliate.MetricPayingCustomers).
	ActiveCustomers
)

func (m Metric) String() string {
	switch m {
	case Revenue:
		return "revenue"
	case NewCustomers:
		return "new customers"
	case ActiveCustomers:
		return "active customers"
	}
	return fmt.Sprintf("Metric(%d)", uint8(m))
}

// aggregate names the storage aggregate the metric reads.
func (m Metric) aggregate() affiliate.Metric {
	switch m {
	case NewCustomers:
		return affiliate.MetricConversions
	case ActiveCustomers:
		return affiliate.MetricPayingCustomers
	}
	return affiliate.MetricRevenueConverted
}

func (m Metric) valid() bool { return m <= ActiveCustomers }

// values folds the metric's aggregates into one Value per affiliate,
// skipping the program-wide bucket (Affiliate ""). An amount aggregate in
// another currency than the program's means the writer converted to
// something else: it is refused with a *affiliate.CurrencyMismatchError
// rather than added.
func (m Metric) values(aggs []storage.Aggregate, cur affiliate.Currency) (map[affiliate.AffiliateID]Value, error) {
	out := make(map[affiliate.AffiliateID]Value, len(aggs))
	for _, a := range aggs {
		if a.Affiliate == "" {
			continue
		}
		v, err := m.value(a, cur)
		if err != nil {
			return nil, err
		}
		if prev, ok := out[a.Affiliate]; ok {
			if v, err = add(prev, v); err != nil {
				return nil, err
			}
		}
		out[a.Affiliate] = v
	}
	return out, nil
}

// value reads one aggregate as a Value of the metric's kind.
func (m Metric) value(a storage.Aggregate, cur affiliate.Currency) (Value, error) {
	if m != Revenue {
		return Count(a.Count), nil
	}
	if a.Amount.Currency() != cur {
		return Value{}, fmt.Errorf("tiers: %s aggregate of affiliate %s for %s: %w", a.Metric, a.Affiliate, a.Period,
			&affiliate.CurrencyMismatchError{Want: cur, Got: a.Amount.Currency()})
	}
	return Amount(a.Amount), nil
}

func add(a, b Value) (Value, error) {
	if !a.IsAmount() && !b.IsAmount() {
		return Count(a.Count + b.Count), nil
	}
	sum, err := a.Amount.Add(b.Amount)
	if err != nil {
		return Value{}, err
	}
	return Amount(sum), nil
}

// zero returns the metric's zero value.
func (m Metric) zero(cur affiliate.Currency) Value {
	if m == Revenue {
		return Amount(affiliate.Zero(cur))
	}
	return Count(0)
}

// fromSnapshot reads the value a snapshot recorded.
func fromSnapshot(s affiliate.TierSnapshot) Value {
	if s.Amount.Currency() != "" {
		return Amount(s.Amount)
	}
	return Count(s.Count)
}
