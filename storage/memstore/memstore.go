// Package memstore is the embedded default store: every storage interface,
// in memory, safe for concurrent use, and the reference for what the
// interfaces mean.
//
// One sync.RWMutex guards the whole store, so each call that must be
// atomic across concerns (an event commit writes the event log, the
// customer state, the ledger and the aggregates) is atomic by
// construction. Values are copied on the way in and on the way out: a
// caller that mutates a slice it passed or received changes nothing
// stored. Every read is served from an index (by beneficiary, customer,
// event, payment, code, period), so no call scans records its query does
// not ask for.
//
// A Store lives as long as the process; it is for embedding, tests,
// simulations and examples. Production hosts use sqlstore or their own
// store that passes storagetest.
package memstore

import (
	"sync"
)

// Store is an in-memory implementation of every interface in package
// storage. The zero value is not ready; use New.
type Store struct {
	mu sync.RWMutex

	affiliates  affiliateTables
	ledger      ledgerTables
	events      eventTables
	aggregates  aggregateTables
	bindings    bindingTables
	attribution attributionTables
	tiers       tierTables
	payouts     payoutTables
	reports     reportTables
}

// New returns an empty store.
func New() *Store {
	s := &Store{}
	s.affiliates.init()
	s.ledger.init()
	s.events.init()
	s.aggregates.init()
	s.bindings.init()
	s.attribution.init()
	s.tiers.init()
	s.payouts.init()
	s.reports.init()
	return s
}
