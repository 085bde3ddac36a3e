package tiers

import (
	"github.com/openaffiliate/affiliate"
)

// Decision is the tier decided for one affiliate and one month.
type Decision struct {
	Affiliate affiliate.AffiliateID
	Period    affiliate.Period
	// Value is the month's metric value for the affiliate.
	Value Value
	// Reached is the tier Value reaches.
	Reached Tier
	// Tier is the tier decided: Reached, or a higher tier reached in one
	// of the Config.KeepFor months before and kept.
	Tier Tier
	// HeldFrom is the month whose reached tier was kept, or the zero
	// Period when Value decided.
	HeldFrom affiliate.Period
	// Revision is the close run the decision comes from; 0 when the month
	// is not closed and the decision was evaluated from its running
	// aggregates (provisional: later events may change it).
	Revision int64
}

// decision is Decision in ranks (positions in the schedule), the form the
// core computes with.
type decision struct {
	value    Value
	reached  int
	tier     int
	heldBack int // months back to the month whose reached tier was kept; 0 when none
	revision int64
}

// decide is the whole tier rule: a month's tier is the tier its own value
// reached, unless a higher tier was reached in one of the months before it
// that are still kept. held[k] is the rank reached k+1 months before; the
// most recent of equal ranks is the one kept, so the hold runs from the
// latest time the tier was reached.
func decide(value Value, reached int, held []int) decision {
	d := decision{value: value, reached: reached, tier: reached}
	for k, r := range held {
		if r > d.tier {
			d.tier, d.heldBack = r, k+1
		}
	}
	return d
}

// export turns a decision into a Decision.
func (s Schedule) export(a affiliate.AffiliateID, per affiliate.Period, d decision) Decision {
	out := Decision{
		Affiliate: a, Period: per, Value: d.value,
		Reached: s.tiers[d.reached], Tier: s.tiers[d.tier], Revision: d.revision,
	}
	if d.heldBack > 0 {
		out.HeldFrom = back(per, d.heldBack)
	}
	return out
}

// back returns the month n months before per.
func back(per affiliate.Period, n int) affiliate.Period {
	for range n {
		per = per.Prev()
	}
	return per
}
