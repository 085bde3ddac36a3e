package affiliate_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
)

// Every Validate table starts from a valid value and breaks one thing.
// A failure must be a *FieldError naming the broken field, matching
// ErrInvalid and, where one applies, the more specific sentinel.

var at = time.Date(2026, time.January, 15, 10, 0, 0, 0, time.UTC)

type validateCase[T any] struct {
	name      string
	mutate    func(*T)
	wantField string // "" means valid
	wantErr   error  // a sentinel beyond ErrInvalid, if any
}

func runValidate[T interface{ Validate() error }](t *testing.T, base func() T, tests []validateCase[T]) {
	t.Helper()
	if err := base().Validate(); err != nil {
		t.Fatalf("the base value is invalid: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := base()
			tt.mutate(&v)
			err := v.Validate()
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var sentinels []error
			if tt.wantErr != nil {
				sentinels = append(sentinels, tt.wantErr)
			}
			wantFieldError(t, err, tt.wantField, sentinels...)
		})
	}
}

func TestAffiliateValidate(t *testing.T) {
	base := func() affiliate.Affiliate {
		return affiliate.Affiliate{
			ID:     "aff-1",
			Status: affiliate.StatusActive,
			Name:   "Ann",
			Email:  "ann@example.com",
			Codes:  []string{"SUMMER-24", "ann"},
		}
	}
	type A = affiliate.Affiliate
	runValidate(t, base, []validateCase[A]{
		{name: "minimal", mutate: func(a *A) { *a = A{ID: "aff-1", Status: affiliate.StatusActive} }},
		{name: "suspended", mutate: func(a *A) { a.Status = affiliate.StatusSuspended }},
		{name: "sub-affiliate", mutate: func(a *A) { a.Parent = "aff-0" }},
		{name: "no e-mail", mutate: func(a *A) { a.Email = "" }},
		{name: "no codes", mutate: func(a *A) { a.Codes = nil }},
		{name: "code with dot and underscore", mutate: func(a *A) { a.Codes = []string{"ann.b_2"} }},
		{name: "code of 64 bytes", mutate: func(a *A) { a.Codes = []string{strings.Repeat("a", 64)} }},
		{name: "ID of 255 bytes", mutate: func(a *A) { a.ID = affiliate.AffiliateID(strings.Repeat("a", 255)) }},
		{name: "non-ASCII ID", mutate: func(a *A) { a.ID = "partenaire-é" }},

		{name: "missing ID", mutate: func(a *A) { a.ID = "" }, wantField: "Affiliate.ID"},
		{name: "ID too long", mutate: func(a *A) { a.ID = affiliate.AffiliateID(strings.Repeat("a", 256)) }, wantField: "Affiliate.ID"},
		{name: "ID with newline", mutate: func(a *A) { a.ID = "aff\n1" }, wantField: "Affiliate.ID"},
		{name: "ID with DEL", mutate: func(a *A) { a.ID = "aff\x7f" }, wantField: "Affiliate.ID"},
		{name: "ID not UTF-8", mutate: func(a *A) { a.ID = "aff\xff" }, wantField: "Affiliate.ID"},
		{name: "own parent", mutate: func(a *A) { a.Parent = a.ID }, wantField: "Affiliate.Parent"},
		{name: "parent with control character", mutate: func(a *A) { a.Parent = "aff\x00" }, wantField: "Affiliate.Parent"},
		{name: "missing status", mutate: func(a *A) { a.Status = "" }, wantField: "Affiliate.Status"},
		{name: "unknown status", mutate: func(a *A) { a.Status = "deleted" }, wantField: "Affiliate.Status"},
		{name: "status in capitals", mutate: func(a *A) { a.Status = "ACTIVE" }, wantField: "Affiliate.Status"},
		{name: "e-mail without @", mutate: func(a *A) { a.Email = "ann.example.com" }, wantField: "Affiliate.Email"},
		{name: "e-mail with display name", mutate: func(a *A) { a.Email = "Ann <ann@example.com>" }, wantField: "Affiliate.Email"},
		{name: "e-mail without a dot in the domain", mutate: func(a *A) { a.Email = "ann@localhost" }, wantField: "Affiliate.Email"},
		{name: "empty code", mutate: func(a *A) { a.Codes = []string{""} }, wantField: "Affiliate.Codes[0]"},
		{name: "blank code", mutate: func(a *A) { a.Codes = []string{"ok", "  "} }, wantField: "Affiliate.Codes[1]"},
		{name: "code with a space", mutate: func(a *A) { a.Codes = []string{"ok", "bad code"} }, wantField: "Affiliate.Codes[1]"},
		{name: "code with a slash", mutate: func(a *A) { a.Codes = []string{"a/b"} }, wantField: "Affiliate.Codes[0]"},
		{name: "code too long", mutate: func(a *A) { a.Codes = []string{strings.Repeat("a", 65)} }, wantField: "Affiliate.Codes[0]"},
		{name: "code listed twice", mutate: func(a *A) { a.Codes = []string{"SUMMER", "x", "summer"} }, wantField: "Affiliate.Codes[2]"},
		{name: "code listed twice with spaces", mutate: func(a *A) { a.Codes = []string{"summer", " summer "} }, wantField: "Affiliate.Codes[1]"},
	})
}

