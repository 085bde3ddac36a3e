package attribution

import (
	"time"

	"github.com/openaffiliate/affiliate"
)

// Signup is what the host knows when a customer signs up, and all Bind
// needs to choose the affiliate.
type Signup struct {
	// Customer is the host's ID for the new customer. Required.
	Customer affiliate.CustomerID
	// Email is the customer's address. Optional, but without it the
	// self-referral check can compare only IDs, and no lead can match.
	Email string
	// Affiliate is the customer's own affiliate account, when the host
	// knows it has one: a referral to it is a self-referral.
	Affiliate affiliate.AffiliateID
	// At is when the customer signed up; the zero time means Config.Now.
	At time.Time
	// Code is an affiliate code typed into the signup form, if any.
	Code string
	// Visitor is the browser's visitor ID, whose touches are candidates.
	// When empty, Referral.Visitor is used.
	Visitor affiliate.VisitorID
	// Referral is what the referral cookie carried (Middleware.Referral),
	// or the zero value.
	Referral Referral
	// IP and UserAgent are the signup request's, for the host's own checks.
	IP        string
	UserAgent string
}

// normalize validates s and returns it with its e-mail and code in
// canonical form, its time set and its visitor defaulted.
func (s Signup) normalize(now time.Time) (Signup, error) {
	if err := affiliate.ValidateID("Signup.Customer", s.Customer); err != nil {
		return s, err
	}
	if s.Email != "" {
		e, err := affiliate.ParseEmail(s.Email)
		if err != nil {
			return s, &affiliate.FieldError{Field: "Signup.Email", Reason: err.(*affiliate.FieldError).Reason}
		}
		s.Email = e
	}
	if s.Affiliate != "" {
		if err := affiliate.ValidateID("Signup.Affiliate", s.Affiliate); err != nil {
			return s, err
		}
	}
	if s.Code != "" {
		if err := affiliate.ValidateCode(s.Code); err != nil {
			return s, &affiliate.FieldError{Field: "Signup.Code", Reason: err.(*affiliate.FieldError).Reason}
		}
		s.Code = affiliate.NormalizeCode(s.Code)
	}
	if s.Referral != (Referral{}) {
		if err := s.Referral.validate("Signup.Referral"); err != nil {
			return s, err
		}
	}
	if s.Visitor == "" {
		s.Visitor = s.Referral.Visitor
	}
	if s.Visitor != "" {
		if err := affiliate.ValidateID("Signup.Visitor", s.Visitor); err != nil {
			return s, err
		}
	}
	for _, f := range []struct{ name, v string }{{"IP", s.IP}, {"UserAgent", s.UserAgent}} {
		if len(f.v) > maxContextLen {
			return s, &affiliate.FieldError{Field: "Signup." + f.name, Reason: "longer than 2048 bytes"}
		}
	}
	if s.At.IsZero() {
		s.At = now
	}
	return s, nil
}

// maxContextLen is the longest request detail (URL, referrer, IP, user
// agent) a touch keeps, as affiliate.Touch.Validate allows.
const maxContextLen = 2048
