package commission

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"pgregory.net/rapid"
)

// TestEventHashIsTaggedEventHash: keysOf writes the tagged encoding by
// hand; it must hash exactly as affiliate.Hash of taggedEvent (the
// reflective encoding, which stored hashes were made with), and a
// process hasher must hash the same bytes with maphash, or a payment's
// binary fields.
func TestEventHashIsTaggedEventHash(t *testing.T) {
	at := time.Date(2026, 1, 15, 10, 0, 0, 5, time.FixedZone("X", 3600))
	pay := affiliate.Payment{ID: "pay-1", Customer: "cus-1", PaidAt: at, Currency: "EUR", Country: "FR",
		Lines:      []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(2000, "EUR"), Plan: "pro <€>", Description: "x\ny"}},
		Conversion: affiliate.Conversion{To: "USD", Rate: affiliate.MustRate("1.0837")}}
	tests := []struct {
		tag string
		ev  affiliate.Event
	}{
		{"payment", pay},
		{"payment", affiliate.Payment{}},
		{"refund", affiliate.Refund{ID: "r", Payment: "pay-1", Customer: "cus-1", RefundedAt: at, Kind: affiliate.KindRefund, Amount: affiliate.MustMoney(5, "EUR")}},
		{"refund", affiliate.Refund{ID: "r", Payment: "pay-1", Kind: affiliate.KindChargeback, Full: true}},
		{"reinstatement", affiliate.Reinstatement{ID: "w", Chargeback: "r", Customer: "cus-1", ReinstatedAt: at}},
		{"payment", affiliate.Payment{ID: affiliate.EventID(strings.Repeat("long-id-", 40)), Customer: "cus-1", PaidAt: at, Currency: "EUR"}},
	}
	for _, tc := range tests {
		want, err := affiliate.Hash(taggedEvent{tc.tag, tc.ev})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := eventHash(tc.ev); err != nil || got != want {
			t.Errorf("eventHash(%#v) = %q, %v; want %q", tc.ev, got, err, want)
		}
		// A payment's keys carry the IDs its entries take; a batch without
		// them builds the same IDs itself.
		wantIDs := ""
		if tc.tag == "payment" {
			b := batch{prefix: eventPrefix(tc.ev.EventID())}
			for n := 1; n <= sharedIDs; n++ {
				wantIDs += string(b.entryID(n))
			}
		}
		wantKeys := eventKeys{key: "event:" + string(tc.ev.EventID()), hash: want, entryIDs: wantIDs}
		if got, err := (hasher{}).keysOf(tc.ev); err != nil || got != wantKeys {
			t.Errorf("keysOf(%#v) = %q, %v; want %q", tc.ev, got, err, wantKeys)
		}
		canonical, err := affiliate.Canonical(taggedEvent{tc.tag, tc.ev})
		if err != nil {
			t.Fatal(err)
		}
		process := hasher{process: true, seed: maphash.MakeSeed()}
		if p, ok := tc.ev.(affiliate.Payment); ok {
			canonical = appendPaymentFields(nil, &p)
		}
		wantKeys.hash = fmt.Sprintf("%s%016x", processHashPrefix, maphash.Bytes(process.seed, canonical))
		if got, err := process.keysOf(tc.ev); err != nil || got != wantKeys {
			t.Errorf("process keysOf(%#v) = %q, %v; want %q", tc.ev, got, err, wantKeys)
		}
	}
}

