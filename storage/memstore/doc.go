// Package memstore is the embedded default store: every storage
// interface, in memory, safe for concurrent use, and the reference for
// what the interfaces mean.
//
// In flow the shells' writes; out come copies: a caller that mutates a
// slice it passed or received changes nothing stored. One sync.RWMutex
// guards the whole store, so each write that must be atomic across
// concerns (an event commit, or a batch of them, writes the log, the
// customer states, the ledger, the aggregates and the outbox) is atomic
// by construction, and every read is served from an index, never a scan
// of records the query does not ask for. A Store lives as long as the
// process: for embedding, tests, simulations and examples. It says so
// (storage.ProcessHashes), so the engine hashes its events with a 64-bit
// maphash instead of SHA-256.
//
// Inside, the hot tables hold no pointers, so a year of payments costs
// the garbage collector almost nothing: each ID gets a dense number once,
// at the boundary (an interner over one byte arena); entries, event
// records, outbox events, payouts, bindings and tier snapshots are rows
// of numbers and int64s, their text in the arena; indexes are per-number slices and chains through the rows;
// aggregates are dense grids by currency and month, a row of metrics per
// affiliate number;
// affiliates are rows by that number too. Reads rebuild the values on
// the way out.
//
//	store := memstore.New()
//	eng, _ := commission.New(commission.Config{Store: store, Terms: terms})
//	runner, _ := payout.New(payout.Config{Store: store})
package memstore
