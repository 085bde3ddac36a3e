package commission

import (
	"context"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// Store is what the engine calls: the event log and the per-customer
// summaries it keeps, the ledger it reads entries from, and the binding
// and affiliates it reads the beneficiary chain from. memstore.Store and
// sqlstore.Store implement it.
//
// The engine writes through Events.Commit only: one call per event holds
// the event, the customer's new summary, the entries and the aggregate
// deltas, so a store that makes Commit atomic and compares-and-swaps the
// summary's version gives Record its guarantees (see the package doc).
type Store interface {
	storage.Events
	storage.CustomerStates
	storage.Ledger
	Binding(ctx context.Context, c affiliate.CustomerID) (affiliate.Binding, error)
	Affiliate(ctx context.Context, id affiliate.AffiliateID) (affiliate.Affiliate, error)
}
