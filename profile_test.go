package affiliate_test

import (
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"pgregory.net/rapid"
)

func validProfile() affiliate.PayeeProfile {
	return affiliate.PayeeProfile{
		Affiliate:     "aff_1",
		Method:        affiliate.MethodBankTransfer,
		Currency:      "EUR",
		AccountHolder: "Ada Lovelace",
		IBAN:          "DE89370400440532013000",
		BIC:           "COBADEFFXXX",
		UpdatedAt:     time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC),
	}
}

func TestPayeeProfileValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*affiliate.PayeeProfile)
		field  string // "" when valid
	}{
		{"valid SEPA", func(*affiliate.PayeeProfile) {}, ""},
		{"valid PayPal", func(p *affiliate.PayeeProfile) {
			*p = affiliate.PayeeProfile{Affiliate: "a", Method: affiliate.MethodPayPal, Currency: "USD", Email: "ada@example.com", UpdatedAt: p.UpdatedAt, TaxForm: affiliate.TaxFormW9}
		}, ""},
		{"valid Wise", func(p *affiliate.PayeeProfile) {
			*p = affiliate.PayeeProfile{Affiliate: "a", Method: affiliate.MethodWise, Currency: "GBP", AccountHolder: "Ada", WiseRecipientID: "148393305", UpdatedAt: p.UpdatedAt}
		}, ""},
		{"valid other with VAT", func(p *affiliate.PayeeProfile) {
			*p = affiliate.PayeeProfile{Affiliate: "a", Method: affiliate.MethodOther, Currency: "EUR", OtherDetails: "cheque", TaxForm: affiliate.TaxFormVAT, VATNumber: "FR40303265045", UpdatedAt: p.UpdatedAt}
		}, ""},
		{"IBAN checksum fails", func(p *affiliate.PayeeProfile) { p.IBAN = "DE89370400440532013001" }, "PayeeProfile.IBAN"},
		{"IBAN with spaces", func(p *affiliate.PayeeProfile) { p.IBAN = "DE89 3704 0044 0532 0130 00" }, "PayeeProfile.IBAN"},
		{"IBAN lower case", func(p *affiliate.PayeeProfile) { p.IBAN = "de89370400440532013000" }, "PayeeProfile.IBAN"},
		{"IBAN too short", func(p *affiliate.PayeeProfile) { p.IBAN = "DE8937" }, "PayeeProfile.IBAN"},
		{"BIC of 9", func(p *affiliate.PayeeProfile) { p.BIC = "COBADEFFX" }, "PayeeProfile.BIC"},
		{"BIC digit country", func(p *affiliate.PayeeProfile) { p.BIC = "COBA1EFF" }, "PayeeProfile.BIC"},
		{"no account holder", func(p *affiliate.PayeeProfile) { p.AccountHolder = " " }, "PayeeProfile.AccountHolder"},
		{"PayPal without e-mail", func(p *affiliate.PayeeProfile) { p.Method = affiliate.MethodPayPal }, "PayeeProfile.Email"},
		{"PayPal e-mail with name", func(p *affiliate.PayeeProfile) {
			p.Method, p.Email = affiliate.MethodPayPal, "Ada <ada@example.com>"
		}, "PayeeProfile.Email"},
		{"PayPal e-mail without dot", func(p *affiliate.PayeeProfile) { p.Method, p.Email = affiliate.MethodPayPal, "ada@localhost" }, "PayeeProfile.Email"},
		{"Wise without recipient", func(p *affiliate.PayeeProfile) { p.Method = affiliate.MethodWise }, "PayeeProfile.WiseRecipientID"},
		{"unknown method", func(p *affiliate.PayeeProfile) { p.Method = "cash" }, "PayeeProfile.Method"},
		{"unknown tax form", func(p *affiliate.PayeeProfile) { p.TaxForm = "w4" }, "PayeeProfile.TaxForm"},
		{"VAT form without number", func(p *affiliate.PayeeProfile) { p.TaxForm = affiliate.TaxFormVAT }, "PayeeProfile.VATNumber"},
		{"VAT number without VAT form", func(p *affiliate.PayeeProfile) { p.VATNumber = "FR40303265045" }, "PayeeProfile.VATNumber"},
		{"no time", func(p *affiliate.PayeeProfile) { p.UpdatedAt = time.Time{} }, "PayeeProfile.UpdatedAt"},
		{"no affiliate", func(p *affiliate.PayeeProfile) { p.Affiliate = "" }, "PayeeProfile.Affiliate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validProfile()
			tt.change(&p)
			err := p.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var fe *affiliate.FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field || !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("Validate() = %v, want a *FieldError for %s matching ErrInvalid", err, tt.field)
			}
		})
	}
}

