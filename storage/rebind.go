package storage

import (
	"context"

	"github.com/openaffiliate/affiliate"
)

// Rebinder is the optional part of a store that moves a customer to
// another affiliate (program.MoveCustomer). A store without it keeps
// every binding for good.
type Rebinder interface {
	// Rebind compares and swaps: it replaces to.Customer's binding with
	// to when the stored binding's affiliate is still from, and returns
	// to. The dashboards then count the signup for to's affiliate.
	//
	// Returns ErrNotFound when the customer has no binding; ErrConflict
	// when its binding's affiliate is not from (a concurrent move won);
	// ErrInvalid when to fails Validate.
	Rebind(ctx context.Context, from affiliate.AffiliateID, to affiliate.Binding) (affiliate.Binding, error)
}
