package commission

import (
	"strings"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
)

// TestEventHashIsTaggedEventHash: eventHash writes the tagged encoding by
// hand; it must hash exactly as affiliate.Hash of taggedEvent (the
// reflective encoding, which stored hashes were made with).
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
		wantKey := "event:" + string(tc.ev.EventID())
		if key, hash, err := eventKeyHash(tc.ev); err != nil || key != wantKey || hash != want {
			t.Errorf("eventKeyHash(%#v) = %q, %q, %v; want %q, %q", tc.ev, key, hash, err, wantKey, want)
		}
	}
}
