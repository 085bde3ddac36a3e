package affiliate

import (
	"strings"
	"time"
)

// TouchSource says how a visitor reached an affiliate.
type TouchSource string

const (
	TouchLink TouchSource = "link" // a referral link (?ref=CODE)
	TouchCode TouchSource = "code" // an affiliate code typed by the visitor
)

// Touch is one recorded click on a referral link, or one use of an
// affiliate code, by a visitor before signup.
type Touch struct {
	ID        TouchID
	Visitor   VisitorID
	Affiliate AffiliateID
	Code      string // the code or link slug as resolved (normalised)
	Source    TouchSource
	At        time.Time
	// Context, optional: what the request carried.
	LandingURL string
	Referrer   string
	IP         string
	UserAgent  string
}

// Validate checks IDs, source and time.
func (t Touch) Validate() error {
	if err := validateID("Touch.ID", string(t.ID)); err != nil {
		return err
	}
	if err := validateID("Touch.Visitor", string(t.Visitor)); err != nil {
		return err
	}
	if err := validateID("Touch.Affiliate", string(t.Affiliate)); err != nil {
		return err
	}
	if t.Source != TouchLink && t.Source != TouchCode {
		return fieldErr("Touch.Source", quote(string(t.Source))+" is not link or code")
	}
	if err := CheckEventTime("Touch.At", t.At); err != nil {
		return err
	}
	for _, f := range []struct{ name, v string }{{"LandingURL", t.LandingURL}, {"Referrer", t.Referrer}, {"UserAgent", t.UserAgent}, {"IP", t.IP}} {
		if len(f.v) > MaxTextLen {
			return fieldErr("Touch."+f.name, "longer than 2048 bytes")
		}
	}
	return nil
}

// BindingSource says what decided a binding.
type BindingSource string

const (
	BindByCode   BindingSource = "code"   // a code typed at signup
	BindByLead   BindingSource = "lead"   // an accepted lead that converted
	BindByLink   BindingSource = "link"   // a referral-link touch or its cookie
	BindByManual BindingSource = "manual" // set by the host directly
)

// Binding ties a customer to exactly one affiliate. It is written once and
// never moved; a time-boxed binding stops earning at ExpiresAt.
type Binding struct {
	Customer  CustomerID
	Affiliate AffiliateID
	Source    BindingSource
	Touch     TouchID // the touch that decided it, if any
	Lead      LeadID  // the lead that decided it, if any
	Code      string  // the code that decided it, if any
	TouchedAt time.Time
	BoundAt   time.Time
	ExpiresAt time.Time // zero: permanent
}

// Validate checks IDs, source and times.
func (b Binding) Validate() error {
	if err := validateID("Binding.Customer", string(b.Customer)); err != nil {
		return err
	}
	if err := validateID("Binding.Affiliate", string(b.Affiliate)); err != nil {
		return err
	}
	switch b.Source {
	case BindByCode, BindByLead, BindByLink, BindByManual:
	default:
		return fieldErr("Binding.Source", quote(string(b.Source))+" is not code, lead, link or manual")
	}
	if b.BoundAt.IsZero() {
		return fieldErr("Binding.BoundAt", "zero time")
	}
	if !b.ExpiresAt.IsZero() && !b.ExpiresAt.After(b.BoundAt) {
		return fieldErr("Binding.ExpiresAt", "not after BoundAt")
	}
	return nil
}

// Active reports whether the binding earns at t: always for a permanent
// binding, before ExpiresAt for a time-boxed one.
func (b Binding) Active(t time.Time) bool {
	return b.ExpiresAt.IsZero() || t.Before(b.ExpiresAt)
}

// LeadStatus is where a lead stands in its lifecycle:
// submitted → accepted | refused, and accepted → converted.
type LeadStatus string

const (
	LeadSubmitted LeadStatus = "submitted"
	LeadAccepted  LeadStatus = "accepted"
	LeadRefused   LeadStatus = "refused"
	LeadConverted LeadStatus = "converted"
)

// Validate checks the shape of a lead: IDs, a company name, a bare
// contact e-mail, field lengths, and a known status ("" before the
// tracker sets it). Whether the lead is acceptable (a professional
// e-mail, a well-formed website, a footprint) is decided by the lead
// checks in package attribution, which report every failing reason.
func (l Lead) Validate() error {
	if err := validateID("Lead.ID", string(l.ID)); err != nil {
		return err
	}
	if err := validateID("Lead.Affiliate", string(l.Affiliate)); err != nil {
		return err
	}
	if strings.TrimSpace(l.Company) == "" {
		return fieldErr("Lead.Company", "missing")
	}
	if _, err := ParseEmail(l.Email); err != nil {
		return fieldErr("Lead.Email", quote(l.Email)+" is not an e-mail address")
	}
	for _, f := range []struct{ name, v string }{{"Company", l.Company}, {"Email", l.Email}, {"Website", l.Website}, {"LinkedIn", l.LinkedIn}} {
		if err := ValidateDisplayText("Lead."+f.name, f.v); err != nil {
			return err
		}
	}
	switch l.Status {
	case "", LeadSubmitted, LeadAccepted, LeadRefused, LeadConverted:
	default:
		return fieldErr("Lead.Status", quote(string(l.Status))+" is not a lead status")
	}
	return nil
}

// Lead is a prospect a partner submitted on behalf of a company.
type Lead struct {
	ID        LeadID
	Affiliate AffiliateID
	Company   string
	Email     string // the contact's e-mail
	Website   string
	LinkedIn  string
	// Freelancer is the host's signal that the lead is a freelancer or
	// independent worker rather than a company.
	Freelancer  bool
	Status      LeadStatus
	Reasons     []string // every refusal reason, when refused
	SubmittedAt time.Time
	DecidedAt   time.Time
	Customer    CustomerID // set on conversion
	ConvertedAt time.Time
}
