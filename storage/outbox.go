package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/openaffiliate/affiliate"
)

// Cursor is a position in the outbox: the Seq of the last event a reader
// has seen. The zero Cursor is before the first event.
type Cursor int64

// MaxOutboxRead is the most events one Read returns.
const MaxOutboxRead = 1000

// ErrUnknownCursor is matched by the *CursorError a store returns for a
// cursor it never handed out. It matches affiliate.ErrInvalid.
var ErrUnknownCursor = fmt.Errorf("%w: unknown outbox cursor", affiliate.ErrInvalid)

// CursorError reports a cursor that is negative or beyond the outbox's
// last event (Head).
type CursorError struct {
	Cursor, Head Cursor
}

func (e *CursorError) Error() string {
	return fmt.Sprintf("storage: outbox cursor %d is unknown (the outbox ends at %d)", e.Cursor, e.Head)
}

// Unwrap returns ErrUnknownCursor.
func (e *CursorError) Unwrap() error { return ErrUnknownCursor }

// Outbox is the append-only log of changes. The store appends to it in
// the same atomic write as each change (through the *Events functions
// below), so a write that fails leaves no event and one that succeeds
// always has its events. Events come in commit order (Seq).
type Outbox interface {
	// Read returns at most limit events with Seq after after, in Seq
	// order, and the cursor of the last one (after when none).
	// Returns *CursorError (ErrUnknownCursor, ErrInvalid) for a cursor
	// below 0 or beyond the last event, and ErrInvalid for a limit below
	// 1; a limit above MaxOutboxRead reads MaxOutboxRead.
	Read(ctx context.Context, after Cursor, limit int) ([]affiliate.OutboxEvent, Cursor, error)

	// Ack records that consumer has handled every event up to c. A cursor
	// below the consumer's stored one is ignored, so a late ack never
	// moves a consumer back. Returns ErrInvalid for a malformed consumer
	// name and *CursorError for a cursor Read never handed out.
	Ack(ctx context.Context, consumer string, c Cursor) error

	// Cursor returns consumer's acknowledged cursor; 0 for a consumer
	// that never acknowledged. Returns ErrInvalid for a malformed name.
	Cursor(ctx context.Context, consumer string) (Cursor, error)
}

// ValidateRead checks Read's arguments against the outbox's head and
// returns the limit to use.
func ValidateRead(after, head Cursor, limit int) (int, error) {
	if after < 0 || after > head {
		return 0, &CursorError{Cursor: after, Head: head}
	}
	if limit < 1 {
		return 0, &affiliate.FieldError{Field: "Outbox.Read", Reason: "limit " + strconv.Itoa(limit) + " is below 1"}
	}
	return min(limit, MaxOutboxRead), nil
}

// ValidateConsumer checks a consumer name.
func ValidateConsumer(name string) error { return affiliate.ValidateID("Outbox.consumer", name) }

// The functions below derive a write's events from what the write holds.
// Every store calls them, so every store emits the same events with the
// same IDs. They leave Seq to the store.

// CommitEvents returns one event per entry: earned (commission, bonus,
// bounty), reversed or adjusted.
func CommitEvents(c Commit) []affiliate.OutboxEvent {
	out := make([]affiliate.OutboxEvent, 0, len(c.Entries))
	for i := range c.Entries {
		e := &c.Entries[i]
		typ := affiliate.EventEntryEarned
		switch e.Kind {
		case affiliate.KindReversal:
			typ = affiliate.EventEntryReversed
		case affiliate.KindAdjustment:
			typ = affiliate.EventEntryAdjusted
		}
		out = append(out, event("entry:"+string(e.ID), typ, e.At, "", e.Beneficiary, entryPayload{
			V: 1, Entry: e.ID, Kind: e.Kind, Customer: e.Customer, Event: e.Event, Payment: e.Payment,
			Amount: e.Amount, Rule: e.Rule, Tier: e.Tier, Corrects: e.Corrects,
		}))
	}
	return out
}

// BindEvents returns the customer.bound event of a stored binding.
func BindEvents(b affiliate.Binding) []affiliate.OutboxEvent {
	return []affiliate.OutboxEvent{event("bound:"+string(b.Customer), affiliate.EventCustomerBound, b.BoundAt, "", b.Affiliate, bindingPayload{
		V: 1, Customer: b.Customer, Source: b.Source, Lead: b.Lead, Code: b.Code,
	})}
}

// LeadEvents returns the event of a lead stored (AddLead) or moved
// (UpdateLead) to its status: a lead reaches each status once.
func LeadEvents(l affiliate.Lead) []affiliate.OutboxEvent {
	at := l.SubmittedAt
	switch l.Status {
	case affiliate.LeadAccepted, affiliate.LeadRefused:
		at = l.DecidedAt
	case affiliate.LeadConverted:
		at = l.ConvertedAt
	}
	return []affiliate.OutboxEvent{event("lead:"+string(l.ID)+":"+string(l.Status), affiliate.OutboxEventType("lead."+string(l.Status)), at, "", l.Affiliate, leadPayload{
		V: 1, Lead: l.ID, Status: l.Status, Company: l.Company, Reasons: l.Reasons, Customer: l.Customer,
	})}
}

