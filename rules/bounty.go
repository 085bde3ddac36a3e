package rules

import (
	"github.com/openaffiliate/affiliate"
)

// Bounty pays the referring affiliate (Chain[0]) a flat amount on every
// paid payment it is applied to (see Paid), whatever the payment's size.
// Combine it with a condition for the usual shape, 100 EUR on the first
// paid payment:
//
//	rules.When{If: rules.FirstPayments(1), Then: rules.Bounty{Amounts: ...}}
//
// Entries carry the payment's currency, so Amounts lists the bounty per
// currency; a payment in a currency it does not list earns no bounty
// (the engine never converts on its own).
type Bounty struct {
	// Name is recorded on every entry; "bounty" when empty.
	Name    string
	Amounts []affiliate.Money
}

// Validate refuses an empty list, non-positive amounts and a currency
// listed twice.
func (r Bounty) Validate() error {
	name := nameOr(r.Name, "bounty")
	if len(r.Amounts) == 0 {
		return configErr(name, "Amounts", "no amount")
	}
	for i, m := range r.Amounts {
		if err := m.Validate(); err != nil {
			return configErr(name, "Amounts["+itoa(i)+"]", "needs a known currency")
		}
		if m.Sign() <= 0 {
			return configErr(name, "Amounts["+itoa(i)+"]", m.String()+" is not above zero")
		}
		for _, o := range r.Amounts[:i] {
			if o.Currency() == m.Currency() {
				return configErr(name, "Amounts["+itoa(i)+"]", string(m.Currency())+" is listed twice")
			}
		}
	}
	return nil
}

// Accrue implements Rule.
func (r Bounty) Accrue(f Facts) ([]Accrual, error) {
	if len(f.Chain) == 0 || !Paid(f.Payment) {
		return nil, nil
	}
	for _, m := range r.Amounts {
		if m.Currency() != f.Payment.Currency || m.Sign() <= 0 {
			continue
		}
		return []Accrual{{
			Beneficiary: f.Chain[0].ID,
			Kind:        affiliate.KindBounty,
			Amount:      m,
			Rule:        nameOr(r.Name, "bounty"),
			Explanation: "flat bounty " + m.String(),
		}}, nil
	}
	return nil, nil
}

func (r Bounty) ruleNames() []string { return []string{nameOr(r.Name, "bounty")} }
