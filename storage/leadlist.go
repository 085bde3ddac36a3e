package storage

import (
	"context"

	"github.com/openaffiliate/affiliate"
)

// LeadQuery selects leads: a partner's, leads in one status, or both.
// At least one field must be set, so that no read lists every lead.
type LeadQuery struct {
	Affiliate affiliate.AffiliateID
	Status    affiliate.LeadStatus
}

// LeadLister lists leads for pages that show them (a partner's leads,
// the leads a manager reviews). It is optional, as BindingLister is.
type LeadLister interface {
	// Leads returns the leads q selects, ordered by SubmittedAt, then ID;
	// none is an empty result. Returns ErrInvalid for an empty query, a
	// malformed Affiliate or an unknown Status.
	Leads(ctx context.Context, q LeadQuery) ([]affiliate.Lead, error)
}

// Validate checks that q selects by a well-formed affiliate or a known
// status. Stores call it so that they refuse the same queries.
func (q LeadQuery) Validate() error {
	if q.Affiliate == "" && q.Status == "" {
		return &affiliate.FieldError{Field: "LeadQuery", Reason: "empty: set Affiliate, Status or both"}
	}
	if q.Affiliate != "" {
		if err := affiliate.ValidateID("LeadQuery.Affiliate", q.Affiliate); err != nil {
			return err
		}
	}
	switch q.Status {
	case "", affiliate.LeadSubmitted, affiliate.LeadAccepted, affiliate.LeadRefused, affiliate.LeadConverted:
		return nil
	}
	return &affiliate.FieldError{Field: "LeadQuery.Status", Reason: "\"" + string(q.Status) + "\" is not a lead status"}
}