func TestTouchValidate(t *testing.T) {
	base := func() affiliate.Touch {
		return affiliate.Touch{ID: "t-1", Visitor: "v-1", Affiliate: "aff-1", Code: "summer-24", Source: affiliate.TouchLink, At: at}
	}
	type T = affiliate.Touch
	long := strings.Repeat("x", 2049)
	runValidate(t, base, []validateCase[T]{
		{name: "code source", mutate: func(v *T) { v.Source = affiliate.TouchCode }},
		{name: "context at the limit", mutate: func(v *T) { v.LandingURL = strings.Repeat("x", 2048) }},
		{name: "missing ID", mutate: func(v *T) { v.ID = "" }, wantField: "Touch.ID"},
		{name: "missing visitor", mutate: func(v *T) { v.Visitor = "" }, wantField: "Touch.Visitor"},
		{name: "visitor with tab", mutate: func(v *T) { v.Visitor = "v\t1" }, wantField: "Touch.Visitor"},
		{name: "missing affiliate", mutate: func(v *T) { v.Affiliate = "" }, wantField: "Touch.Affiliate"},
		{name: "missing source", mutate: func(v *T) { v.Source = "" }, wantField: "Touch.Source"},
		{name: "unknown source", mutate: func(v *T) { v.Source = "email" }, wantField: "Touch.Source"},
		{name: "zero time", mutate: func(v *T) { v.At = time.Time{} }, wantField: "Touch.At"},
		{name: "landing URL too long", mutate: func(v *T) { v.LandingURL = long }, wantField: "Touch.LandingURL"},
		{name: "referrer too long", mutate: func(v *T) { v.Referrer = long }, wantField: "Touch.Referrer"},
		{name: "user agent too long", mutate: func(v *T) { v.UserAgent = long }, wantField: "Touch.UserAgent"},
		{name: "IP too long", mutate: func(v *T) { v.IP = long }, wantField: "Touch.IP"},
	})
}

func TestBindingValidate(t *testing.T) {
	base := func() affiliate.Binding {
		return affiliate.Binding{Customer: "cus-1", Affiliate: "aff-1", Source: affiliate.BindByCode, Code: "summer-24", BoundAt: at}
	}
	type B = affiliate.Binding
	runValidate(t, base, []validateCase[B]{
		{name: "lead", mutate: func(b *B) { b.Source = affiliate.BindByLead; b.Lead = "lead-1" }},
		{name: "link", mutate: func(b *B) { b.Source = affiliate.BindByLink; b.Touch = "t-1"; b.TouchedAt = at.Add(-time.Hour) }},
		{name: "manual", mutate: func(b *B) { b.Source = affiliate.BindByManual }},
		{name: "time-boxed", mutate: func(b *B) { b.ExpiresAt = at.AddDate(1, 0, 0) }},
		{name: "missing customer", mutate: func(b *B) { b.Customer = "" }, wantField: "Binding.Customer"},
		{name: "missing affiliate", mutate: func(b *B) { b.Affiliate = "" }, wantField: "Binding.Affiliate"},
		{name: "missing source", mutate: func(b *B) { b.Source = "" }, wantField: "Binding.Source"},
		{name: "unknown source", mutate: func(b *B) { b.Source = "cookie" }, wantField: "Binding.Source"},
		{name: "zero bound time", mutate: func(b *B) { b.BoundAt = time.Time{} }, wantField: "Binding.BoundAt"},
		{name: "expires when bound", mutate: func(b *B) { b.ExpiresAt = b.BoundAt }, wantField: "Binding.ExpiresAt"},
		{name: "expires before bound", mutate: func(b *B) { b.ExpiresAt = b.BoundAt.Add(-time.Second) }, wantField: "Binding.ExpiresAt"},
	})
}

