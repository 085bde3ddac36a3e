package memstore

import (
	"context"
	"slices"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.Reviews = (*Store)(nil)

// reviewTables holds the review trail in append order and each batch
// key's hash.
type reviewTables struct {
	records []affiliate.Review
	keys    map[string]string
}

func (t *reviewTables) init() { t.keys = make(map[string]string) }

// AppendReviews implements storage.Reviews.
func (s *Store) AppendReviews(ctx context.Context, key, hash string, rs []affiliate.Review) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if err := storage.ValidateReviews(key, hash, rs); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if h, ok := s.reviews.keys[key]; ok {
		if h != hash {
			return false, &affiliate.FieldError{Field: "AppendReviews", Reason: "key " + key + " was used with another payload", Err: affiliate.ErrIdempotencyMismatch}
		}
		return true, nil
	}
	s.reviews.keys[key] = hash
	for _, r := range rs {
		r.At = r.At.UTC()
		s.reviews.records = append(s.reviews.records, r)
	}
	s.appendOutbox(storage.ReviewEvents(key, rs))
	return false, nil
}

// Reviews implements storage.Reviews.
func (s *Store) Reviews(ctx context.Context, q storage.ReviewQuery) ([]affiliate.Review, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []affiliate.Review
	for _, r := range s.reviews.records {
		if (q.Key == "" || r.Key == q.Key) && (q.Entry == "" || r.Entry == q.Entry) && (q.Customer == "" || r.Customer == q.Customer) && (q.Affiliate == "" || r.Affiliate == q.Affiliate) {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b affiliate.Review) int { return a.At.Compare(b.At) })
	return out, nil
}
