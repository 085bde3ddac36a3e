package sqlstore

import (
	"context"
	"strconv"
	"strings"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.LeadLister = (*Store)(nil)

// Leads implements storage.LeadLister. No index serves it: leads are
// typed in by partners, so the table stays small, and an index would
// need a migration of its own (see docs/decisions.md, "The portal").
func (s *Store) Leads(ctx context.Context, lq storage.LeadQuery) ([]affiliate.Lead, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := lq.Validate(); err != nil {
		return nil, err
	}
	out := []affiliate.Lead{}
	if !storable(string(lq.Affiliate)) {
		return out, nil
	}
	var where []string
	var args []any
	if lq.Affiliate != "" {
		args = append(args, string(lq.Affiliate))
		where = append(where, "l.affiliate = $"+strconv.Itoa(len(args)))
	}
	if lq.Status != "" {
		args = append(args, string(lq.Status))
		where = append(where, "l.status = $"+strconv.Itoa(len(args)))
	}
	query := `SELECT ` + leadColumns + ` FROM affiliate_leads l WHERE ` + strings.Join(where, " AND ") + ` ORDER BY l.submitted_ns, l.id`
	return s.queryLeads(ctx, "leads", query, args...)
}
