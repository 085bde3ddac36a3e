package commission

import (
	"context"
	"errors"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// Retier re-prices the payments whose tier changed: it reads affiliate
// a's entries dated from from on, asks the tier source again for each
// tier-driven key (one naming a tier), and restates (as Recompute does)
// every customer with a key priced at another tier than the source now
// answers. A key written by a recompute rather than by its payment's own
// event is dated at the clock, so its payment's month is not known from
// its date: its customer is always restated. Call it after a tier close,
// for each affiliate the close reports as affected (tiers.CloseResult.
// Affected): the close records decisions, the engine makes the ledger
// follow them.
//
// It appends only differences: run again, or with nothing changed, it
// writes nothing. Its cost is linear in a's entries from from on plus the
// history of the customers it restates. It returns the entries appended,
// and the store's and the tier source's errors.
func (e *Engine) Retier(ctx context.Context, a affiliate.AffiliateID, from time.Time) (Result, error) {
	if err := affiliate.ValidateID("affiliate", a); err != nil {
		return Result{}, err
	}
	entries, err := e.store.Entries(ctx, storage.EntryQuery{Beneficiary: a, From: from})
	if err != nil {
		return Result{}, err
	}
	// The tier a key is priced at is the one its latest earning or
	// adjustment entry names (reversals repeat what they reverse); two
	// latest entries naming different tiers count as "" (re-price).
	priced := make(map[affiliate.EntryID]*keyTier)
	var roots []affiliate.Entry
	for _, en := range entries {
		if earning(en.Kind) {
			roots = append(roots, en)
			priced[en.ID] = &keyTier{at: en.At, tier: en.Tier}
		}
	}
	for _, en := range entries {
		if k := priced[en.Corrects]; k != nil && en.Kind == affiliate.KindAdjustment {
			k.see(en)
		}
	}
	var res Result
	restated := make(map[affiliate.CustomerID]bool)
	for _, r := range roots {
		k := priced[r.ID]
		if r.Tier == "" || restated[r.Customer] {
			continue
		}
		moved, err := e.tierMoved(ctx, a, r, k.tier)
		if err != nil {
			return res, err
		}
		if !moved {
			continue
		}
		restated[r.Customer] = true
		rr, err := e.Recompute(ctx, r.Customer)
		if err != nil {
			return res, err
		}
		res.Entries = append(res.Entries, rr.Entries...)
	}
	return res, nil
}

// keyTier is the tier a key's latest entries name.
type keyTier struct {
	at   time.Time
	tier string
}

func (k *keyTier) see(e affiliate.Entry) {
	switch c := e.At.Compare(k.at); {
	case c > 0:
		k.at, k.tier = e.At, e.Tier
	case c == 0 && e.Tier != k.tier:
		k.tier = ""
	}
}

// tierMoved reports whether the key rooted at r, priced at tier, would be
// priced at another tier now.
func (e *Engine) tierMoved(ctx context.Context, a affiliate.AffiliateID, r affiliate.Entry, tier string) (bool, error) {
	if r.Event != r.Payment || tier == "" {
		return true, nil
	}
	rec, err := e.store.Event(ctx, r.Payment)
	switch {
	case errors.Is(err, affiliate.ErrNotFound):
		return true, nil
	case err != nil:
		return false, err
	case rec.Payment == nil:
		return true, nil
	}
	t, err := e.tiers.TierAt(ctx, a, *rec.Payment)
	if err != nil {
		return false, err
	}
	return t.Name != tier, nil
}
