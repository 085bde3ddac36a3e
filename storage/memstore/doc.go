// Package memstore is the embedded default store: every storage
// interface, in memory, safe for concurrent use, and the reference for
// what the interfaces mean.
//
// In flow the shells' writes; out come copies: a caller that mutates a
// slice it passed or received changes nothing stored. One sync.RWMutex
// guards the whole store, so each write that must be atomic across
// concerns (an event commit writes the log, the customer state, the
// ledger and the aggregates) is atomic by construction, and every read is
// served from an index, never a scan of records the query does not ask
// for. A Store lives as long as the process: for embedding, tests,
// simulations and examples.
//
//	store := memstore.New()
//	eng, _ := commission.New(commission.Config{Store: store, Terms: terms})
//	runner, _ := payout.New(payout.Config{Store: store})
package memstore
