package rules

import (
	"time"

	"github.com/openaffiliate/affiliate"
)

// Deferred is a reward of Rate on what the customer paid in its first
// Months paying months, earned only once it has paid in the last of them:
// seed 002's "50% of the first two months". A paying month is a calendar
// month, in Location, with a paid payment (see Paid). A customer who pays
// in one month only earns its affiliate nothing, and payments in later
// months earn nothing.
//
// The first paid payment of month Months accrues the shares of every
// payment of the earlier counted months and its own; each later payment
// of that month accrues its own. Every share is in its payment's own
// currency (the invoice's, never converted) and about that payment
// (Accrual.Payment), so a refund of a counted payment takes back its
// share pro rata, before or after the reward was earned, and leaves the
// other shares alone. A refund never changes which months count. Shares
// are held until month Months has ended (Accrual.Hold).
//
// Set Payments instead of Months for the invoice-count variant: the
// customer's first Payments paid payments, whatever their months, earned
// when the last of them is paid, with the terms' hold.
type Deferred struct {
	// Name is recorded on every entry; "deferred" when empty.
	Name string
	Rate affiliate.Rate
	// AllowOver100 accepts a Rate above 100% (see Percent).
	AllowOver100 bool
	// Months is how many paying months the reward covers (2 in seed 002).
	Months int
	// Payments, set instead of Months, is how many paid payments
	// (invoices) the reward covers.
	Payments int
	// PerMonth bounds, with Months, the paid payments a customer makes in
	// one month that the reward counts exactly; 8 when zero. The rule
	// asks the engine for Months × PerMonth earlier payments (see
	// HistoryDepth), and returns an error rather than a wrong amount for
	// a customer beyond that.
	PerMonth int
	// Location decides the months; nil means UTC. Use the program's.
	Location *time.Location
	Lines    Lines
}

func (r Deferred) name() string { return nameOr(r.Name, "deferred") }

func (r Deferred) perMonth() int {
	if r.PerMonth <= 0 {
		return 8
	}
	return r.PerMonth
}

// HistoryDepth implements HistoryDepther: the payments of the counted
// months (or the counted payments) before the one being priced.
func (r Deferred) HistoryDepth() int {
	if r.Months > 0 {
		return r.Months*r.perMonth() - 1
	}
	return max(r.Payments-1, 0)
}

// Validate refuses a zero rate, a rate above 100% unless AllowOver100,
// and anything but one of Months and Payments at 1 or more.
func (r Deferred) Validate() error {
	if err := checkRate(r.name(), r.Rate, r.AllowOver100, true); err != nil {
		return err
	}
	switch {
	case r.Months < 0 || r.Payments < 0 || r.PerMonth < 0:
		return configErr(r.name(), "Months/Payments/PerMonth", "negative")
	case r.Months == 0 && r.Payments == 0:
		return configErr(r.name(), "Months", "missing: set Months (paying months, as in \"the first two months\") or Payments (invoices)")
	case r.Months > 0 && r.Payments > 0:
		return configErr(r.name(), "Payments", "give Months or Payments, not both")
	case r.Payments > 0 && (r.PerMonth != 0 || r.Location != nil):
		return configErr(r.name(), "PerMonth/Location", "apply to Months only; Payments counts invoices whatever their month")
	}
	return r.Lines.Validate()
}

// Accrue implements Rule. It returns a *ConfigError when the facts cannot
// say which months count: more earlier paid payments than HistoryDepth
// inside them (raise PerMonth), or an engine that gave fewer than asked.
// It also returns the errors of Lines.Base.
func (r Deferred) Accrue(f Facts) ([]Accrual, error) {
	if len(f.Chain) == 0 || !Paid(f.Payment) {
		return nil, nil
	}
	if r.Months > 0 {
		return r.byMonths(f)
	}
	if r.Payments < 1 || f.PaidIndex != r.Payments-1 {
		return nil, nil
	}
	counted := r.Payments - 1
	if len(f.History.Earlier) < counted {
		return nil, configErr(r.name(), "History", "the engine gave "+itoa(len(f.History.Earlier))+" earlier payments, the reward needs "+itoa(counted))
	}
	payments := make([]affiliate.Payment, 0, r.Payments)
	for _, e := range f.History.Earlier[:counted] {
		payments = append(payments, e.Payment)
	}
	payments = append(payments, f.Payment)
	return r.shares(f, payments, 0, func(i int) string {
		return "paid payment " + itoa(i+1) + " of " + itoa(r.Payments) + ", earned when payment " + itoa(r.Payments) + " was paid"
	})
}

