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
// tier-driven key (one whose latest earning or adjustment entry names a
// tier), and restates (as Recompute does) every customer with a key
// priced at another tier than the source now answers. A key's entries
// are dated no earlier than its payment, so a read from the start of a
// month finds every key of the month's payments; a payment whose amount
// rounds to zero at its tier has a 0.00 entry, so it is found too. Call it after a tier close,
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
	ctx = withMemo(ctx)
	entries, err := e.store.Entries(ctx, storage.EntryQuery{Beneficiary: a, From: from})
	if err != nil {
		return Result{}, err
	}
	held, order := holdingsOf(entries)
	var res Result
	restated := make(map[affiliate.CustomerID]bool)
	for _, k := range order {
		h := held[k]
		if h.tip.Tier == "" || restated[h.root.Customer] {
			continue
		}
		moved, err := e.tierMoved(ctx, a, h.root, h.tip.Tier)
		if err != nil {
			return res, err
		}
		if !moved {
			continue
		}
		restated[h.root.Customer] = true
		rr, err := e.Recompute(ctx, h.root.Customer)
		if err != nil {
			return res, err
		}
		res.Entries = append(res.Entries, rr.Entries...)
	}
	return res, nil
}

// tierMoved reports whether the key rooted at r, priced at tier, would be
// priced at another tier now.
func (e *Engine) tierMoved(ctx context.Context, a affiliate.AffiliateID, r affiliate.Entry, tier string) (bool, error) {
	rec, err := e.store.Event(ctx, r.Payment)
	switch {
	case errors.Is(err, affiliate.ErrNotFound):
		return true, nil
	case err != nil:
		return false, err
	case rec.Payment == nil:
		return true, nil
	}
	t, err := e.tierAt(ctx, a, *rec.Payment)
	if err != nil {
		return false, err
	}
	return t.Name != tier, nil
}
