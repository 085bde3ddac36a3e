// Package payout turns ledger balances into payouts: monthly runs with
// minimums and carry-over, the payout lifecycle, and statements.
//
// # Data flow
//
// A Runner reads the open balances, one sum per affiliate and currency,
// when the store is a storage.BalanceReader and the run neither caps nor
// reviews; its payouts then list no entries and settle by the balances'
// watermark: the store claims each payout's entries in the same write and
// lists them in the payouts it returns. Otherwise the Runner reads the
// open entries (in no created or paid payout) from storage.Ledger. Either
// way it plans with the pure core and writes the whole run with one
// storage.Payouts.CreatePayoutRun call, and both ways pay the same
// entries. The library never moves money: the host sends each created
// payout and reports back with MarkPaid (its own transfer reference),
// MarkFailed or Cancel.
//
//	BalanceReader.OpenBalances{To: period end, AvailableBy: asOf}
//	  (or Ledger.Entries{Unsettled, AvailableBy: asOf, To: period end})
//	  → Checks (the host's and the built-ins) → plan (pure)
//	  → Payouts.CreatePayoutRun (one atomic write)
//
// NewPlan and BuildStatement are pure functions of their inputs: no
// clock, no I/O, no globals. Everything else is a thin shell.
//
// # What a run pays (invariant I6)
//
// A run for a period takes every affiliate's entries that are
//   - in no payout that is created or paid,
//   - earned before the period's end (At < Period.End()), and
//   - past their hold at the run's as-of time (AvailableAt ≤ AsOf),
//
// negative ones included, and sums them per affiliate and currency. Each
// balance is paid when it is positive, reaches its minimum and passes the
// checks; otherwise it is carried: its entries stay open and the next run
// sees them again. So, per currency, the payouts plus the carried
// balances equal what was available; no payout is below its minimum; a
// zero or negative balance is never paid; and the store refuses an entry
// that is already in a created or paid payout, so no entry is in two.
//
// The decisions behind these rules (run keys, payout IDs, concurrent
// runs, checks, the lifecycle) are in docs/decisions.md, "Payout runs".
//
// # Profiles, caps and schedules
//
//   - ProfileComplete and TaxFormReceived read the affiliate's newest
//     affiliate.PayeeProfile (when the store implements
//     storage.Profiles) and carry a balance whose payee has no profile,
//     is paid in another currency, or has no tax form, saying so.
//   - Caps limit what a run pays per affiliate and per run; the excess
//     stays open and is carried with ReasonCapped (see Caps).
//   - Schedule.NetDays (NET-N) refuses a run before the period's end plus
//     N days with a *NotDueError. Request pays one affiliate on its own
//     request, in a run of its own (RequestProgram); the minimum applies.
//   - Year sums an affiliate's calendar year per currency: earned and
//     reversed by entry time, paid by settlement time.
//   - Package payfile writes a run's execution files (SEPA, PayPal,
//     Wise) and applies the bank's result.
//
// # Statements
//
// A Statement is one affiliate's account for one period in one currency,
// derived from the ledger and the runs alone:
//
//   - Opening: entries earned before the period that no earlier period's
//     run holds in a created or paid payout. It equals the previous
//     period's Closing.
//   - Earned by kind (commission, bonus, bounty, adjustment) and Reversed
//     (reversal entries): the period's entries.
//   - Paid: the period's run's payouts that are created or paid.
//   - Closing = Opening + Earned + Reversed − Paid: what is owed and
//     unpaid after the period's run. It splits at the run's as-of time
//     into Carried (available then, left for the next run: below the
//     minimum, not positive, ineligible, released by a failed or
//     cancelled payout, or recorded after the run) and OnHold (still in
//     its hold). Before the period has a run, the split is at the
//     runner's clock.
//
// Lines list the period's entries with their explanations, then the
// period's payouts with their status. Statement.Text renders for people,
// and Statement.MarshalJSON writes a stable snake_case document.
package payout
