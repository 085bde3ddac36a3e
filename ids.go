package affiliate

import "unicode/utf8"

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

// ValidateID returns a *FieldError naming field when id is empty, longer
// than MaxIDLen bytes, not UTF-8, or holds a control character. Packages
// that take IDs from outside use it at their boundary.
func ValidateID[T ~string](field string, id T) error { return validateID(field, string(id)) }
