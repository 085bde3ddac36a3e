package memstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// TestRecordsRoundTrip pins that every field of a logged event reads back
// as it was committed, including a record hash that differs from its
// commit's (memstore stores the record's hash only when it does), and
// an event whose ID, customer or time are not the record's (memstore
// stores those only when they differ; a time in another location
// differs).
func TestRecordsRoundTrip(t *testing.T) {
	tokyo := time.FixedZone("Tokyo", 9*3600)
	at := time.Date(2026, 3, 1, 9, 30, 0, 42, tokyo)
	engineHash := "c1:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	cases := []struct {
		name       string
		commitHash string
		rec        affiliate.EventRecord
	}{
		{"PaymentWithEverything", engineHash, affiliate.EventRecord{ID: "p1", Customer: "cus", Time: at, Hash: engineHash, Affiliate: "aff",
			Payment: &affiliate.Payment{ID: "p1", Customer: "cus", PaidAt: at, Currency: "JPY", Country: "JP",
				Conversion: affiliate.Conversion{To: "EUR", Rate: affiliate.MustRate("0.0061")},
				Lines: []affiliate.Line{
					{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(3000, "JPY"), Plan: "pro", SKU: "sku-1", Description: "Pro ✓"},
					{Kind: affiliate.LineDiscount, Amount: affiliate.MustMoney(500, "JPY")},
				}}}},
		{"PaymentWithoutLines", "h", affiliate.EventRecord{ID: "p1", Customer: "cus", Time: at, Hash: "h", Payment: &affiliate.Payment{ID: "p1", Customer: "cus", PaidAt: at, Currency: "EUR", Lines: []affiliate.Line{}}}},
		{"PaymentOfOtherIDsAndTime", "h", affiliate.EventRecord{ID: "p1", Customer: "cus", Time: at, Hash: "h",
			Payment: &affiliate.Payment{ID: "p2", Customer: "other", PaidAt: at.Add(time.Nanosecond), Currency: "EUR"}}},
		{"PaidAtInAnotherLocation", "h", affiliate.EventRecord{ID: "p1", Customer: "cus", Time: at, Hash: "h",
			Payment: &affiliate.Payment{ID: "", Customer: "", PaidAt: at.UTC(), Currency: "EUR"}}},
		{"PaidAtZero", "h", affiliate.EventRecord{ID: "p1", Customer: "cus", Time: at, Hash: "h", Payment: &affiliate.Payment{ID: "p1", Customer: "cus", Currency: "EUR"}}},
		{"RecordHashOfItsOwn", engineHash, affiliate.EventRecord{ID: "r1", Customer: "cus", Time: at, Hash: "c1:ABC-not-hex",
			Refund: &affiliate.Refund{ID: "r1", Payment: "p0", Customer: "cus", RefundedAt: at, Kind: affiliate.KindChargeback, Amount: affiliate.MustMoney(-0, "EUR")}}},
		{"FullRefund", "h", affiliate.EventRecord{ID: "r1", Customer: "cus", Time: at, Hash: "h", Affiliate: "aff",
			Refund: &affiliate.Refund{ID: "r1", Payment: "p0", Customer: "cus", RefundedAt: at, Kind: affiliate.KindRefund, Full: true}}},
		{"Reinstatement", "h", affiliate.EventRecord{ID: "w1", Customer: "cus", Time: at.UTC(), Hash: "",
			Reinstatement: &affiliate.Reinstatement{ID: "w1", Chargeback: "r0", Customer: "cus", ReinstatedAt: at}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := memstore.New()
			rec := tc.rec
			c := storage.Commit{Key: "k", Hash: tc.commitHash, Event: &rec, State: storage.CustomerState{Customer: "cus", Version: 1}}
			if _, err := s.Commit(context.Background(), c); err != nil {
				t.Fatal(err)
			}
			got, err := s.Event(context.Background(), rec.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.rec, got); diff != "" {
				t.Fatalf("Event (-committed +read):\n%s", diff)
			}
			for _, ts := range [][2]time.Time{{got.Time, tc.rec.Time}, {eventTime(got), eventTime(tc.rec)}} {
				if loc := ts[0].Location(); loc != ts[1].Location() {
					t.Fatalf("time %v in %v, want %v", ts[0], loc, ts[1].Location())
				}
			}
		})
	}
}

// eventTime is the time of the event a record holds.
func eventTime(r affiliate.EventRecord) time.Time {
	switch {
	case r.Payment != nil:
		return r.Payment.PaidAt
	case r.Refund != nil:
		return r.Refund.RefundedAt
	}
	return r.Reinstatement.ReinstatedAt
}
