package affiliatetest

import (
	"cmp"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"

	"github.com/openaffiliate/affiliate"
)

// CmpOptions returns the go-cmp options for comparing the library's
// values in tests:
//
//   - Money compares strictly: same minor units and same currency (10.00
//     EUR and 10.00 USD differ, and so do 10.00 and 10.01).
//   - Rate compares by value (rates are normalised, so 0.15 and 0.150 are
//     one rate).
//   - decimal.Decimal compares strictly: equal values at the same exponent,
//     because where a scale matters, 12.3 and 12.30 are different answers.
//   - time.Time compares with Equal, so the same instant in two locations,
//     or read back from a store without its monotonic reading, is equal.
//   - Period compares with its Equal (same month, same location name).
//   - Slices of entries, payouts, bindings and touches are sorted before
//     they are compared (entries by time, then ID; payouts by ID; bindings
//     by customer; touches by time, then ID), so a diff shows content, not
//     store order. Compare ledgers without these options where order is
//     the point (CheckDeterministic does).
//   - Empty and nil slices and maps are equal, and errors compare with
//     errors.Is (cmpopts.EquateErrors).
//
// Write diffs as cmp.Diff(want, got, affiliatetest.CmpOptions()) and
// report them as "(-want +got)".
func CmpOptions() gocmp.Options {
	return gocmp.Options{
		gocmp.Comparer(func(a, b affiliate.Money) bool { return a.Minor() == b.Minor() && a.Currency() == b.Currency() }),
		gocmp.Comparer(func(a, b affiliate.Rate) bool { return a.Equal(b) }),
		gocmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) && a.Exponent() == b.Exponent() }),
		gocmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) }),
		gocmp.Comparer(func(a, b affiliate.Period) bool { return a.Equal(b) }),
		cmpopts.SortSlices(func(a, b affiliate.Entry) bool { return compareEntries(a, b) < 0 }),
		cmpopts.SortSlices(func(a, b affiliate.Payout) bool { return a.ID < b.ID }),
		cmpopts.SortSlices(func(a, b affiliate.Binding) bool { return a.Customer < b.Customer }),
		cmpopts.SortSlices(func(a, b affiliate.Touch) bool {
			if c := a.At.Compare(b.At); c != 0 {
				return c < 0
			}
			return a.ID < b.ID
		}),
		cmpopts.EquateEmpty(),
		cmpopts.EquateErrors(),
	}
}

// compareEntries orders entries as stores return them: by At, then ID.
func compareEntries(a, b affiliate.Entry) int {
	if c := a.At.Compare(b.At); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}
