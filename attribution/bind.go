package attribution

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/openaffiliate/affiliate"
)

// Bind chooses the one affiliate a new customer is credited to and stores
// the binding.
//
// The candidates are what the host knows at signup: the code typed into
// the form (s.Code), the accepted leads whose company has the customer's
// e-mail domain, the visitor's recorded touches and the touch the referral
// cookie carries (s.Referral). Every candidate of a source in the
// precedence goes through BaseChecks and Config.Checks; among those that
// pass, the policy picks one (see Decide).
//
// It returns:
//   - the stored binding, after notifying CustomerBound;
//   - the customer's existing binding and an error matching
//     affiliate.ErrAlreadyBound when the customer is bound already (also
//     when a concurrent Bind won): a binding never moves;
//   - ErrNoReferral when there is no candidate at all;
//   - a *IneligibleError (ErrIneligible) listing every candidate and every
//     reason when all were refused;
//   - a *affiliate.FieldError for a malformed signup.
//
// A binding through the typed code also records the code's use as a
// touch (affiliate.TouchCode, at the signup), which the binding names, so
// the dashboards count it with the other touches. Nothing else is stored
// unless the binding is; a store failure between the two writes leaves
// the touch, which a retry finds and reuses.
func (t *Tracker) Bind(ctx context.Context, s Signup) (affiliate.Binding, error) {
	s, err := s.normalize(t.cfg.Now())
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
	cands, err := t.candidates(ctx, s)
	if err != nil {
		return affiliate.Binding{}, err
	}
	if len(cands) == 0 {
		return affiliate.Binding{}, fmt.Errorf("attribution: customer %s: %w", s.Customer, ErrNoReferral)
	}
	attempts, err := t.attempts(ctx, s, existing, cands)
	if err != nil {
		return affiliate.Binding{}, err
	}
	d, err := Decide(ctx, t.policy, t.checks, attempts)
	if err != nil {
		return affiliate.Binding{}, err
	}
	if !d.OK {
		return affiliate.Binding{}, &IneligibleError{Customer: s.Customer, Refusals: d.Refused}
	}
	b := t.bindingFor(s, d.Chosen.Candidate)
	if err := t.hold(ctx, b, d.Holds); err != nil {
		return affiliate.Binding{}, err
	}
	if d.Chosen.Candidate.Source == SourceCode {
		if b.Touch, err = t.recordSignupCode(ctx, s, d.Chosen.Candidate); err != nil {
			return affiliate.Binding{}, err
		}
	}
	return t.store(ctx, b)
}

// store writes b and reports it; a lost race returns the winner's binding.
func (t *Tracker) store(ctx context.Context, b affiliate.Binding) (affiliate.Binding, error) {
	return t.storeBecause(ctx, b, "")
}

// storeBecause is store with the host's reason for a binding by hand.
func (t *Tracker) storeBecause(ctx context.Context, b affiliate.Binding, reason string) (affiliate.Binding, error) {
	stored, err := t.cfg.Store.Bind(ctx, b)
	if errors.Is(err, affiliate.ErrAlreadyBound) {
		return stored, alreadyBound(stored)
	}
	if err != nil {
		return affiliate.Binding{}, err
	}
	t.observe(ctx, Event{Kind: CustomerBound, Binding: stored, Reason: reason})
	return stored, nil
}

func alreadyBound(b affiliate.Binding) error {
	return fmt.Errorf("attribution: customer %s is bound to %s: %w", b.Customer, b.Affiliate, affiliate.ErrAlreadyBound)
}

func (t *Tracker) existingBinding(ctx context.Context, c affiliate.CustomerID) (affiliate.Binding, error) {
	b, err := t.cfg.Store.Binding(ctx, c)
	if errors.Is(err, affiliate.ErrNotFound) {
		return affiliate.Binding{}, nil
	}
	return b, err
}

