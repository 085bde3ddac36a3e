// Package storage holds the small interfaces a host implements to keep the
// library's state in its own database: one interface per concern, each
// ctx-first, each with one to three methods, each free of ORM types.
//
// The library ships two implementations: memstore (in memory, the embedded
// default and the reference for every behaviour) and sqlstore (PostgreSQL
// and SQLite through database/sql). A host that writes its own runs
// storagetest.Run against it.
//
// # What a store must guarantee
//
// Writes that must be atomic are single calls, so a host implements each
// with one transaction or one unique index and never holds a transaction
// open across calls:
//
//   - Ledger.Append and Events.Commit write all of their entries,
//     aggregate deltas and records, or none of them.
//   - Idempotency keys are unique. Append and Commit share one key space:
//     the same key with the same payload hash is a replay that returns the
//     earlier result; with another hash it is ErrIdempotencyMismatch.
//   - Entry IDs are unique, and entries are never updated or deleted.
//   - Events.Commit compares and swaps the customer's state version, so
//     two concurrent commits for one customer cannot both win. The loser
//     gets ErrConflict and the commission engine reloads and retries. This
//     is what makes commission.Engine.Record safe for concurrent calls on
//     the same customer.
//   - Bindings.Bind stores at most one binding per customer, even under
//     concurrent calls.
//
// Every value goes in and comes out as a copy: a caller that changes a
// slice it passed in or got back changes nothing stored.
//
// Each method's doc names the sentinel errors (package affiliate) it
// returns; storagetest checks each with errors.Is.
package storage