func TestPaymentValidate(t *testing.T) {
	base := func() affiliate.Payment {
		return affiliate.Payment{
			ID:       "in_1",
			Customer: "cus_1",
			PaidAt:   at,
			Currency: "EUR",
			Lines: []affiliate.Line{
				{Kind: affiliate.LineSubscription, Amount: eur("49.00"), Plan: "pro"},
				{Kind: affiliate.LineTax, Amount: eur("9.31")},
				{Kind: affiliate.LineDiscount, Amount: eur("4.90")},
			},
		}
	}
	type P = affiliate.Payment
	huge := affiliate.MustMoney(math.MaxInt64, "EUR")
	runValidate(t, base, []validateCase[P]{
		{name: "every line kind", mutate: func(p *P) {
			p.Lines = nil
			for _, k := range affiliate.LineKinds {
				p.Lines = append(p.Lines, affiliate.Line{Kind: k, Amount: eur("1")})
			}
		}},
		{name: "zero line", mutate: func(p *P) { p.Lines[1].Amount = eur("0") }},
		{name: "conversion", mutate: func(p *P) { p.Conversion = affiliate.Conversion{To: "USD", Rate: affiliate.MustRate("1.0837")} }},
		{name: "JPY", mutate: func(p *P) {
			p.Currency = "JPY"
			p.Lines = []affiliate.Line{{Kind: affiliate.LineOneTime, Amount: jpy("5000")}}
		}},

		{name: "missing ID", mutate: func(p *P) { p.ID = "" }, wantField: "Payment.ID"},
		{name: "customer with control character", mutate: func(p *P) { p.Customer = "cus\r1" }, wantField: "Payment.Customer"},
		{name: "missing customer", mutate: func(p *P) { p.Customer = "" }, wantField: "Payment.Customer"},
		{name: "zero time", mutate: func(p *P) { p.PaidAt = time.Time{} }, wantField: "Payment.PaidAt"},
		{name: "missing currency", mutate: func(p *P) { p.Currency = "" }, wantField: "Payment.Currency", wantErr: affiliate.ErrUnknownCurrency},
		{name: "unknown currency", mutate: func(p *P) { p.Currency = "XXX" }, wantField: "Payment.Currency", wantErr: affiliate.ErrUnknownCurrency},
		{name: "lower-case currency", mutate: func(p *P) { p.Currency = "eur" }, wantField: "Payment.Currency", wantErr: affiliate.ErrUnknownCurrency},
		{name: "no lines", mutate: func(p *P) { p.Lines = nil }, wantField: "Payment.Lines"},
		{name: "missing line kind", mutate: func(p *P) { p.Lines[0].Kind = "" }, wantField: "Payment.Lines[0].Kind"},
		{name: "unknown line kind", mutate: func(p *P) { p.Lines[2].Kind = "refund" }, wantField: "Payment.Lines[2].Kind"},
		{name: "line in another currency", mutate: func(p *P) { p.Lines[1].Amount = usd("9.31") }, wantField: "Payment.Lines[1].Amount", wantErr: affiliate.ErrCurrencyMismatch},
		{name: "line without an amount", mutate: func(p *P) { p.Lines[0].Amount = affiliate.Money{} }, wantField: "Payment.Lines[0].Amount", wantErr: affiliate.ErrCurrencyMismatch},
		{name: "negative line", mutate: func(p *P) { p.Lines[0].Amount = eur("-49.00") }, wantField: "Payment.Lines[0].Amount"},
		{name: "negative discount", mutate: func(p *P) { p.Lines[2].Amount = eur("-4.90") }, wantField: "Payment.Lines[2].Amount"},
		{name: "total zero", mutate: func(p *P) {
			p.Lines = []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: eur("10")}, {Kind: affiliate.LineDiscount, Amount: eur("10")}}
		}, wantField: "Payment.Lines"},
		{name: "total below zero", mutate: func(p *P) {
			p.Lines = []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: eur("10")}, {Kind: affiliate.LineDiscount, Amount: eur("10.01")}}
		}, wantField: "Payment.Lines"},
		{name: "all lines zero", mutate: func(p *P) { p.Lines = []affiliate.Line{{Kind: affiliate.LineUsage, Amount: eur("0")}} }, wantField: "Payment.Lines"},
		{name: "total out of range", mutate: func(p *P) {
			p.Lines = []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: huge}, {Kind: affiliate.LineAddOn, Amount: huge}}
		}, wantField: "Payment.Lines", wantErr: affiliate.ErrOverflow},
		{name: "conversion without a currency", mutate: func(p *P) { p.Conversion = affiliate.Conversion{Rate: affiliate.MustRate("1.1")} }, wantField: "Payment.Conversion.To", wantErr: affiliate.ErrUnknownCurrency},
		{name: "conversion to an unknown currency", mutate: func(p *P) { p.Conversion = affiliate.Conversion{To: "XXX", Rate: affiliate.MustRate("1.1")} }, wantField: "Payment.Conversion.To", wantErr: affiliate.ErrUnknownCurrency},
		{name: "conversion without a rate", mutate: func(p *P) { p.Conversion = affiliate.Conversion{To: "USD"} }, wantField: "Payment.Conversion.Rate"},

		{name: "MaxLines lines", mutate: func(p *P) { p.Lines = manyLines(affiliate.MaxLines) }},
		{name: "text of MaxTextLen bytes", mutate: func(p *P) { p.Lines[0].Description = strings.Repeat("é", affiliate.MaxTextLen/2) }},
		{name: "an ID that merely starts like a hash", mutate: func(p *P) { p.ID = "sha256-in_1" }},
		{name: "an ID with state in it", mutate: func(p *P) { p.ID = "cus_1/state-of-the-art" }},
		{name: "an ID with adjust/ in it", mutate: func(p *P) { p.ID = "in_1/adjust/k" }},
		{name: "an ID merely starting like review", mutate: func(p *P) { p.ID = "reviewed/1" }},
		{name: "200,000 lines", mutate: func(p *P) { p.Lines = manyLines(200_000) }, wantField: "Payment.Lines"},
		{name: "one line too many", mutate: func(p *P) { p.Lines = manyLines(affiliate.MaxLines + 1) }, wantField: "Payment.Lines"},
		{name: "a plan too long", mutate: func(p *P) { p.Lines[0].Plan = strings.Repeat("p", affiliate.MaxTextLen+1) }, wantField: "Payment.Lines[0].Plan"},
		{name: "a SKU too long", mutate: func(p *P) { p.Lines[1].SKU = strings.Repeat("s", 1<<20) }, wantField: "Payment.Lines[1].SKU"},
		{name: "a description with NUL", mutate: func(p *P) { p.Lines[2].Description = "a\x00b" }, wantField: "Payment.Lines[2].Description"},
		{name: "a description not UTF-8", mutate: func(p *P) { p.Lines[2].Description = "caf\xe9" }, wantField: "Payment.Lines[2].Description"},
		{name: "a country too long", mutate: func(p *P) { p.Country = strings.Repeat("F", affiliate.MaxTextLen+1) }, wantField: "Payment.Country"},
		{name: "a year out of range", mutate: func(p *P) { p.PaidAt = time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC) }, wantField: "Payment.PaidAt"},
		{name: "an engine-made hashed ID", mutate: func(p *P) { p.ID = affiliate.EventID(affiliate.HashedIDPrefix + strings.Repeat("0f", 32)) }, wantField: "Payment.ID"},
		{name: "an engine-made state ID", mutate: func(p *P) { p.ID = "cus_2/state-7" }, wantField: "Payment.ID"},
		{name: "an engine-made adjustment ID", mutate: func(p *P) { p.ID = "adjust/k" }, wantField: "Payment.ID"},
		{name: "an engine-made review ID", mutate: func(p *P) { p.ID = "review/k" }, wantField: "Payment.ID"},
	})
}