// candidates gathers the evidence of every source in the precedence.
func (t *Tracker) candidates(ctx context.Context, s Signup) ([]Candidate, error) {
	var cands []Candidate
	uses := func(src Source) bool { return slices.Contains(t.policy.Precedence, src) }
	if s.Code != "" && uses(SourceCode) {
		c := Candidate{Source: SourceCode, At: s.At, Code: s.Code}
		a, err := t.cfg.Store.AffiliateByCode(ctx, s.Code)
		switch {
		case err == nil:
			c.Affiliate = a.ID
		case !errors.Is(err, affiliate.ErrNotFound):
			return nil, err
		}
		cands = append(cands, c)
	}
	if t.leads != nil && s.Email != "" && uses(SourceLead) {
		for _, key := range ProspectKeys(s.Email, "", t.cfg.FreeMail) {
			leads, err := t.leads.LeadsByKey(ctx, key)
			if err != nil {
				return nil, err
			}
			for _, l := range leads {
				if l.Status == affiliate.LeadAccepted {
					cands = append(cands, Candidate{Source: SourceLead, Affiliate: l.Affiliate, At: l.DecidedAt, Lead: l.ID})
				}
			}
		}
	}
	if uses(SourceTouch) {
		seen := map[affiliate.TouchID]bool{}
		if s.Visitor != "" {
			touches, err := t.cfg.Store.VisitorTouches(ctx, s.Visitor)
			if err != nil {
				return nil, err
			}
			for _, tc := range touches {
				seen[tc.ID] = true
				cands = append(cands, Candidate{Source: SourceTouch, Affiliate: tc.Affiliate, At: tc.At, Touch: tc.ID, Via: tc.Source, Code: tc.Code})
			}
		}
		if r := s.Referral; r != (Referral{}) && (r.Touch == "" || !seen[r.Touch]) {
			// The cookie is signed, so what it says stands even when its
			// touch is not in this store (another visitor ID, a purge).
			cands = append(cands, Candidate{Source: SourceTouch, Affiliate: r.Affiliate, At: r.At, Touch: r.Touch, Via: affiliate.TouchLink})
		}
	}
	return cands, nil
}

// attempts loads the facts the checks need for each candidate.
func (t *Tracker) attempts(ctx context.Context, s Signup, existing affiliate.Binding, cands []Candidate) ([]Attempt, error) {
	existed := false
	if t.cfg.Directory != nil {
		var err error
		if existed, err = t.cfg.Directory.CustomerExisted(ctx, s.Customer, s.Email); err != nil {
			return nil, err
		}
	}
	affs := map[affiliate.AffiliateID]affiliate.Affiliate{}
	attempts := make([]Attempt, len(cands))
	for i, c := range cands {
		a, ok := affs[c.Affiliate]
		if !ok && c.Affiliate != "" {
			var err error
			a, err = t.cfg.Store.Affiliate(ctx, c.Affiliate)
			if err != nil && !errors.Is(err, affiliate.ErrNotFound) {
				return nil, err
			}
			affs[c.Affiliate] = a
		}
		attempts[i] = Attempt{Signup: s, Candidate: c, Affiliate: a, Existing: existing, CustomerExisted: existed, Window: t.window}
	}
	return attempts, nil
}

func (t *Tracker) bindingFor(s Signup, c Candidate) affiliate.Binding {
	b := affiliate.Binding{Customer: s.Customer, Affiliate: c.Affiliate, TouchedAt: c.At, BoundAt: s.At}
	switch c.Source {
	case SourceCode:
		b.Source, b.Code = affiliate.BindByCode, c.Code
	case SourceLead:
		b.Source, b.Lead = affiliate.BindByLead, c.Lead
	case SourceTouch:
		b.Source, b.Touch, b.Code = affiliate.BindByLink, c.Touch, c.Code
		if c.Via == affiliate.TouchCode {
			b.Source = affiliate.BindByCode
		}
	case SourceManual:
		b.Source = affiliate.BindByManual
	}
	if t.cfg.BindingTTL > 0 {
		b.ExpiresAt = s.At.Add(t.cfg.BindingTTL)
	}
	return b
}
