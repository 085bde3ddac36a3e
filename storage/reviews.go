package storage

import (
	"context"

	"github.com/openaffiliate/affiliate"
)

// ReviewQuery selects review records. Zero fields do not filter; the
// filters that are set must all hold. The zero query returns every
// record: a program's holds and decisions are few next to its entries.
type ReviewQuery struct {
	Key       string // the batch's idempotency key
	Entry     affiliate.EntryID
	Customer  affiliate.CustomerID
	Affiliate affiliate.AffiliateID
}

// Reviews keeps the append-only review trail: holds, approvals and
// rejections (see affiliate.Review). A rejection's reversal entry goes
// through Events.Commit; its record comes here.
type Reviews interface {
	// AppendReviews appends rs atomically under key, all or nothing. A key
	// seen before with the same hash is a replay: nothing is written and
	// Replayed is true. With another hash it returns
	// ErrIdempotencyMismatch. Returns ErrInvalid when key or hash is
	// empty, rs is empty, or a record fails Validate or has another Key.
	AppendReviews(ctx context.Context, key, hash string, rs []affiliate.Review) (replayed bool, err error)

	// Reviews returns the records q selects, ordered by At, then by the
	// order they were appended (records of one time are decided by the
	// later one).
	Reviews(ctx context.Context, q ReviewQuery) ([]affiliate.Review, error)
}

// ValidateReviews checks a batch for AppendReviews.
func ValidateReviews(key, hash string, rs []affiliate.Review) error {
	if key == "" || hash == "" {
		return &affiliate.FieldError{Field: "AppendReviews", Reason: "key and hash are required"}
	}
	if len(rs) == 0 {
		return &affiliate.FieldError{Field: "AppendReviews", Reason: "no records"}
	}
	for _, r := range rs {
		if err := r.Validate(); err != nil {
			return err
		}
		if r.Key != key {
			return &affiliate.FieldError{Field: "Review.Key", Reason: "differs from the batch key"}
		}
	}
	return nil
}
