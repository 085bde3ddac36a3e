package rules

import (
	"time"
)

// The duration limits. Each is a Condition to use with When; a rule with
// none runs for the customer's lifetime (Lifetime says so explicitly).

// FirstPayments holds for the customer's first N paid payments (see
// Paid). Zero-base invoices, such as trials, never use up a count.
type FirstPayments int

// Holds implements Condition.
func (n FirstPayments) Holds(f Facts) bool { return f.PaidIndex < int(n) && Paid(f.Payment) }

// Validate refuses N below 1.
func (n FirstPayments) Validate() error {
	if n < 1 {
		return configErr("first_payments", "N", "must be at least 1")
	}
	return nil
}

// FirstMonths holds for payments made in the first N months after the
// customer's first paid payment: before the same day of the month N
// months later, counted in whole UTC days, so that the renewal at the
// N-month mark is outside whatever its time of day. A first payment on
// the 31st ends its month on the last day of a shorter month (Jan 31 + 1
// month is Feb 28 or 29), as billing systems renew.
type FirstMonths int

// Holds implements Condition.
func (n FirstMonths) Holds(f Facts) bool {
	first := f.History.FirstPaidAt
	if first.IsZero() {
		return false
	}
	return f.Payment.PaidAt.Before(addMonths(first, int(n)))
}

// Validate refuses N below 1.
func (n FirstMonths) Validate() error {
	if n < 1 {
		return configErr("first_months", "N", "must be at least 1")
	}
	return nil
}

// addMonths returns midnight UTC of t's UTC day n months later, with the
// day clamped to the end of a shorter month.
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.UTC().Date()
	last := time.Date(y, m+time.Month(n)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return time.Date(y, m+time.Month(n), min(d, last), 0, 0, 0, 0, time.UTC)
}

// WithinDays holds for payments made less than N days (N×24 hours) after
// the customer was bound; payments made before the binding (a late
// binding applied by a recompute) are within.
type WithinDays int

// Holds implements Condition.
func (n WithinDays) Holds(f Facts) bool {
	return f.Payment.PaidAt.Before(f.Binding.BoundAt.Add(time.Duration(n) * 24 * time.Hour))
}

// Validate refuses N below 1.
func (n WithinDays) Validate() error {
	if n < 1 {
		return configErr("within_days", "N", "must be at least 1")
	}
	return nil
}

// Lifetime always holds: the rule runs for as long as the customer pays.
type Lifetime struct{}

// Holds implements Condition.
func (Lifetime) Holds(Facts) bool { return true }
