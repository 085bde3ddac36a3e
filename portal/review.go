package portal

import (
	"context"
	"time"

	"github.com/openaffiliate/affiliate"
)

// Reviewer is the review queue the manager's "entries on hold" page
// works on: entries a program holds until a person approves or rejects
// them. The host adapts its program's review API to it; a nil Reviewer
// hides the page.
type Reviewer interface {
	// Pending returns the entries waiting for a decision, oldest first.
	Pending(ctx context.Context) ([]HeldEntry, error)
	// Approve releases a held entry; Reject takes it back. Both return
	// an error matching affiliate.ErrNotFound for an ID not pending, and
	// affiliate.ErrInvalid for a bad decision.
	Approve(ctx context.Context, d Decision) error
	Reject(ctx context.Context, d Decision) error
}

// HeldEntry is one entry waiting for review.
type HeldEntry struct {
	ID          string                `json:"id"` // what a Decision names: the entry's ID, or the review's
	Affiliate   affiliate.AffiliateID `json:"affiliate"`
	Amount      affiliate.Money       `json:"amount"`
	Reason      string                `json:"reason"`      // why it is held
	Explanation string                `json:"explanation"` // the entry's line for people (Entry.Describe)
	HeldAt      time.Time             `json:"held_at"`
}

// Decision is a manager's approval or rejection of a held entry.
type Decision struct {
	ID       string `json:"id"`
	Reviewer string `json:"reviewer"` // the manager's name, from Config.Manager
	Note     string `json:"note,omitempty"`
}
