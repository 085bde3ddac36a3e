// Package commission is the engine, the only writer of ledger entries.
//
// In: billing events (a Payment, a Refund or chargeback, a Reinstatement
// of a chargeback the merchant won) through Engine.Record, or many at
// once through Engine.RecordBatch; and three calls for facts the engine
// does not see change: Bound after a customer is bound, Retier after a
// tier close (for each affiliate in tiers.CloseResult.Affected),
// Recompute or Reprice on demand. Facts come from the Store: the event log, the customer's state,
// the binding and the beneficiary chain; tiers come from a TierSource. On
// a store whose reads are round trips (a storage.BatchReader) and that
// checks expectations (a storage.ExpectationChecker), Record plans a
// customer's next event from what it last wrote and read for the
// customer, and the store checks those facts at commit
// (Config.RememberedCustomers, storage.Expectation).
//
// Out: ledger entries, appended with the event, the customer's new state
// and the aggregate deltas in one atomic storage.Commit per call
// (RecordBatch: one Events.CommitBatch per round of events, with the
// results Record would give one by one and a *BatchError naming each
// event not recorded). An entry is never edited: corrections are
// adjustments and reversals that name the entry they correct (Corrects). Entries are dated where they
// belong: earnings and adjustments at their payment, each refund's
// reversal at the refund; a month with a payout run is closed, and what
// would be dated in it lands at the start of the first open month,
// saying which month it corrects.
//
// The ledger is a function of the set of recorded events and the current
// facts: each payment priced in (PaidAt, ID) order by the rule of its
// terms version, each refund taking back its pro-rata share of what the
// earlier refunds left, except a chargeback whose reinstatement is in the
// set. Every call appends the difference between that and what the ledger
// holds, date by date, so any arrival order, any repetition, and any
// interleaving with bindings and tier closes before a month's payout run
// gives the same net ledger, month by month. (A customer moved to another
// affiliate is the exception: a payment of a paid-out month stays with
// the affiliate it was paid under; see Recompute.) A payment after every
// recorded one is priced from the customer's state alone; anything else
// re-prices the customer's history through the same pricing function. Results say
// what happened (Replayed, Unbound, Parked, Reordered) and, for a payment
// that earned nothing, Why (a typed Reason with a detail). Bad input is a
// typed error matching affiliate.ErrInvalid, and stores nothing.
//
//	eng, _ := commission.New(commission.Config{Store: store, Terms: terms, Tiers: program})
//	res, err := eng.Record(ctx, payment) // res.Entries: what it appended
//	_, err = eng.Bound(ctx, customer)    // right after binding customer
//
// Decisions and the tests that pin them: docs/decisions.md, "Engine and tiers".
package commission
