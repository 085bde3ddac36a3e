package sqlstore

import (
	"reflect"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
)

// TestEventBodyRoundTrip: every field of a payment or a refund (lines and
// conversion included) survives the stored body.
func TestEventBodyRoundTrip(t *testing.T) {
	for _, v := range affiliatetest.FieldVariants(eventBody{}) {
		b := v.Value.(eventBody)
		body, err := encodeEventBody(&affiliate.EventRecord{Payment: b.Payment, Refund: b.Refund, Reinstatement: b.Reinstatement})
		if err != nil {
			t.Fatalf("%s: %v", v.Path, err)
		}
		var got affiliate.EventRecord
		if err := decodeEventBody(body, &got); err != nil {
			t.Fatalf("%s: decode %s: %v", v.Path, body, err)
		}
		if !reflect.DeepEqual(eventBody{got.Payment, got.Refund, got.Reinstatement}, b) {
			t.Errorf("%s: %s read back as %+v %+v %+v", v.Path, body, got.Payment, got.Refund, got.Reinstatement)
		}
	}
}

// TestLegacyEventBody: a body written before migration 0005 still reads.
func TestLegacyEventBody(t *testing.T) {
	const legacy = `{"payment":{"id":"pay-1","customer":"cus-1","paid_at":"2026-01-15T10:00:00Z","currency":"EUR",` +
		`"lines":[{"kind":"subscription","amount":{"minor":"2000","currency":"EUR"},"plan":"pro"}],` +
		`"conversion_to":"USD","conversion_rate":"1.1"}}`
	var got affiliate.EventRecord
	if err := decodeEventBody(legacy, &got); err != nil {
		t.Fatal(err)
	}
	want := &affiliate.Payment{ID: "pay-1", Customer: "cus-1", PaidAt: time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC), Currency: "EUR",
		Lines:      []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(2000, "EUR"), Plan: "pro"}},
		Conversion: affiliate.Conversion{To: "USD", Rate: affiliate.MustRate("1.1")}}
	if !reflect.DeepEqual(got.Payment, want) || got.Refund != nil {
		t.Fatalf("legacy body read as %+v, want %+v", got.Payment, want)
	}
	const refund = `{"refund":{"id":"ref-1","payment":"pay-1","customer":"cus-1","refunded_at":"2026-01-20T10:00:00Z","kind":"refund","full":false,"amount":{"minor":"500","currency":"EUR"}}}`
	got = affiliate.EventRecord{}
	if err := decodeEventBody(refund, &got); err != nil || got.Refund == nil || got.Refund.Amount != affiliate.MustMoney(500, "EUR") {
		t.Fatalf("legacy refund read as %+v, %v", got.Refund, err)
	}
}

// BenchmarkEncodeEventBody is the body every stored payment costs the
// SQL store: the hand-written canonical encoding of the payment inside
// the reflective encoding of eventBody.
func BenchmarkEncodeEventBody(b *testing.B) {
	rec := &affiliate.EventRecord{Payment: &affiliate.Payment{ID: "ev-00000001", Customer: "c-00001", PaidAt: time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC),
		Currency: "USD", Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(2000, "USD")}}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := encodeEventBody(rec); err != nil {
			b.Fatal(err)
		}
	}
}
