package commission

import (
	"context"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
)

// TierSource tells the engine which tier is in effect for an affiliate
// when a payment is made. Package tiers implements it from its schedule,
// its effect policy and the stored tier snapshots; FixedTier is the
// stand-in for programs without tiers.
type TierSource interface {
	// TierAt returns the tier in effect for a at p.PaidAt. Under an
	// immediate effect policy p's own amount counts toward the threshold;
	// p is passed for that and must not be retained.
	TierAt(ctx context.Context, a affiliate.AffiliateID, p affiliate.Payment) (rules.Tier, error)
}

// TierSourceFunc adapts a function to TierSource.
type TierSourceFunc func(ctx context.Context, a affiliate.AffiliateID, p affiliate.Payment) (rules.Tier, error)

// TierAt calls fn.
func (fn TierSourceFunc) TierAt(ctx context.Context, a affiliate.AffiliateID, p affiliate.Payment) (rules.Tier, error) {
	return fn(ctx, a, p)
}

// FixedTier returns a TierSource that puts every affiliate in t at all
// times.
func FixedTier(t rules.Tier) TierSource { return fixedTier(t) }

type fixedTier rules.Tier

func (t fixedTier) TierAt(context.Context, affiliate.AffiliateID, affiliate.Payment) (rules.Tier, error) {
	return rules.Tier(t), nil
}

// TierReadsBefore returns the zero Period: a fixed tier reads nothing.
func (fixedTier) TierReadsBefore(affiliate.Payment) (affiliate.Period, bool) {
	return affiliate.Period{}, true
}
