package storage

import (
	"context"
	"slices"
	"time"

	"github.com/openaffiliate/affiliate"
)

// Leads stores partner-submitted leads and keeps the pipeline free of
// duplicates.
//
// Each lead is filed under keys: the normalised identities of its company
// (the attribution package passes the contact's e-mail domain, unless it
// is a free-mail one, and the website's host). A lead that is not refused
// holds its keys: no other lead that is not refused may hold one of them.
// That uniqueness is the store's job, so two partners who submit the same
// company at the same moment cannot both be accepted. A refused lead is
// still filed under its keys (LeadsByKey finds it) but holds none.
type Leads interface {
	// AddLead stores the new lead l, filed under keys (duplicates in keys
	// are ignored).
	//
	// A lead stored as it is (SameLead) again is a replay: nil, and
	// nothing changes, whatever keys.
	//
	// Returns ErrInvalid when l fails ValidateLead or a key is empty or
	// longer than affiliate.MaxIDLen bytes; ErrConflict when another lead
	// with l.ID is stored, or when l is not refused and another lead that
	// is not refused holds one of keys. Nothing is stored on error.
	AddLead(ctx context.Context, l affiliate.Lead, keys []string) error

	// Lead returns the lead with id, or ErrNotFound.
	Lead(ctx context.Context, id affiliate.LeadID) (affiliate.Lead, error)

	// UpdateLead replaces the stored lead with l's ID by l, when the stored
	// lead's status is from: a compare-and-swap on the status, so of
	// concurrent updates from one status exactly one wins. The lead keeps
	// its keys; moving to refused releases them.
	//
	// Returns ErrNotFound when no lead has l.ID; ErrConflict when the
	// stored status is not from; ErrInvalid when l fails ValidateLead,
	// from → l.Status is not a step of the lifecycle (see
	// LeadTransitionAllowed), or l's Affiliate or SubmittedAt differ from
	// the stored lead's. Nothing is stored on error.
	UpdateLead(ctx context.Context, l affiliate.Lead, from affiliate.LeadStatus) error
}

// LeadFinder finds leads by the keys they were filed under.
type LeadFinder interface {
	// LeadsByKey returns every lead filed under key, refused ones
	// included, ordered by SubmittedAt, then ID. A key without leads gets
	// an empty result and no error.
	LeadsByKey(ctx context.Context, key string) ([]affiliate.Lead, error)
}

// LeadTransitionAllowed reports whether a lead may move from one status to
// another: submitted → accepted or refused; accepted → converted or
// refused. Refused and converted are final.
func LeadTransitionAllowed(from, to affiliate.LeadStatus) bool {
	switch from {
	case affiliate.LeadSubmitted:
		return to == affiliate.LeadAccepted || to == affiliate.LeadRefused
	case affiliate.LeadAccepted:
		return to == affiliate.LeadConverted || to == affiliate.LeadRefused
	}
	return false
}

// MaxLeadFieldLen is the longest company name, e-mail, website, LinkedIn
// URL or refusal reason a lead may hold, in bytes.
const MaxLeadFieldLen = affiliate.MaxTextLen

// ValidateLead checks what every store relies on: the IDs, a known status,
// a submission time, the fields that go with the status (a customer and
// conversion time once converted, at least one reason once refused, a
// decision time once decided), and the length and encoding of the text
// fields (affiliate.ValidateDisplayText: no control or bidirectional
// formatting characters). Stores call it so that they refuse the same
// leads.
func ValidateLead(l affiliate.Lead) error {
	if err := affiliate.ValidateID("Lead.ID", l.ID); err != nil {
		return err
	}
	if err := affiliate.ValidateID("Lead.Affiliate", l.Affiliate); err != nil {
		return err
	}
	if err := affiliate.CheckEventTime("Lead.SubmittedAt", l.SubmittedAt); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		t    time.Time
	}{{"Lead.DecidedAt", l.DecidedAt}, {"Lead.ConvertedAt", l.ConvertedAt}} {
		if !f.t.IsZero() {
			if err := affiliate.CheckEventTime(f.name, f.t); err != nil {
				return err
			}
		}
	}
	switch l.Status {
	case affiliate.LeadSubmitted:
	case affiliate.LeadAccepted, affiliate.LeadRefused, affiliate.LeadConverted:
		if l.DecidedAt.IsZero() {
			return &affiliate.FieldError{Field: "Lead.DecidedAt", Reason: "zero time for a decided lead"}
		}
	default:
		return &affiliate.FieldError{Field: "Lead.Status", Reason: "\"" + string(l.Status) + "\" is not a lead status"}
	}
	if l.Status == affiliate.LeadRefused && len(l.Reasons) == 0 {
		return &affiliate.FieldError{Field: "Lead.Reasons", Reason: "a refused lead needs at least one reason"}
	}
	if l.Status == affiliate.LeadConverted {
		if err := affiliate.ValidateID("Lead.Customer", l.Customer); err != nil {
			return err
		}
		if l.ConvertedAt.IsZero() {
			return &affiliate.FieldError{Field: "Lead.ConvertedAt", Reason: "zero time for a converted lead"}
		}
	} else if l.Customer != "" || !l.ConvertedAt.IsZero() {
		return &affiliate.FieldError{Field: "Lead.Customer", Reason: "set on a lead that is not converted"}
	}
	fields := []struct{ name, v string }{{"Company", l.Company}, {"Email", l.Email}, {"Website", l.Website}, {"LinkedIn", l.LinkedIn}}
	for _, r := range l.Reasons {
		fields = append(fields, struct{ name, v string }{"Reasons", r})
	}
	for _, f := range fields {
		if err := affiliate.ValidateDisplayText("Lead."+f.name, f.v); err != nil {
			return err
		}
	}
	return nil
}

// SameLead reports whether a and b hold the same lead: AddLead of a lead
// already stored as it is replays, of another with its ID conflicts.
func SameLead(a, b affiliate.Lead) bool {
	return a.ID == b.ID && a.Affiliate == b.Affiliate && a.Company == b.Company && a.Email == b.Email &&
		a.Website == b.Website && a.LinkedIn == b.LinkedIn && a.Freelancer == b.Freelancer && a.Status == b.Status &&
		slices.Equal(a.Reasons, b.Reasons) && a.SubmittedAt.Equal(b.SubmittedAt) && a.DecidedAt.Equal(b.DecidedAt) &&
		a.Customer == b.Customer && a.ConvertedAt.Equal(b.ConvertedAt)
}
