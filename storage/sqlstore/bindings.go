package sqlstore

import (
	"context"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.Bindings = (*Store)(nil)

const bindingColumns = `customer, affiliate, source, touch, lead, code, touched_ns, bound_ns, expires_ns`

// Bind implements storage.Bindings. The primary key on customer is the
// invariant: the insert does nothing when a binding exists, and of
// concurrent binds for one customer PostgreSQL lets exactly one insert
// (the others wait on its row, then find it).
func (s *Store) Bind(ctx context.Context, b affiliate.Binding) (affiliate.Binding, error) {
	if err := ctx.Err(); err != nil {
		return affiliate.Binding{}, err
	}
	if err := b.Validate(); err != nil {
		return affiliate.Binding{}, err
	}
	var tc textCheck
	tc.text("Binding.Touch", string(b.Touch))
	tc.text("Binding.Lead", string(b.Lead))
	tc.text("Binding.Code", b.Code)
	tc.time("Binding.TouchedAt", b.TouchedAt)
	tc.time("Binding.BoundAt", b.BoundAt)
	tc.time("Binding.ExpiresAt", b.ExpiresAt)
	if tc.err != nil {
		return affiliate.Binding{}, tc.err
	}
	var stored affiliate.Binding
	bound := false
	err := s.write(ctx, "bind", readCommitted, func(q querier) error {
		res, err := q.ExecContext(ctx, `INSERT INTO affiliate_bindings (`+bindingColumns+`)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (customer) DO NOTHING`,
			string(b.Customer), string(b.Affiliate), string(b.Source), string(b.Touch), string(b.Lead), b.Code,
			timeNS(b.TouchedAt), timeNS(b.BoundAt), timeNS(b.ExpiresAt))
		if err != nil {
			return dbError("bind", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return dbError("bind", err)
		}
		if bound = n == 1; bound {
			if err := s.bindingAdded(ctx, q, b); err != nil {
				return err
			}
			return s.appendOutbox(ctx, q, storage.BindEvents(b))
		}
		stored, err = scanBinding(q.QueryRowContext(ctx, `SELECT `+bindingColumns+` FROM affiliate_bindings WHERE customer = $1`, string(b.Customer)))
		if err != nil {
			return dbError("bind", err)
		}
		return nil
	})
	if err != nil {
		return affiliate.Binding{}, err
	}
	if !bound {
		return stored, affiliate.ErrAlreadyBound
	}
	return b, nil
}

// bindingAdded is the hook where writes that follow a new binding in the
// same transaction go (the attribution and report tables), as memstore's
// Bind calls its bindingAdded under the lock.
func (s *Store) bindingAdded(ctx context.Context, q querier, b affiliate.Binding) error {
	_, _, _ = ctx, q, b
	return nil
}

// Binding implements storage.Bindings.
func (s *Store) Binding(ctx context.Context, c affiliate.CustomerID) (affiliate.Binding, error) {
	return readRow(ctx, s, "binding for customer", string(c), `SELECT `+bindingColumns+` FROM affiliate_bindings WHERE customer = $1`, scanBinding)
}

func scanBinding(r scanner) (affiliate.Binding, error) {
	var row bindingRow
	if err := r.Scan(row.dests()...); err != nil {
		return affiliate.Binding{}, err
	}
	return row.binding(), nil
}

// bindingRow is a row of bindingColumns as scanned.
type bindingRow struct {
	customer, aff, source, touch, lead, code string
	touchedNS, boundNS, expiresNS            int64
}

func (row *bindingRow) dests() []any {
	return []any{&row.customer, &row.aff, &row.source, &row.touch, &row.lead, &row.code, &row.touchedNS, &row.boundNS, &row.expiresNS}
}

func (row *bindingRow) binding() affiliate.Binding {
	return affiliate.Binding{Customer: affiliate.CustomerID(row.customer), Affiliate: affiliate.AffiliateID(row.aff), Source: affiliate.BindingSource(row.source),
		Touch: affiliate.TouchID(row.touch), Lead: affiliate.LeadID(row.lead), Code: row.code,
		TouchedAt: nsTime(row.touchedNS), BoundAt: nsTime(row.boundNS), ExpiresAt: nsTime(row.expiresNS)}
}

var _ storage.BindingLister = (*Store)(nil)

// AffiliateBindings implements storage.BindingLister, from the index
// affiliate_bindings_by_affiliate (affiliate, bound_ns).
func (s *Store) AffiliateBindings(ctx context.Context, a affiliate.AffiliateID) ([]affiliate.Binding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := affiliate.ValidateID("affiliate", a); err != nil {
		return nil, err
	}
	out := []affiliate.Binding{}
	if !storable(string(a)) {
		return out, nil
	}
	err := s.read(ctx, "affiliate bindings", func(q querier) error {
		out = out[:0]
		rows, err := q.QueryContext(ctx, `SELECT `+bindingColumns+` FROM affiliate_bindings WHERE affiliate = $1 ORDER BY bound_ns, customer`, string(a))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			b, err := scanBinding(rows)
			if err != nil {
				return err
			}
			out = append(out, b)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, dbError("affiliate bindings", err)
	}
	return out, nil
}
