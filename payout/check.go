package payout

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
)

// Candidate is a balance that reaches its minimum, with the facts an
// eligibility check needs. The run loads them once per candidate; when
// every check is a built-in one, only the facts those checks read (the
// others stay zero).
type Candidate struct {
	// Affiliate is the stored account. When the account is not stored,
	// only ID is set and Known is false.
	Affiliate affiliate.Affiliate
	Known     bool
	Period    affiliate.Period
	AsOf      time.Time
	Amount    affiliate.Money
	// ActiveCustomers counts the affiliate's referred customers who paid in
	// Period (the paying_customers aggregate).
	ActiveCustomers int64
	// Profile is the affiliate's newest payee profile when HasProfile; the
	// run reads it when Config.Store implements storage.Profiles.
	Profile    affiliate.PayeeProfile
	HasProfile bool
}

// Check decides whether a candidate may be paid in this run. It returns
// "" to allow it, or the reason it may not be paid; the balance is then
// carried, and the reason goes in the run record and the statement. An
// error aborts the run, and nothing is written.
type Check interface {
	Check(ctx context.Context, c Candidate) (reason string, err error)
}

// facts are what checks read of a candidate besides its balance.
type facts uint8

const (
	factAccount facts = 1 << iota
	factCustomers
	factProfile
	allFacts = factAccount | factCustomers | factProfile
)

// reader is implemented by the built-in checks: each says which facts it
// reads, so a run whose checks are all built in loads no others (for
// each due balance, a store read saved per fact). A check that does not
// implement it gets every fact.
type reader interface{ reads() facts }

// needs returns the facts checks read.
func needs(checks []Check) facts {
	var f facts
	for _, c := range checks {
		if r, ok := c.(reader); ok {
			f |= r.reads()
		} else {
			f |= allFacts
		}
	}
	return f
}

func (activeAffiliate) reads() facts { return factAccount }
func (payoutMethod) reads() facts    { return factAccount }
func (minActive) reads() facts       { return factCustomers }
func (profileComplete) reads() facts { return factProfile }
func (taxForm) reads() facts         { return factProfile }

// CheckFunc adapts a function to Check.
type CheckFunc func(ctx context.Context, c Candidate) (string, error)

// Check calls f.
func (f CheckFunc) Check(ctx context.Context, c Candidate) (string, error) { return f(ctx, c) }

type activeAffiliate struct{}

// ActiveAffiliate refuses affiliates that are suspended or not stored. It
// reads the account from Config.Store.
func ActiveAffiliate() Check { return activeAffiliate{} }

func (activeAffiliate) Check(_ context.Context, c Candidate) (string, error) {
	switch {
	case !c.Known:
		return "affiliate " + string(c.Affiliate.ID) + " is not stored", nil
	case c.Affiliate.Status != affiliate.StatusActive:
		return "affiliate is " + string(c.Affiliate.Status), nil
	}
	return "", nil
}

type payoutMethod struct{}

// PayoutMethodOnFile refuses affiliates whose account does not have
// PayoutMethodOnFile set: the host cannot send them money yet.
func PayoutMethodOnFile() Check { return payoutMethod{} }

func (payoutMethod) Check(_ context.Context, c Candidate) (string, error) {
	if !c.Known || !c.Affiliate.PayoutMethodOnFile {
		return "no payout method on file", nil
	}
	return "", nil
}

type minActive struct{ n int64 }

// MinActiveCustomers refuses affiliates with fewer than n referred
// customers who paid in the run's period. It reads the paying-customers aggregate.
func MinActiveCustomers(n int64) Check { return minActive{n} }

func (m minActive) Check(_ context.Context, c Candidate) (string, error) {
	if c.ActiveCustomers < m.n {
		return fmt.Sprintf("%d active referred customers in %s, fewer than %d", c.ActiveCustomers, c.Period, m.n), nil
	}
	return "", nil
}

type profileComplete struct{}

// ProfileComplete refuses affiliates without a payee profile (the store
// must implement storage.Profiles; a store that does not has no
// profiles), and those whose profile pays in another currency than the
// balance: the payout could not be sent as planned.
func ProfileComplete() Check { return profileComplete{} }

func (profileComplete) Check(_ context.Context, c Candidate) (string, error) {
	switch {
	case !c.HasProfile:
		return "no payee profile on file", nil
	case c.Profile.Currency != c.Amount.Currency():
		return "the payee profile pays in " + string(c.Profile.Currency) + ", the balance is in " + string(c.Amount.Currency()), nil
	}
	return "", nil
}

type taxForm struct{ accepted []affiliate.TaxForm }

// TaxFormReceived refuses affiliates whose payee profile records none of
// the accepted tax forms; with none listed, any form is accepted (W-9,
// W-8 or a VAT number). An affiliate without a profile has no form.
func TaxFormReceived(accepted ...affiliate.TaxForm) Check { return taxForm{accepted} }

func (t taxForm) Check(_ context.Context, c Candidate) (string, error) {
	form := c.Profile.TaxForm
	ok := c.HasProfile && form != affiliate.TaxFormNone
	if ok && len(t.accepted) > 0 {
		ok = slices.Contains(t.accepted, form)
	}
	if ok {
		return "", nil
	}
	want := "a tax form (W-9, W-8 or a VAT number)"
	if len(t.accepted) > 0 {
		names := make([]string, len(t.accepted))
		for i, f := range t.accepted {
			names[i] = string(f)
		}
		want = "a tax form of " + strings.Join(names, ", ")
	}
	if !c.HasProfile || form == affiliate.TaxFormNone {
		return "no tax form received: " + want + " is required", nil
	}
	return "tax form " + string(form) + " received: " + want + " is required", nil
}
