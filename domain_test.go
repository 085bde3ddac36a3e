package affiliate_test

import (
	"slices"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
)

func TestLineKinds(t *testing.T) {
	want := []affiliate.LineKind{"subscription", "add_on", "credits", "usage", "one_time", "setup_fee", "tax", "shipping", "discount"}
	if !slices.Equal(affiliate.LineKinds, want) {
		t.Errorf("LineKinds = %v, want %v", affiliate.LineKinds, want)
	}
	for _, k := range want {
		if !k.Valid() {
			t.Errorf("%q.Valid() = false", k)
		}
	}
	for _, k := range []affiliate.LineKind{"", "Subscription", "refund", "addon"} {
		if k.Valid() {
			t.Errorf("%q.Valid() = true", k)
		}
	}
}

func TestEntryKindValid(t *testing.T) {
	for _, k := range []affiliate.EntryKind{affiliate.KindCommission, affiliate.KindBonus, affiliate.KindBounty, affiliate.KindReversal, affiliate.KindAdjustment} {
		if !k.Valid() {
			t.Errorf("%q.Valid() = false", k)
		}
	}
	for _, k := range []affiliate.EntryKind{"", "payout", "Commission"} {
		if k.Valid() {
			t.Errorf("%q.Valid() = true", k)
		}
	}
}

func TestEvents(t *testing.T) {
	p := affiliate.Payment{ID: "in_1", Customer: "cus_1", PaidAt: at}
	r := affiliate.Refund{ID: "re_1", Payment: "in_1", Customer: "cus_1", RefundedAt: at.Add(time.Hour)}
	tests := []struct {
		ev       affiliate.Event
		id       affiliate.EventID
		customer affiliate.CustomerID
		at       time.Time
	}{
		{p, "in_1", "cus_1", at},
		{r, "re_1", "cus_1", at.Add(time.Hour)},
	}
	for _, tt := range tests {
		if tt.ev.EventID() != tt.id || tt.ev.EventCustomer() != tt.customer || !tt.ev.EventTime().Equal(tt.at) {
			t.Errorf("%T: EventID %q, EventCustomer %q, EventTime %v", tt.ev, tt.ev.EventID(), tt.ev.EventCustomer(), tt.ev.EventTime())
		}
	}
}

func TestPaymentTotalAndSum(t *testing.T) {
	p := affiliate.Payment{
		Currency: "EUR",
		Lines: []affiliate.Line{
			{Kind: affiliate.LineSubscription, Amount: eur("49.00")},
			{Kind: affiliate.LineCredits, Amount: eur("20.00")},
			{Kind: affiliate.LineTax, Amount: eur("13.11")},
			{Kind: affiliate.LineDiscount, Amount: eur("4.90")},
		},
	}
	tests := []struct {
		name    string
		include func(affiliate.LineKind) bool
		want    affiliate.Money
	}{
		{"everything", func(affiliate.LineKind) bool { return true }, eur("77.21")},
		{"nothing", func(affiliate.LineKind) bool { return false }, eur("0")},
		{"without tax", func(k affiliate.LineKind) bool { return k != affiliate.LineTax }, eur("64.10")},
		{"subscription only, discount ignored", func(k affiliate.LineKind) bool { return k == affiliate.LineSubscription }, eur("49.00")},
		{"discount only", func(k affiliate.LineKind) bool { return k == affiliate.LineDiscount }, eur("-4.90")},
	}
	for _, tt := range tests {
		got, err := p.Sum(tt.include)
		if err != nil || got != tt.want {
			t.Errorf("%s: Sum = %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
	if got, err := p.Total(); err != nil || got != eur("77.21") {
		t.Errorf("Total = %v, %v; want 77.21 EUR", got, err)
	}

	mixed := p
	mixed.Lines = append(slices.Clone(p.Lines), affiliate.Line{Kind: affiliate.LineAddOn, Amount: usd("1")})
	_, err := mixed.Total()
	wantMismatch(t, err, "EUR", "USD")

	_, err = affiliate.Payment{Currency: "XXX"}.Total()
	wantFieldError(t, err, "Currency", affiliate.ErrUnknownCurrency)
}

func TestBindingActive(t *testing.T) {
	permanent := affiliate.Binding{BoundAt: at}
	if !permanent.Active(at.AddDate(50, 0, 0)) {
		t.Error("a permanent binding stopped earning")
	}
	boxed := affiliate.Binding{BoundAt: at, ExpiresAt: at.AddDate(1, 0, 0)}
	tests := []struct {
		t    time.Time
		want bool
	}{
		{at, true},
		{boxed.ExpiresAt.Add(-time.Nanosecond), true},
		{boxed.ExpiresAt, false},
		{boxed.ExpiresAt.Add(time.Hour), false},
	}
	for _, tt := range tests {
		if got := boxed.Active(tt.t); got != tt.want {
			t.Errorf("Active(%v) = %t, want %t", tt.t, got, tt.want)
		}
	}
}

func TestEntryAvailable(t *testing.T) {
	e := affiliate.Entry{At: at, AvailableAt: at.AddDate(0, 0, 30)}
	tests := []struct {
		t    time.Time
		want bool
	}{
		{at, false},
		{e.AvailableAt.Add(-time.Nanosecond), false},
		{e.AvailableAt, true},
		{e.AvailableAt.AddDate(1, 0, 0), true},
	}
	for _, tt := range tests {
		if got := e.Available(tt.t); got != tt.want {
			t.Errorf("Available(%v) = %t, want %t", tt.t, got, tt.want)
		}
	}
}
