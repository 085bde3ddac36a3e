package attribution

import (
	"context"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
)

// ManualBinding is a binding the host decides itself: support staff
// crediting a customer whose referral was not tracked, or an import from
// another system.
type ManualBinding struct {
	Customer  affiliate.CustomerID  // required
	Affiliate affiliate.AffiliateID // required
	// Email is the customer's address. Optional, but without it the
	// self-referral check compares only IDs.
	Email string
	// At is when the binding takes effect (its TouchedAt and BoundAt);
	// zero means Config.Now.
	At time.Time
	// Reason says why, for the audit trail. Required; the binding does not
	// store it, the CustomerBound event carries it.
	Reason string
}

// BindManually binds a customer to the affiliate the host names, after
// the checks every binding passes (BaseChecks, then Config.Checks, which
// see Candidate.Source SourceManual): no self-referral, a customer who is
// not bound and whom the Directory did not know, a stored and active
// affiliate. The binding has Source affiliate.BindByManual and lasts
// Config.BindingTTL like any other; CustomerBound reports it with the
// reason.
//
// It returns what Bind returns for the same outcome: the existing binding
// and affiliate.ErrAlreadyBound, a *IneligibleError (ErrIneligible, so
// affiliate.ErrInvalid) with every reason a check gave, or a
// *affiliate.FieldError for malformed input. Nothing is stored then.
func (t *Tracker) BindManually(ctx context.Context, m ManualBinding) (affiliate.Binding, error) {
	if err := affiliate.ValidateID("ManualBinding.Customer", m.Customer); err != nil {
		return affiliate.Binding{}, err
	}
	if err := affiliate.ValidateID("ManualBinding.Affiliate", m.Affiliate); err != nil {
		return affiliate.Binding{}, err
	}
	if err := validateReason("ManualBinding.Reason", m.Reason); err != nil {
		return affiliate.Binding{}, err
	}
	if m.Email != "" {
		if _, err := affiliate.ParseEmail(m.Email); err != nil {
			return affiliate.Binding{}, &affiliate.FieldError{Field: "ManualBinding.Email", Reason: err.(*affiliate.FieldError).Reason}
		}
	}
	s, err := Signup{Customer: m.Customer, Email: m.Email, At: m.At}.normalize(t.cfg.Now())
	if err != nil {
		return affiliate.Binding{}, err
	}
	existing, err := t.existingBinding(ctx, s.Customer)
	if err != nil {
		return affiliate.Binding{}, err
	}
	if existing.Customer != "" {
		return existing, alreadyBound(existing)
	}
	c := Candidate{Source: SourceManual, Affiliate: m.Affiliate, At: s.At}
	attempts, err := t.attempts(ctx, s, existing, []Candidate{c})
	if err != nil {
		return affiliate.Binding{}, err
	}
	reasons, _, err := runChecks(ctx, t.checks, attempts[0]) // a person's decision is not held
	if err != nil {
		return affiliate.Binding{}, err
	}
	if len(reasons) > 0 {
		return affiliate.Binding{}, &IneligibleError{Customer: s.Customer, Refusals: []Refusal{{Candidate: c, Reasons: reasons}}}
	}
	return t.storeBecause(ctx, t.bindingFor(s, c), m.Reason)
}

// validateReason requires a reason a person wrote, of at most 2,048 bytes.
func validateReason(field, reason string) error {
	switch {
	case strings.TrimSpace(reason) == "":
		return &affiliate.FieldError{Field: field, Reason: "missing: say why, for the audit trail"}
	case len(reason) > maxContextLen:
		return &affiliate.FieldError{Field: field, Reason: "longer than 2048 bytes"}
	}
	return nil
}