// ibanWithCheck returns country + check digits + bban, the check digits
// computed as ISO 13616 says: 98 minus the remainder of the rearranged
// number with "00" in their place.
func ibanWithCheck(country, bban string) string {
	rem := 0
	for _, c := range bban + country + "00" {
		if c >= 'A' {
			rem = (rem*100 + int(c-'A'+10)) % 97
		} else {
			rem = (rem*10 + int(c-'0')) % 97
		}
	}
	return fmt.Sprintf("%s%02d%s", country, 98-rem, bban)
}

// Every IBAN with correct check digits passes, and changing any one digit
// of its account number makes the checksum fail.
func TestValidateIBANProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		country := rapid.StringMatching(`[A-Z]{2}`).Draw(t, "country")
		bban := rapid.StringMatching(`[0-9A-Z]{11,30}`).Draw(t, "bban")
		iban := ibanWithCheck(country, bban)
		if err := affiliate.ValidateIBAN(iban); err != nil {
			t.Fatalf("ValidateIBAN(%s) = %v", iban, err)
		}
		digits := []int{}
		for i := 4; i < len(iban); i++ {
			if iban[i] >= '0' && iban[i] <= '9' {
				digits = append(digits, i)
			}
		}
		if len(digits) == 0 {
			return
		}
		i := rapid.SampledFrom(digits).Draw(t, "position")
		d := int(iban[i] - '0')
		next := (d + rapid.IntRange(1, 9).Draw(t, "delta")) % 10
		bad := iban[:i] + strconv.Itoa(next) + iban[i+1:]
		if err := affiliate.ValidateIBAN(bad); !errors.Is(err, affiliate.ErrInvalid) {
			t.Fatalf("ValidateIBAN(%s) = %v, want ErrInvalid (one digit changed from %s)", bad, err, iban)
		}
	})
}

func ExampleValidateIBAN() {
	fmt.Println(affiliate.ValidateIBAN("DE89370400440532013000"))
	fmt.Println(affiliate.ValidateIBAN("DE89370400440532013001"))
	// Output:
	// <nil>
	// affiliate: invalid PayeeProfile.IBAN: checksum fails (mod 97)
}

var ibanShape = regexp.MustCompile(`^[A-Z]{2}[0-9]{2}[0-9A-Z]{11,30}$`)

// FuzzValidateIBAN: ValidateIBAN never panics, and accepts exactly the
// strings of IBAN shape whose rearranged number, computed with math/big
// instead of digit by digit, leaves 1 modulo 97.
func FuzzValidateIBAN(f *testing.F) {
	for _, s := range []string{"DE89370400440532013000", "FR1420041010050500013M02606", "NL91ABNA0417164300", "DE89 3704", "", "GB00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := affiliate.ValidateIBAN(s)
		want := false
		if ibanShape.MatchString(s) {
			digits := ""
			for _, c := range s[4:] + s[:4] {
				if c >= 'A' {
					digits += strconv.Itoa(int(c-'A') + 10)
				} else {
					digits += string(c)
				}
			}
			n, _ := new(big.Int).SetString(digits, 10)
			want = new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
		}
		if (err == nil) != want {
			t.Fatalf("ValidateIBAN(%q) = %v, want valid=%v", s, err, want)
		}
		if err != nil && !errors.Is(err, affiliate.ErrInvalid) {
			t.Fatalf("ValidateIBAN(%q) = %v, not ErrInvalid", s, err)
		}
	})
}
