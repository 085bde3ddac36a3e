package memstore

import (
	"hash/maphash"
	"sync"
)

// Store is an in-memory implementation of every interface in package
// storage. The zero value is not ready; use New.
type Store struct {
	mu sync.RWMutex

	ids         ids
	affiliates  affiliateTables
	ledger      ledgerTables
	events      eventTables
	aggregates  aggregateTables
	bindings    bindingTables
	attribution attributionTables
	tiers       tierTables
	payouts     payoutTables
	reports     reportTables
	profiles    profileTables
	reviews     reviewTables
	outbox      outboxTables
}

// hashSeed is every Store's storage.ProcessHashes seed: one per process,
// so that two stores of one process hash one event alike (a test may
// compare what two stores hold) and no two processes share it.
var hashSeed = maphash.MakeSeed()

// HashSeed implements storage.ProcessHashes: a Store lives no longer
// than its process, so the engine hashes its events with a 64-bit
// maphash instead of SHA-256.
func (s *Store) HashSeed() maphash.Seed { return hashSeed }

// New returns an empty store.
func New() *Store {
	s := &Store{}
	s.ids.init()
	s.affiliates.init()
	s.bindings.init()
	s.attribution.init()
	s.tiers.init()
	s.payouts.init(&s.ids.text)
	s.reports.init()
	s.reviews.init()
	return s
}
