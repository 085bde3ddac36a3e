package storage

import (
	"context"
	"time"

	"github.com/openaffiliate/affiliate"
)

// Activity counts what the attribution side recorded over a time range.
type Activity struct {
	Clicks  int64 // touches: referral-link clicks and code uses
	Signups int64 // bindings: customers bound to the affiliate
}

// EarningsBalance splits ledger earnings in one currency by where they
// stand at a moment. The four parts add up to every entry ever appended
// in the currency (for the affiliate, or the program).
type EarningsBalance struct {
	Currency affiliate.Currency
	// Pending: in no created or paid payout, and still on hold
	// (AvailableAt after the as-of time).
	Pending affiliate.Money
	// Available: in no created or paid payout, and past its hold. It may
	// be negative (a reversal after a payout).
	Available affiliate.Money
	// InPayout: in payouts with status created, waiting for the host.
	InPayout affiliate.Money
	// Paid: in payouts with status paid.
	Paid affiliate.Money
}

// Reports serves the dashboard figures that no aggregate holds, from
// indexes kept for the purpose: counts by time range, program-wide
// earnings by time range, and balances by settlement state. No call may
// scan the whole ledger or every touch.
type Reports interface {
	// Activity counts the touches whose At and the bindings whose BoundAt
	// lie in [from, to), for affiliate a, or for every affiliate when a is
	// "". Returns ErrInvalid when to is before from.
	Activity(ctx context.Context, a affiliate.AffiliateID, from, to time.Time) (Activity, error)

	// EarningsBalances returns a's balances (every affiliate's when a is
	// "") at asOf, one per currency with any entry, ordered by currency.
	// asOf decides only Pending against Available; InPayout and Paid are
	// the payouts' statuses as they stand now. Returns ErrInvalid for a
	// zero asOf.
	EarningsBalances(ctx context.Context, a affiliate.AffiliateID, asOf time.Time) ([]EarningsBalance, error)

	// ProgramEarnings sums every affiliate's entries whose At lies in
	// [from, to), one total per currency with any such entry, ordered by
	// currency. (Per affiliate, the earnings aggregate serves the same
	// figure by month.) Returns ErrInvalid when to is before from.
	ProgramEarnings(ctx context.Context, from, to time.Time) ([]affiliate.Money, error)
}
