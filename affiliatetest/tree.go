package affiliatetest

import (
	"fmt"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
)

// AffiliateTree draws between minN and maxN affiliates (minN ≥ 1) that
// pass Validate: IDs "aff_0001", "aff_0002"…, e-mail addresses
// "aff0001@example.com"…, one code each ("code0001", sometimes a second
// one, "promo0001"), about one in ten a sub-affiliate of an earlier
// affiliate, about one in twenty suspended, and most with a payout method
// on file.
//
// A parent always comes before its children, so there is no cycle and the
// affiliates can be stored in the order drawn (storage.Affiliates refuses
// a parent it does not hold). Sub-affiliates may have sub-affiliates of
// their own, so chains longer than two occur.
func AffiliateTree(minN, maxN int) *rapid.Generator[[]affiliate.Affiliate] {
	if minN < 1 || maxN < minN {
		panic(fmt.Sprintf("affiliatetest.AffiliateTree(%d, %d): need 1 ≤ min ≤ max", minN, maxN))
	}
	return rapid.Custom(func(t *rapid.T) []affiliate.Affiliate {
		n := rapid.IntRange(minN, maxN).Draw(t, "affiliates")
		out := make([]affiliate.Affiliate, n)
		for i := range out {
			a := affiliate.Affiliate{
				ID:                 affiliate.AffiliateID(fmt.Sprintf("aff_%04d", i+1)),
				Status:             affiliate.StatusActive,
				Name:               fmt.Sprintf("Affiliate %d", i+1),
				Email:              fmt.Sprintf("aff%04d@example.com", i+1),
				Codes:              []string{fmt.Sprintf("code%04d", i+1)},
				PayoutMethodOnFile: rapid.IntRange(0, 9).Draw(t, "no payout method") != 0,
				CreatedAt:          Epoch,
			}
			if i > 0 && rapid.IntRange(0, 9).Draw(t, "sub-affiliate") == 0 {
				a.Parent = out[rapid.IntRange(0, i-1).Draw(t, "parent")].ID
			}
			if rapid.IntRange(0, 19).Draw(t, "suspended") == 0 {
				a.Status = affiliate.StatusSuspended
			}
			if rapid.IntRange(0, 4).Draw(t, "second code") == 0 {
				a.Codes = append(a.Codes, fmt.Sprintf("promo%04d", i+1))
			}
			out[i] = a
		}
		return out
	})
}

// Chain returns the beneficiary chain of a: a, its parent, the parent's
// parent, and so on, up to depth affiliates (depth ≤ 0 means no limit),
// stopping at a parent missing from affs or already in the chain. It is
// the chain the commission engine builds, computed from the tree alone, for
// properties that predict who earns.
func Chain(affs []affiliate.Affiliate, a affiliate.AffiliateID, depth int) []affiliate.AffiliateID {
	byID := make(map[affiliate.AffiliateID]affiliate.Affiliate, len(affs))
	for _, x := range affs {
		byID[x.ID] = x
	}
	var chain []affiliate.AffiliateID
	seen := make(map[affiliate.AffiliateID]bool)
	for id := a; id != "" && !seen[id]; {
		x, ok := byID[id]
		if !ok {
			break
		}
		chain = append(chain, id)
		seen[id] = true
		if depth > 0 && len(chain) == depth {
			break
		}
		id = x.Parent
	}
	return chain
}
