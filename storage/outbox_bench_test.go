package storage_test

import (
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// BenchmarkCommitEvents is the outbox's share of a Record: deriving the
// events of a commit of one commission entry (seed 001's shape).
func BenchmarkCommitEvents(b *testing.B) {
	at := time.Date(2026, time.January, 15, 12, 0, 0, 0, time.UTC)
	c := storage.Commit{Key: "k", Hash: "h", State: storage.CustomerState{Customer: "cus-1", Version: 1},
		Entries: []affiliate.Entry{{ID: "pay-1/rev_share/aff-1", Beneficiary: "aff-1", Customer: "cus-1", Event: "pay-1", Payment: "pay-1",
			Kind: affiliate.KindCommission, Amount: affiliate.MustMoney(600, "USD"), Rule: "rev_share", At: at, AvailableAt: at}}}
	b.ReportAllocs()
	for b.Loop() {
		if len(storage.CommitEvents(c)) != 1 {
			b.Fatal("no event")
		}
	}
}
