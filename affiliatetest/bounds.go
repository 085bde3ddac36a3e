package affiliatetest

import (
	"context"
	"fmt"
	"slices"

	"github.com/openaffiliate/affiliate"
)

// Bounds are the rates a program declares, for CheckRateBounds. A zero
// rate is not checked.
type Bounds struct {
	// MaxRate is the highest rate any commission entry may carry (the top
	// tier's rate, say 20%).
	MaxRate affiliate.Rate
	// MaxBonusRate is the highest rate any sub-affiliate bonus entry may
	// carry (5% in seed 000).
	MaxBonusRate affiliate.Rate
}

// CheckRateBounds checks I4 on sys: no rule accrues more than its rate
// times its base, a positive payment never produces a negative accrual,
// and the sub-affiliate bonus is bounded by its rate. It delivers the
// events (retrying refused ones once the others are in), then requires,
// of every entry of the events' customers:
//
//   - commission, bonus and bounty entries are not negative;
//   - a commission or bonus entry's amount is at most its rate times its
//     base, rounded up to the minor unit (so any rounding mode passes);
//   - a commission entry's rate is at most b.MaxRate, and a bonus entry's
//     at most b.MaxBonusRate, when those are set;
//   - what a beneficiary earns from one payment before refunds (every entry
//     but reversals, per earning kind) is not negative.
//
// It returns a *Violation naming the entries, or another error when the
// ledger could not be read.
func CheckRateBounds(ctx context.Context, sys System, events []affiliate.Event, b Bounds) error {
	if err := sys.validate(); err != nil {
		return err
	}
	if _, err := deliver(ctx, sys.Engine, events); err != nil {
		return err
	}
	entries, err := ledgerOf(ctx, sys.Ledger, customersOf(events))
	if err != nil {
		return err
	}
	var bad []string
	var on []string
	report := func(e affiliate.Entry, format string, args ...any) {
		bad = append(bad, fmt.Sprintf("entry %s (%s, %s on payment %s): ", e.ID, e.Beneficiary, e.Kind, e.Payment)+fmt.Sprintf(format, args...))
		if !slices.Contains(on, string(e.Payment)) {
			on = append(on, string(e.Payment))
		}
	}
	for _, e := range entries {
		switch e.Kind {
		case affiliate.KindCommission, affiliate.KindBonus, affiliate.KindBounty:
			if e.Amount.Sign() < 0 {
				report(e, "a negative accrual, %s", e.Amount)
			}
		}
		if e.Kind != affiliate.KindCommission && e.Kind != affiliate.KindBonus {
			continue
		}
		if e.Base != (affiliate.Money{}) {
			if limit, ok := rateTimesBase(e); ok && e.Amount.Abs().Minor() > limit {
				report(e, "%s is more than its rate %s times its base %s (at most %s)", e.Amount, e.Rate, e.Base, affiliate.MustMoney(limit, e.Amount.Currency()))
			}
		}
		switch {
		case e.Kind == affiliate.KindCommission && !b.MaxRate.IsZero() && e.Rate.Cmp(b.MaxRate) > 0:
			report(e, "rate %s is above the program's highest commission rate %s", e.Rate, b.MaxRate)
		case e.Kind == affiliate.KindBonus && !b.MaxBonusRate.IsZero() && e.Rate.Cmp(b.MaxBonusRate) > 0:
			report(e, "rate %s is above the program's sub-affiliate bonus rate %s", e.Rate, b.MaxBonusRate)
		}
	}
	byID := make(map[affiliate.EntryID]affiliate.Entry, len(entries))
	for _, e := range entries {
		byID[e.ID] = e
	}
	gross := make(map[NetKey]int64)
	var keys []NetKey
	for _, e := range entries {
		if e.Kind == affiliate.KindReversal {
			continue
		}
		k := NetKey{Beneficiary: e.Beneficiary, Customer: e.Customer, Payment: e.Payment, Currency: e.Amount.Currency(), Kind: earningKind(e, byID)}
		if _, ok := gross[k]; !ok {
			keys = append(keys, k)
		}
		gross[k] += e.Amount.Minor()
	}
	slices.SortFunc(keys, compareNetKeys)
	for _, k := range keys {
		if gross[k] < 0 {
			bad = append(bad, fmt.Sprintf("%s: earned %s before refunds, a negative accrual", k, affiliate.MustMoney(gross[k], k.Currency)))
			if !slices.Contains(on, string(k.Payment)) {
				on = append(on, string(k.Payment))
			}
		}
	}
	if len(bad) > 0 {
		return violation("I4", on, "accruals out of bounds:\n\t%s", lines(bad))
	}
	return nil
}

// rateTimesBase returns |base| × rate rounded up to the minor unit, the
// most an entry with that rate and base may hold.
func rateTimesBase(e affiliate.Entry) (int64, bool) {
	exact := e.Base.Abs().Amount().Mul(e.Rate.Decimal())
	limit, err := affiliate.RoundDecimal(exact.Shift(e.Base.Currency().Scale()).Ceil().Shift(-e.Base.Currency().Scale()), e.Base.Currency(), affiliate.Down)
	if err != nil {
		return 0, false
	}
	return limit.Minor(), true
}
