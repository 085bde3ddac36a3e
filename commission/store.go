package commission

import (
	"github.com/openaffiliate/affiliate/storage"
)

// Store is what the engine needs of storage: the event log and the
// per-customer summaries it keeps (Events, CustomerStates), the ledger it
// reads entries from (Ledger), and the bindings and affiliates it reads
// the beneficiary chain from. memstore.Store implements it; so does any
// store that passes storagetest.
//
// The engine writes through Events.Commit only: one call per event holds
// the event, the customer's new summary, the entries and the aggregate
// deltas, so a store that makes Commit atomic and compares-and-swaps the
// summary's version gives Record its guarantees (see the package doc).
type Store interface {
	storage.Events
	storage.CustomerStates
	storage.Ledger
	storage.Bindings
	storage.Affiliates
}
