package rules

import (
	"github.com/openaffiliate/affiliate"
)

// Deferred is a reward of Rate on each of the customer's first Payments
// paid payments, earned only when the last of them is paid: seed 002's
// "50% of the first two months paid, paid once the second month is
// paid". Nothing accrues before; a customer who pays one month and leaves
// earns its affiliate nothing.
//
// When the Payments-th paid payment comes, Deferred accrues one share per
// counted payment, each in that payment's own currency (the invoice's
// currency, never converted) and each about that payment
// (Accrual.Payment). A refund of a counted payment therefore takes back
// that payment's share, pro rata, before or after the reward was earned,
// and leaves the other shares alone. A refund never changes which
// payments count: a refunded month is still one of the first two.
type Deferred struct {
	// Name is recorded on every entry; "deferred" when empty.
	Name string
	Rate affiliate.Rate
	// Payments is how many paid payments the reward covers (2 in seed
	// 002); the reward is earned when the last of them is paid.
	Payments int
	Lines    Lines
}

// HistoryDepth implements HistoryDepther: the counted payments before the
// one that earns the reward.
func (r Deferred) HistoryDepth() int { return max(r.Payments-1, 0) }

// Validate refuses a zero rate and fewer than one payment.
func (r Deferred) Validate() error {
	name := nameOr(r.Name, "deferred")
	if r.Rate.IsZero() {
		return configErr(name, "Rate", "missing (zero)")
	}
	if r.Payments < 1 {
		return configErr(name, "Payments", "must be at least 1")
	}
	return r.Lines.Validate()
}

// Accrue implements Rule. It returns a *ConfigError when the facts hold
// fewer earlier paid payments than the reward covers (an engine that did
// not honour HistoryDepth), and the errors of Lines.Base.
func (r Deferred) Accrue(f Facts) ([]Accrual, error) {
	if len(f.Chain) == 0 || r.Payments < 1 || f.PaidIndex != r.Payments-1 || !Paid(f.Payment) {
		return nil, nil
	}
	counted := r.Payments - 1
	if len(f.History.Earlier) < counted {
		name := nameOr(r.Name, "deferred")
		return nil, configErr(name, "History", "the engine gave "+itoa(len(f.History.Earlier))+" earlier payments, the reward needs "+itoa(counted))
	}
	name := nameOr(r.Name, "deferred")
	out := make([]Accrual, 0, r.Payments)
	for i := 0; i < r.Payments; i++ {
		p := f.Payment
		if i < counted {
			p = f.History.Earlier[i].Payment
		}
		a, ok, err := ratedOn(p, f.Terms.Rounding, r.Lines, r.Rate)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		a.Beneficiary = f.Chain[0].ID
		a.Kind = affiliate.KindCommission
		a.Rule = name
		a.Payment = p.ID
		a.Explanation = "deferred reward: " + pct(r.Rate) + " of " + describeBase(a.Base, a.BaseLines) +
			", paid payment " + itoa(i+1) + " of " + itoa(r.Payments) + ", earned when payment " + itoa(r.Payments) + " was paid"
		out = append(out, a)
	}
	return out, nil
}

func (r Deferred) ruleNames() []string { return []string{nameOr(r.Name, "deferred")} }