func TestRefundValidate(t *testing.T) {
	partial := func() affiliate.Refund {
		return affiliate.Refund{ID: "re_1", Payment: "in_1", Customer: "cus_1", RefundedAt: at, Kind: affiliate.KindRefund, Amount: eur("10.00")}
	}
	type R = affiliate.Refund
	runValidate(t, partial, []validateCase[R]{
		{name: "chargeback", mutate: func(r *R) { r.Kind = affiliate.KindChargeback }},
		{name: "full", mutate: func(r *R) { r.Full = true; r.Amount = affiliate.Money{} }},
		{name: "partial in JPY", mutate: func(r *R) { r.Amount = jpy("1") }},

		{name: "missing ID", mutate: func(r *R) { r.ID = "" }, wantField: "Refund.ID"},
		{name: "an engine-made ID", mutate: func(r *R) { r.ID = "cus_1/state-12" }, wantField: "Refund.ID"},
		{name: "an engine-made adjustment ID", mutate: func(r *R) { r.ID = "adjust/bonus-1" }, wantField: "Refund.ID"},
		{name: "a time past the stores' range", mutate: func(r *R) { r.RefundedAt = affiliate.MaxEventTime }, wantField: "Refund.RefundedAt"},
		{name: "missing payment", mutate: func(r *R) { r.Payment = "" }, wantField: "Refund.Payment"},
		{name: "refunds itself", mutate: func(r *R) { r.Payment = r.ID }, wantField: "Refund.Payment"},
		{name: "missing customer", mutate: func(r *R) { r.Customer = "" }, wantField: "Refund.Customer"},
		{name: "zero time", mutate: func(r *R) { r.RefundedAt = time.Time{} }, wantField: "Refund.RefundedAt"},
		{name: "missing kind", mutate: func(r *R) { r.Kind = "" }, wantField: "Refund.Kind"},
		{name: "unknown kind", mutate: func(r *R) { r.Kind = "void" }, wantField: "Refund.Kind"},
		{name: "full with an amount", mutate: func(r *R) { r.Full = true }, wantField: "Refund.Amount"},
		{name: "full with a zero amount", mutate: func(r *R) { r.Full = true; r.Amount = eur("0") }, wantField: "Refund.Amount"},
		{name: "partial without an amount", mutate: func(r *R) { r.Amount = affiliate.Money{} }, wantField: "Refund.Amount", wantErr: affiliate.ErrUnknownCurrency},
		{name: "partial of zero", mutate: func(r *R) { r.Amount = eur("0") }, wantField: "Refund.Amount"},
		{name: "partial below zero", mutate: func(r *R) { r.Amount = eur("-10.00") }, wantField: "Refund.Amount"},
	})
}

