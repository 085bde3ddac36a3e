package sqlstore

import (
	"context"
	"strconv"
	"strings"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.Reviews = (*Store)(nil)

// AppendReviews implements storage.Reviews: one transaction. Row 0 of the
// key claims it (ON CONFLICT DO NOTHING), so a concurrent append with the
// same key replays or mismatches on the stored hash.
func (s *Store) AppendReviews(ctx context.Context, key, hash string, rs []affiliate.Review) (replayed bool, err error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if err := storage.ValidateReviews(key, hash, rs); err != nil {
		return false, err
	}
	var tc textCheck
	tc.key("AppendReviews.key", key)
	tc.key("AppendReviews.hash", hash)
	for _, r := range rs {
		tc.key("Review.Customer", string(r.Customer))
		tc.text("Review.Reason", r.Reason)
		tc.text("Review.Actor", r.Actor)
		tc.time("Review.At", r.At)
	}
	if tc.err != nil {
		return false, tc.err
	}
	err = s.write(ctx, "append reviews", readCommitted, func(q querier) error {
		replayed = false
		const cols = 10
		per := s.q.rowsPer(cols)
		for start := 0; start < len(rs); start += per {
			chunk := rs[start:min(start+per, len(rs))]
			var b strings.Builder
			b.WriteString(`INSERT INTO affiliate_reviews (key, seq, hash, action, entry, customer, affiliate, reason, actor, at_ns) VALUES `)
			placeholders(&b, 1, len(chunk), cols)
			if start == 0 {
				b.WriteString(` ON CONFLICT (key, seq) DO NOTHING`)
			}
			args := make([]any, 0, cols*len(chunk))
			for i, r := range chunk {
				args = append(args, key, start+i, hash, string(r.Action), string(r.Entry), string(r.Customer), string(r.Affiliate), r.Reason, r.Actor, timeNS(r.At))
			}
			res, err := q.ExecContext(ctx, b.String(), args...)
			if err != nil {
				return dbError("append reviews", err)
			}
			if start > 0 {
				continue
			}
			// With the key already stored, row 0 (and with it the chunk)
			// inserts nothing: the stored hash tells a replay.
			if n, err := res.RowsAffected(); err != nil {
				return dbError("append reviews", err)
			} else if n == int64(len(chunk)) {
				continue
			}
			var stored string
			if err := q.QueryRowContext(ctx, `SELECT hash FROM affiliate_reviews WHERE key = $1 AND seq = 0`, key).Scan(&stored); err != nil {
				return dbError("append reviews", err)
			}
			if stored != hash {
				return &affiliate.FieldError{Field: "AppendReviews", Reason: "key " + key + " was used with another payload", Err: affiliate.ErrIdempotencyMismatch}
			}
			replayed = true
			return nil
		}
		return s.appendOutbox(ctx, q, storage.ReviewEvents(key, rs))
	})
	return replayed, err
}

// Reviews implements storage.Reviews, from the entry, customer or
// affiliate index.
func (s *Store) Reviews(ctx context.Context, q storage.ReviewQuery) ([]affiliate.Review, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, v := range []string{q.Key, string(q.Entry), string(q.Customer), string(q.Affiliate)} {
		if !storable(v) {
			return nil, nil
		}
	}
	var b strings.Builder
	b.WriteString(`SELECT key, action, entry, customer, affiliate, reason, actor, at_ns FROM affiliate_reviews WHERE TRUE`)
	var args []any
	for _, f := range []struct{ col, v string }{{"key", q.Key}, {"entry", string(q.Entry)}, {"customer", string(q.Customer)}, {"affiliate", string(q.Affiliate)}} {
		if f.v != "" {
			args = append(args, f.v)
			b.WriteString(" AND " + f.col + " = $" + strconv.Itoa(len(args)))
		}
	}
	if s.dialect == Postgres {
		b.WriteString(` ORDER BY at_ns, id`)
	} else {
		b.WriteString(` ORDER BY at_ns, rowid`)
	}
	var out []affiliate.Review
	err := s.read(ctx, "reviews", func(qr querier) error {
		out = nil
		rows, err := qr.QueryContext(ctx, b.String(), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r affiliate.Review
			var action, entry, customer, aff string
			var at int64
			if err := rows.Scan(&r.Key, &action, &entry, &customer, &aff, &r.Reason, &r.Actor, &at); err != nil {
				return err
			}
			r.Action, r.Entry, r.Customer, r.Affiliate, r.At = affiliate.ReviewAction(action), affiliate.EntryID(entry), affiliate.CustomerID(customer), affiliate.AffiliateID(aff), nsTime(at)
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, dbError("reviews", err)
	}
	return out, nil
}
