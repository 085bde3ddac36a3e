package storage

import (
	"slices"

	"github.com/openaffiliate/affiliate"
)

// Expectation is what a commit of Record was planned from when the engine
// took it from its own last commit for the customer instead of reading it
// (commission.Config.RememberedCustomers; the engine does so only on a
// BatchReader, whose reads are round trips). Commit refuses such a commit
// with ErrConflict, and writes nothing, unless its Key is claimed by no
// commit (a claimed key is a conflict here, not a replay), the binding of
// State.Customer is Binding (none when Bound is false), each of Affiliates
// is stored as given (SameAffiliate), and each run of Runs exists exactly
// when its value says so. The engine then reads the facts and plans again.
//
// A store declares that its Commit checks expectations by implementing
// ExpectationChecker; the engine remembers nothing on a store that does
// not, such as one written before Expectation existed, which would
// ignore the field and write what stale facts planned.
type Expectation struct {
	Binding    affiliate.Binding
	Bound      bool
	Affiliates []affiliate.Affiliate
	Runs       map[PayoutRunKey]bool
}

// ExpectationChecker is an optional interface of a store whose Commit
// checks a commit's Expectation (memstore and sqlstore do). The engine
// asks for it, along with BatchReader, before it plans from remembered
// facts; its one method is the store's declaration and does nothing.
type ExpectationChecker interface {
	ChecksExpectations()
}

// SameBinding reports whether a and b hold the same binding, their times
// compared as instants: what a store compares an expected binding with.
func SameBinding(a, b affiliate.Binding) bool {
	return a.Customer == b.Customer && a.Affiliate == b.Affiliate && a.Source == b.Source && a.Touch == b.Touch &&
		a.Lead == b.Lead && a.Code == b.Code && a.TouchedAt.Equal(b.TouchedAt) && a.BoundAt.Equal(b.BoundAt) && a.ExpiresAt.Equal(b.ExpiresAt)
}

// SameAffiliate reports whether a and b hold the same affiliate, as
// SameBinding does for bindings.
func SameAffiliate(a, b affiliate.Affiliate) bool {
	return a.ID == b.ID && a.Parent == b.Parent && a.Status == b.Status && a.Name == b.Name && a.Email == b.Email &&
		slices.Equal(a.Codes, b.Codes) && a.PayoutMethodOnFile == b.PayoutMethodOnFile && a.CreatedAt.Equal(b.CreatedAt)
}
