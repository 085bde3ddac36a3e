package affiliate

import "time"

// PayoutStatus is where a payout stands. The library never moves money: the
// host sends it and reports back with MarkPaid, MarkFailed or Cancel.
type PayoutStatus string

const (
	PayoutCreated   PayoutStatus = "created"   // planned by a run, waiting for the host
	PayoutPaid      PayoutStatus = "paid"      // the host sent it (Reference holds its transfer ID)
	PayoutFailed    PayoutStatus = "failed"    // the transfer failed; its entries go to the next run
	PayoutCancelled PayoutStatus = "cancelled" // withdrawn; its entries go to the next run
)

// Payout is money owed to one affiliate in one currency from one run. It
// holds the entries it settles; each entry is in at most one payout that
// is created or paid.
type Payout struct {
	ID        PayoutID
	Affiliate AffiliateID
	Period    Period
	Amount    Money
	Entries   []EntryID
	Status    PayoutStatus
	CreatedAt time.Time
	Reference string    // the host's transfer reference, once paid
	SettledAt time.Time // when it became paid, failed or cancelled
	Note      string    // why it failed or was cancelled
}
