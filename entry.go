package affiliate

import (
	"time"
)

// EntryKind says what a ledger entry records.
type EntryKind string

const (
	KindCommission EntryKind = "commission"          // earned on a referred customer's payment
	KindBonus      EntryKind = "sub_affiliate_bonus" // earned by a parent on its sub-affiliate's referral
	KindBounty     EntryKind = "bounty"              // a flat amount for an event, such as a first payment
	KindReversal   EntryKind = "reversal"            // takes back earnings after a refund or chargeback
	KindAdjustment EntryKind = "adjustment"          // corrects earlier entries: late events, late bindings, re-priced terms and tiers
)

// Valid reports whether k is one of the kinds above.
func (k EntryKind) Valid() bool {
	switch k {
	case KindCommission, KindBonus, KindBounty, KindReversal, KindAdjustment:
		return true
	}
	return false
}

// Entry is one row of the append-only ledger. Entries are never edited or
// deleted: a correction is a new entry whose Corrects names the entry it
// corrects. Balances and statements are sums of entries.
//
// An entry carries what is needed to explain its amount without reading
// anything else: the rule and terms version, the base and the line kinds it
// came from, the rate, the tier and the beneficiary chain. Describe renders
// its one line for people from them; Explanation holds only what they do
// not say.
type Entry struct {
	ID          EntryID
	Beneficiary AffiliateID
	Event       EventID // the event that produced the entry
	Payment     EventID // the payment it is about (for a refund, the refunded payment)
	Customer    CustomerID
	Kind        EntryKind
	Base        Money      // what the rate applied to
	BaseLines   []LineKind // the kinds of the lines that made up Base, in line order
	Rate        Rate
	Amount      Money // rounded once to the currency's minor unit
	Rule        string
	Terms       string // terms version
	Tier        string
	Chain       []AffiliateID // the referring affiliate first, then its parents up to the beneficiary
	At          time.Time     // when it was earned: the event's time
	AvailableAt time.Time     // when it may be paid out (At plus the hold)
	Corrects    EntryID       // for reversals and adjustments: the entry corrected, if one
	// Explanation is the rule's own words beyond what the fields say (a
	// note): "" for a plain rated commission or bonus, "; capped at …"
	// continuing its rendered line, or a whole line of its own (deferred
	// rewards, bounties, reversals, adjustments, and entries stored before
	// lines were rendered). Show Describe, not this, to people.
	Explanation string
}

// Validate checks IDs, kind, currencies and times. Base may be the zero
// Money (no base, as for a bounty); when present it shares Amount's
// currency.
func (e Entry) Validate() error {
	if err := validateID("Entry.ID", string(e.ID)); err != nil {
		return err
	}
	if err := validateID("Entry.Beneficiary", string(e.Beneficiary)); err != nil {
		return err
	}
	if !e.Kind.Valid() {
		return fieldErr("Entry.Kind", quote(string(e.Kind))+" is not an entry kind")
	}
	if err := e.Amount.Validate(); err != nil {
		return &FieldError{Field: "Entry.Amount", Reason: "needs a known currency", Err: ErrUnknownCurrency}
	}
	if e.Base != (Money{}) && e.Base.Currency() != e.Amount.Currency() {
		return &FieldError{Field: "Entry.Base", Reason: "currency differs from the amount's", Err: ErrCurrencyMismatch}
	}
	if e.At.IsZero() {
		return fieldErr("Entry.At", "zero time")
	}
	if e.AvailableAt.IsZero() {
		return fieldErr("Entry.AvailableAt", "zero time")
	}
	return nil
}

// Available reports whether the entry may be paid out at t.
func (e Entry) Available(t time.Time) bool { return !t.Before(e.AvailableAt) }
