package affiliatetest

import (
	"context"
	"fmt"
	"math/big"
	"slices"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// CheckRefunds checks I3 on sys: a full refund brings the net commission
// from its payment to zero, and a partial refund reverses pro rata, never
// more than remains. It delivers the events (retrying refused ones once
// the others are in), then, for every accepted payment and every line of
// what it earned (beneficiary and earning kind, as in NetLedger), compares
//
//	gross: what the line earned before refunds (every entry but reversals)
//	net:   what it nets to (every entry)
//
// with R, the sum of the payment's accepted refunds (a full refund counts
// as the whole payment; a chargeback with an accepted Reinstatement counts
// for nothing) capped at the payment's total T:
//
//   - with no refund, nothing is reversed: net = gross;
//   - with R = T, net = 0;
//   - otherwise net lies between zero and gross, and within one minor unit
//     per refund of the exact gross × (1 − R/T), so an engine may round
//     once or once per refund.
//
// It returns a *Violation naming the payment and its refunds, or another
// error when the ledger could not be read.
func CheckRefunds(ctx context.Context, sys System, events []affiliate.Event) error {
	if err := sys.validate(); err != nil {
		return err
	}
	refused, err := deliver(ctx, sys.Engine, events)
	if err != nil {
		return err
	}
	accepted := acceptedEvents(events, refused)
	payments := make(map[affiliate.EventID]affiliate.Payment)
	var all []affiliate.Refund
	reinstated := make(map[affiliate.EventID]bool)
	for _, e := range accepted {
		switch e := e.(type) {
		case affiliate.Payment:
			payments[e.ID] = e
		case *affiliate.Payment:
			payments[e.ID] = *e
		case affiliate.Refund:
			all = append(all, e)
		case *affiliate.Refund:
			all = append(all, *e)
		case affiliate.Reinstatement:
			reinstated[e.Chargeback] = true
		case *affiliate.Reinstatement:
			reinstated[e.Chargeback] = true
		}
	}
	// A reinstated chargeback takes nothing back: it is not a refund here.
	refunds := make(map[affiliate.EventID][]affiliate.Refund)
	for _, r := range all {
		if !(r.Kind == affiliate.KindChargeback && reinstated[r.ID]) {
			refunds[r.Payment] = append(refunds[r.Payment], r)
		}
	}
	for _, e := range accepted {
		p, ok := payments[e.EventID()]
		if !ok {
			continue
		}
		if v, err := checkPaymentRefunds(ctx, sys.Ledger, p, refunds[p.ID]); v != nil || err != nil {
			if v != nil {
				return v
			}
			return err
		}
	}
	return nil
}

func checkPaymentRefunds(ctx context.Context, l storage.Ledger, p affiliate.Payment, rs []affiliate.Refund) (*Violation, error) {
	total, err := p.Total()
	if err != nil {
		return nil, err
	}
	t := total.Minor()
	var r int64
	for _, x := range rs {
		if x.Full {
			r = t
			continue
		}
		if x.Amount.Currency() == p.Currency {
			r += x.Amount.Minor()
		}
	}
	r = min(r, t)
	entries, err := l.Entries(ctx, storage.EntryQuery{Payment: p.ID})
	if err != nil {
		return nil, fmt.Errorf("affiliatetest: reading the entries of payment %s: %w", p.ID, err)
	}
	byID := make(map[affiliate.EntryID]affiliate.Entry, len(entries))
	for _, e := range entries {
		byID[e.ID] = e
	}
	type sums struct{ gross, net int64 }
	byKey := make(map[NetKey]*sums)
	var keys []NetKey
	for _, e := range entries {
		k := NetKey{Beneficiary: e.Beneficiary, Customer: e.Customer, Payment: e.Payment, Currency: e.Amount.Currency(), Kind: earningKind(e, byID)}
		s, ok := byKey[k]
		if !ok {
			s = &sums{}
			byKey[k] = s
			keys = append(keys, k)
		}
		s.net += e.Amount.Minor()
		if e.Kind != affiliate.KindReversal {
			s.gross += e.Amount.Minor()
		}
	}
	slices.SortFunc(keys, compareNetKeys)
	on := []string{string(p.ID)}
	for _, x := range rs {
		on = append(on, string(x.ID))
	}
	refunded := fmt.Sprintf("%s of %s refunded", affiliate.MustMoney(r, p.Currency), total)
	var bad []string
	for _, k := range keys {
		s := byKey[k]
		m := func(v int64) affiliate.Money { return affiliate.MustMoney(v, k.Currency) }
		switch {
		case r == 0:
			if s.net != s.gross {
				bad = append(bad, fmt.Sprintf("%s: nothing was refunded, yet %s of the %s earned was reversed", k, m(s.gross-s.net), m(s.gross)))
			}
		case r == t:
			if s.net != 0 {
				bad = append(bad, fmt.Sprintf("%s: the payment was fully refunded, yet %s remains of the %s earned", k, m(s.net), m(s.gross)))
			}
		case s.gross >= 0 && (s.net < 0 || s.net > s.gross), s.gross < 0 && (s.net > 0 || s.net < s.gross):
			bad = append(bad, fmt.Sprintf("%s: %s reversed %s of the %s earned, more than remains", k, refunded, m(s.gross-s.net), m(s.gross)))
		default:
			// |net·T − gross·(T−R)| ≤ len(rs)·T: within one minor unit per refund.
			dev := new(big.Int).Sub(new(big.Int).Mul(big.NewInt(s.net), big.NewInt(t)), new(big.Int).Mul(big.NewInt(s.gross), big.NewInt(t-r)))
			tol := new(big.Int).Mul(big.NewInt(int64(len(rs))), big.NewInt(t))
			if dev.Abs(dev).Cmp(tol) > 0 {
				scale := k.Currency.Scale()
				exact := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(s.gross), big.NewInt(t-r)),
					new(big.Int).Mul(big.NewInt(t), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)))
				bad = append(bad, fmt.Sprintf("%s: %s, so %s %s of the %s earned should remain (pro rata, within %d minor unit(s)), but %s remains",
					k, refunded, exact.FloatString(int(scale)+2), k.Currency, m(s.gross), len(rs), m(s.net)))
			}
		}
	}
	if len(bad) > 0 {
		return violation("I3", on, "the refunds of payment %s were not reversed pro rata:\n\t%s", p.ID, lines(bad)), nil
	}
	return nil, nil
}
