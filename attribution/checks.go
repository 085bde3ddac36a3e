package attribution

import (
	"context"
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
)

// Attempt is one candidate binding as the eligibility checks see it: the
// signup, the candidate, and the facts the shell gathered for it. It is a
// plain value, so the checks (and Decide) are pure functions of it.
type Attempt struct {
	Signup    Signup
	Candidate Candidate
	// Affiliate is the candidate's affiliate as stored; its ID is empty
	// when no stored affiliate matches (an unknown code).
	Affiliate affiliate.Affiliate
	// Existing is the customer's stored binding; its Customer is empty
	// when there is none.
	Existing affiliate.Binding
	// CustomerExisted is the host directory's answer: the customer was
	// already the host's customer before this signup.
	CustomerExisted bool
	// Window is how long before the signup a touch still counts.
	Window time.Duration
}

// Check is one eligibility rule run before a binding is stored. It returns
// nil when the attempt passes; a *Reason (see Refuse) when it refuses; and
// any other error when it cannot decide, which fails the call without
// storing anything. Hosts add their own (IP, device fingerprint,
// disposable e-mail) through Config.Checks.
type Check interface {
	Check(ctx context.Context, a Attempt) error
}

// CheckFunc adapts a function to Check.
type CheckFunc func(ctx context.Context, a Attempt) error

// Check calls f.
func (f CheckFunc) Check(ctx context.Context, a Attempt) error { return f(ctx, a) }

// BaseChecks are the checks every binding passes, whatever the
// configuration: they carry the invariants a program relies on (no
// self-referral, one binding per customer, active affiliates only, touches
// inside the window). freeMail decides which e-mail domains are free-mail;
// nil means IsFreeMail.
func BaseChecks(freeMail func(domain string) bool) []Check {
	return baseChecks(SelfReferral{FreeMail: freeMail})
}

func baseChecks(self SelfReferral) []Check {
	return []Check{self, NewCustomer{}, ActiveAffiliate{}, InWindow{}}
}

// SelfReferral refuses a customer who is the affiliate: the same ID (or
// Signup.Affiliate naming it), the same mailbox (compared after folding
// case, "+tags" and Gmail dots), or the same e-mail domain when that
// domain is not a free-mail one.
type SelfReferral struct {
	FreeMail func(domain string) bool // nil: IsFreeMail
	// HoldSameDomain holds a customer at the affiliate's own company
	// domain for review (see Hold) instead of refusing: a colleague may
	// be a real client. The same ID or mailbox is refused all the same.
	HoldSameDomain bool
}

// Check implements Check.
func (c SelfReferral) Check(_ context.Context, a Attempt) error {
	aff := a.Candidate.Affiliate
	if string(a.Signup.Customer) == string(aff) || (a.Signup.Affiliate != "" && a.Signup.Affiliate == aff) {
		return Refuse(ReasonSelfReferral, "the customer is affiliate "+string(aff))
	}
	if a.Signup.Email == "" || a.Affiliate.Email == "" {
		return nil
	}
	if canonicalEmail(a.Signup.Email) == canonicalEmail(a.Affiliate.Email) {
		return Refuse(ReasonSelfReferral, "the customer has the affiliate's e-mail address")
	}
	d := emailDomain(a.Signup.Email)
	free := c.FreeMail
	if free == nil {
		free = IsFreeMail
	}
	if d != "" && d == emailDomain(a.Affiliate.Email) && !free(d) {
		r := Reason{Code: ReasonSelfReferral, Detail: "the customer shares the affiliate's e-mail domain " + d}
		if c.HoldSameDomain {
			return &held{r}
		}
		return &r
	}
	return nil
}

// NewCustomer refuses a customer who is bound already, or whom the host
// knew before this signup.
type NewCustomer struct{}

// Check implements Check.
func (NewCustomer) Check(_ context.Context, a Attempt) error {
	if a.Existing.Customer != "" {
		return Refuse(ReasonAlreadyBound, "bound to "+string(a.Existing.Affiliate))
	}
	if a.CustomerExisted {
		return Refuse(ReasonCustomerExists, "the host knew the customer before this signup")
	}
	return nil
}

// ActiveAffiliate refuses a candidate whose affiliate is not stored or not
// active.
type ActiveAffiliate struct{}

