package affiliatetest

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// NetKey identifies one line of a net ledger: what a beneficiary nets
// from one payment of one customer, in one currency, of one earning kind.
type NetKey struct {
	Beneficiary affiliate.AffiliateID
	Customer    affiliate.CustomerID
	Payment     affiliate.EventID
	Currency    affiliate.Currency
	// Kind is the earning kind (commission, sub-affiliate bonus, bounty).
	// Reversals and adjustments count toward the kind of the entry they
	// correct, found by following Corrects; one that corrects nothing in
	// the ledger keeps its own kind.
	Kind affiliate.EntryKind
}

func (k NetKey) String() string {
	return fmt.Sprintf("%s from %s's payment %s (%s, %s)", k.Beneficiary, k.Customer, k.Payment, k.Kind, k.Currency)
}

// NetLedger is what a ledger nets to, line by line. Lines that net to zero
// are left out, so a commission fully reversed and a commission never
// earned give the same net ledger. This is the ledger invariant I2 speaks
// of: how the engine got there (an accrual then a reversal, or an
// adjustment) does not matter, the net does.
type NetLedger map[NetKey]affiliate.Money

// Net sums entries into a NetLedger. It returns an error when a sum
// overflows.
func Net(entries []affiliate.Entry) (NetLedger, error) {
	byID := make(map[affiliate.EntryID]affiliate.Entry, len(entries))
	for _, e := range entries {
		byID[e.ID] = e
	}
	out := make(NetLedger)
	for _, e := range entries {
		k := NetKey{Beneficiary: e.Beneficiary, Customer: e.Customer, Payment: e.Payment, Currency: e.Amount.Currency(), Kind: earningKind(e, byID)}
		sum, ok := out[k]
		if !ok {
			sum = affiliate.Zero(k.Currency)
		}
		sum, err := sum.Add(e.Amount)
		if err != nil {
			return nil, fmt.Errorf("affiliatetest: netting entry %s: %w", e.ID, err)
		}
		out[k] = sum
	}
	maps.DeleteFunc(out, func(_ NetKey, m affiliate.Money) bool { return m.IsZero() })
	return out, nil
}

// earningKind follows Corrects from a reversal or adjustment to the
// earning entry it corrects.
func earningKind(e affiliate.Entry, byID map[affiliate.EntryID]affiliate.Entry) affiliate.EntryKind {
	for range len(byID) { // bounded: a Corrects cycle cannot loop forever
		if e.Kind != affiliate.KindReversal && e.Kind != affiliate.KindAdjustment {
			return e.Kind
		}
		next, ok := byID[e.Corrects]
		if !ok {
			return e.Kind
		}
		e = next
	}
	return e.Kind
}

// diffNet lists the lines on which two net ledgers differ, in key order.
func diffNet(a, b NetLedger, nameA, nameB string) []string {
	keys := slices.Collect(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, compareNetKeys)
	var out []string
	for _, k := range keys {
		va, vb := a[k], b[k]
		if va == vb {
			continue
		}
		out = append(out, fmt.Sprintf("%s: %s %s, %s %s", k, nameA, moneyOrNothing(va), nameB, moneyOrNothing(vb)))
	}
	return out
}

func moneyOrNothing(m affiliate.Money) string {
	if m == (affiliate.Money{}) {
		return "nothing"
	}
	return m.String()
}

func compareNetKeys(a, b NetKey) int {
	return cmp.Or(
		cmp.Compare(a.Beneficiary, b.Beneficiary),
		cmp.Compare(a.Customer, b.Customer),
		cmp.Compare(a.Payment, b.Payment),
		cmp.Compare(a.Currency, b.Currency),
		cmp.Compare(a.Kind, b.Kind),
	)
}

// customersOf returns the distinct customers of events, sorted.
func customersOf(events []affiliate.Event) []affiliate.CustomerID {
	seen := make(map[affiliate.CustomerID]bool)
	var out []affiliate.CustomerID
	for _, e := range events {
		if c := e.EventCustomer(); !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

// ledgerOf reads every entry about the customers, customer by customer,
// each customer's entries in store order (At, then ID).
func ledgerOf(ctx context.Context, l storage.Ledger, customers []affiliate.CustomerID) ([]affiliate.Entry, error) {
	var out []affiliate.Entry
	for _, c := range customers {
		es, err := l.Entries(ctx, storage.EntryQuery{Customer: c})
		if err != nil {
			return nil, fmt.Errorf("affiliatetest: reading the ledger of customer %s: %w", c, err)
		}
		out = append(out, es...)
	}
	return out, nil
}

// eventLogOf reads the customers' logged events, or nothing without a log.
func eventLogOf(ctx context.Context, ev storage.Events, customers []affiliate.CustomerID) ([]affiliate.EventRecord, error) {
	if ev == nil {
		return nil, nil
	}
	var out []affiliate.EventRecord
	for _, c := range customers {
		rs, err := ev.Events(ctx, storage.EventQuery{Customer: c})
		if err != nil {
			return nil, fmt.Errorf("affiliatetest: reading the event log of customer %s: %w", c, err)
		}
		out = append(out, rs...)
	}
	return out, nil
}

func ids(events []affiliate.Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = string(e.EventID())
	}
	return out
}

func describeEntry(e affiliate.Entry) string {
	s := fmt.Sprintf("%s: %s %s %s", e.ID, e.Beneficiary, e.Kind, e.Amount)
	if e.Base != (affiliate.Money{}) {
		s += fmt.Sprintf(" (rate %s of base %s)", e.Rate, e.Base)
	}
	return s
}
