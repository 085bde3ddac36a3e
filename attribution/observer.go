package attribution

import (
	"context"
	"time"

	"github.com/openaffiliate/affiliate"
)

// EventKind names what happened.
type EventKind string

const (
	TouchRecorded       EventKind = "touch_recorded"       // Event.Touch is set
	LeadAccepted        EventKind = "lead_accepted"        // Event.Lead is set
	LeadRefused         EventKind = "lead_refused"         // Event.Lead is set, with its reasons
	CustomerBound       EventKind = "customer_bound"       // Event.Binding is set; Reason too when bound by hand
	LeadConverted       EventKind = "lead_converted"       // Event.Lead and Event.Binding are set
	AffiliateSuspended  EventKind = "affiliate_suspended"  // Event.Affiliate, At and Reason are set
	AffiliateReinstated EventKind = "affiliate_reinstated" // Event.Affiliate, At and Reason are set
)

// Event is one thing the Tracker did, as stored. Only the fields its Kind
// names are set.
type Event struct {
	Kind      EventKind
	Touch     affiliate.Touch
	Lead      affiliate.Lead
	Binding   affiliate.Binding
	Affiliate affiliate.Affiliate // as stored after the change
	At        time.Time           // when a status change took effect, as the host said
	Reason    string              // why the host bound or changed the status by hand
}

// Observer hears about what the Tracker stored, so the host can tell the
// partner (an e-mail, a webhook). Observe is called synchronously, once per
// event, and only after the store accepted the write: an event is never
// reported for something that was not stored. It is not called again for
// a replay that stored nothing. A host that must not lose a notification
// when it crashes between the write and Observe writes its own outbox
// from Observe.
type Observer interface {
	Observe(ctx context.Context, e Event)
}

// ObserverFunc adapts a function to Observer.
type ObserverFunc func(ctx context.Context, e Event)

// Observe calls f.
func (f ObserverFunc) Observe(ctx context.Context, e Event) { f(ctx, e) }
