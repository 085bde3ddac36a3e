package attribution

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// ErrHoldUnsupported reports a binding that a Hold check held, in a
// tracker whose store keeps no review trail (storage.Reviews): the hold
// could not be kept, so nothing is bound. It matches affiliate.ErrInvalid.
var ErrHoldUnsupported = fmt.Errorf("%w: a Hold check needs a store that keeps reviews (storage.Reviews)", affiliate.ErrInvalid)

// Hold turns c into a check that holds for review instead of refusing:
// where c refuses, the customer is bound all the same, and the binding is
// held with c's reason, so its entries wait for a reviewer
// (program.Pending, Approve, Reject) and no run pays them before. Use it
// for signals that are suspicious rather than disqualifying: a
// disposable e-mail domain (DisposableDomain), a burst of signups from
// one affiliate (Velocity), a host's own fraud score; Config.
// HoldSameDomain does the same for a customer at the affiliate's own
// company domain. Manual bindings (BindManually) are a person's decision
// and are not held.
func Hold(c Check) Check { return holdCheck{c} }

type holdCheck struct{ c Check }

func (h holdCheck) Check(ctx context.Context, a Attempt) error {
	err := h.c.Check(ctx, a)
	if r, ok := asReason(err); ok {
		return &held{r}
	}
	return err
}

// held is a Hold check's verdict: not a refusal, so not a *Reason.
type held struct{ reason Reason }

func (h *held) Error() string { return "attribution: held for review: " + h.reason.String() }

func isHeld(err error) (Reason, bool) {
	var h *held
	if errors.As(err, &h) {
		return h.reason, true
	}
	return Reason{}, false
}

// ReasonDisposableDomain: the customer's e-mail is at a disposable-address
// provider.
const ReasonDisposableDomain ReasonCode = "disposable_domain"

// DisposableDomain refuses a customer whose e-mail domain is disposable;
// wrap it in Hold to review such signups instead.
type DisposableDomain struct {
	Disposable func(domain string) bool // required
}

// Check implements Check.
func (c DisposableDomain) Check(_ context.Context, a Attempt) error {
	if d := emailDomain(a.Signup.Email); d != "" && c.Disposable != nil && c.Disposable(d) {
		return Refuse(ReasonDisposableDomain, "the customer's e-mail domain "+d+" is disposable")
	}
	return nil
}

// ReasonVelocity: the affiliate bound many customers in a short time.
const ReasonVelocity ReasonCode = "velocity"

// Velocity refuses a binding that would give one affiliate more than
// Limit customers bound within Within (those bound in (signup−Within,
// signup], this customer left out, so a retried signup counts once);
// wrap it in Hold to review the burst instead. It reads the affiliate's
// bindings from Bindings (storage.BindingLister, which memstore and
// sqlstore implement; usually the tracker's own store): one read per
// candidate, whose cost grows with the affiliate's customers. A
// malformed Velocity is a *affiliate.FieldError, and the call binds
// nothing.
type Velocity struct {
	Bindings storage.BindingLister // required
	Limit    int                   // > 0
	Within   time.Duration         // > 0
}

// Check implements Check.
func (c Velocity) Check(ctx context.Context, a Attempt) error {
	switch {
	case c.Bindings == nil:
		return &affiliate.FieldError{Field: "Velocity.Bindings", Reason: "missing"}
	case c.Limit <= 0:
		return &affiliate.FieldError{Field: "Velocity.Limit", Reason: "must be positive"}
	case c.Within <= 0:
		return &affiliate.FieldError{Field: "Velocity.Within", Reason: "must be positive"}
	case a.Candidate.Affiliate == "":
		return nil // ActiveAffiliate refuses it
	}
	bs, err := c.Bindings.AffiliateBindings(ctx, a.Candidate.Affiliate)
	if err != nil {
		return err
	}
	n := 0
	for _, b := range bs {
		if b.Customer != a.Signup.Customer && b.BoundAt.After(a.Signup.At.Add(-c.Within)) && !b.BoundAt.After(a.Signup.At) {
			n++
		}
	}
	if n >= c.Limit {
		customers := "customers"
		if n == 1 {
			customers = "customer"
		}
		return Refuse(ReasonVelocity, fmt.Sprintf("affiliate %s bound %d %s in the %s before this signup; the limit is %d", a.Candidate.Affiliate, n, customers, c.Within, c.Limit))
	}
	return nil
}

// hold writes the holds of binding b before the binding itself, so a
// failure between the two leaves a hold (which a retry completes) and
// never an unheld binding. Its key names customer and affiliate: the
// hold applies to that affiliate's entries only (affiliate.Standings).
func (t *Tracker) hold(ctx context.Context, b affiliate.Binding, reasons []Reason) error {
	if len(reasons) == 0 {
		return nil
	}
	rs, ok := t.cfg.Store.(storage.Reviews)
	if !ok {
		return ErrHoldUnsupported
	}
	key := "hold/" + string(b.Customer) + "/" + string(b.Affiliate)
	records := make([]affiliate.Review, len(reasons))
	texts := make([]string, len(reasons))
	for i, r := range reasons {
		texts[i] = r.String()
		records[i] = affiliate.Review{Key: key, Action: affiliate.ReviewHold, Customer: b.Customer, Affiliate: b.Affiliate,
			Reason: texts[i], Actor: "attribution", At: b.BoundAt}
	}
	_, err := rs.AppendReviews(ctx, key, strings.Join(texts, "\n"), records)
	if errors.Is(err, affiliate.ErrIdempotencyMismatch) {
		return nil // held already, for other reasons, by an earlier attempt
	}
	return err
}
