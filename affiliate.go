package affiliate

import (
	"net/mail"
	"strings"
	"time"
)

// AffiliateStatus says whether an affiliate may earn.
type AffiliateStatus string

const (
	// StatusActive affiliates are attributed, earn and are paid.
	StatusActive AffiliateStatus = "active"
	// StatusSuspended affiliates get no new touches or bindings and are
	// not paid; their ledger stays as it is.
	StatusSuspended AffiliateStatus = "suspended"
)

// Affiliate is a partner account. Parent, when set, makes it a
// sub-affiliate of that affiliate: the parent earns the sub-affiliate bonus
// on this affiliate's referrals.
type Affiliate struct {
	ID     AffiliateID
	Parent AffiliateID // "" for a top-level affiliate
	Status AffiliateStatus
	Name   string
	Email  string   // contact e-mail; also used for self-referral checks
	Codes  []string // affiliate codes and link slugs that resolve to it
	// PayoutMethodOnFile is the host's flag that it can send this affiliate
	// money; the payout eligibility check reads it.
	PayoutMethodOnFile bool
	CreatedAt          time.Time
}

// MaxCodeLen is the longest affiliate code accepted, in bytes.
const MaxCodeLen = 64

// Validate checks the ID, status, e-mail, codes and parent.
func (a Affiliate) Validate() error {
	if err := validateID("Affiliate.ID", string(a.ID)); err != nil {
		return err
	}
	if a.Parent != "" {
		if err := validateID("Affiliate.Parent", string(a.Parent)); err != nil {
			return err
		}
		if a.Parent == a.ID {
			return fieldErr("Affiliate.Parent", "an affiliate cannot be its own parent")
		}
	}
	if a.Status != StatusActive && a.Status != StatusSuspended {
		return fieldErr("Affiliate.Status", quote(string(a.Status))+" is not active or suspended")
	}
	if a.Email != "" {
		if _, err := ParseEmail(a.Email); err != nil {
			return fieldErr("Affiliate.Email", quote(a.Email)+" is not an e-mail address")
		}
	}
	seen := make(map[string]bool, len(a.Codes))
	for i, c := range a.Codes {
		field := "Affiliate.Codes[" + itoa(i) + "]"
		if err := ValidateCode(c); err != nil {
			return fieldErr(field, err.(*FieldError).Reason)
		}
		if seen[NormalizeCode(c)] {
			return fieldErr(field, quote(c)+" is listed twice")
		}
		seen[NormalizeCode(c)] = true
	}
	return nil
}

// NormalizeCode returns the canonical form of an affiliate code: trimmed
// and lower-cased, so "SUMMER-24" typed at signup matches "summer-24".
func NormalizeCode(code string) string { return strings.ToLower(strings.TrimSpace(code)) }

// ValidateCode accepts 1–64 bytes of letters, digits, '-', '_' and '.'.
func ValidateCode(code string) error {
	c := strings.TrimSpace(code)
	if c == "" {
		return fieldErr("Code", "missing")
	}
	if len(c) > MaxCodeLen {
		return fieldErr("Code", "longer than 64 bytes")
	}
	for i := 0; i < len(c); i++ {
		b := c[i]
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_' || b == '.') {
			return fieldErr("Code", quote(code)+" may hold only letters, digits, '-', '_' and '.'")
		}
	}
	return nil
}

// ParseEmail returns the normalised form of a bare e-mail address
// ("Ann@Example.COM" becomes "Ann@example.com": the domain is lower-cased, the local part kept as written). Display names and
// anything RFC 5322 allows beyond a bare address are refused.
func ParseEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s || !strings.Contains(s, "@") || len(s) > 254 {
		return "", fieldErr("Email", quote(s)+" is not a bare e-mail address")
	}
	local, domain, _ := strings.Cut(s, "@")
	if !strings.Contains(domain, ".") {
		return "", fieldErr("Email", quote(s)+" has no domain")
	}
	return local + "@" + strings.ToLower(domain), nil
}