func TestEntryValidate(t *testing.T) {
	base := func() affiliate.Entry {
		return affiliate.Entry{
			ID: "e-1", Beneficiary: "aff-1", Event: "in_1", Payment: "in_1", Customer: "cus_1",
			Kind: affiliate.KindCommission, Base: eur("100.00"), BaseLines: []affiliate.LineKind{affiliate.LineSubscription},
			Rate: affiliate.MustPercent("15"), Amount: eur("15.00"), Rule: "standard", Terms: "v1", Tier: "Standard",
			Chain: []affiliate.AffiliateID{"aff-1"}, At: at, AvailableAt: at.AddDate(0, 0, 30),
		}
	}
	type E = affiliate.Entry
	runValidate(t, base, []validateCase[E]{
		{name: "bounty without a base", mutate: func(e *E) { e.Kind = affiliate.KindBounty; e.Base = affiliate.Money{}; e.Rate = affiliate.Rate{} }},
		{name: "reversal is negative", mutate: func(e *E) { e.Kind = affiliate.KindReversal; e.Amount = eur("-15.00"); e.Corrects = "e-0" }},
		{name: "bonus", mutate: func(e *E) { e.Kind = affiliate.KindBonus }},
		{name: "adjustment", mutate: func(e *E) { e.Kind = affiliate.KindAdjustment }},
		{name: "available at once", mutate: func(e *E) { e.AvailableAt = e.At }},

		{name: "missing ID", mutate: func(e *E) { e.ID = "" }, wantField: "Entry.ID"},
		{name: "missing beneficiary", mutate: func(e *E) { e.Beneficiary = "" }, wantField: "Entry.Beneficiary"},
		{name: "missing kind", mutate: func(e *E) { e.Kind = "" }, wantField: "Entry.Kind"},
		{name: "unknown kind", mutate: func(e *E) { e.Kind = "payout" }, wantField: "Entry.Kind"},
		{name: "amount without a currency", mutate: func(e *E) { e.Amount = affiliate.Money{} }, wantField: "Entry.Amount", wantErr: affiliate.ErrUnknownCurrency},
		{name: "base in another currency", mutate: func(e *E) { e.Base = usd("100.00") }, wantField: "Entry.Base", wantErr: affiliate.ErrCurrencyMismatch},
		{name: "zero time", mutate: func(e *E) { e.At = time.Time{} }, wantField: "Entry.At"},
		{name: "zero available time", mutate: func(e *E) { e.AvailableAt = time.Time{} }, wantField: "Entry.AvailableAt"},
	})
}

