package storage

import (
	"context"

	"github.com/openaffiliate/affiliate"
)

// Bindings stores the one binding each customer may have.
type Bindings interface {
	// Bind stores b when its customer has no binding and returns it. When
	// the customer is bound already it returns the stored binding and
	// ErrAlreadyBound (which matches ErrConflict), and stores nothing; of
	// concurrent calls for one customer exactly one stores.
	//
	// Returns ErrInvalid when b fails Validate.
	Bind(ctx context.Context, b affiliate.Binding) (affiliate.Binding, error)

	// Binding returns the customer's binding, or ErrNotFound.
	Binding(ctx context.Context, c affiliate.CustomerID) (affiliate.Binding, error)
}

// BindingLister lists an affiliate's customers, for pages that show them
// (the portal's referrals). It is optional: a store without it serves
// everything but those pages.
type BindingLister interface {
	// AffiliateBindings returns the bindings of affiliate a, ordered by
	// BoundAt, then customer; none is an empty result. Returns ErrInvalid
	// for a malformed ID.
	AffiliateBindings(ctx context.Context, a affiliate.AffiliateID) ([]affiliate.Binding, error)
}
