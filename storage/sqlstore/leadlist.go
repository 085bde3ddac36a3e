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
	err := s.read(ctx, "leads", func(q querier) error {
		out = out[:0]
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			l, err := scanLead(rows)
			if err != nil {
				return err
			}
			out = append(out, l)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, dbError("leads", err)
	}
	return out, nil
}
