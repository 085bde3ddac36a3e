package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.Rebinder = (*Store)(nil)

// Rebind implements storage.Rebinder: one UPDATE that compares the
// stored affiliate and swaps the row.
func (s *Store) Rebind(ctx context.Context, from affiliate.AffiliateID, to affiliate.Binding) (affiliate.Binding, error) {
	if err := ctx.Err(); err != nil {
		return affiliate.Binding{}, err
	}
	if err := to.Validate(); err != nil {
		return affiliate.Binding{}, err
	}
	var tc textCheck
	tc.text("from", string(from))
	tc.text("Binding.Touch", string(to.Touch))
	tc.text("Binding.Lead", string(to.Lead))
	tc.text("Binding.Code", to.Code)
	tc.time("Binding.TouchedAt", to.TouchedAt)
	tc.time("Binding.BoundAt", to.BoundAt)
	tc.time("Binding.ExpiresAt", to.ExpiresAt)
	if tc.err != nil {
		return affiliate.Binding{}, tc.err
	}
	err := s.write(ctx, "rebind", readCommitted, func(q querier) error {
		res, err := q.ExecContext(ctx, `UPDATE affiliate_bindings SET affiliate = $1, source = $2, touch = $3, lead = $4, code = $5,
    touched_ns = $6, bound_ns = $7, expires_ns = $8 WHERE customer = $9 AND affiliate = $10`,
			string(to.Affiliate), string(to.Source), string(to.Touch), string(to.Lead), to.Code,
			timeNS(to.TouchedAt), timeNS(to.BoundAt), timeNS(to.ExpiresAt), string(to.Customer), string(from))
		if err != nil {
			return dbError("rebind", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return dbError("rebind", err)
		} else if n == 1 {
			return nil
		}
		var stored string
		err = q.QueryRowContext(ctx, `SELECT affiliate FROM affiliate_bindings WHERE customer = $1`, string(to.Customer)).Scan(&stored)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("binding for customer", string(to.Customer))
		}
		if err != nil {
			return dbError("rebind", err)
		}
		return conflict("customer %q is bound to %q, not %q", to.Customer, stored, from)
	})
	if err != nil {
		return affiliate.Binding{}, err
	}
	return to, nil
}
