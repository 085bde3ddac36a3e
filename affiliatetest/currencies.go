package affiliatetest

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// CheckCurrencies checks I5 on sys: entries carry the payment's currency
// at the currency's scale, and no total mixes currencies. It delivers the
// events (retrying refused ones once the others are in), then requires
//
//   - every entry of the events' customers to have its amount, and its
//     base when it has one, in the currency of the payment it is about (the
//     scale follows: affiliate.Money always holds whole minor units of its
//     own currency);
//   - no entry to be about a payment that was never accepted;
//   - when sys.Aggregates is set, every earnings total (affiliate.MetricEarnings)
//     of every beneficiary of those entries, in every period they touch, to
//     equal the sum of that beneficiary's entries in that period and that
//     currency alone, as the ledger holds them (all of the beneficiary's
//     entries, not only these customers'). Periods are calendar months in
//     sys.Location.
//
// It returns a *Violation naming the entries or totals, or another error
// when the store could not be read.
func CheckCurrencies(ctx context.Context, sys System, events []affiliate.Event) error {
	if err := sys.validate(); err != nil {
		return err
	}
	refused, err := deliver(ctx, sys.Engine, events)
	if err != nil {
		return err
	}
	currency := make(map[affiliate.EventID]affiliate.Currency)
	for _, e := range acceptedEvents(events, refused) {
		switch p := e.(type) {
		case affiliate.Payment:
			currency[p.ID] = p.Currency
		case *affiliate.Payment:
			currency[p.ID] = p.Currency
		}
	}
	entries, err := ledgerOf(ctx, sys.Ledger, customersOf(events))
	if err != nil {
		return err
	}
	var bad, on []string
	for _, e := range entries {
		want, ok := currency[e.Payment]
		switch {
		case !ok:
			bad = append(bad, fmt.Sprintf("entry %s (%s %s) is about payment %q, which was never accepted", e.ID, e.Kind, e.Amount, e.Payment))
		case e.Amount.Currency() != want:
			bad = append(bad, fmt.Sprintf("entry %s (%s) is in %s, but payment %s is in %s", e.ID, e.Kind, e.Amount, e.Payment, want))
		case e.Base != (affiliate.Money{}) && e.Base.Currency() != want:
			bad = append(bad, fmt.Sprintf("entry %s (%s) has base %s, but payment %s is in %s", e.ID, e.Kind, e.Base, e.Payment, want))
		default:
			continue
		}
		if !slices.Contains(on, string(e.Payment)) {
			on = append(on, string(e.Payment))
		}
	}
	if len(bad) > 0 {
		return violation("I5", on, "entries in the wrong currency:\n\t%s", lines(bad))
	}
	if sys.Aggregates == nil {
		return nil
	}
	return checkEarningTotals(ctx, sys, entries)
}

// checkEarningTotals compares every earnings aggregate of the entries'
// beneficiaries with the per-currency sums of their ledger.
func checkEarningTotals(ctx context.Context, sys System, entries []affiliate.Entry) error {
	loc := sys.Location
	if loc == nil {
		loc = time.UTC
	}
	type key struct {
		aff    affiliate.AffiliateID
		period string
		cur    affiliate.Currency
	}
	var affs []affiliate.AffiliateID
	first := make(map[affiliate.AffiliateID]affiliate.Period)
	last := make(map[affiliate.AffiliateID]affiliate.Period)
	for _, e := range entries {
		p := affiliate.PeriodOf(e.At, loc)
		f, ok := first[e.Beneficiary]
		if !ok {
			affs = append(affs, e.Beneficiary)
			first[e.Beneficiary], last[e.Beneficiary] = p, p
			continue
		}
		if p.Before(f) {
			first[e.Beneficiary] = p
		}
		if last[e.Beneficiary].Before(p) {
			last[e.Beneficiary] = p
		}
	}
	slices.Sort(affs)
	var bad, on []string
	for _, a := range affs {
		from, to := first[a], last[a]
		all, err := sys.Ledger.Entries(ctx, storage.EntryQuery{Beneficiary: a, From: from.Start(), To: to.End()})
		if err != nil {
			return fmt.Errorf("affiliatetest: reading the ledger of %s: %w", a, err)
		}
		want := make(map[key]int64)
		for _, e := range all {
			want[key{a, affiliate.PeriodOf(e.At, loc).String(), e.Amount.Currency()}] += e.Amount.Minor()
		}
		aggs, err := sys.Aggregates.AffiliateAggregates(ctx, a, affiliate.MetricEarnings, from, to)
		if err != nil {
			return fmt.Errorf("affiliatetest: reading the earnings of %s: %w", a, err)
		}
		got := make(map[key]int64)
		for _, g := range aggs {
			if err := g.Amount.Validate(); err != nil {
				bad = append(bad, fmt.Sprintf("%s's earnings total for %s has no valid currency (%v)", a, g.Period, g.Amount))
				continue
			}
			got[key{a, g.Period.String(), g.Amount.Currency()}] += g.Amount.Minor()
		}
		var keys []key
		for k := range want {
			keys = append(keys, k)
		}
		for k := range got {
			if _, ok := want[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.SortFunc(keys, func(x, y key) int {
			return cmp.Or(cmp.Compare(x.period, y.period), cmp.Compare(x.cur, y.cur))
		})
		for _, k := range keys {
			if want[k] != got[k] {
				bad = append(bad, fmt.Sprintf("%s's earnings total for %s in %s is %s, but its %s entries sum to %s",
					a, k.period, k.cur, affiliate.MustMoney(got[k], k.cur), k.cur, affiliate.MustMoney(want[k], k.cur)))
				on = append(on, string(a)+" "+k.period)
			}
		}
	}
	if len(bad) > 0 {
		return violation("I5", on, "totals that do not match their own currency's entries:\n\t%s", lines(bad))
	}
	return nil
}
