package commission

import (
	"context"
	"sync"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
)

// A memo holds, for one Retier call, what it would otherwise read once
// per customer it restates: the affiliates of the chains, the tiers at
// each payment and the months found open. A Retier call restates many
// customers of one affiliate, whose chains and months are the same; a
// tier close that runs meanwhile calls Retier again. Outside Retier
// nothing is memoized: Record reads fresh.
type memo struct {
	mu         sync.Mutex
	affiliates map[affiliate.AffiliateID]affiliate.Affiliate
	tiers      map[tierKey]rules.Tier
	open       map[monthKey]bool
}

type tierKey struct {
	affiliate affiliate.AffiliateID
	payment   affiliate.EventID
}

type memoKey struct{}

func withMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, memoKey{}, &memo{
		affiliates: map[affiliate.AffiliateID]affiliate.Affiliate{},
		tiers:      map[tierKey]rules.Tier{},
		open:       map[monthKey]bool{},
	})
}

func memoOf(ctx context.Context) *memo {
	m, _ := ctx.Value(memoKey{}).(*memo)
	return m
}

// affiliate reads affiliate id: from the attempt's prefetch when the
// store read it along, else through the call's memo if it has one.
func (e *Engine) affiliate(ctx context.Context, id affiliate.AffiliateID) (affiliate.Affiliate, error) {
	if p := prefetchOf(ctx); p != nil {
		if a, ok := p.affiliateOf(id); ok {
			return a, nil
		}
	}
	m := memoOf(ctx)
	if m != nil {
		m.mu.Lock()
		a, ok := m.affiliates[id]
		m.mu.Unlock()
		if ok {
			return a, nil
		}
	}
	a, err := e.store.Affiliate(ctx, id)
	if err == nil && m != nil {
		m.mu.Lock()
		m.affiliates[id] = a
		m.mu.Unlock()
	}
	return a, err
}

// tierAt asks the tier source: through the round's tiers inside a
// RecordBatch round, else through the call's memo if it has one.
func (e *Engine) tierAt(ctx context.Context, a affiliate.AffiliateID, p affiliate.Payment) (rules.Tier, error) {
	if t, inRound, err := e.roundTierAt(ctx, a, p); inRound {
		return t, err
	}
	m := memoOf(ctx)
	k := tierKey{a, p.ID}
	if m != nil {
		m.mu.Lock()
		t, ok := m.tiers[k]
		m.mu.Unlock()
		if ok {
			return t, nil
		}
	}
	t, err := e.tiers.TierAt(ctx, a, p)
	if err == nil && m != nil && m.tiers != nil {
		m.mu.Lock()
		m.tiers[k] = t
		m.mu.Unlock()
	}
	return t, err
}

// knownOpen reports whether the call's memo found month p open; sawOpen
// records that it did.
func knownOpen(ctx context.Context, p affiliate.Period) bool {
	m := memoOf(ctx)
	if m == nil {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.open[keyOf(p)]
}

func sawOpen(ctx context.Context, p affiliate.Period) {
	if m := memoOf(ctx); m != nil {
		m.mu.Lock()
		m.open[keyOf(p)] = true
		m.mu.Unlock()
	}
}
