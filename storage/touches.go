package storage

import (
	"context"

	"github.com/openaffiliate/affiliate"
)

// Touches stores the clicks on referral links and the uses of affiliate
// codes that happen before a signup. Touches are facts: they are added,
// never changed.
type Touches interface {
	// AddTouch stores t.
	//
	// Returns ErrInvalid when t fails Validate, and ErrConflict when a touch
	// with t.ID is already stored (whatever its content); nothing is stored
	// in either case.
	AddTouch(ctx context.Context, t affiliate.Touch) error

	// VisitorTouches returns every touch of the visitor, ordered by At,
	// then ID. A visitor without touches gets an empty result and no error.
	VisitorTouches(ctx context.Context, v affiliate.VisitorID) ([]affiliate.Touch, error)
}
