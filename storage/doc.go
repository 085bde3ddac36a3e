// Package storage holds the small interfaces a host implements to keep the
// library's state in its own database: one interface per concern, each
// ctx-first, free of ORM types, and holding only methods the library
// calls. The records they carry (affiliate.EventRecord, TierSnapshot,
// PayoutRun…) are the root package's.
//
// In flow the shells' writes: Events.Commit (the commission engine's one
// write: event, customer state, entries, aggregate deltas; CommitBatch
// writes many of them as one, all or nothing, failing with a *BatchError
// naming the commit),
// TierCloses.CommitTierClose, Payouts.CreatePayoutRun and SettlePayout,
// the attribution writes (touches, bindings, leads), the review trail
// (Reviews.AppendReviews; the optional Rebinder moves a binding), and
// payee profiles (Profiles.PutProfile). Each of those writes, but a
// touch, also appends its notices to the Outbox in the same atomic write, derived by this package's *Events functions, so no
// store and no shell can forget one. Out flow the
// reads the shells and reports make, each served from an index (the
// optional BatchReader serves the engine's per-event reads in one call,
// for a batch's round or one Record's attempt; the optional BalanceReader serves a payout run one sum
// per affiliate and currency, and claims the run's entries by watermark
// in CreatePayoutRun; the optional ProcessHashes lets a store that lives
// no longer than its process take 64-bit event hashes; the optional
// ExpectationChecker declares that Commit checks a commit's Expectation,
// without which the engine plans nothing from what it remembers). Each
// shell declares the methods it calls (commission.Store, tiers.Store,
// payout.Store, report.Store) from these interfaces.
//
// What a store must guarantee: atomic writes are single calls (all or
// nothing, no transaction held across calls); a commit key seen again
// with the same hash is a replay and with another hash
// ErrIdempotencyMismatch; Commit compares and swaps the customer state's
// version, so of two concurrent commits for one customer one gets
// ErrConflict, as does a commit whose Expectation no longer holds; one binding per customer and each entry in at most one live
// payout, even under concurrent calls; values are copied in and out; a
// period is keyed by its "2026-01" form and comes back in the location
// the caller asked with. Each method's doc names its sentinel errors.
//
// memstore is the reference implementation and sqlstore the SQL one; a
// host that writes its own runs storagetest against it:
//
//	storagetest.Run(t, func(*testing.T) storagetest.Store { return mystore.New() })
package storage
