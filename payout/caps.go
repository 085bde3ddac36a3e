package payout

import (
	"github.com/openaffiliate/affiliate"
)

// ReasonCapped is the carried reason of what a cap held back.
const ReasonCapped = "capped"

// Caps limit what one run pays, per currency: PerAffiliate to each
// affiliate, PerRun to all affiliates together. A currency missing from
// a map has no cap. The zero Caps limits nothing.
//
// A capped balance pays a prefix of its entries: every zero or negative
// entry, then the positive ones oldest first (At, then ID) while the sum
// stays within the cap; the rest stay open and are carried with
// ReasonCapped, so the next run pays them first. The per-run cap is
// shared out in affiliate order. A capped payout below its minimum is not
// paid: the whole balance is carried.
type Caps struct {
	PerAffiliate map[affiliate.Currency]affiliate.Money
	PerRun       map[affiliate.Currency]affiliate.Money
}

// IsZero reports whether c limits nothing.
func (c Caps) IsZero() bool { return len(c.PerAffiliate) == 0 && len(c.PerRun) == 0 }

// Validate returns a *affiliate.FieldError (ErrInvalid) for a cap that is
// not positive, an unknown currency, or a cap listed under another
// currency (ErrCurrencyMismatch).
func (c Caps) Validate() error {
	for name, m := range map[string]map[affiliate.Currency]affiliate.Money{"Caps.PerAffiliate": c.PerAffiliate, "Caps.PerRun": c.PerRun} {
		for _, cur := range sortedKeys(m) {
			field := name + "[" + string(cur) + "]"
			if err := cur.Validate(); err != nil {
				return err
			}
			if m[cur].Currency() != cur {
				return &affiliate.FieldError{Field: field, Reason: m[cur].String() + " is not in " + string(cur), Err: affiliate.ErrCurrencyMismatch}
			}
			if m[cur].Sign() <= 0 {
				return &affiliate.FieldError{Field: field, Reason: "a cap must be positive"}
			}
		}
	}
	return nil
}

// budget tracks what the per-run caps leave, per currency.
type budget struct {
	caps Caps
	left map[affiliate.Currency]int64
}

func newBudget(c Caps) *budget {
	b := &budget{caps: c, left: make(map[affiliate.Currency]int64)}
	for cur, m := range c.PerRun {
		b.left[cur] = m.Minor()
	}
	return b
}

// take caps a balance that would be paid in full. It returns the part to
// pay (nothing when the cap leaves less than the minimum) and, when
// something is held back, the carried balance saying why.
func (b *budget) take(g balance) (balance, *affiliate.CarriedBalance) {
	cur := g.key.Currency
	limit, capped := int64(0), false
	why := ""
	if m, ok := b.caps.PerAffiliate[cur]; ok {
		limit, capped, why = m.Minor(), true, "the per-affiliate cap of "+m.String()
	}
	if left, ok := b.left[cur]; ok && (!capped || left < limit) {
		limit, capped, why = left, true, "what the run cap of "+b.caps.PerRun[cur].String()+" leaves"
	}
	if !capped || g.amount.Minor() <= limit {
		b.spend(cur, g.amount.Minor())
		return g, nil
	}
	paid := balance{key: g.key, minimum: g.minimum}
	var sum int64
	for _, e := range g.entries {
		if e.Amount.Sign() <= 0 {
			sum += e.Amount.Minor()
			paid.entries = append(paid.entries, e)
		}
	}
	full := false
	for _, e := range g.entries {
		if e.Amount.Sign() <= 0 {
			continue
		}
		if !full && sum+e.Amount.Minor() <= limit {
			sum += e.Amount.Minor()
			paid.entries = append(paid.entries, e)
			continue
		}
		full = true // a prefix: later entries wait even when they would fit
	}
	paid.amount = affiliate.MustMoney(sum, cur)
	paid.entries = inOrder(g.entries, paid.entries)
	if sum <= 0 || sum < g.minimum.Minor() {
		return balance{}, &affiliate.CarriedBalance{Affiliate: g.key.Affiliate, Amount: g.amount, Reason: ReasonCapped,
			Note: "capped at " + why + ": the " + paid.amount.String() + " it allows is below the minimum or nothing, so " + g.amount.String() + " is carried"}
	}
	b.spend(cur, sum)
	rest := affiliate.MustMoney(g.amount.Minor()-sum, cur)
	return paid, &affiliate.CarriedBalance{Affiliate: g.key.Affiliate, Amount: rest, Reason: ReasonCapped,
		Note: "paid " + paid.amount.String() + " of " + g.amount.String() + ", capped at " + why + ": " + rest.String() + " is carried to the next run"}
}

func (b *budget) spend(cur affiliate.Currency, v int64) {
	if _, ok := b.left[cur]; ok {
		b.left[cur] -= v
	}
}

// inOrder returns the entries of picked in the order of all (At, then ID).
func inOrder(all, picked []*affiliate.Entry) []*affiliate.Entry {
	in := make(map[*affiliate.Entry]bool, len(picked))
	for _, e := range picked {
		in[e] = true
	}
	out := make([]*affiliate.Entry, 0, len(picked))
	for _, e := range all {
		if in[e] {
			out = append(out, e)
		}
	}
	return out
}
