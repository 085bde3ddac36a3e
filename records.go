package affiliate

import "time"

// The records below are what the shells write to storage and hand back
// to hosts: logged events, tier decisions, payout runs. Stores keep a
// Period as its "2026-01" key and give it back in the location of the
// period the caller asked with (nil, UTC, when the call names none).

// EventRecord is a billing event as the commission engine logged it.
// Exactly one of Payment, Refund and Reinstatement is set.
type EventRecord struct {
	ID       EventID
	Customer CustomerID
	Time     time.Time // the event's own time
	// Hash identifies the event's payload, for idempotency: HashPrefix
	// and its SHA-256, or on a store of the process alone (memstore, see
	// storage.ProcessHashes) "p1:" and a 64-bit hash.
	Hash    string
	Payment *Payment
	Refund  *Refund
	// Reinstatement undoes the chargeback it names (a won dispute).
	Reinstatement *Reinstatement
	// Affiliate is the affiliate the customer was bound to when the event
	// was recorded, or "" when it was not bound. For a refund it is the
	// refunded payment's affiliate ("" while the refund is parked waiting
	// for its payment).
	Affiliate AffiliateID
}

// Kinds returns how many of Payment, Refund and Reinstatement are set: a
// valid record has exactly one.
func (r EventRecord) Kinds() int {
	n := 0
	for _, set := range []bool{r.Payment != nil, r.Refund != nil, r.Reinstatement != nil} {
		if set {
			n++
		}
	}
	return n
}

// PaymentID returns the payment an event is about: its own ID for a
// payment, the referenced one for a refund. A reinstatement names a
// chargeback, not a payment: it is filed under its own ID.
func (r EventRecord) PaymentID() EventID {
	if r.Refund != nil {
		return r.Refund.Payment
	}
	return r.ID
}

// Metric names a running aggregate. The writers (the commission engine,
// the attribution shell) choose the names; stores only add.
type Metric string

// The metrics the library writes.
const (
	// MetricRevenue: referred customers' payments minus refunds, in the
	// payment's currency, in the period the money moved.
	MetricRevenue Metric = "revenue"
	// MetricRevenueConverted: the same converted to the program currency
	// at the rate stored with each event.
	MetricRevenueConverted Metric = "revenue_converted"
	// MetricPayingCustomers counts referred customers with a payment in
	// the period (Count only).
	MetricPayingCustomers Metric = "paying_customers"
	// MetricConversions counts customers whose first payment falls in the
	// period (Count only).
	MetricConversions Metric = "conversions"
	// MetricEarnings sums ledger entries by At period, in their currency.
	MetricEarnings Metric = "earnings"
)

// TierSnapshot is one affiliate's tier decision for one period, as one run
// of the period's tier close wrote it. Snapshots are appended, never
// edited: a later run that decides differently writes a new snapshot with
// its own Revision, and readers see the latest one unless they ask for an
// earlier revision.
type TierSnapshot struct {
	Program   string // the close's namespace, as in TierClose
	Period    Period
	Revision  int64 // the close run that wrote it: 1 for the first run
	Affiliate AffiliateID
	// Metric names the aggregate the value was read from.
	Metric Metric
	// Amount is the metric's value for an amount metric, in the program's
	// currency; the zero Money for a count metric.
	Amount Money
	// Count is the metric's value for a count metric.
	Count int64
	// Reached is the tier the period's own value reached.
	Reached string
	// Tier is the tier decided for the period: Reached, or a higher tier
	// kept from the period HeldFrom.
	Tier string
	// HeldFrom is the earlier period whose reached tier decided Tier, or
	// the zero Period when the period's own value decided it.
	HeldFrom Period
	// Applied is the tier the period's tier-driven entries are priced at
	// once the close is applied, or "" when its policy re-prices nothing.
	Applied string
}

// TierClose is one run of a period's tier close. (Program, Period) names
// the close; each run that wrote something adds one to Revision.
type TierClose struct {
	Program  string
	Period   Period
	Revision int64     // 1 for the first run
	AsOf     time.Time // the as-of time the run was given
}

// PayoutRun is everything one payout run decided: the payouts it created
// and the balances it carried to the next run. (Program, Period) is the
// run's key; Hash identifies the run's payload (its policy), so a rerun
// can be told from a reuse of the key.
type PayoutRun struct {
	Program string    // the run key's namespace, for example "default"
	Period  Period    // the month paid out
	Hash    string    // hash of the run's payload, for idempotency
	AsOf    time.Time // the as-of time the run planned at
	// Payouts are the payouts the run created, each with status created
	// when written. Reads return them as they stand now (paid, failed...).
	Payouts []Payout
	// Carried are the balances the run saw and did not pay, one per
	// affiliate and currency.
	Carried []CarriedBalance
	// Through is 0, or the ledger watermark of the open balances the run
	// was planned from (storage.Balances.Through). A payout of such a run
	// may list no entries: it then settles by watermark, claiming every
	// open entry of its affiliate and currency earned before the period's
	// end, available at AsOf and appended at or before Through, and the
	// store lists them in the payout it keeps.
	Through uint64
}

// CarriedBalance is one affiliate's balance in one currency that a run
// left unpaid: below its minimum, zero or negative, or refused by an
// eligibility check. Its entries stay open for the next run.
type CarriedBalance struct {
	Affiliate AffiliateID
	Amount    Money  // may be zero or negative
	Reason    string // a short code, such as "below_minimum"
	Note      string // the reason in words, for statements
}

// AffiliateRun is one affiliate's share of a payout run: its payouts (any
// status) and its carried balances. Both may be empty: the run happened,
// and the affiliate had nothing available then.
type AffiliateRun struct {
	Program string
	Period  Period
	AsOf    time.Time
	Payouts []Payout
	Carried []CarriedBalance
}

// PayoutTotal sums the payouts of one period in one currency and status.
type PayoutTotal struct {
	Period Period
	Status PayoutStatus
	Amount Money
	Count  int64
}
