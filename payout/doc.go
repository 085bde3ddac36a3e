// Package payout turns ledger balances into payouts: monthly runs with
// minimums and carry-over, the payout lifecycle, and statements.
//
// # Data flow
//
// A Runner reads the open entries (in no created or paid payout) from
// storage.Ledger, plans with the pure core, and writes the whole run with
// one storage.Payouts.CreatePayoutRun call. The library never moves money:
// the host sends each created payout and reports back with MarkPaid (its
// own transfer reference), MarkFailed or Cancel.
//
//	Ledger.Entries{Unsettled, AvailableBy: asOf, To: period end}
//	  → DueBalances (pure) → Checks (the host's and the built-ins)
//	  → NewPlan (pure) → Payouts.CreatePayoutRun (one atomic write)
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
// # Decisions
//
//   - Entries earned after the period's end wait for the next period's
//     run, even when they are past their hold at the as-of time. A run
//     for a period is about that period, and statements balance.
//   - A balance equal to its minimum is paid. A currency with no minimum
//     in Policy pays any positive balance. An override replaces the
//     currency's minimum for one affiliate (up or down; zero means none).
//   - Minimums live in Config and are validated by New (and by NewPlan):
//     a negative one is a *MinimumError matching ErrNegativeMinimum.
//   - A run is keyed by (Program, Period). Its hash covers the program,
//     the period with its location, and the policy, not the as-of time: a
//     rerun at any later time returns the first run's payouts (as they
//     stand now) with Replayed set; a rerun with another policy returns
//     ErrIdempotencyMismatch. Checks are code, so they are not hashed.
//   - The run records its carried balances, with a reason code
//     (ReasonNotPositive, ReasonBelowMinimum, ReasonIneligible) and a note
//     in words, so a replay and the statement can say why.
//   - Payout IDs are deterministic: PayoutID is "po_<period>_" and 24 hex
//     digits of a SHA-256 over program, period, location, affiliate and
//     currency. CreatedAt is the as-of time, not the clock. The same
//     ledger and policy give byte-identical runs (I8).
//   - Concurrent runs: of two runs with one key, the store lets one
//     write and the other gets a replay. Two runs of different periods
//     that claim the same entry: the store refuses the second with
//     ErrConflict, and Run reads the open entries again and replans, up
//     to three times.
//   - Eligibility checks run only on balances that reach their minimum,
//     after every check has had its say: a refused balance is carried
//     with every reason, joined. A check's error aborts the run and
//     nothing is written. "Active referred customers" for
//     MinActiveCustomers are the affiliate's referred customers who paid
//     in the run's period (the paying_customers aggregate). An affiliate
//     that is not stored is refused by ActiveAffiliate and
//     PayoutMethodOnFile.
//   - Lifecycle: only a created payout moves, to paid (with the host's
//     reference), failed or cancelled; the store compares and sets. Failed
//     and cancelled release the entries to the next run (the next
//     period's: the failed period's run key is taken). A paid payout is
//     final: paying it again, failing or cancelling it returns
//     ErrAlreadyPaid as a *storage.PayoutStatusError holding the stored
//     payout, so a host retrying MarkPaid after a lost answer finds its
//     own reference there. A refund after a payout is a reversal entry
//     that nets against the next payout or is carried negative.
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
