package tiers

import (
	"context"
	"sync"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// A closed month's decisions change only when the month is closed again,
// which raises its revision. The engine asks TierAt for every payment,
// and under NextPeriod every payment of a month asks for the same closed
// month: so the program keeps the decisions of the closed months it read
// last, keyed by period and revision, and answers from them after one
// read of the close's revision, instead of reading the affiliate's
// snapshot again for every payment. A close of the next month reads the
// same view for its applied tiers.

// maxClosedViews bounds the closed months kept: the month before the
// current one, and one more for late payments.
const maxClosedViews = 2

// closedViews holds the decisions of recently read closed months, newest
// first. Views are shared and never changed once stored.
type closedViews struct {
	mu    sync.Mutex
	views []closedView
}

type closedView struct {
	period    affiliate.Period
	revision  int64
	decisions map[affiliate.AffiliateID]decision
}

func (c *closedViews) get(per affiliate.Period, revision int64) (map[affiliate.AffiliateID]decision, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, v := range c.views {
		if v.period == per && v.revision == revision {
			return v.decisions, true
		}
	}
	return nil, false
}

func (c *closedViews) put(v closedView) {
	c.mu.Lock()
	defer c.mu.Unlock()
	kept := []closedView{v}
	for _, old := range c.views {
		if old.period != v.period && len(kept) < maxClosedViews {
			kept = append(kept, old)
		}
	}
	c.views = kept
}

// closedDecisions returns every snapshotted affiliate's decision in per,
// whose latest close is c: from the views when they hold that revision,
// else read with one store call and kept.
func (p *Program) closedDecisions(ctx context.Context, per affiliate.Period, c affiliate.TierClose) (map[affiliate.AffiliateID]decision, error) {
	if ds, ok := p.views.get(per, c.Revision); ok {
		return ds, nil
	}
	snaps, err := p.cfg.Store.TierSnapshots(ctx, storage.TierSnapshotQuery{Program: p.cfg.Program, Period: per})
	if err != nil {
		return nil, err
	}
	ds := make(map[affiliate.AffiliateID]decision, len(snaps))
	for _, s := range snaps {
		d, err := p.fromSnapshot(s, per)
		if err != nil {
			return nil, err
		}
		d.revision = c.Revision
		ds[s.Affiliate] = d
	}
	p.views.put(closedView{period: per, revision: c.Revision, decisions: ds})
	return ds, nil
}
