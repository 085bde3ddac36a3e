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
// always has its events. Events come in Seq order, which has no gap and
// is never seen with n+1 before n: a write's events are consecutive, and
// a write made after another committed comes after it. (Among writes
// that overlapped, a store may order by commit or, as sqlstore does on
// PostgreSQL, by the order the writes began.)
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
		p := payload(make([]byte, 0, 192))
		p = p.str("entry", string(e.ID)).str("kind", string(e.Kind)).str("customer", string(e.Customer)).
			opt("event", string(e.Event)).opt("payment", string(e.Payment)).money("amount", e.Amount).
			opt("rule", e.Rule).opt("tier", e.Tier).opt("corrects", string(e.Corrects))
		out = append(out, event("entry:"+string(e.ID), typ, e.At, "", e.Beneficiary, p))
	}
	return out
}

// BindEvents returns the customer.bound event of a stored binding.
func BindEvents(b affiliate.Binding) []affiliate.OutboxEvent {
	p := payload(nil).str("customer", string(b.Customer)).str("source", string(b.Source)).opt("lead", string(b.Lead)).opt("code", b.Code)
	return []affiliate.OutboxEvent{event("bound:"+string(b.Customer), affiliate.EventCustomerBound, b.BoundAt, "", b.Affiliate, p)}
}

// RebindEvents returns the customer.rebound event of a binding moved
// from one affiliate to to.Affiliate (Rebinder.Rebind). earlier counts
// the customer's earlier rebinds, so that each move has its own ID even
// when two happen at one instant.
func RebindEvents(from affiliate.AffiliateID, to affiliate.Binding, earlier int) []affiliate.OutboxEvent {
	p := payload(nil).str("customer", string(to.Customer)).str("from", string(from)).str("to", string(to.Affiliate)).str("source", string(to.Source))
	return []affiliate.OutboxEvent{event(RebindEventPrefix(to.Customer)+strconv.Itoa(earlier+1), affiliate.EventCustomerRebound, to.BoundAt, "", to.Affiliate, p)}
}

// RebindEventPrefix is how the IDs of customer c's rebind events start;
// the rest is the rebind's number, 1 for the first.
func RebindEventPrefix(c affiliate.CustomerID) string { return "rebound:" + string(c) + ":" }

// ProfileEvents returns the payee.updated event of a stored profile
// version (Profiles.PutProfile). The payload says what kind of details
// changed, never the account itself: a receiver that needs it reads the
// profile.
func ProfileEvents(p affiliate.PayeeProfile) []affiliate.OutboxEvent {
	v := strconv.Itoa(p.Version)
	pl := payload(nil).raw("version", v).str("method", string(p.Method)).str("currency", string(p.Currency)).opt("tax_form", string(p.TaxForm))
	return []affiliate.OutboxEvent{event("profile:"+string(p.Affiliate)+":"+v, affiliate.EventPayeeUpdated, p.UpdatedAt, "", p.Affiliate, pl)}
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
	p := payload(nil).str("lead", string(l.ID)).str("status", string(l.Status)).opt("company", l.Company).
		list("reasons", l.Reasons).opt("customer", string(l.Customer))
	return []affiliate.OutboxEvent{event("lead:"+string(l.ID)+":"+string(l.Status), affiliate.OutboxEventType("lead."+string(l.Status)), at, "", l.Affiliate, p)}
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
		p := payload(nil).str("action", string(r.Action)).opt("entry", string(r.Entry)).opt("customer", string(r.Customer)).
			opt("reason", r.Reason).opt("actor", r.Actor)
		out = append(out, event("review:"+key+":"+strconv.Itoa(i), typ, r.At, "", r.Affiliate, p))
	}
	return out
}

// TierCloseEvents returns one tier.changed event per snapshot the close
// wrote (a close writes the snapshots that changed).
func TierCloseEvents(c TierCloseCommit) []affiliate.OutboxEvent {
	out := make([]affiliate.OutboxEvent, 0, len(c.Snapshots))
	rev := strconv.FormatInt(c.Close.Revision, 10)
	for _, s := range c.Snapshots {
		id := "tier:" + c.Close.Program + ":" + c.Close.Period.String() + ":" + rev + ":" + string(s.Affiliate)
		p := payload(nil).str("period", c.Close.Period.String()).raw("revision", rev).str("tier", s.Tier)
		out = append(out, event(id, affiliate.EventTierChanged, c.Close.AsOf, c.Close.Program, s.Affiliate, p))
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
	pl := payload(make([]byte, 0, 192)).str("payout", string(p.ID)).str("period", p.Period.String()).money("amount", p.Amount).
		str("status", string(p.Status)).opt("reference", p.Reference).opt("note", p.Note)
	return event("payout:"+string(p.ID)+":"+string(p.Status), affiliate.OutboxEventType("payout."+string(p.Status)), at, program, p.Affiliate, pl)
}

func event(id string, typ affiliate.OutboxEventType, at time.Time, program string, a affiliate.AffiliateID, p payload) affiliate.OutboxEvent {
	return affiliate.OutboxEvent{ID: id, Type: typ, At: at.UTC(), Program: program, Affiliate: a, Payload: append(p, '}')}
}

// payload builds an event's JSON, version 1: {"v":1, then the fields in a
// fixed order}. A field is added, never renamed; a change of meaning
// makes version 2. It is written by hand, not by encoding/json, because
// every Record pays for it (see docs/decisions.md, "Outbox and webhooks").
type payload []byte

func (p payload) raw(k, v string) payload {
	if len(p) == 0 {
		p = append(p, `{"v":1`...)
	}
	p = append(p, ',', '"')
	p = append(p, k...)
	p = append(p, '"', ':')
	return append(p, v...)
}

func (p payload) str(k, v string) payload { return p.raw(k, "").quote(v) }

// opt is str, left out when v is empty.
func (p payload) opt(k, v string) payload {
	if v == "" {
		if len(p) == 0 {
			return append(p, `{"v":1`...)
		}
		return p
	}
	return p.str(k, v)
}

// money writes m as affiliate.Money's MarshalJSON does.
func (p payload) money(k string, m affiliate.Money) payload {
	if m.Currency() == "" {
		return p.raw(k, "null")
	}
	p = p.raw(k, `{"amount":"`)
	p = append(p, m.AmountString()...)
	p = append(p, `","currency":"`...)
	p = append(p, m.Currency()...)
	return append(p, '"', '}')
}

// list writes vs as an array, left out when empty.
func (p payload) list(k string, vs []string) payload {
	if len(vs) == 0 {
		return p.opt(k, "")
	}
	p = p.raw(k, "[")
	for i, v := range vs {
		if i > 0 {
			p = append(p, ',')
		}
		p = p.quote(v)
	}
	return append(p, ']')
}

// quote appends v as a JSON string, as encoding/json writes it.
func (p payload) quote(v string) payload {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(v) // a string always encodes
			return append(p, b...)
		}
	}
	p = append(p, '"')
	p = append(p, v...)
	return append(p, '"')
}
