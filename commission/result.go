package commission

import "github.com/openaffiliate/affiliate"

// Result is what Record did with an event.
type Result struct {
	// Entries are the entries the call appended, in order; on a replay,
	// the entries the first delivery appended.
	Entries []affiliate.Entry
	// Replayed is set when the event had been recorded before with the
	// same payload: nothing was written. On a replay, Entries are the
	// first delivery's, while the other flags describe the event as it
	// stands now: a refund that was parked and has since met its payment
	// replays with Parked unset.
	Replayed bool
	// Unbound is set for a payment of a customer with no binding active at
	// the payment's time: it is recorded (a later Recompute can use it)
	// and earns nothing.
	Unbound bool
	// Parked is set for a refund whose payment is not recorded yet: it is
	// recorded and applied when the payment arrives.
	Parked bool
	// Reordered is set when the event came out of order (a payment dated
	// before one already recorded, or a refund that changes what a later
	// payment saw): the engine recomputed the customer's ledger and
	// appended the difference.
	Reordered bool
	// Ignored lists refunds parked earlier that turned out, when their
	// payment arrived, to be in another currency than the payment: they
	// stay in the event log and reverse nothing.
	Ignored []affiliate.EventID
	// Why says, for a payment that earned nothing, why not (a typed
	// Reason with a detail for support staff); its zero value means the
	// payment earned, or the event is not a payment. A replayed delivery
	// leaves it zero: it describes the pricing the call did.
	Why Why
}
