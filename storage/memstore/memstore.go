package memstore

import (
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
