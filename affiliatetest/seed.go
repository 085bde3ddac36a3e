package affiliatetest

import (
	"context"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// SeedLedger writes entries and deltas to s with one Events.Commit, as the
// commission engine writes an event's, for tests of what reads the ledger
// (payout runs, reports, tier closes) that need entries without running
// the engine. key names the write: the same key with the same entries
// and deltas is a replay. The commit carries no event and moves a customer
// state of its own, "seed:" and key.
func SeedLedger(ctx context.Context, s storage.Events, key string, entries []affiliate.Entry, deltas []storage.AggregateDelta) (storage.CommitResult, error) {
	hash, err := affiliate.Hash(struct {
		Entries []affiliate.Entry
		Deltas  []storage.AggregateDelta
	}{entries, deltas})
	if err != nil {
		return storage.CommitResult{}, err
	}
	return s.Commit(ctx, storage.Commit{
		Key:     "seed:" + key,
		Hash:    hash,
		State:   storage.CustomerState{Customer: affiliate.CustomerID("seed:" + key), Version: 1},
		Entries: entries,
		Deltas:  deltas,
	})
}
