package attribution

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// LeadInput is a lead as a partner submits it.
type LeadInput struct {
	// ID names the lead; empty means Config.NewID("l_"). A host that
	// passes its form submission's ID makes a resubmission fail with
	// ErrConflict instead of creating a second lead.
	ID affiliate.LeadID
	// Affiliate is the partner who submits it. Required, and active.
	Affiliate affiliate.AffiliateID
	// Company is the company's name. Required.
	Company string
	// Email is the contact's address. Required, and an address.
	Email string
	// Website and LinkedIn are the company's footprint. Optional here:
	// the checks refuse a lead without them, and say so.
	Website  string
	LinkedIn string
	// Freelancer is the host's signal that the lead is a freelancer or an
	// independent worker rather than a company.
	Freelancer bool
	// At is when it was submitted; zero means Config.Now.
	At time.Time
}

// validate returns in with its text trimmed and its e-mail normalised.
func (in LeadInput) validate() (LeadInput, error) {
	if in.ID != "" {
		if err := affiliate.ValidateID("LeadInput.ID", in.ID); err != nil {
			return in, err
		}
	}
	if err := affiliate.ValidateID("LeadInput.Affiliate", in.Affiliate); err != nil {
		return in, err
	}
	in.Company = strings.TrimSpace(in.Company)
	in.Website = strings.TrimSpace(in.Website)
	in.LinkedIn = strings.TrimSpace(in.LinkedIn)
	for _, f := range []struct{ name, v string }{{"Company", in.Company}, {"Email", in.Email}, {"Website", in.Website}, {"LinkedIn", in.LinkedIn}} {
		if err := affiliate.ValidateDisplayText("LeadInput."+f.name, f.v); err != nil {
			return in, err
		}
	}
	if in.Company == "" {
		return in, &affiliate.FieldError{Field: "LeadInput.Company", Reason: "missing"}
	}
	email, err := affiliate.ParseEmail(in.Email)
	if err != nil {
		return in, &affiliate.FieldError{Field: "LeadInput.Email", Reason: err.(*affiliate.FieldError).Reason}
	}
	in.Email = email
	return in, nil
}

// SubmitLead judges a partner's lead with the lead checks and stores it,
// accepted or refused with every reason, in one write; then it notifies
// LeadAccepted or LeadRefused. A refused lead is a stored result, not an
// error: its Reasons say why (LeadReasons types them).
//
// The checks see the lead as submitted (Status affiliate.LeadSubmitted);
// the stored lead is already decided. When a concurrent submission of the
// same company wins the store's key uniqueness, the lead is judged again
// and so refused as already a lead.
//
// A submission under the ID of a stored lead is a replay when it says
// what the stored lead says (the same partner, company, e-mail, website,
// profile, freelancer flag and, when At is set, time): SubmitLead returns
// the stored lead and notifies nobody.
//
// Returns a *affiliate.FieldError for malformed input (text with control
// or bidirectional formatting characters included, see
// affiliate.ValidateDisplayText), ErrUnknownAffiliate or
// ErrAffiliateInactive for a partner who may not submit, ErrLeadIDTaken
// (an ErrConflict) for a lead ID that is taken by other content, and
// ErrNoLeadStore when Config.Store is no LeadStore; nothing is stored or
// notified then.
func (t *Tracker) SubmitLead(ctx context.Context, in LeadInput) (affiliate.Lead, error) {
	if t.leads == nil {
		return affiliate.Lead{}, ErrNoLeadStore
	}
	in, err := in.validate()
	if err != nil {
		return affiliate.Lead{}, err
	}
	if in.ID != "" {
		if stored, found, err := t.submitted(ctx, in); found || err != nil {
			return stored, err
		}
	}
	if err := t.activeAffiliate(ctx, in.Affiliate); err != nil {
		return affiliate.Lead{}, err
	}
	if in.ID == "" {
		in.ID = affiliate.LeadID(t.cfg.NewID("l_"))
	}
	if in.At.IsZero() {
		in.At = t.cfg.Now()
	}
	lead := affiliate.Lead{
		ID: in.ID, Affiliate: in.Affiliate, Company: in.Company, Email: in.Email,
		Website: in.Website, LinkedIn: in.LinkedIn, Freelancer: in.Freelancer,
		Status: affiliate.LeadSubmitted, SubmittedAt: in.At,
	}
	keys := ProspectKeys(lead.Email, lead.Website, t.cfg.FreeMail)
	// Twice at most: a second pass only follows a lost race for a key, and
	// then the checks see the winner and refuse.
	for attempt := 0; ; attempt++ {
		decided, err := t.decideLead(ctx, lead)
		if err != nil {
			return affiliate.Lead{}, err
		}
		err = t.leads.AddLead(ctx, decided, keys)
		if err == nil {
			kind := LeadAccepted
			if decided.Status == affiliate.LeadRefused {
				kind = LeadRefused
			}
			t.observe(ctx, Event{Kind: kind, Lead: decided})
			return decided, nil
		}
		if !errors.Is(err, affiliate.ErrConflict) || decided.Status == affiliate.LeadRefused || attempt > 0 {
			return affiliate.Lead{}, err
		}
		if _, lookErr := t.leads.Lead(ctx, lead.ID); lookErr == nil {
			return affiliate.Lead{}, err // the ID is taken, not a key
		}
	}
}