func TestCurrencyValidate(t *testing.T) {
	for _, c := range affiliate.Currencies() {
		if err := c.Validate(); err != nil {
			t.Errorf("%s from Currencies(): %v", c, err)
		}
	}
	for _, c := range []affiliate.Currency{"", "XXX", "eur", "EU", "EURO", " EUR"} {
		wantFieldError(t, c.Validate(), "Currency", affiliate.ErrUnknownCurrency)
	}
}

func TestValidateID(t *testing.T) {
	tests := []struct {
		id    string
		valid bool
	}{
		{"cus_123", true},
		{"a", true},
		{strings.Repeat("x", affiliate.MaxIDLen), true},
		{"émile", true},
		{"with space", true},
		{" ~", true}, // the first and last printable ASCII bytes
		{"", false},
		{strings.Repeat("x", affiliate.MaxIDLen+1), false},
		{strings.Repeat("é", 128), false}, // 256 bytes
		{"a\x00b", false},
		{"a\nb", false},
		{"a\tb", false},
		{"a\x1fb", false},
		{"a\x7fb", false},
		{"é\x01", false}, // a control character after non-ASCII
		{"\xff", false},
		{"a\xc3", false}, // truncated UTF-8
	}
	for _, tt := range tests {
		// generic over every ID type; the field is whatever the caller names
		errs := []error{
			affiliate.ValidateID("Thing.Customer", affiliate.CustomerID(tt.id)),
			affiliate.ValidateID("Thing.Customer", affiliate.PayoutID(tt.id)),
			affiliate.ValidateID("Thing.Customer", tt.id),
		}
		for _, err := range errs {
			if tt.valid {
				if err != nil {
					t.Errorf("ValidateID(%q) = %v, want nil", tt.id, err)
				}
				continue
			}
			wantFieldError(t, err, "Thing.Customer")
		}
	}
}

func TestValidateCode(t *testing.T) {
	tests := []struct {
		code  string
		valid bool
	}{
		{"SUMMER-24", true},
		{"ann.b_2", true},
		{"  padded  ", true}, // surrounding spaces are trimmed first
		{strings.Repeat("a", affiliate.MaxCodeLen), true},
		{"", false},
		{"   ", false},
		{strings.Repeat("a", affiliate.MaxCodeLen+1), false},
		{"bad code", false},
		{"a/b", false},
		{"a?b", false},
		{"é", false},
		{"<script>", false},
	}
	for _, tt := range tests {
		err := affiliate.ValidateCode(tt.code)
		if tt.valid {
			if err != nil {
				t.Errorf("ValidateCode(%q) = %v, want nil", tt.code, err)
			}
			continue
		}
		wantFieldError(t, err, "Code")
	}
}

func TestNormalizeCode(t *testing.T) {
	tests := map[string]string{
		"SUMMER-24":   "summer-24",
		" Summer-24 ": "summer-24",
		"ann":         "ann",
		"":            "",
	}
	for in, want := range tests {
		if got := affiliate.NormalizeCode(in); got != want {
			t.Errorf("NormalizeCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseEmail(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" means an error
	}{
		{"ann@example.com", "ann@example.com"},
		{"Ann@Example.COM", "Ann@example.com"},
		{"  ann@example.com  ", "ann@example.com"},
		{"ann+affiliates@mail.example.co.uk", "ann+affiliates@mail.example.co.uk"},
		{"", ""},
		{"ann", ""},
		{"ann@", ""},
		{"@example.com", ""},
		{"ann@localhost", ""},
		{"Ann <ann@example.com>", ""},
		{"<ann@example.com>", ""},
		{"ann@example.com, bob@example.com", ""},
		{"ann@@example.com", ""},
		{strings.Repeat("a", 64) + "@" + strings.Repeat("b", 186) + ".com", ""}, // 255 bytes
	}
	for _, tt := range tests {
		got, err := affiliate.ParseEmail(tt.in)
		if tt.want == "" {
			wantFieldError(t, err, "Email")
			if got != "" {
				t.Errorf("ParseEmail(%q) returned %q with its error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseEmail(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

// manyLines returns n one-cent subscription lines in EUR.
func manyLines(n int) []affiliate.Line {
	lines := make([]affiliate.Line, n)
	for i := range lines {
		lines[i] = affiliate.Line{Kind: affiliate.LineSubscription, Amount: eur("0.01")}
	}
	return lines
}
