package commission

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"math"
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
// binary encoding.
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
			canonical = processPaymentBytes(nil, &p)
		}
		wantKeys.hash = fmt.Sprintf("%s%016x", processHashPrefix, maphash.Bytes(process.seed, canonical))
		if got, err := process.keysOf(tc.ev); err != nil || got != wantKeys {
			t.Errorf("process keysOf(%#v) = %q, %v; want %q", tc.ev, got, err, wantKeys)
		}
	}
}

// TestPaymentHashBytesAreCanonical: a process hasher hashes a payment's
// binary encoding instead of its canonical form, so two valid payments
// must append the same bytes exactly when their canonical forms are
// equal. Each pair is a payment and itself with at most one field
// changed; some changes (the time's zone, a monotonic reading) keep the
// form. Every payment's bytes must also read back, through the customer
// summary's reader, to a payment of the same canonical form: a field
// written without its length, or narrower than its values, does not.
func TestPaymentHashBytesAreCanonical(t *testing.T) {
	// Texts that look like lengths or like the next field's bytes.
	text := rapid.SampledFrom([]string{"", "x", "xy", "y", "<&>", "é", "\x01", "\x03EUR", "\x00x"})
	currency := rapid.SampledFrom([]affiliate.Currency{"", "EUR", "USD", "JPY"})
	zones := []*time.Location{time.UTC, time.FixedZone("X", 3600), time.FixedZone("Y", -45*60)}
	rates := []affiliate.Rate{{}, affiliate.MustRate("1.5"), affiliate.MustRate("1.50"), affiliate.MustRate("15"), affiliate.MustRate("0.000001")}
	lo, hi := affiliate.MinEventTime.Unix(), affiliate.MaxEventTime.Unix()-1
	instant := func(t *rapid.T, label string) time.Time {
		sec := rapid.Int64Range(lo, hi).Draw(t, label+" s")
		return time.Unix(sec, rapid.Int64Range(0, 999_999_999).Draw(t, label+" ns")).In(rapid.SampledFrom(zones).Draw(t, label+" zone"))
	}
	amount := func(t *rapid.T, label string) affiliate.Money {
		c := rapid.SampledFrom([]affiliate.Currency{"", "EUR", "JPY"}).Draw(t, label+" currency")
		if c == "" {
			return affiliate.Money{}
		}
		return affiliate.MustMoney(rapid.Int64Range(-math.MaxInt64, math.MaxInt64).Draw(t, label), c)
	}
	line := func(t *rapid.T) affiliate.Line {
		return affiliate.Line{
			Kind:   affiliate.LineKind(rapid.SampledFrom([]string{string(affiliate.LineSubscription), "tax", ""}).Draw(t, "kind")),
			Amount: amount(t, "amount"),
			Plan:   text.Draw(t, "plan"), SKU: text.Draw(t, "sku"), Description: text.Draw(t, "description"),
		}
	}
	payment := func(t *rapid.T) affiliate.Payment {
		p := affiliate.Payment{
			ID: affiliate.EventID(text.Draw(t, "id")), Customer: affiliate.CustomerID(text.Draw(t, "customer")),
			PaidAt: instant(t, "paid"), Currency: currency.Draw(t, "currency"), Country: text.Draw(t, "country"),
			Conversion: affiliate.Conversion{To: currency.Draw(t, "to"), Rate: rapid.SampledFrom(rates).Draw(t, "rate")},
		}
		p.Lines = make([]affiliate.Line, rapid.IntRange(1, 3).Draw(t, "lines")) // Validate refuses none
		for i := range p.Lines {
			p.Lines[i] = line(t)
		}
		return p
	}
	var equal, unequal int
	rapid.Check(t, func(t *rapid.T) {
		a := payment(t)
		b := a
		b.Lines = slices.Clone(a.Lines)
		switch rapid.IntRange(0, 15).Draw(t, "change") {
		case 1:
			b.ID = affiliate.EventID(text.Draw(t, "id2"))
		case 2:
			b.Customer = affiliate.CustomerID(text.Draw(t, "customer2"))
		case 3:
			b.PaidAt = b.PaidAt.In(rapid.SampledFrom(zones).Draw(t, "zone2"))
		case 4: // by one nanosecond, or by a power of two of them or of seconds
			d := rapid.SampledFrom([]time.Duration{1, 1 << 16, 1 << 32 * time.Second}).Draw(t, "by")
			if b.PaidAt = b.PaidAt.Add(d); !b.PaidAt.Before(affiliate.MaxEventTime) {
				b.PaidAt = a.PaidAt.Add(-d)
			}
		case 5:
			b.PaidAt = time.Now().Add(time.Hour) // a monotonic reading
			a.PaidAt = b.PaidAt.Round(0)
		case 6:
			b.Currency = currency.Draw(t, "currency2")
		case 7:
			b.Lines[rapid.IntRange(0, len(b.Lines)-1).Draw(t, "line")] = line(t)
		case 8:
			if len(b.Lines) > 1 {
				b.Lines = b.Lines[:len(b.Lines)-1]
			} else {
				b.Lines = append(b.Lines, line(t))
			}
		case 9:
			b.Country = text.Draw(t, "country2")
		case 10:
			b.Conversion.To = currency.Draw(t, "to2")
		case 11:
			b.Conversion.Rate = rapid.SampledFrom(rates).Draw(t, "rate2")
		case 12:
			b = payment(t)
		case 13: // text moved across the boundary of two fields
			b.ID, b.Customer = b.ID+affiliate.EventID(b.Customer), ""
		case 14:
			l := &b.Lines[0]
			l.Plan, l.SKU, l.Description = l.Plan+l.SKU, l.Description, ""
		case 15: // an amount by a power of two of minor units
			if m := b.Lines[0].Amount; m.Currency() != "" {
				by := rapid.SampledFrom([]int64{1, 1 << 16, 1 << 32}).Draw(t, "minor by")
				if m.Minor() > 0 {
					by = -by
				}
				b.Lines[0].Amount = affiliate.MustMoney(m.Minor()+by, m.Currency())
			}
		}
		form := func(p affiliate.Payment) []byte {
			c, err := affiliate.Canonical(p)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		for _, p := range []affiliate.Payment{a, b} {
			data := processPaymentBytes(nil, &p)
			if data[0] != 'P' {
				t.Fatalf("bytes of %#v start with %q", p, data[0])
			}
			r := stateReader{data: data, str: string(data), off: 1}
			got := r.payment()
			if r.err != nil || r.off != len(data) {
				t.Fatalf("bytes of %#v read back to %v with %d of %d bytes read", p, r.err, r.off, len(data))
			}
			if !bytes.Equal(form(got), form(p)) {
				t.Fatalf("bytes of %#v read back to another payment:\n%s\n%s", p, form(got), form(p))
			}
		}
		sameForm := bytes.Equal(form(a), form(b))
		if sameBytes := bytes.Equal(processPaymentBytes(nil, &a), processPaymentBytes(nil, &b)); sameBytes != sameForm {
			t.Fatalf("same bytes %v, same canonical form %v:\n%s\n%s", sameBytes, sameForm, form(a), form(b))
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
