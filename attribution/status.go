package attribution

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
)

// Suspend stops affiliate id from getting new touches, leads and
// bindings, and (in commission) from earning on new payments; what it
// earned stays. at is when the suspension takes effect, for the event;
// zero means Config.Now. reason is required.
//
// Suspending a suspended affiliate changes nothing and reports nothing.
// Otherwise AffiliateSuspended reports the stored affiliate, at and the
// reason. Returns a *affiliate.FieldError for a malformed ID or reason,
// ErrUnknownAffiliate for an ID that is not stored, and the store's
// errors; nothing is stored or reported then.
func (t *Tracker) Suspend(ctx context.Context, id affiliate.AffiliateID, at time.Time, reason string) (affiliate.Affiliate, error) {
	return t.setStatus(ctx, id, affiliate.StatusSuspended, at, reason)
}

// Reinstate makes a suspended affiliate active again, from at on: new
// touches and bindings count again; nothing from the suspension is
// re-attributed. It is Suspend's mirror, with AffiliateReinstated and the
// same errors.
func (t *Tracker) Reinstate(ctx context.Context, id affiliate.AffiliateID, at time.Time, reason string) (affiliate.Affiliate, error) {
	return t.setStatus(ctx, id, affiliate.StatusActive, at, reason)
}

func (t *Tracker) setStatus(ctx context.Context, id affiliate.AffiliateID, status affiliate.AffiliateStatus, at time.Time, reason string) (affiliate.Affiliate, error) {
	if err := affiliate.ValidateID("affiliate", id); err != nil {
		return affiliate.Affiliate{}, err
	}
	if err := validateReason("reason", reason); err != nil {
		return affiliate.Affiliate{}, err
	}
	if at.IsZero() {
		at = t.cfg.Now()
	}
	a, err := t.cfg.Store.Affiliate(ctx, id)
	if errors.Is(err, affiliate.ErrNotFound) {
		return affiliate.Affiliate{}, fmt.Errorf("attribution: affiliate %s: %w", id, ErrUnknownAffiliate)
	}
	if err != nil || a.Status == status {
		return a, err
	}
	a.Status = status
	if err := t.cfg.Store.PutAffiliate(ctx, a); err != nil {
		return affiliate.Affiliate{}, err
	}
	kind := AffiliateSuspended
	if status == affiliate.StatusActive {
		kind = AffiliateReinstated
	}
	t.observe(ctx, Event{Kind: kind, Affiliate: a, At: at, Reason: reason})
	return a, nil
}