// submitted returns the stored lead with in's ID when in replays it, and
// ErrLeadIDTaken when that lead says something else.
func (t *Tracker) submitted(ctx context.Context, in LeadInput) (affiliate.Lead, bool, error) {
	l, err := t.leads.Lead(ctx, in.ID)
	if errors.Is(err, affiliate.ErrNotFound) {
		return affiliate.Lead{}, false, nil
	}
	if err != nil {
		return affiliate.Lead{}, false, err
	}
	same := l.Affiliate == in.Affiliate && l.Company == in.Company && l.Email == in.Email && l.Website == in.Website &&
		l.LinkedIn == in.LinkedIn && l.Freelancer == in.Freelancer && (in.At.IsZero() || in.At.Equal(l.SubmittedAt))
	if !same {
		return affiliate.Lead{}, true, fmt.Errorf("%w: lead %q", ErrLeadIDTaken, in.ID)
	}
	return l, true, nil
}

func (t *Tracker) decideLead(ctx context.Context, lead affiliate.Lead) (affiliate.Lead, error) {
	p := Prospect{Kind: ProspectLead, ID: string(lead.ID), Company: lead.Company, Email: lead.Email, Website: lead.Website, LinkedIn: lead.LinkedIn, Freelancer: lead.Freelancer}
	reasons, err := EvaluateProspect(ctx, t.leadChecks, p)
	if err != nil {
		return affiliate.Lead{}, err
	}
	lead.DecidedAt = lead.SubmittedAt
	lead.Status = affiliate.LeadAccepted
	if len(reasons) > 0 {
		lead.Status = affiliate.LeadRefused
		lead.Reasons = make([]string, len(reasons))
		for i, r := range reasons {
			lead.Reasons[i] = truncate(r.String(), storage.MaxLeadFieldLen)
		}
	}
	return lead, nil
}

func (t *Tracker) activeAffiliate(ctx context.Context, id affiliate.AffiliateID) error {
	a, err := t.cfg.Store.Affiliate(ctx, id)
	if errors.Is(err, affiliate.ErrNotFound) {
		return fmt.Errorf("attribution: affiliate %s: %w", id, ErrUnknownAffiliate)
	}
	if err != nil {
		return err
	}
	if a.Status != affiliate.StatusActive {
		return fmt.Errorf("attribution: affiliate %s is %s: %w", id, a.Status, ErrAffiliateInactive)
	}
	return nil
}

// RefuseLead refuses an accepted lead after the fact (the host's sales
// team found it unfit), records the reasons, releases its company for
// other leads and notifies LeadRefused. At least one reason is required.
//
// Returns a *affiliate.FieldError (ErrInvalid) without a reason,
// affiliate.ErrNotFound for an unknown lead, a *LeadStateError
// (ErrLeadState) when the lead is not accepted (also when a concurrent
// call moved it first), ErrNoLeadStore when Config.Store is no
// LeadStore, and the store's errors; nothing is stored or notified then.
func (t *Tracker) RefuseLead(ctx context.Context, id affiliate.LeadID, reasons ...Reason) (affiliate.Lead, error) {
	if t.leads == nil {
		return affiliate.Lead{}, ErrNoLeadStore
	}
	if len(reasons) == 0 {
		return affiliate.Lead{}, &affiliate.FieldError{Field: "reasons", Reason: "missing: a refusal needs a reason"}
	}
	l, err := t.leads.Lead(ctx, id)
	if err != nil {
		return affiliate.Lead{}, err
	}
	if l.Status != affiliate.LeadAccepted {
		return affiliate.Lead{}, &LeadStateError{Lead: id, Status: l.Status, Want: "only an accepted lead can be refused"}
	}
	l.Status = affiliate.LeadRefused
	l.DecidedAt = t.cfg.Now()
	l.Reasons = make([]string, len(reasons))
	for i, r := range reasons {
		l.Reasons[i] = truncate(r.String(), storage.MaxLeadFieldLen)
	}
	if err := t.leads.UpdateLead(ctx, l, affiliate.LeadAccepted); err != nil {
		return affiliate.Lead{}, t.leadRace(ctx, id, err, "only an accepted lead can be refused")
	}
	t.observe(ctx, Event{Kind: LeadRefused, Lead: l})
	return l, nil
}

// leadRace turns the ErrConflict of a lost compare-and-swap into the
// typed state error, with the status that won.
func (t *Tracker) leadRace(ctx context.Context, id affiliate.LeadID, err error, want string) error {
	if !errors.Is(err, affiliate.ErrConflict) {
		return err
	}
	now, lookErr := t.leads.Lead(ctx, id)
	if lookErr != nil {
		return err
	}
	return &LeadStateError{Lead: id, Status: now.Status, Want: want}
}

