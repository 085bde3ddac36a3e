package storage

import (
	"context"

	"github.com/openaffiliate/affiliate"
)

// Profiles stores payee profiles as versioned records: a change appends a
// version and no version is ever edited, so what a payout file was written
// from stays readable.
type Profiles interface {
	// PutProfile appends p as its affiliate's newest version and returns
	// it with Version set (1 for the first; p.Version is ignored).
	//
	// Returns ErrInvalid when p fails Validate, and ErrNotFound when its
	// affiliate is not stored.
	PutProfile(ctx context.Context, p affiliate.PayeeProfile) (affiliate.PayeeProfile, error)

	// Profile returns a's newest profile, or ErrNotFound.
	Profile(ctx context.Context, a affiliate.AffiliateID) (affiliate.PayeeProfile, error)

	// ProfileVersions returns every version of a's profile, oldest first;
	// none when a has no profile.
	ProfileVersions(ctx context.Context, a affiliate.AffiliateID) ([]affiliate.PayeeProfile, error)
}
