package attribution

import "strings"

// ReasonCode names why a check refused. Callers branch on it; hosts that
// write their own checks may use their own codes.
type ReasonCode string

// Reasons the built-in binding checks give.
const (
	ReasonSelfReferral      ReasonCode = "self_referral"      // the customer is the affiliate, or shares its e-mail or company domain
	ReasonCustomerExists    ReasonCode = "customer_exists"    // the host knew the customer before this signup
	ReasonAlreadyBound      ReasonCode = "already_bound"      // the customer has a binding
	ReasonUnknownAffiliate  ReasonCode = "unknown_affiliate"  // no stored affiliate owns the code or ID
	ReasonAffiliateInactive ReasonCode = "affiliate_inactive" // the affiliate is suspended
	ReasonOutsideWindow     ReasonCode = "outside_window"     // the touch is not within the window before the signup
)

// Reasons the built-in lead and partner checks give.
const (
	ReasonNoEmail         ReasonCode = "no_email"         // no usable e-mail address
	ReasonFreeMail        ReasonCode = "free_mail"        // the e-mail is at a free-mail provider
	ReasonNoWebsite       ReasonCode = "no_website"       // no website given
	ReasonBadWebsite      ReasonCode = "bad_website"      // the website is not a well-formed http(s) address
	ReasonNoLinkedIn      ReasonCode = "no_linkedin"      // no well-formed LinkedIn reference
	ReasonAlreadyLead     ReasonCode = "already_lead"     // another lead for the same company is in the pipeline
	ReasonAlreadyCustomer ReasonCode = "already_customer" // the company is already the host's customer
	ReasonFreelancer      ReasonCode = "freelancer"       // the host flags the lead as a freelancer or independent worker
)

// Reason is one refusal: a code to branch on and a detail for people.
// A check refuses by returning a *Reason (see Refuse); it matches
// ErrIneligible.
type Reason struct {
	Code   ReasonCode
	Detail string
}

// Refuse returns the error a check returns to refuse for code.
func Refuse(code ReasonCode, detail string) error { return &Reason{Code: code, Detail: detail} }

// String renders "code: detail", the form stored in affiliate.Lead.Reasons.
func (r Reason) String() string {
	if r.Detail == "" {
		return string(r.Code)
	}
	return string(r.Code) + ": " + r.Detail
}

func (r *Reason) Error() string { return "attribution: refused: " + r.String() }

// Unwrap returns ErrIneligible.
func (r *Reason) Unwrap() error { return ErrIneligible }

// ParseReason reads back a reason rendered by Reason.String, such as one
// of affiliate.Lead.Reasons.
func ParseReason(s string) Reason {
	code, detail, _ := strings.Cut(s, ": ")
	return Reason{Code: ReasonCode(code), Detail: detail}
}

// LeadReasons returns the typed reasons a refused lead was refused for.
func LeadReasons(reasons []string) []Reason {
	out := make([]Reason, len(reasons))
	for i, s := range reasons {
		out[i] = ParseReason(s)
	}
	return out
}