// Check implements Check.
func (ActiveAffiliate) Check(_ context.Context, a Attempt) error {
	switch {
	case a.Affiliate.ID == "" && a.Candidate.Code != "" && a.Candidate.Affiliate == "":
		return Refuse(ReasonUnknownAffiliate, fmt.Sprintf("no affiliate owns code %q", a.Candidate.Code))
	case a.Affiliate.ID == "" || a.Affiliate.ID != a.Candidate.Affiliate:
		return Refuse(ReasonUnknownAffiliate, fmt.Sprintf("affiliate %q is not stored", a.Candidate.Affiliate))
	case a.Affiliate.Status != affiliate.StatusActive:
		return Refuse(ReasonAffiliateInactive, fmt.Sprintf("affiliate %s is %s", a.Affiliate.ID, a.Affiliate.Status))
	}
	return nil
}

// InWindow refuses a touch that is not within the window before the
// signup: the touch must lie in [signup−window, signup]. Only touches have
// a window; a code typed at signup is at the signup, and a lead is bound
// through its own lifecycle.
type InWindow struct{}

// Check implements Check.
func (InWindow) Check(_ context.Context, a Attempt) error {
	if a.Candidate.Source != SourceTouch {
		return nil
	}
	if !InsideWindow(a.Candidate.At, a.Signup.At, a.Window) {
		if a.Candidate.At.After(a.Signup.At) {
			return Refuse(ReasonOutsideWindow, "the touch is after the signup")
		}
		return Refuse(ReasonOutsideWindow, fmt.Sprintf("the touch is %s before the signup; the window is %s", a.Signup.At.Sub(a.Candidate.At).Round(time.Second), a.Window))
	}
	return nil
}

// InsideWindow reports whether a touch at touched counts for a signup at
// signup: touched ≤ signup < touched+window. The cookie expires at the
// same instant, touched+window.
func InsideWindow(touched, signup time.Time, window time.Duration) bool {
	return !touched.After(signup) && signup.Before(touched.Add(window))
}

// Decision is what Decide concluded.
type Decision struct {
	// Chosen is the winning attempt when OK.
	Chosen Attempt
	OK     bool
	// Refused lists the candidates ranked before the winner (all of them
	// when none won) with every reason the checks gave.
	Refused []Refusal
	// Holds are the reasons Hold checks gave for the winner: it is bound,
	// and held for review.
	Holds []Reason
}

// Decide runs checks on the attempts in the order Rank puts their
// candidates and returns the first that passes every check: the candidate
// Choose would pick among the eligible ones. Every check runs on each
// attempt it reaches, so a refused candidate carries every reason. An
// error that is not a refusal stops Decide and is returned. Decide is pure
// when the checks are (the built-in ones are).
func Decide(ctx context.Context, p Policy, checks []Check, attempts []Attempt) (Decision, error) {
	cands := make([]Candidate, len(attempts))
	for i, a := range attempts {
		cands[i] = a.Candidate
	}
	var d Decision
	for _, i := range rankIndices(p, cands) {
		reasons, holds, err := runChecks(ctx, checks, attempts[i])
		if err != nil {
			return Decision{}, err
		}
		if len(reasons) == 0 {
			d.Chosen, d.OK, d.Holds = attempts[i], true, holds
			return d, nil
		}
		d.Refused = append(d.Refused, Refusal{Candidate: cands[i], Reasons: reasons})
	}
	return d, nil
}

// runChecks returns the refusals of checks on a, and apart from them the
// reasons of the checks that hold it (see Hold), in check order.
func runChecks(ctx context.Context, checks []Check, a Attempt) (refused, holds []Reason, err error) {
	refused, err = collectReasons(checks, func(c Check) error {
		err := c.Check(ctx, a)
		if r, ok := isHeld(err); ok {
			holds = append(holds, r)
			return nil
		}
		return err
	})
	return refused, holds, err
}

// collectReasons runs every check and returns every refusal reason, in
// check order. An error that is not a refusal stops it and is returned.
func collectReasons[C any](checks []C, run func(C) error) ([]Reason, error) {
	var reasons []Reason
	for _, c := range checks {
		err := run(c)
		if err == nil {
			continue
		}
		r, ok := asReason(err)
		if !ok {
			return nil, err
		}
		reasons = append(reasons, r)
	}
	return reasons, nil
}
