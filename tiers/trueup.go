package tiers

import (
	"math/big"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// This file is the pure core of a true-up: given one tier-driven entry
// with its corrections, the rate it should be at and the refunded share of
// its payment, what to append. It reads nothing and rounds once per
// amount, at the documented points.

// tierKey is one tier-driven ledger entry, its root (the accrual the
// engine wrote, which carries Tier, Base and Rate), with the entries that
// correct it (Corrects = root.ID): adjustments, reversals, earlier
// true-ups.
//
// As in the commission engine, a correction's Base is the change it makes
// to the key's base, so the key's current base is the sum of the bases of
// its non-reversal entries (grossBase): a re-priced base counts, and a
// tier true-up, which changes no base, carries a zero one.
type tierKey struct {
	root      affiliate.Entry
	gross     affiliate.Money // the root plus its non-reversal corrections
	net       affiliate.Money // gross plus its reversals
	grossBase affiliate.Money // the base gross applies to
}

func newTierKey(root affiliate.Entry) tierKey {
	return tierKey{root: root, gross: root.Amount, net: root.Amount, grossBase: root.Base}
}

// add folds a correction of the root into the sums.
func (k *tierKey) add(e affiliate.Entry) error {
	net, err := k.net.Add(e.Amount)
	if err != nil {
		return err
	}
	k.net = net
	if e.Kind == affiliate.KindReversal {
		return nil
	}
	if k.gross, err = k.gross.Add(e.Amount); err != nil {
		return err
	}
	if e.Base.Currency() == k.grossBase.Currency() {
		if k.grossBase, err = k.grossBase.Add(e.Base); err != nil {
			return err
		}
	}
	return nil
}

// tierDriven reports whether e is an accrual whose amount follows its
// beneficiary's tier: a commission or a sub-affiliate bonus that names a
// tier and has a base to apply a rate to.
func tierDriven(e affiliate.Entry) bool {
	return e.Corrects == "" && e.Tier != "" && e.Base != (affiliate.Money{}) &&
		(e.Kind == affiliate.KindCommission || e.Kind == affiliate.KindBonus)
}

// rateFor returns the rate of t that applies to an entry of kind: the own
// rate for commissions, the bonus rate for sub-affiliate bonuses.
func rateFor(t Tier, kind affiliate.EntryKind) affiliate.Rate {
	if kind == affiliate.KindBonus {
		return t.BonusRate
	}
	return t.Rate
}

// wantGross is what the key should have earned at rate. At the root's own
// rate and base it is the rule's amount, whatever shaped it (a cap,
// another rounding); otherwise it is the key's base × rate, rounded once
// with mode.
func wantGross(k tierKey, rate affiliate.Rate, mode affiliate.RoundingMode) (affiliate.Money, error) {
	if rate.Equal(k.root.Rate) && k.grossBase == k.root.Base {
		return k.root.Amount, nil
	}
	return k.grossBase.MulRate(rate, mode)
}

// refundShare is how much of a payment went back to the customer: part of
// total, in the payment currency's minor units (0 ≤ part ≤ total, total >
// 0), or nothing when total is 0.
type refundShare struct {
	part, total int64
}

// refundShareOf reads the refunded share of payment from its logged
// events (the payment and the refunds that reference it): a full refund
// takes back the whole; partial ones add up, never beyond the payment.
// found is false when the payment is not logged.
func refundShareOf(records []storage.EventRecord, payment affiliate.EventID) (share refundShare, found bool, err error) {
	var total affiliate.Money
	var refunds []affiliate.Refund
	for _, r := range records {
		switch {
		case r.Payment != nil && r.Payment.ID == payment:
			if total, err = r.Payment.Total(); err != nil {
				return refundShare{}, false, err
			}
			found = true
		case r.Refund != nil && r.Refund.Payment == payment:
			refunds = append(refunds, *r.Refund)
		}
	}
	if !found || total.Sign() <= 0 {
		return refundShare{}, found, nil
	}
	share.total = total.Minor()
	for _, f := range refunds {
		if f.Full {
			share.part = share.total
			break
		}
		if f.Amount.Currency() != total.Currency() {
			return refundShare{}, true, &affiliate.CurrencyMismatchError{Want: total.Currency(), Got: f.Amount.Currency()}
		}
		share.part += f.Amount.Minor()
		if share.part >= share.total {
			share.part = share.total
			break
		}
	}
	return share, true, nil
}

// heldShare estimates the refunded share from what the key holds, for a
// payment the event log does not have (a host that writes entries
// without logging events): the reversed part of its gross.
func heldShare(k tierKey) refundShare {
	if k.gross.Sign() == 0 {
		return refundShare{}
	}
	part := k.gross.Minor() - k.net.Minor()
	return refundShare{part: part, total: k.gross.Minor()}
}

// netOf is what gross keeps after the refunded share: gross × (total −
// part) / total, rounded once with mode. It is the commission engine's
// pro-rata rule to the unit, so a trued-up key is what the engine would
// have written, and a full refund nets to exactly zero.
func (s refundShare) netOf(gross affiliate.Money, mode affiliate.RoundingMode) (affiliate.Money, error) {
	if s.total == 0 || s.part == 0 {
		return gross, nil
	}
	return affiliate.NewMoney(mulDivRound(gross.Minor(), s.total-s.part, s.total, mode), gross.Currency())
}

// mulDivRound returns a×b/c rounded with mode, exactly. c > 0 and |b| ≤ c,
// so the result fits wherever a does.
func mulDivRound(a, b, c int64, mode affiliate.RoundingMode) int64 {
	num := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	den := big.NewInt(c)
	q, r := new(big.Int).QuoRem(num, den, new(big.Int))
	if r.Sign() == 0 || mode == affiliate.Down {
		return q.Int64()
	}
	twice := new(big.Int).Abs(r)
	twice.Lsh(twice, 1)
	cmp := twice.Cmp(den)
	up := cmp > 0 || (cmp == 0 && (mode == affiliate.HalfUp || q.Bit(0) == 1))
	if up {
		q.Add(q, big.NewInt(int64(num.Sign())))
	}
	return q.Int64()
}

// plan returns what brings k to rate: an adjustment of the gross (what
// the payment earns at rate, less what the key earned so far), and the
// reversal that nets the key to the refunded share of that. Either may be
// zero; both zero means the key is right.
func plan(k tierKey, rate affiliate.Rate, share refundShare, mode affiliate.RoundingMode) (adj, rev affiliate.Money, err error) {
	want, err := wantGross(k, rate, mode)
	if err != nil {
		return affiliate.Money{}, affiliate.Money{}, err
	}
	if adj, err = want.Sub(k.gross); err != nil {
		return affiliate.Money{}, affiliate.Money{}, err
	}
	wantNet, err := share.netOf(want, mode)
	if err != nil {
		return affiliate.Money{}, affiliate.Money{}, err
	}
	held, err := k.net.Add(adj)
	if err != nil {
		return affiliate.Money{}, affiliate.Money{}, err
	}
	if rev, err = wantNet.Sub(held); err != nil {
		return affiliate.Money{}, affiliate.Money{}, err
	}
	return adj, rev, nil
}
