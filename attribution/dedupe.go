package attribution

import (
	"context"

	"github.com/openaffiliate/affiliate"
)

// recentTouch returns the visitor's latest stored touch for t's affiliate
// and source dated within the dedupe interval before t, if there is one.
// Dedupe bounds the rows a reloading browser writes; it is no rate limit
// (concurrent requests may each store a touch), and a touch dated before
// the stored one is stored, since under first-click the earliest counts.
func (t *Tracker) recentTouch(ctx context.Context, touch affiliate.Touch) (affiliate.Touch, bool, error) {
	if t.dedupe < 0 {
		return affiliate.Touch{}, false, nil
	}
	stored, err := t.cfg.Store.VisitorTouches(ctx, touch.Visitor)
	if err != nil {
		return affiliate.Touch{}, false, err
	}
	for i := len(stored) - 1; i >= 0; i-- { // ordered by At: latest first
		s := stored[i]
		if s.At.After(touch.At) || s.Affiliate != touch.Affiliate || s.Source != touch.Source {
			continue
		}
		if touch.At.Sub(s.At) < t.dedupe {
			return s, true, nil
		}
		break
	}
	return affiliate.Touch{}, false, nil
}
