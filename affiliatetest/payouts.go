package affiliatetest

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/openaffiliate/affiliate"
)

// PayoutCheck is one payout run as CheckPayouts judges it: what the
// ledger held, what earlier runs settled, and what this run paid and
// carried.
type PayoutCheck struct {
	// Run is the run as the store holds it: its as-of time (entries
	// available by then are due), the payouts it created and the balances
	// it carried.
	Run affiliate.PayoutRun
	// Minimum is the payout threshold per currency. A currency without
	// one has no threshold beyond "above zero".
	Minimum map[affiliate.Currency]affiliate.Money
	// Ledger holds every entry of the affiliates the run concerns.
	Ledger []affiliate.Entry
	// Earlier are the payouts of earlier runs; those created or paid
	// settle their entries, failed and cancelled ones release them.
	Earlier []affiliate.Payout
}

// CheckPayouts checks I6 on one run: no payout is below its threshold,
// each entry is in at most one payout, payouts plus the carried balance
// equal the available balance, and a negative balance is carried, never
// paid. In detail, it requires
//
//   - every payout of the run to be above zero and at least the
//     threshold of its currency;
//   - every entry to be in at most one created or paid payout, across the
//     earlier runs and this one;
//   - every payout to settle entries of its own affiliate and currency,
//     available at the run's AsOf, that sum to its amount;
//   - for every affiliate and currency, what the run paid plus what it
//     carried to equal the available balance: the entries available at
//     AsOf that no earlier created or paid payout settled;
//   - a negative available balance to be carried, not paid.
//
// It returns a *Violation naming the payouts, entries or affiliates, or
// nil.
func CheckPayouts(c PayoutCheck) error {
	run := c.Run
	settled := make(map[affiliate.EntryID]affiliate.PayoutID)
	var bad, on []string
	note := func(id string, format string, args ...any) {
		bad = append(bad, fmt.Sprintf(format, args...))
		if !slices.Contains(on, id) {
			on = append(on, id)
		}
	}
	for _, p := range slices.Concat(c.Earlier, run.Payouts) {
		if p.Status != affiliate.PayoutCreated && p.Status != affiliate.PayoutPaid {
			continue
		}
		for _, id := range p.Entries {
			if other, ok := settled[id]; ok {
				note(string(id), "entry %s is in payout %s and in payout %s", id, other, p.ID)
				continue
			}
			settled[id] = p.ID
		}
	}
	byID := make(map[affiliate.EntryID]affiliate.Entry, len(c.Ledger))
	for _, e := range c.Ledger {
		byID[e.ID] = e
	}
	type key struct {
		aff affiliate.AffiliateID
		cur affiliate.Currency
	}
	paid := make(map[key]int64)
	thisRun := make(map[affiliate.PayoutID]bool)
	for _, p := range run.Payouts {
		thisRun[p.ID] = true
		cur := p.Amount.Currency()
		if p.Amount.Sign() <= 0 {
			note(string(p.ID), "payout %s to %s pays %s, which is not above zero", p.ID, p.Affiliate, p.Amount)
		}
		if m, ok := c.Minimum[cur]; ok && m.Currency() == cur && p.Amount.Minor() < m.Minor() {
			note(string(p.ID), "payout %s to %s pays %s, below the %s minimum", p.ID, p.Affiliate, p.Amount, m)
		}
		var sum int64
		for _, id := range p.Entries {
			e, ok := byID[id]
			switch {
			case !ok:
				note(string(p.ID), "payout %s settles entry %s, which is not in the ledger", p.ID, id)
				continue
			case e.Beneficiary != p.Affiliate:
				note(string(p.ID), "payout %s to %s settles entry %s, which belongs to %s", p.ID, p.Affiliate, id, e.Beneficiary)
			case e.Amount.Currency() != cur:
				note(string(p.ID), "payout %s in %s settles entry %s in %s", p.ID, cur, id, e.Amount.Currency())
			case !e.Available(run.AsOf):
				note(string(p.ID), "payout %s settles entry %s, which is available only at %s, after the run's %s", p.ID, id, e.AvailableAt.Format(time.RFC3339), run.AsOf.Format(time.RFC3339))
			}
			sum += e.Amount.Minor()
		}
		if sum != p.Amount.Minor() {
			note(string(p.ID), "payout %s pays %s, but its entries sum to %s", p.ID, p.Amount, affiliate.MustMoney(sum, cur))
		}
		paid[key{p.Affiliate, cur}] += p.Amount.Minor()
	}
	available := make(map[key]int64)
	for _, e := range c.Ledger {
		if !e.Available(run.AsOf) {
			continue
		}
		if by, ok := settled[e.ID]; ok && !thisRun[by] {
			continue
		}
		available[key{e.Beneficiary, e.Amount.Currency()}] += e.Amount.Minor()
	}
	carried := make(map[key]int64)
	for _, b := range run.Carried {
		carried[key{b.Affiliate, b.Amount.Currency()}] += b.Amount.Minor()
	}
	keys := make([]key, 0, len(available))
	for _, m := range []map[key]int64{available, paid, carried} {
		for k := range m {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	slices.SortFunc(keys, func(a, b key) int { return cmp.Or(cmp.Compare(a.aff, b.aff), cmp.Compare(a.cur, b.cur)) })
	for _, k := range keys {
		m := func(v int64) affiliate.Money { return affiliate.MustMoney(v, k.cur) }
		avail, p, kept := available[k], paid[k], carried[k]
		switch {
		case avail < 0 && p != 0:
			note(string(k.aff), "%s has a negative available balance of %s, yet was paid %s", k.aff, m(avail), m(p))
		case p+kept != avail:
			note(string(k.aff), "%s was paid %s and carried %s, which does not add up to its available balance of %s", k.aff, m(p), m(kept), m(avail))
		}
	}
	if len(bad) > 0 {
		return violation("I6", on, "the payout run is wrong:\n\t%s", lines(bad))
	}
	return nil
}
