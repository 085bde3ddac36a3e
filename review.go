package affiliate

import (
	"fmt"
	"time"
)

// Review records are the append-only trail of commission review: a hold
// put on an entry or on a customer's binding, and a reviewer's approval
// or rejection. A rejection is also a ledger entry (a reversal whose Rule
// is RuleRejection and whose Corrects is the rejected entry); the record
// keeps who decided and why.
type Review struct {
	// Key is the idempotency key of the call that wrote the record.
	Key    string
	Action ReviewAction
	// Entry is the entry the record is about; "" for a binding.
	Entry EntryID
	// Customer is the customer whose binding the record is about (for a
	// binding hold or decision), or the entry's customer.
	Customer  CustomerID
	Affiliate AffiliateID // the entry's beneficiary or the binding's affiliate
	Reason    string
	Actor     string // the reviewer, or the check that held
	At        time.Time
}

// ReviewAction says what a Review record does.
type ReviewAction string

// The review actions.
const (
	ReviewHold    ReviewAction = "hold"
	ReviewApprove ReviewAction = "approve"
	ReviewReject  ReviewAction = "reject"
	// ReviewMove records a customer moved to another affiliate (the
	// record's Affiliate): the new binding starts unheld; the old
	// affiliate's held entries stay held.
	ReviewMove ReviewAction = "move"
)

// Rule names the library reserves for entries written outside the rules:
// a reviewer's rejection (a reversal) and a manual adjustment. The
// commission engine leaves such entries out of what it re-prices.
const (
	RuleRejection = "review/reject"
	RuleManual    = "manual" // manual adjustments are "manual/bonus", "manual/correction", "manual/clawback"
)

// Validate checks the record's key, action, subject, actor and time.
func (r Review) Validate() error {
	if err := validateID("Review.Key", r.Key); err != nil {
		return err
	}
	switch r.Action {
	case ReviewHold, ReviewApprove, ReviewReject, ReviewMove:
	default:
		return fieldErr("Review.Action", quote(string(r.Action))+" is not a review action")
	}
	if r.Entry == "" && r.Customer == "" {
		return fieldErr("Review.Entry", "an entry or a customer is required")
	}
	if r.Reason == "" {
		return fieldErr("Review.Reason", "missing")
	}
	if r.Actor == "" {
		return fieldErr("Review.Actor", "missing")
	}
	if r.At.IsZero() {
		return fieldErr("Review.At", "zero time")
	}
	return nil
}

// ApprovalMode says when an entry becomes payable.
type ApprovalMode int

const (
	// Immediate: payable as soon as it is available (the default).
	Immediate ApprovalMode = iota
	// AfterHold: approved by itself ApprovalPolicy.Hold after its At,
	// unless a reviewer rejected it first.
	AfterHold
	// Manual: payable only once a reviewer approved it.
	Manual
)

// ApprovalPolicy decides which entries need approval. The zero value
// approves everything immediately. The strictest applicable mode wins:
// the program's Mode, the entry's rule's mode in Rules, and Manual for an
// entry whose amount reaches Above in its currency.
type ApprovalPolicy struct {
	Mode  ApprovalMode
	Hold  time.Duration // for AfterHold
	Rules map[string]ApprovalMode
	Above map[Currency]Money
}

// Validate checks the modes, the hold and the thresholds.
func (p ApprovalPolicy) Validate() error {
	modes := []ApprovalMode{p.Mode}
	for _, m := range p.Rules {
		modes = append(modes, m)
	}
	for _, m := range modes {
		if m < Immediate || m > Manual {
			return fieldErr("ApprovalPolicy.Mode", fmt.Sprintf("%d is not an approval mode", m))
		}
		if m == AfterHold && p.Hold <= 0 {
			return fieldErr("ApprovalPolicy.Hold", "after-hold approval needs a positive hold")
		}
	}
	for c, m := range p.Above {
		if m.Currency() != c || m.Sign() <= 0 {
			return fieldErr("ApprovalPolicy.Above", "threshold for "+string(c)+" must be a positive amount in "+string(c))
		}
	}
	return nil
}

// ModeOf returns the mode that applies to e.
func (p ApprovalPolicy) ModeOf(e Entry) ApprovalMode {
	m := max(p.Mode, p.Rules[e.Rule])
	if t, ok := p.Above[e.Amount.Currency()]; ok && e.Amount.Minor() >= t.Minor() {
		m = Manual
	}
	return m
}

// ReviewStatus is where an entry stands in review.
type ReviewStatus string

// The review statuses.
const (
	EntryApproved ReviewStatus = "approved"
	EntryPending  ReviewStatus = "pending"
	EntryRejected ReviewStatus = "rejected"
)

// Standing is an entry's review status, why, and since when.
type Standing struct {
	Status ReviewStatus
	Reason string
	Since  time.Time
	Actor  string // the reviewer who decided; "" when the policy did
	// Root is the entry whose review decides this one: the entry itself,
	// or the earning entry its Corrects chain leads to.
	Root EntryID
}
