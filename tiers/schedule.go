package tiers

import (
	"slices"
	"strconv"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
)

// Tier is one step of a schedule.
type Tier struct {
	Name string
	// Threshold is the lowest metric value that reaches the tier: the
	// bound is inclusive, so a value exactly at the threshold qualifies.
	// The tier covers every value up to, not including, the next tier's
	// threshold. The first tier's threshold must be zero (or the zero
	// Value): it is the floor and covers everything below the second
	// tier, negative months included.
	Threshold Value
	// Rate is the commission rate on the affiliate's own referred
	// customers.
	Rate affiliate.Rate
	// BonusRate is the rate of the bonus the affiliate earns on its direct
	// sub-affiliates' referrals.
	BonusRate affiliate.Rate
}

// Rule returns the tier as the commission rules see it.
func (t Tier) Rule() rules.Tier {
	return rules.Tier{Name: t.Name, Rate: t.Rate, BonusRate: t.BonusRate}
}

// Schedule is a validated, ordered list of tiers with half-open bounds
// [threshold, next threshold). Every value falls in exactly one tier. A
// Schedule is immutable; the zero Schedule has no tiers and is refused by
// New.
type Schedule struct {
	tiers []Tier
}

var one = affiliate.MustRate("1")

// NewSchedule validates tiers, lowest first, and returns them as a
// Schedule. It returns a *ScheduleError matching:
//   - ErrEmptySchedule for no tiers;
//   - ErrThresholdOrder when the first threshold is not zero or a
//     threshold does not exceed the one before it (unsorted, or two tiers
//     sharing a bound);
//   - ErrRateRange for a Rate or BonusRate above 1 (Rate cannot be
//     negative);
//   - ErrSchedule for a missing, malformed or repeated name, a threshold
//     of another kind or currency than the others, or a negative count.
//
// All of them match affiliate.ErrInvalid.
func NewSchedule(tiers ...Tier) (Schedule, error) {
	if len(tiers) == 0 {
		return Schedule{}, &ScheduleError{Index: -1, Reason: "a schedule needs at least one tier", Err: ErrEmptySchedule}
	}
	names := make(map[string]bool, len(tiers))
	for i, t := range tiers {
		if err := affiliate.ValidateID("Name", t.Name); err != nil {
			return Schedule{}, &ScheduleError{Index: i, Field: "Name", Reason: err.(*affiliate.FieldError).Reason}
		}
		if names[t.Name] {
			return Schedule{}, &ScheduleError{Index: i, Field: "Name", Reason: "the name " + t.Name + " is used twice"}
		}
		names[t.Name] = true
		if t.Rate.Cmp(one) > 0 {
			return Schedule{}, &ScheduleError{Index: i, Field: "Rate", Reason: t.Rate.String() + " is above 1", Err: ErrRateRange}
		}
		if t.BonusRate.Cmp(one) > 0 {
			return Schedule{}, &ScheduleError{Index: i, Field: "BonusRate", Reason: t.BonusRate.String() + " is above 1", Err: ErrRateRange}
		}
		th := t.Threshold
		if th.IsAmount() {
			if err := th.Amount.Validate(); err != nil {
				return Schedule{}, &ScheduleError{Index: i, Field: "Threshold", Reason: err.(*affiliate.FieldError).Reason}
			}
			if th.Count != 0 {
				return Schedule{}, &ScheduleError{Index: i, Field: "Threshold", Reason: "holds both an amount and a count"}
			}
		} else if th.Count < 0 {
			return Schedule{}, &ScheduleError{Index: i, Field: "Threshold", Reason: "negative count"}
		}
		if i == 0 {
			if !th.IsZero() {
				return Schedule{}, &ScheduleError{Index: 0, Field: "Threshold", Reason: th.String() + " is not zero: the first tier is the floor and covers every value below the second", Err: ErrThresholdOrder}
			}
			continue
		}
		prev := tiers[i-1].Threshold
		c, err := th.Cmp(prev)
		if err != nil {
			return Schedule{}, &ScheduleError{Index: i, Field: "Threshold", Reason: th.String() + " is not of the same kind or currency as " + prev.String()}
		}
		if c <= 0 {
			reason := th.String() + " is below tier " + strconv.Itoa(i-1) + "'s " + prev.String()
			if c == 0 {
				reason = th.String() + " equals tier " + strconv.Itoa(i-1) + "'s threshold, so the tiers overlap"
			}
			return Schedule{}, &ScheduleError{Index: i, Field: "Threshold", Reason: reason, Err: ErrThresholdOrder}
		}
	}
	if err := zeroAmongPaid(tiers, "Rate", func(t Tier) affiliate.Rate { return t.Rate }); err != nil {
		return Schedule{}, err
	}
	if err := zeroAmongPaid(tiers, "BonusRate", func(t Tier) affiliate.Rate { return t.BonusRate }); err != nil {
		return Schedule{}, err
	}
	return Schedule{tiers: append([]Tier(nil), tiers...)}, nil
}

