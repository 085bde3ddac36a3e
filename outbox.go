package affiliate

import "time"

// OutboxEventType names what changed. The names are part of the webhook
// contract: they never change meaning; new ones are added.
type OutboxEventType string

const (
	EventLeadSubmitted   OutboxEventType = "lead.submitted"
	EventLeadAccepted    OutboxEventType = "lead.accepted"
	EventLeadRefused     OutboxEventType = "lead.refused"
	EventLeadConverted   OutboxEventType = "lead.converted"
	EventCustomerBound   OutboxEventType = "customer.bound"
	EventCustomerMoved   OutboxEventType = "customer.moved"
	EventCustomerRebound OutboxEventType = "customer.rebound"
	EventEntryEarned     OutboxEventType = "entry.earned"
	EventEntryReversed   OutboxEventType = "entry.reversed"
	EventEntryAdjusted   OutboxEventType = "entry.adjusted"
	EventEntryHeld       OutboxEventType = "entry.held"
	EventEntryApproved   OutboxEventType = "entry.approved"
	EventEntryRejected   OutboxEventType = "entry.rejected"
	EventTierChanged     OutboxEventType = "tier.changed"
	EventPayoutCreated   OutboxEventType = "payout.created"
	EventPayoutPaid      OutboxEventType = "payout.paid"
	EventPayoutFailed    OutboxEventType = "payout.failed"
	EventPayoutCancelled OutboxEventType = "payout.cancelled"
	EventPayeeUpdated    OutboxEventType = "payee.updated"
)

// OutboxEvent is one notice of a change, written by the store in the same
// atomic write as the change. ID is derived from the change (a replayed
// write makes no second event), so a receiver deduplicates on it; Seq is
// its place in the store's log, 1 for the first event (see storage.Outbox
// for what the order promises).
type OutboxEvent struct {
	Seq       int64
	ID        string
	Type      OutboxEventType
	At        time.Time // when the change happened: the time it carries
	Program   string    // the tier close's or payout run's program; "" for changes no program keys
	Affiliate AffiliateID
	// Payload is JSON: {"v":1, ...} with the changed record's fields.
	Payload []byte
}
