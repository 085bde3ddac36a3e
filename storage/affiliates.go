package storage

import (
	"context"

	"github.com/openaffiliate/affiliate"
)

// Affiliates stores affiliate accounts and resolves their codes.
type Affiliates interface {
	// PutAffiliate creates a or replaces the stored affiliate with a's ID.
	// Codes are unique across affiliates once normalised
	// (affiliate.NormalizeCode); a replace may drop or add codes.
	//
	// Returns ErrInvalid when a fails Validate, ErrConflict when one of its
	// codes belongs to another affiliate or its Parent would close a cycle,
	// and ErrNotFound when its Parent is not stored.
	PutAffiliate(ctx context.Context, a affiliate.Affiliate) error

	// Affiliate returns the affiliate with id, or ErrNotFound.
	Affiliate(ctx context.Context, id affiliate.AffiliateID) (affiliate.Affiliate, error)

	// AffiliateByCode returns the affiliate owning code (compared after
	// affiliate.NormalizeCode), or ErrNotFound.
	AffiliateByCode(ctx context.Context, code string) (affiliate.Affiliate, error)
}