// TestPaymentFieldsAreCanonical: a process hasher hashes a payment's
// binary fields instead of its canonical form, so two payments must
// append the same fields exactly when their canonical forms are equal.
// The second payment is the first with at most one field changed, some
// changes (the time's zone, a monotonic reading) keeping the form.
func TestPaymentFieldsAreCanonical(t *testing.T) {
	text := rapid.SampledFrom([]string{"", "x", "xy", "y", "<&>", "é"})
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	zones := []*time.Location{time.UTC, time.FixedZone("X", 3600)}
	amounts := []affiliate.Money{{}, affiliate.MustMoney(0, "EUR"), affiliate.MustMoney(5, "EUR"), affiliate.MustMoney(5, "USD"), affiliate.MustMoney(-5, "JPY")}
	rates := []affiliate.Rate{{}, affiliate.MustRate("1.5"), affiliate.MustRate("1.50"), affiliate.MustRate("15")}
	line := func(t *rapid.T) affiliate.Line {
		return affiliate.Line{
			Kind:   rapid.SampledFrom([]affiliate.LineKind{affiliate.LineSubscription, affiliate.LineKind("tax"), ""}).Draw(t, "kind"),
			Amount: rapid.SampledFrom(amounts).Draw(t, "amount"),
			Plan:   text.Draw(t, "plan"), SKU: text.Draw(t, "sku"), Description: text.Draw(t, "description"),
		}
	}
	payment := func(t *rapid.T) affiliate.Payment {
		p := affiliate.Payment{
			ID: affiliate.EventID(text.Draw(t, "id")), Customer: affiliate.CustomerID(text.Draw(t, "customer")),
			PaidAt:   at.Add(time.Duration(rapid.IntRange(0, 2).Draw(t, "ns"))).In(rapid.SampledFrom(zones).Draw(t, "zone")),
			Currency: affiliate.Currency(rapid.SampledFrom([]string{"", "EUR", "USD"}).Draw(t, "currency")),
			Country:  text.Draw(t, "country"),
			Conversion: affiliate.Conversion{
				To:   affiliate.Currency(rapid.SampledFrom([]string{"", "EUR"}).Draw(t, "to")),
				Rate: rapid.SampledFrom(rates).Draw(t, "rate"),
			},
		}
		if n := rapid.IntRange(-1, 2).Draw(t, "lines"); n >= 0 {
			p.Lines = make([]affiliate.Line, n)
			for i := range p.Lines {
				p.Lines[i] = line(t)
			}
		}
		return p
	}
	var equal, unequal int
	rapid.Check(t, func(t *rapid.T) {
		a := payment(t)
		b := a
		b.Lines = slices.Clone(a.Lines)
		switch rapid.IntRange(0, 14).Draw(t, "change") {
		case 1:
			b.ID = affiliate.EventID(text.Draw(t, "id2"))
		case 2:
			b.Customer = affiliate.CustomerID(text.Draw(t, "customer2"))
		case 3:
			b.PaidAt = b.PaidAt.In(rapid.SampledFrom(zones).Draw(t, "zone2"))
		case 4:
			b.PaidAt = b.PaidAt.Add(time.Duration(rapid.IntRange(-1, 1).Draw(t, "ns2")))
		case 5:
			b.PaidAt = time.Now().Add(time.Hour) // a monotonic reading
			a.PaidAt = b.PaidAt.Round(0)
		case 6:
			b.Currency = affiliate.Currency(rapid.SampledFrom([]string{"", "EUR", "USD"}).Draw(t, "currency2"))
		case 7:
			if len(b.Lines) > 0 {
				b.Lines[rapid.IntRange(0, len(b.Lines)-1).Draw(t, "line")] = line(t)
			}
		case 8:
			switch {
			case b.Lines == nil:
				b.Lines = []affiliate.Line{}
			case len(b.Lines) == 0:
				b.Lines = nil
			default:
				b.Lines = b.Lines[:len(b.Lines)-1]
			}
		case 9:
			b.Country = text.Draw(t, "country2")
		case 10:
			b.Conversion.To = affiliate.Currency(rapid.SampledFrom([]string{"", "EUR", "USD"}).Draw(t, "to2"))
		case 11:
			b.Conversion.Rate = rapid.SampledFrom(rates).Draw(t, "rate2")
		case 12:
			b = payment(t)
		case 13: // text moved across the boundary of two fields
			b.ID, b.Customer = b.ID+affiliate.EventID(b.Customer), ""
		case 14:
			if len(b.Lines) > 0 {
				l := &b.Lines[0]
				l.Plan, l.SKU, l.Description = l.Plan+l.SKU, l.Description, ""
			}
		}
		ca, err := affiliate.Canonical(a)
		if err != nil {
			t.Fatal(err)
		}
		cb, err := affiliate.Canonical(b)
		if err != nil {
			t.Fatal(err)
		}
		sameForm := bytes.Equal(ca, cb)
		if sameFields := bytes.Equal(appendPaymentFields(nil, &a), appendPaymentFields(nil, &b)); sameFields != sameForm {
			t.Fatalf("same fields %v, same canonical form %v:\n%s\n%s", sameFields, sameForm, ca, cb)
		}
		if sameForm {
			equal++
		} else {
			unequal++
		}
	})
	if equal == 0 || unequal == 0 {
		t.Errorf("%d pairs alike and %d unlike: the property saw only one side", equal, unequal)
	}
}
