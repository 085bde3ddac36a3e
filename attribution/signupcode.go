package attribution

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"errors"

	"github.com/openaffiliate/affiliate"
)

// recordSignupCode stores the use of the code typed at signup as a touch
// and returns its ID. The touch's ID derives from the customer and the
// code's affiliate, so a Bind retried after a failure finds the touch the
// first attempt stored (ErrConflict) instead of counting the code twice,
// and a retry with another affiliate's code gets a touch of its own.
func (t *Tracker) recordSignupCode(ctx context.Context, s Signup, c Candidate) (affiliate.TouchID, error) {
	sum := sha256.Sum256([]byte(string(s.Customer) + "\x00" + string(c.Affiliate)))
	id := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:16])
	visitor := s.Visitor
	if visitor == "" {
		visitor = affiliate.VisitorID("v_signup_" + id)
	}
	touch := affiliate.Touch{
		ID: affiliate.TouchID("t_signup_" + id), Visitor: visitor, Affiliate: c.Affiliate, Code: c.Code,
		Source: affiliate.TouchCode, At: s.At, IP: s.IP, UserAgent: s.UserAgent,
	}
	err := t.cfg.Store.AddTouch(ctx, touch)
	switch {
	case errors.Is(err, affiliate.ErrConflict):
		return touch.ID, nil
	case err != nil:
		return "", err
	}
	t.observe(ctx, Event{Kind: TouchRecorded, Touch: touch})
	return touch.ID, nil
}
