package sqlstore

import (
	"context"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.Touches = (*Store)(nil)

const touchColumns = `id, visitor, affiliate, code, source, at_ns, landing_url, referrer, ip, user_agent`

// AddTouch implements storage.Touches.
func (s *Store) AddTouch(ctx context.Context, t affiliate.Touch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := t.Validate(); err != nil {
		return err
	}
	var tc textCheck
	tc.text("Touch.Code", t.Code)
	tc.text("Touch.LandingURL", t.LandingURL)
	tc.text("Touch.Referrer", t.Referrer)
	tc.text("Touch.IP", t.IP)
	tc.text("Touch.UserAgent", t.UserAgent)
	tc.time("Touch.At", t.At)
	if tc.err != nil {
		return tc.err
	}
	return s.write(ctx, "add touch", readCommitted, func(q querier) error {
		res, err := q.ExecContext(ctx, `INSERT INTO affiliate_touches (`+touchColumns+`)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING`,
			string(t.ID), string(t.Visitor), string(t.Affiliate), t.Code, string(t.Source), timeNS(t.At),
			t.LandingURL, t.Referrer, t.IP, t.UserAgent)
		if err != nil {
			return dbError("add touch", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return dbError("add touch", err)
		} else if n == 0 {
			return conflict("touch %q is already stored", t.ID)
		}
		return nil
	})
}

// VisitorTouches implements storage.Touches, from the index
// affiliate_touches_by_visitor.
func (s *Store) VisitorTouches(ctx context.Context, v affiliate.VisitorID) ([]affiliate.Touch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := []affiliate.Touch{}
	if !storable(string(v)) {
		return out, nil
	}
	err := s.read(ctx, "visitor touches", func(q querier) error {
		out = out[:0]
		rows, err := q.QueryContext(ctx, `SELECT `+touchColumns+` FROM affiliate_touches WHERE visitor = $1 ORDER BY at_ns, id`, string(v))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanTouch(rows)
			if err != nil {
				return err
			}
			out = append(out, t)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, dbError("visitor touches", err)
	}
	return out, nil
}

func scanTouch(r scanner) (affiliate.Touch, error) {
	var (
		t                        affiliate.Touch
		id, visitor, aff, source string
		atNS                     int64
	)
	if err := r.Scan(&id, &visitor, &aff, &t.Code, &source, &atNS, &t.LandingURL, &t.Referrer, &t.IP, &t.UserAgent); err != nil {
		return affiliate.Touch{}, err
	}
	t.ID, t.Visitor, t.Affiliate, t.Source = affiliate.TouchID(id), affiliate.VisitorID(visitor), affiliate.AffiliateID(aff), affiliate.TouchSource(source)
	t.At = nsTime(atNS)
	return t, nil
}
