package commission

import (
	"fmt"
	"hash/maphash"
	"strings"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
)

// TestEventHashIsTaggedEventHash: keysOf writes the tagged encoding by
// hand; it must hash exactly as affiliate.Hash of taggedEvent (the
// reflective encoding, which stored hashes were made with), and a
// process hasher must hash the same bytes with maphash.
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
		wantKeys.hash = fmt.Sprintf("%s%016x", processHashPrefix, maphash.Bytes(process.seed, canonical))
		if got, err := process.keysOf(tc.ev); err != nil || got != wantKeys {
			t.Errorf("process keysOf(%#v) = %q, %v; want %q", tc.ev, got, err, wantKeys)
		}
	}
}