// ReviewEvents returns one event per review record: entry held, approved
// or rejected, or customer moved.
func ReviewEvents(key string, rs []affiliate.Review) []affiliate.OutboxEvent {
	out := make([]affiliate.OutboxEvent, 0, len(rs))
	for i, r := range rs {
		typ := affiliate.EventCustomerMoved
		switch r.Action {
		case affiliate.ReviewHold:
			typ = affiliate.EventEntryHeld
		case affiliate.ReviewApprove:
			typ = affiliate.EventEntryApproved
		case affiliate.ReviewReject:
			typ = affiliate.EventEntryRejected
		}
		out = append(out, event("review:"+key+":"+strconv.Itoa(i), typ, r.At, "", r.Affiliate, reviewPayload{
			V: 1, Action: r.Action, Entry: r.Entry, Customer: r.Customer, Reason: r.Reason, Actor: r.Actor,
		}))
	}
	return out
}

// TierCloseEvents returns one tier.changed event per snapshot the close
// wrote (a close writes the snapshots that changed).
func TierCloseEvents(c TierCloseCommit) []affiliate.OutboxEvent {
	out := make([]affiliate.OutboxEvent, 0, len(c.Snapshots))
	for _, s := range c.Snapshots {
		id := "tier:" + c.Close.Program + ":" + c.Close.Period.String() + ":" + strconv.FormatInt(c.Close.Revision, 10) + ":" + string(s.Affiliate)
		out = append(out, event(id, affiliate.EventTierChanged, c.Close.AsOf, c.Close.Program, s.Affiliate, tierPayload{
			V: 1, Period: c.Close.Period.String(), Revision: c.Close.Revision, Tier: s.Tier,
		}))
	}
	return out
}

// PayoutRunEvents returns one payout.created event per payout of the run.
func PayoutRunEvents(r affiliate.PayoutRun) []affiliate.OutboxEvent {
	out := make([]affiliate.OutboxEvent, 0, len(r.Payouts))
	for _, p := range r.Payouts {
		out = append(out, payoutEvent(r.Program, p, p.CreatedAt))
	}
	return out
}

// SettleEvents returns the payout.paid, .failed or .cancelled event of a
// settled payout of program.
func SettleEvents(program string, p affiliate.Payout) []affiliate.OutboxEvent {
	return []affiliate.OutboxEvent{payoutEvent(program, p, p.SettledAt)}
}

func payoutEvent(program string, p affiliate.Payout, at time.Time) affiliate.OutboxEvent {
	return event("payout:"+string(p.ID)+":"+string(p.Status), affiliate.OutboxEventType("payout."+string(p.Status)), at, program, p.Affiliate, payoutPayload{
		V: 1, Payout: p.ID, Period: p.Period.String(), Amount: p.Amount, Status: p.Status, Reference: p.Reference, Note: p.Note,
	})
}

func event(id string, typ affiliate.OutboxEventType, at time.Time, program string, a affiliate.AffiliateID, payload any) affiliate.OutboxEvent {
	b, err := json.Marshal(payload)
	if err != nil {
		panic("storage: outbox payload: " + err.Error()) // the payload types hold nothing json cannot encode
	}
	return affiliate.OutboxEvent{ID: id, Type: typ, At: at.UTC(), Program: program, Affiliate: a, Payload: b}
}

// The payloads, version 1. A field is added, never renamed; a change of
// meaning makes version 2.

type entryPayload struct {
	V        int                  `json:"v"`
	Entry    affiliate.EntryID    `json:"entry"`
	Kind     affiliate.EntryKind  `json:"kind"`
	Customer affiliate.CustomerID `json:"customer"`
	Event    affiliate.EventID    `json:"event,omitempty"`
	Payment  affiliate.EventID    `json:"payment,omitempty"`
	Amount   affiliate.Money      `json:"amount"`
	Rule     string               `json:"rule,omitempty"`
	Tier     string               `json:"tier,omitempty"`
	Corrects affiliate.EntryID    `json:"corrects,omitempty"`
}

type bindingPayload struct {
	V        int                     `json:"v"`
	Customer affiliate.CustomerID    `json:"customer"`
	Source   affiliate.BindingSource `json:"source"`
	Lead     affiliate.LeadID        `json:"lead,omitempty"`
	Code     string                  `json:"code,omitempty"`
}

type leadPayload struct {
	V        int                  `json:"v"`
	Lead     affiliate.LeadID     `json:"lead"`
	Status   affiliate.LeadStatus `json:"status"`
	Company  string               `json:"company,omitempty"`
	Reasons  []string             `json:"reasons,omitempty"`
	Customer affiliate.CustomerID `json:"customer,omitempty"`
}

type reviewPayload struct {
	V        int                    `json:"v"`
	Action   affiliate.ReviewAction `json:"action"`
	Entry    affiliate.EntryID      `json:"entry,omitempty"`
	Customer affiliate.CustomerID   `json:"customer,omitempty"`
	Reason   string                 `json:"reason,omitempty"`
	Actor    string                 `json:"actor,omitempty"`
}

type tierPayload struct {
	V        int    `json:"v"`
	Period   string `json:"period"`
	Revision int64  `json:"revision"`
	Tier     string `json:"tier"`
}

type payoutPayload struct {
	V         int                    `json:"v"`
	Payout    affiliate.PayoutID     `json:"payout"`
	Period    string                 `json:"period"`
	Amount    affiliate.Money        `json:"amount"`
	Status    affiliate.PayoutStatus `json:"status"`
	Reference string                 `json:"reference,omitempty"`
	Note      string                 `json:"note,omitempty"`
}