// byMonths is Accrue for Months.
func (r Deferred) byMonths(f Facts) ([]Accrual, error) {
	earlier := f.History.Earlier
	month := func(t time.Time) affiliate.Period { return affiliate.PeriodOf(t, r.Location) }
	// rank[i] is the paying month (1, 2, ...) of earlier[i].
	rank := make([]int, len(earlier))
	for i, e := range earlier {
		rank[i] = 1
		if i > 0 {
			rank[i] = rank[i-1]
			if month(e.PaidAt) != month(earlier[i-1].PaidAt) {
				rank[i]++
			}
		}
	}
	if f.PaidIndex > len(earlier) {
		// Paid payments between earlier and this one are not in the facts.
		if len(earlier) > 0 && rank[len(earlier)-1] > r.Months {
			return nil, nil // the counted months are over before the gap
		}
		return nil, configErr(r.name(), "PerMonth", "the customer made more than "+itoa(len(earlier))+
			" paid payments in its first "+itoa(r.Months)+" paying months: raise PerMonth (now "+itoa(r.perMonth())+") to count them")
	}
	this := month(f.Payment.PaidAt)
	own, first := 1, true
	if n := len(earlier); n > 0 {
		own = rank[n-1]
		if month(earlier[n-1].PaidAt) == this {
			first = false
		} else {
			own++
		}
	}
	if own != r.Months {
		return nil, nil // a month before the last counted one, or after
	}
	payments := []affiliate.Payment{f.Payment}
	ranks := []int{own}
	if first {
		payments = payments[:0]
		ranks = ranks[:0]
		for i, e := range earlier {
			payments = append(payments, e.Payment)
			ranks = append(ranks, rank[i])
		}
		payments = append(payments, f.Payment)
		ranks = append(ranks, own)
	}
	// The reward is available once the last counted month has ended.
	hold := this.End().Sub(f.Payment.PaidAt)
	return r.shares(f, payments, hold, func(i int) string {
		return "paid in " + month(payments[i].PaidAt).String() + ", paying month " + itoa(ranks[i]) + " of " + itoa(r.Months) +
			", available once " + this.String() + " has ended"
	})
}

// shares accrues Rate of each payment's base to the referrer, about that
// payment, with why(i) closing the i-th explanation.
func (r Deferred) shares(f Facts, payments []affiliate.Payment, hold time.Duration, why func(i int) string) ([]Accrual, error) {
	out := make([]Accrual, 0, len(payments))
	for i, p := range payments {
		a, ok, err := ratedOn(p, f.Terms.Rounding, r.Lines.Of(f.Revenue), r.Rate)
		if err != nil {
			return nil, err
		}
		if !ok || a.Amount.IsZero() {
			continue
		}
		a.Beneficiary = f.Chain[0].ID
		a.Kind = affiliate.KindCommission
		a.Rule = r.name()
		a.Payment = p.ID
		a.Hold = hold
		// Its own line, the plain commission's with what makes it deferred
		// around it.
		plain := affiliate.Entry{Kind: a.Kind, Base: a.Base, BaseLines: a.BaseLines, Rate: a.Rate}
		a.Explanation = "deferred reward: " + plain.Describe() + ", " + why(i)
		out = append(out, a)
	}
	return out, nil
}

func (r Deferred) ruleNames() []string { return []string{r.name()} }
