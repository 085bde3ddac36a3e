package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

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
			earlier, err := countRebinds(ctx, q, to.Customer)
			if err != nil {
				return err
			}
			return s.appendOutbox(ctx, q, storage.RebindEvents(from, to, earlier))
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

// countRebinds counts customer c's earlier rebind events in the outbox
// (by the ID's prefix, through its unique index). The customer's row is
// locked by the UPDATE before, so no concurrent rebind of c counts too.
func countRebinds(ctx context.Context, q querier, c affiliate.CustomerID) (int, error) {
	prefix := storage.RebindEventPrefix(c)
	// The prefix ends in ':'; ';' is the next byte, so [prefix, end) holds
	// every ID that starts with it (and another customer's whose ID
	// extends c's with ':', which the digits check drops).
	end := prefix[:len(prefix)-1] + ";"
	rows, err := q.QueryContext(ctx, `SELECT id FROM affiliate_outbox WHERE id >= $1 AND id < $2`, prefix, end)
	if err != nil {
		return 0, dbError("rebind: count", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return 0, dbError("rebind: count", err)
		}
		if rest := id[len(prefix):]; rest != "" && strings.Trim(rest, "0123456789") == "" {
			n++
		}
	}
	if err := rows.Err(); err != nil {
		return 0, dbError("rebind: count", err)
	}
	return n, nil
}
