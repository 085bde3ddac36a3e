package memstore

import (
	"context"
	"slices"
	"strings"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.LeadLister = (*Store)(nil)

// Leads implements storage.LeadLister. It scans every lead: the reference
// store keeps no index for a page's read.
func (s *Store) Leads(ctx context.Context, q storage.LeadQuery) ([]affiliate.Lead, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	out := []affiliate.Lead{}
	for _, r := range s.attribution.leads {
		if (q.Affiliate == "" || r.lead.Affiliate == q.Affiliate) && (q.Status == "" || r.lead.Status == q.Status) {
			out = append(out, copyLead(r.lead))
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(x, y affiliate.Lead) int {
		if c := x.SubmittedAt.Compare(y.SubmittedAt); c != 0 {
			return c
		}
		return strings.Compare(string(x.ID), string(y.ID))
	})
	return out, nil
}
