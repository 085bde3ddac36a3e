// Package commission is the engine that turns billing events into ledger
// entries: Engine.Record takes a Payment or a Refund (a refund or a
// chargeback), gathers the facts from storage, runs the program's rule
// (package rules) and appends the entries, in one atomic store call.
//
// # How it works
//
// For a customer, the ledger the engine keeps is a function of the SET of
// the customer's recorded events: price the payments in (PaidAt, ID)
// order with the rule, and take back from each payment's entries the share
// its refunds returned. Each line of that ledger is a key: what one
// beneficiary earns from one payment under one rule, per earning kind
// (commission, bonus, bounty). The ledger holds, per key, a gross (the
// earning entry plus adjustments) and a net (gross plus reversals). When
// an event arrives the engine appends the difference between what the
// ledger should hold and what it holds: an adjustment when the gross
// differs, then a reversal for the rest. Entries are never edited or
// deleted; adjustments and reversals name the key's earning entry in
// Corrects. However events arrive (late, twice, out of order, a refund
// before its payment), the net ledger ends the same.
//
// A payment dated after every recorded one (the usual case) takes the fast
// path: it is priced from the customer's summary (storage.CustomerState:
// counts, the first paid payments the rules read, cap usage, parked
// refunds), so its cost does not grow with the customer's history. A
// refund of a recorded payment reads that payment's events and entries
// only. Anything else (a payment dated before one already recorded, a
// refund that changes what a later payment saw) takes the slow path: the
// engine re-prices the customer's whole history and appends the
// difference; Result.Reordered says so. Recompute and Reprice take the
// slow path on demand.
//
// Each Record writes one storage.Commit: the event, the customer's new
// summary, the entries and the aggregate deltas, with key "event:<ID>".
//
// # What the store must guarantee
//
// Record is safe for concurrent calls, for different customers and for
// the same customer, given what storage.Events.Commit promises:
//
//   - Commit is atomic: all of the event, summary, entries and deltas, or
//     none. Then a failure at any point leaves no partial event, and
//     delivering the event again completes it (I7).
//   - Commit compares and swaps the summary's version: it writes only if
//     the stored version is the one the engine read, and returns
//     ErrConflict otherwise. The engine reads the summary first and every
//     other fact after it, so a commit that succeeds was planned on
//     current facts; one that loses is planned again (up to
//     Config.MaxAttempts, with a short jittered backoff, then
//     *ContentionError). A plan that failed while another writer committed
//     for the customer is retried too, since its reads may have been
//     inconsistent.
//   - Idempotency keys and event IDs are unique, so of two concurrent
//     deliveries of one event exactly one is recorded; the other is a
//     replay.
//
// # Decisions
//
// Where the issue and the design were silent, these are the choices:
//
//   - Idempotency: an event's hash covers every field of its payload
//     (times compared as instants, money as minor units and currency). The
//     same ID with the same hash is a replay that returns the first
//     delivery's entries (Result.Replayed); with another hash, or as
//     another kind of event, it is ErrIdempotencyMismatch.
//   - Bad input (see Record) is refused before any write, so it stores
//     nothing. A rule that fails or returns an accrual the engine refuses
//     (another currency, a negative amount, more than rate × base rounded
//     up, a beneficiary outside the chain, two accruals for one key) fails
//     the whole event with a *RuleError and stores nothing either.
//   - Refunds reverse pro rata: a key keeps gross × (total − refunded) /
//     total, rounded once in its terms' rounding mode, so a full refund
//     nets to exactly zero and the net never leaves [0, gross]. What a
//     payment's refunds took back is a function of the set of Refunds: the
//     whole payment once a full refund is among them, otherwise the sum of
//     the partial ones, at most the payment. A partial refund larger than
//     what remains is refused (*RefundError), and so is one in another
//     currency or of another customer's payment; a full refund of a
//     payment with nothing left is recorded and reverses nothing.
//   - Reversals are appended whether or not the entries they correct were
//     paid out (the engine never reads payouts): the payout run nets them
//     against the next payout. A reversal is available at once: its
//     AvailableAt is its At, the refund's time (or the event's, if later).
//   - A refund whose payment is not recorded yet is parked, not refused:
//     it is recorded with no entries (Result.Parked) and applied when the
//     payment arrives. Parked refunds that ask for more than the payment
//     are cut to the whole payment, and the reversal's explanation says
//     so. A parked refund in another currency than the payment reverses
//     nothing (Result.Ignored lists it). A refund parked under one
//     customer whose payment arrives under another never applies.
//   - A payment of a customer with no binding, or whose time-boxed binding
//     expired at PaidAt, is recorded and earns nothing (Result.Unbound).
//     A binding made later applies to such payments at the customer's next
//     recompute: Recompute, or the slow path of any out-of-order event,
//     which always prices with the current facts.
//   - Suspended affiliates earn nothing new. Their earlier entries stay as
//     they are, even through a recompute; refunds still reverse them. A
//     suspended referrer stays in the chain, so its parent keeps earning
//     its bonus.
//   - The chain is the bound affiliate, its parent, and so on, as deep as
//     the rules ask (rules.ChainDepth) and at least Config.ChainDepth,
//     stopping at an affiliate already in it. An affiliate of the chain missing from the
//     store fails the event (nothing stored): it is a broken binding.
//   - Tiers come from Config.Tiers for each affiliate of the chain at each
//     payment; a recompute asks again for every payment, so a tier source
//     must answer for past payments with the tier then in effect. An entry
//     appended by someone else (a tier true-up) that corrects an engine
//     entry (Corrects) counts toward that entry's key: refunds reverse it,
//     and a recompute converges on top of it.
//   - Terms: a payment is priced under the version in effect at PaidAt;
//     adding a version changes only payments made from its From on.
//     Reprice moves one customer to a version, re-prices its recorded
//     payments with adjustment entries and keeps pricing its later payments
//     under it; a pin to a version no longer configured falls back to the
//     schedule.
//   - Entry fields: At is the recorded event's time (PaidAt or RefundedAt;
//     the clock for Recompute and Reprice, whose entries have no Event);
//     AvailableAt is At plus the hold (the accrual's own, else the terms').
//     Rate and Tier are the key's current ones. Base is a delta like Amount:
//     the earning entry carries the base, an adjustment the change of base,
//     a reversal minus the refunded share of it, so the Base of a key's
//     entries sums to the base left after refunds (a tier true-up can
//     compute rate × that sum minus the amounts). Entry IDs are
//     "<event ID>/<n>" (a hash of the prefix when it would be too long),
//     so the same events give byte-identical ledgers (I8).
//   - An event's record (storage.EventRecord.Affiliate) holds the affiliate
//     the payment was recorded for ("" unbound); a refund's holds its
//     payment's ("" while parked), since that is whose revenue it reduces.
//   - The customer summary is a cache of the event log (except the pin
//     Reprice sets): the slow path rebuilds it, and a summary built for a
//     smaller history depth than the configured rules need is rebuilt. One
//     the engine cannot read fails with ErrCorruptState.
//
// # Aggregates
//
// The deltas in each commit keep storage's running totals:
// MetricRevenue (a payment's total in its currency, in the period of
// PaidAt, for the affiliate it was recorded for and program-wide "";
// refunds subtract in the period of RefundedAt; unbound payments count
// program-wide only), MetricRevenueConverted (the same in
// Config.Currency, converted at the payment's own rate; refunds subtract
// the difference of the converted cumulative refunded amount, so a payment
// refunded in parts nets to exactly its converted total),
// MetricConversions (1 in the period of the customer's first payment
// recorded for an affiliate), MetricPayingCustomers (1 per period with such
// a payment) and MetricEarnings (every entry, for its beneficiary, in the
// period of its At). Revenue and counts do not depend on arrival order: an
// out-of-order payment moves the counts with correcting deltas, and
// refund revenue is computed from the set of a payment's refunds.
// Periods are calendar months in Config.Location.
package commission
