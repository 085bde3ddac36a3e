package affiliate

import (
	"strings"
	"unicode/utf8"
)

// IDs are the host's own identifiers, kept as opaque strings. Each kind has
// its own type so that a customer ID cannot be passed where an affiliate ID
// is wanted.
type (
	AffiliateID string // an affiliate (partner) account
	CustomerID  string // a customer of the host, as its billing knows it
	VisitorID   string // an anonymous browser, before signup
	TouchID     string // one recorded click or code use
	EventID     string // a billing event (payment, refund); the idempotency key
	LeadID      string // a partner-submitted lead
	EntryID     string // one ledger entry
	PayoutID    string // one payout to one affiliate in one currency
)

// validateID checks that an ID is present, valid UTF-8, at most MaxIDLen
// bytes, and free of control characters.
func validateID(field, id string) error {
	switch {
	case id == "":
		return fieldErr(field, "missing")
	case len(id) > MaxIDLen:
		return fieldErr(field, "longer than 255 bytes")
	case printableASCII(id):
		return nil
	case !utf8.ValidString(id):
		return fieldErr(field, "not valid UTF-8")
	}
	for _, r := range id {
		if r < 0x20 || r == 0x7f {
			return fieldErr(field, "contains a control character")
		}
	}
	return nil
}

// printableASCII reports whether id is ASCII without control characters,
// the IDs hosts send: one pass over the bytes instead of the UTF-8 check
// and the decoding that other IDs take.
func printableASCII(id string) bool {
	for i := range len(id) {
		if c := id[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// ValidateID returns a *FieldError naming field when id is empty, longer
// than MaxIDLen bytes, not UTF-8, or holds a control character. Packages
// that take IDs from outside use it at their boundary.
func ValidateID[T ~string](field string, id T) error { return validateID(field, string(id)) }

// The commission engine names ledger entries after the events that made
// them ("<event ID>/<n>"), entries no event made after the customer
// ("<customer>/state-<version>/<n>"), and manual adjustments and
// rejections after their key ("adjust/<key>/1", "review/<key>/1"); a
// prefix too long for MaxIDLen becomes HashedIDPrefix and 64 hex digits.
// A host event ID of an engine-made shape could name the same entries as
// another event, so ValidateEventID refuses it: the ID spaces are
// disjoint.
const (
	HashedIDPrefix = "sha256-"
	StateIDMarker  = "/state-"
	AdjustIDPrefix = "adjust/"
	ReviewIDPrefix = "review/"
)

// ValidateEventID is ValidateID for a host's event ID, which may not take
// a shape the engine makes: HashedIDPrefix followed by 64 lower-case hex
// digits, anything ending in StateIDMarker and digits, or anything
// starting with AdjustIDPrefix or ReviewIDPrefix.
func ValidateEventID(field string, id EventID) error {
	if err := validateID(field, string(id)); err != nil {
		return err
	}
	s := string(id)
	if rest, ok := strings.CutPrefix(s, HashedIDPrefix); ok && len(rest) == 64 && strings.Trim(rest, "0123456789abcdef") == "" {
		return fieldErr(field, quote(s)+" has the shape of an engine-made ID ("+HashedIDPrefix+" and 64 hex digits)")
	}
	for _, p := range []string{AdjustIDPrefix, ReviewIDPrefix} {
		if strings.HasPrefix(s, p) {
			return fieldErr(field, quote(s)+" has the shape of an engine-made ID (starts with "+p+")")
		}
	}
	if i := strings.LastIndex(s, StateIDMarker); i >= 0 {
		if n := s[i+len(StateIDMarker):]; n != "" && strings.Trim(n, "0123456789") == "" {
			return fieldErr(field, quote(s)+" has the shape of an engine-made ID (ends in "+StateIDMarker+" and digits)")
		}
	}
	return nil
}
