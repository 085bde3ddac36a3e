package affiliate

import (
	"net/mail"
	"strings"
	"time"
)

// PayoutMethod is how an affiliate is paid.
type PayoutMethod string

const (
	MethodBankTransfer PayoutMethod = "bank_transfer" // a SEPA credit transfer: IBAN, BIC and account holder
	MethodPayPal       PayoutMethod = "paypal"        // PayPal Payouts: the PayPal e-mail
	MethodWise         PayoutMethod = "wise"          // Wise batch payments: a saved recipient
	MethodOther        PayoutMethod = "other"         // the host pays by its own means; OtherDetails says how
)

// TaxForm is the tax document the program holds for an affiliate.
type TaxForm string

const (
	TaxFormNone TaxForm = ""    // nothing received yet
	TaxFormW9   TaxForm = "w9"  // US person (IRS form W-9)
	TaxFormW8   TaxForm = "w8"  // foreign person (IRS form W-8BEN or W-8BEN-E)
	TaxFormVAT  TaxForm = "vat" // a VAT number, in VATNumber
)

// PayeeProfile is where and how an affiliate is paid. Profiles are
// versioned records: a change is a new version, never an edit, so a payout
// file can always be traced to the details it was written from.
type PayeeProfile struct {
	Affiliate AffiliateID
	// Version is assigned by the store: 1 for the first profile, then
	// one more for each change.
	Version  int
	Method   PayoutMethod
	Currency Currency // the currency the affiliate is paid in

	// AccountHolder is the name on the bank account (bank transfer) or the
	// recipient's name (Wise).
	AccountHolder string
	IBAN          string // bank transfer: upper case, no spaces, valid checksum
	BIC           string // bank transfer: 8 or 11 characters
	Email         string // PayPal: required; Wise: optional
	// WiseRecipientID is the recipient's ID in the payer's Wise account.
	WiseRecipientID string
	OtherDetails    string // MethodOther: how the host pays, for people

	TaxForm   TaxForm
	VATNumber string // required when TaxForm is TaxFormVAT

	UpdatedAt time.Time // when the affiliate gave these details; required
}

// Validate checks that p has what its method needs, in the shape the
// payment files require. It returns a *FieldError (ErrInvalid) naming the
// first bad field: an IBAN whose mod-97 checksum fails, a BIC of the wrong
// shape, a malformed e-mail address, a method or tax form this package
// does not know.
func (p PayeeProfile) Validate() error {
	if err := ValidateID("PayeeProfile.Affiliate", p.Affiliate); err != nil {
		return err
	}
	if p.Version < 0 {
		return fieldErr("PayeeProfile.Version", "negative")
	}
	if err := p.Currency.Validate(); err != nil {
		return err
	}
	if p.UpdatedAt.IsZero() {
		return fieldErr("PayeeProfile.UpdatedAt", "zero time")
	}
	switch p.Method {
	case MethodBankTransfer:
		if err := needText("PayeeProfile.AccountHolder", p.AccountHolder); err != nil {
			return err
		}
		if err := ValidateIBAN(p.IBAN); err != nil {
			return err
		}
		if err := ValidateBIC(p.BIC); err != nil {
			return err
		}
	case MethodPayPal:
		if err := validateEmail(p.Email); err != nil {
			return err
		}
	case MethodWise:
		if err := needText("PayeeProfile.AccountHolder", p.AccountHolder); err != nil {
			return err
		}
		if err := needText("PayeeProfile.WiseRecipientID", p.WiseRecipientID); err != nil {
			return err
		}
		if p.Email != "" {
			if err := validateEmail(p.Email); err != nil {
				return err
			}
		}
	case MethodOther:
		if err := needText("PayeeProfile.OtherDetails", p.OtherDetails); err != nil {
			return err
		}
	default:
		return fieldErr("PayeeProfile.Method", "unknown method "+quote(string(p.Method)))
	}
	switch p.TaxForm {
	case TaxFormNone, TaxFormW9, TaxFormW8:
		if p.VATNumber != "" {
			return fieldErr("PayeeProfile.VATNumber", "set, but the tax form is not "+string(TaxFormVAT))
		}
	case TaxFormVAT:
		if err := needText("PayeeProfile.VATNumber", p.VATNumber); err != nil {
			return err
		}
	default:
		return fieldErr("PayeeProfile.TaxForm", "unknown tax form "+quote(string(p.TaxForm)))
	}
	return nil
}

// needText refuses an empty value and one no payment file can carry:
// longer than 140 bytes (SEPA's limit for names) or holding control
// characters.
func needText(field, s string) error {
	switch {
	case strings.TrimSpace(s) == "":
		return fieldErr(field, "missing")
	case len(s) > 140:
		return fieldErr(field, "longer than 140 bytes")
	case strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return fieldErr(field, "holds a control character")
	}
	return nil
}

func validateEmail(s string) error {
	const field = "PayeeProfile.Email"
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s || len(s) > 127 {
		return fieldErr(field, quote(s)+" is not a bare e-mail address")
	}
	_, domain, _ := strings.Cut(s, "@")
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return fieldErr(field, quote(s)+" has no domain with a dot")
	}
	return nil
}

// ValidateIBAN checks an IBAN in its electronic form (ISO 13616): upper
// case letters and digits without spaces, a two-letter country code, two
// check digits, 15 to 34 characters, and the mod-97 checksum equal to 1.
// It returns a *FieldError (ErrInvalid) for field PayeeProfile.IBAN.
func ValidateIBAN(iban string) error {
	const field = "PayeeProfile.IBAN"
	if len(iban) < 15 || len(iban) > 34 {
		return fieldErr(field, "must have 15 to 34 characters, without spaces")
	}
	for i := 0; i < len(iban); i++ {
		c := iban[i]
		ok := c >= '0' && c <= '9' || c >= 'A' && c <= 'Z'
		if i < 2 {
			ok = c >= 'A' && c <= 'Z'
		} else if i < 4 {
			ok = c >= '0' && c <= '9'
		}
		if !ok {
			return fieldErr(field, "must be a country code, two check digits and upper case letters or digits, without spaces")
		}
	}
	// Move the first four characters to the end, read letters as 10..35,
	// and take the remainder digit by digit so no big number is needed.
	rearranged := iban[4:] + iban[:4]
	rem := 0
	for i := 0; i < len(rearranged); i++ {
		c := rearranged[i]
		if c >= 'A' {
			rem = (rem*100 + int(c-'A'+10)) % 97
		} else {
			rem = (rem*10 + int(c-'0')) % 97
		}
	}
	if rem != 1 {
		return fieldErr(field, "checksum fails (mod 97)")
	}
	return nil
}

// ValidateBIC checks a business identifier code (ISO 9362) in the shape
// ISO 20022 accepts: four letters or digits, a two-letter country code,
// two letters or digits, and an optional three-character branch code.
// It returns a *FieldError (ErrInvalid) for field PayeeProfile.BIC.
func ValidateBIC(bic string) error {
	const field = "PayeeProfile.BIC"
	if len(bic) != 8 && len(bic) != 11 {
		return fieldErr(field, "must have 8 or 11 characters")
	}
	for i := 0; i < len(bic); i++ {
		c := bic[i]
		letter, digit := c >= 'A' && c <= 'Z', c >= '0' && c <= '9'
		if !letter && !(digit && (i < 4 || i >= 6)) {
			return fieldErr(field, "must be upper case letters or digits, with a country code at characters 5 and 6")
		}
	}
	return nil
}
