package payout

import (
	"context"
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
)

// Candidate is a balance that reaches its minimum, with the facts an
// eligibility check needs. The run loads them once per candidate.
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
}

// Check decides whether a candidate may be paid in this run. It returns
// "" to allow it, or the reason it may not be paid; the balance is then
// carried, and the reason goes in the run record and the statement. An
// error aborts the run, and nothing is written.
type Check interface {
	Check(ctx context.Context, c Candidate) (reason string, err error)
}

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