// zeroAmongPaid refuses a tier paying a zero rate where another tier pays
// a positive one: a payment at zero leaves no ledger entry, so when a
// later decision moves its affiliate to a paying tier the engine has
// nothing to find it by (see commission.Engine.Retier).
func zeroAmongPaid(tiers []Tier, field string, rate func(Tier) affiliate.Rate) error {
	zero := slices.IndexFunc(tiers, func(t Tier) bool { return rate(t).IsZero() })
	paid := slices.IndexFunc(tiers, func(t Tier) bool { return !rate(t).IsZero() })
	if zero < 0 || paid < 0 {
		return nil
	}
	return &ScheduleError{Index: zero, Field: field, Reason: "zero while tier " + strconv.Itoa(paid) + "'s is " + rate(tiers[paid]).PercentString() + ": a payment earning nothing at a tier could not be re-priced when its tier changes", Err: ErrZeroRate}
}

// MustSchedule is NewSchedule for constants; it panics on a bad schedule.
func MustSchedule(tiers ...Tier) Schedule {
	s, err := NewSchedule(tiers...)
	if err != nil {
		panic(err)
	}
	return s
}

// Tiers returns a copy of the tiers, lowest first.
func (s Schedule) Tiers() []Tier { return append([]Tier(nil), s.tiers...) }

// Len returns the number of tiers.
func (s Schedule) Len() int { return len(s.tiers) }

// Lowest returns the first tier, the floor. It panics on the zero
// Schedule.
func (s Schedule) Lowest() Tier { return s.tiers[0] }

// Lookup returns the tier named name.
func (s Schedule) Lookup(name string) (Tier, bool) {
	if i := s.index(name); i >= 0 {
		return s.tiers[i], true
	}
	return Tier{}, false
}

// Reach returns the tier v falls in: the last tier whose threshold v
// reaches. It returns the errors of Value.Cmp when v is of another kind
// or currency than the thresholds, and ErrEmptySchedule for the zero
// Schedule.
func (s Schedule) Reach(v Value) (Tier, error) {
	i, err := s.rank(v)
	if err != nil {
		return Tier{}, err
	}
	return s.tiers[i], nil
}

// rank returns the position of the tier v falls in. Thresholds are sorted,
// so a binary search would do; schedules have a handful of tiers, and a
// backward scan is as fast and plainly right.
func (s Schedule) rank(v Value) (int, error) {
	if len(s.tiers) == 0 {
		return 0, &ScheduleError{Index: -1, Reason: "a schedule needs at least one tier", Err: ErrEmptySchedule}
	}
	for i := len(s.tiers) - 1; i > 0; i-- {
		c, err := v.Cmp(s.tiers[i].Threshold)
		if err != nil {
			return 0, err
		}
		if c >= 0 {
			return i, nil
		}
	}
	return 0, nil
}

func (s Schedule) index(name string) int {
	for i, t := range s.tiers {
		if t.Name == name {
			return i
		}
	}
	return -1
}

// kind returns a Value of the thresholds' kind (the second tier's
// threshold), or the zero Value for a one-tier schedule, which fits any
// metric.
func (s Schedule) kind() Value {
	if len(s.tiers) < 2 {
		return Value{}
	}
	return s.tiers[1].Threshold
}