// ConvertLead records that an accepted lead became the customer s.Customer:
// it binds the customer to the lead's affiliate (through the same
// eligibility checks as Bind, whose Hold checks hold it), marks the lead converted, and notifies
// CustomerBound and LeadConverted. The host calls it when the lead has
// become a customer in its own sense (signed up, or first paid).
//
// It is safe to retry: when the customer is already bound through this
// lead (by Bind at signup, or by an earlier ConvertLead that stopped
// half-way) the lead is still marked converted; converting a converted lead
// again for the same customer returns its binding and stores nothing.
//
// Returns the customer's other binding and an error matching
// affiliate.ErrAlreadyBound when the customer is bound elsewhere; a
// *LeadStateError when the lead is not accepted; a *IneligibleError when a
// check refuses; affiliate.ErrNotFound for an unknown lead; a
// *affiliate.FieldError (ErrInvalid) for a malformed lead ID or signup;
// ErrNoLeadStore when Config.Store is no LeadStore. Nothing is stored
// then. A store error after the binding was stored returns the binding
// with the error: retrying completes the conversion.
func (t *Tracker) ConvertLead(ctx context.Context, id affiliate.LeadID, s Signup) (affiliate.Binding, error) {
	if t.leads == nil {
		return affiliate.Binding{}, ErrNoLeadStore
	}
	if err := affiliate.ValidateID("lead ID", id); err != nil {
		return affiliate.Binding{}, err
	}
	s, err := s.normalize(t.cfg.Now())
	if err != nil {
		return affiliate.Binding{}, err
	}
	l, err := t.leads.Lead(ctx, id)
	if err != nil {
		return affiliate.Binding{}, err
	}
	existing, err := t.existingBinding(ctx, s.Customer)
	if err != nil {
		return affiliate.Binding{}, err
	}
	ours := existing.Customer != "" && existing.Source == affiliate.BindByLead && existing.Lead == id
	switch {
	case l.Status == affiliate.LeadConverted && l.Customer == s.Customer && ours:
		return existing, nil // a replay
	case l.Status != affiliate.LeadAccepted:
		return affiliate.Binding{}, &LeadStateError{Lead: id, Status: l.Status, Want: "only an accepted lead can convert"}
	case existing.Customer != "" && !ours:
		return existing, alreadyBound(existing)
	}
	b := existing
	if !ours {
		c := Candidate{Source: SourceLead, Affiliate: l.Affiliate, At: l.DecidedAt, Lead: l.ID}
		attempts, err := t.attempts(ctx, s, existing, []Candidate{c})
		if err != nil {
			return affiliate.Binding{}, err
		}
		// The precedence may leave leads out of Bind; a conversion is the
		// host's explicit word, so it is judged on its own.
		d, err := Decide(ctx, Policy{Precedence: []Source{SourceLead}}, t.checks, attempts)
		if err != nil {
			return affiliate.Binding{}, err
		}
		if !d.OK {
			return affiliate.Binding{}, &IneligibleError{Customer: s.Customer, Refusals: d.Refused}
		}
		b = t.bindingFor(s, c)
		if err := t.hold(ctx, b, d.Holds); err != nil {
			return affiliate.Binding{}, err
		}
		if b, err = t.store(ctx, b); err != nil {
			if errors.Is(err, affiliate.ErrAlreadyBound) && b.Source == affiliate.BindByLead && b.Lead == id {
				err = nil // a concurrent conversion of this lead bound it
			} else {
				return b, err
			}
		}
	}
	l.Status = affiliate.LeadConverted
	l.Customer = s.Customer
	l.ConvertedAt = s.At
	if err := t.leads.UpdateLead(ctx, l, affiliate.LeadAccepted); err != nil {
		if now, lookErr := t.leads.Lead(ctx, id); lookErr == nil && now.Status == affiliate.LeadConverted && now.Customer == s.Customer {
			return b, nil // a concurrent conversion finished it
		}
		return b, t.leadRace(ctx, id, err, "only an accepted lead can convert")
	}
	t.observe(ctx, Event{Kind: LeadConverted, Lead: l, Binding: b})
	return b, nil
}

// PartnerApplication is someone applying to be a partner.
type PartnerApplication struct {
	Affiliate  affiliate.AffiliateID // optional: the account, if it exists
	Email      string
	Website    string
	LinkedIn   string
	Freelancer bool // informative: the default partner checks welcome freelancers
}

// CheckPartner judges a partner application with the partner checks
// (Config.PartnerChecks, by default a professional e-mail and a website)
// and returns every reason it fails; none means eligible. It stores
// nothing: the host decides and creates the affiliate. A malformed e-mail
// or website is a reason, not an error; the error is a check's own
// failure to decide (a host check's service being down).
func (t *Tracker) CheckPartner(ctx context.Context, app PartnerApplication) ([]Reason, error) {
	email := strings.TrimSpace(app.Email)
	if e, err := affiliate.ParseEmail(email); err == nil {
		email = e
	}
	p := Prospect{Kind: ProspectPartner, ID: string(app.Affiliate), Email: email, Website: strings.TrimSpace(app.Website), LinkedIn: strings.TrimSpace(app.LinkedIn), Freelancer: app.Freelancer}
	return EvaluateProspect(ctx, t.partnerChecks, p)
}

// truncate cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
