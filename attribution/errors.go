package attribution

import (
	"errors"
	"fmt"
	"strings"

	"github.com/openaffiliate/affiliate"
)

// Sentinel errors of the package. Each wraps a sentinel of package
// affiliate, so errors.Is matches both: ErrUnknownCode is also
// affiliate.ErrNotFound, ErrCookieExpired is also affiliate.ErrInvalid.
var (
	// ErrUnknownCode reports a well-formed affiliate code that no affiliate
	// owns. The typed form is *CodeError.
	ErrUnknownCode = fmt.Errorf("%w: unknown affiliate code", affiliate.ErrNotFound)

	// ErrUnknownAffiliate reports an affiliate ID that is not stored.
	ErrUnknownAffiliate = fmt.Errorf("%w: unknown affiliate", affiliate.ErrNotFound)

	// ErrAffiliateInactive reports an affiliate that may not get new
	// touches, leads or bindings (it is suspended). The typed form is
	// *CodeError when a code led to it.
	ErrAffiliateInactive = fmt.Errorf("%w: affiliate is not active", affiliate.ErrInvalid)

	// ErrNoReferral reports a signup, or a request, that carries no
	// referral at all: no typed code, no matching lead, no touch, no
	// cookie.
	ErrNoReferral = fmt.Errorf("%w: no referral", affiliate.ErrNotFound)

	// ErrIneligible reports that every candidate referral of a signup was
	// refused by the eligibility checks. The typed form is
	// *IneligibleError; a failing check returns a *Reason, which also
	// matches it.
	ErrIneligible = fmt.Errorf("%w: referral not eligible", affiliate.ErrInvalid)

	// ErrLeadState reports a lead operation that its lifecycle does not
	// allow (converting a refused lead, refusing a converted one). It also
	// matches affiliate.ErrConflict. The typed form is *LeadStateError.
	ErrLeadState = fmt.Errorf("%w: lead is not in a state that allows this", affiliate.ErrConflict)

	// ErrLeadIDTaken reports a lead submitted under the ID of a stored
	// lead with other content. (The same submission again is a replay,
	// not an error.) It also matches affiliate.ErrConflict.
	ErrLeadIDTaken = fmt.Errorf("%w: lead ID taken by a lead with other content", affiliate.ErrConflict)

	// ErrNoLeadStore reports a lead operation on a Tracker whose
	// Config.Store does not implement LeadStore.
	ErrNoLeadStore = fmt.Errorf("%w: the tracker has no lead store", affiliate.ErrInvalid)
)

// Cookie errors: Codec.Decode returns a *CookieError that unwraps to one of
// these, and each of these matches affiliate.ErrInvalid.
var (
	ErrCookieMalformed  = fmt.Errorf("%w: referral cookie is malformed", affiliate.ErrInvalid)
	ErrCookieOversized  = fmt.Errorf("%w: referral cookie is too long", affiliate.ErrInvalid)
	ErrCookieUnknownKey = fmt.Errorf("%w: referral cookie is signed with an unknown key", affiliate.ErrInvalid)
	ErrCookieTampered   = fmt.Errorf("%w: referral cookie signature does not verify", affiliate.ErrInvalid)
	ErrCookieExpired    = fmt.Errorf("%w: referral cookie has expired", affiliate.ErrInvalid)
	ErrCookieFuture     = fmt.Errorf("%w: referral cookie is dated in the future", affiliate.ErrInvalid)
)

// CookieError is the typed form of a cookie that Codec.Decode refused.
type CookieError struct {
	Err    error  // one of the ErrCookie… sentinels
	KeyID  string // the key ID the cookie names, when it could be read
	Detail string // what exactly is wrong, for logs
}

func (e *CookieError) Error() string {
	if e.Detail == "" {
		return e.Err.Error()
	}
	return e.Err.Error() + ": " + e.Detail
}

// Unwrap returns the ErrCookie… sentinel.
func (e *CookieError) Unwrap() error { return e.Err }

// CodeError is the typed form of an affiliate code that cannot be used:
// ErrUnknownCode or ErrAffiliateInactive.
type CodeError struct {
	Code      string                // as given
	Affiliate affiliate.AffiliateID // the owner, when the code is known
	Err       error
}

func (e *CodeError) Error() string {
	if e.Affiliate != "" {
		return fmt.Sprintf("%v: code %q of %s", e.Err, e.Code, e.Affiliate)
	}
	return fmt.Sprintf("%v: %q", e.Err, e.Code)
}

// Unwrap returns ErrUnknownCode or ErrAffiliateInactive.
func (e *CodeError) Unwrap() error { return e.Err }

// Refusal is one candidate referral and every reason the checks gave
// against it.
type Refusal struct {
	Candidate Candidate
	Reasons   []Reason
}

// IneligibleError is the typed form of ErrIneligible: the customer and, for
// every candidate referral in the order they were considered, why it was
// refused.
type IneligibleError struct {
	Customer affiliate.CustomerID
	Refusals []Refusal
}

func (e *IneligibleError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "attribution: no eligible referral for customer %s", e.Customer)
	for _, r := range e.Refusals {
		fmt.Fprintf(&b, "; %s %s:", r.Candidate.Source, r.Candidate.Affiliate)
		for i, reason := range r.Reasons {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte(' ')
			b.WriteString(reason.String())
		}
	}
	return b.String()
}

// Unwrap returns ErrIneligible.
func (e *IneligibleError) Unwrap() error { return ErrIneligible }

// Has reports whether any candidate was refused for code.
func (e *IneligibleError) Has(code ReasonCode) bool {
	for _, r := range e.Refusals {
		for _, reason := range r.Reasons {
			if reason.Code == code {
				return true
			}
		}
	}
	return false
}

// LeadStateError is the typed form of ErrLeadState.
type LeadStateError struct {
	Lead   affiliate.LeadID
	Status affiliate.LeadStatus // the stored status
	Want   string               // what the operation needed, in words
}

func (e *LeadStateError) Error() string {
	return fmt.Sprintf("attribution: lead %s is %s; %s", e.Lead, e.Status, e.Want)
}

// Unwrap returns ErrLeadState.
func (e *LeadStateError) Unwrap() error { return ErrLeadState }

// asReason reports whether err is a check's refusal.
func asReason(err error) (Reason, bool) {
	var r *Reason
	if errors.As(err, &r) && r != nil {
		return *r, true
	}
	return Reason{}, false
}
