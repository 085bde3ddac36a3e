// Package tiers decides which tier each affiliate is in, month by month,
// and makes the ledger follow: a Schedule of tiers with thresholds, a
// Metric that measures each affiliate's month, an effect Policy that says
// when a month's tier applies, and a Close that decides a month, records
// the decisions and trues up the commissions.
//
// Seed 000 has two tiers, Standard (15% on own clients, 5% on direct
// sub-affiliates' referrals) and Premium (20% and 5%), and moves an
// affiliate to Premium when its monthly generated client revenue reaches a
// threshold; the example program sets it at EUR 10,000.
//
// # How data flows
//
// The commission engine records payments and refunds. For each payment it
// asks the Program (a commission.TierSource) which tier is in effect for
// the referring affiliate and for its parent (TierAt), prices the payment,
// and commits the entries together with running aggregates per affiliate
// and month: revenue converted to the program's currency, paying and new
// customers, earnings. Nothing here rescans events.
//
// When a month is over, Close reads the month's aggregates (one call per
// metric for every affiliate), decides each affiliate's tier, and writes in
// one atomic store call (storage.TierCloses.CommitTierClose) a snapshot
// per affiliate, with the metric value that decided it, and the true-ups
// that bring the month's tier-driven entries to the tier in effect. Later
// TierAt calls read the snapshots. Decisions are pure functions of values
// (decide, Schedule.Reach, plan); the shell loads, calls them and writes.
//
// # Policies
//
//   - NextPeriod (the zero value): month M's decision applies to M+1.
//   - Retroactive: all of M at the tier M reached; payments are priced at
//     the floor while M is open, and the close trues them up.
//   - Immediate: from the payment that crosses the threshold onward; each
//     payment's tier is decided once, when it is first recorded.
//
// # Late events, and closing again
//
// Close is keyed by the period and revisioned. Run again with nothing new,
// it writes nothing. Run again after late events, it decides again from
// the aggregates, which the engine has already moved: a payment dated in
// M and recorded after M's close adds to M's revenue, a refund made in M
// takes from it (a refund made in M+1 counts in M+1, even for a payment of
// M). The rerun appends a new revision: the snapshots that changed, and,
// for every tier-driven entry of M whose net is not what the decided tier
// gives, an adjustment of its gross and a reversal for the refunded share
// of that adjustment, both linked (Corrects) to the accrual and explained.
// Only the remaining difference is appended; nothing written is edited.
// Between the late event and the rerun:
//
//   - a late payment of a closed month is priced at the month's latest
//     decision (Retroactive), or at the previous month's (NextPeriod);
//   - a late refund is reversed by the engine pro rata on what the entry
//     holds, true-ups included;
//   - re-closing a month can change what later closed months depend on
//     (NextPeriod's next month, KeepFor's kept months); CloseResult.Reclose
//     lists them, to close again, oldest first.
//
// Events recorded while a close runs may be missed by it; they change the
// month's aggregates, so the next run sees them.
//
// # Decisions taken where the issue was silent
//
// Schedule and values:
//
//   - A Value is an amount in the program's currency (Revenue) or a count
//     (the customer metrics); thresholds are Values of the metric's kind,
//     checked against the metric and currency by New.
//   - The first tier's threshold must be zero: it is the floor and covers
//     everything below the second tier, negative months (more refunded
//     than paid) included. No value falls outside a tier.
//   - Names are required, unique, and at most 255 bytes without control
//     characters: they are recorded on entries and snapshots. A snapshot
//     naming a tier the schedule no longer has is ErrUnknownTier.
//
// Metrics:
//
//   - Revenue reads storage.MetricRevenueConverted; an aggregate in another
//     currency is refused (*affiliate.CurrencyMismatchError), never added.
//     TierAt refuses, with *ConversionError, a payment the metric could not
//     count (another currency, no conversion to the program's), under every
//     policy, so the engine stores nothing even without RequireConversion.
//   - "Paying referred customers" is NewCustomers (storage.
//     MetricConversions: first payment ever in the month); "active
//     customers" is ActiveCustomers (storage.MetricPayingCustomers: a
//     payment in the month). Counts are not reduced by refunds.
//
// Policies:
//
//   - NextPeriod is the zero value: it is the policy whose decisions are
//     all made at a close, with no true-ups in the normal course.
//   - Retroactive prices an open month at the floor, the lowest tier the
//     month can end at (the lowest, or a kept tier): it never pays more
//     before the close than after. Once closed, late payments get the
//     decided tier directly.
//   - NextPeriod prices a payment of M+1 made before M is closed at the
//     decision M's running aggregates give (what the close would decide
//     then); M+1's close trues up any difference with M's final decision.
//   - Immediate counts the month as recorded so far plus the payment
//     itself (its total converted half-even, as the engine converts) when
//     it is the affiliate's own customer's (the binding says so; for a
//     parent asked about a sub-affiliate's customer it does not count). A
//     payment already recorded (the engine replaying or recomputing) keeps
//     the tier its entry names. Its outcome depends on arrival order, which
//     "from the crossing payment on" implies; its close trues nothing up.
//     Count metrics do not count the payment itself.
//   - KeepFor keeps the tier a month's own value reached for that many
//     following months; holds come from reached tiers, not decided ones,
//     so they do not chain, and the most recent reach is the one kept. The
//     bonus rate of a parent comes from the parent's own decided tier.
//
// Close and storage:
//
//   - Close is one atomic store call, not a Ledger.Append followed by a
//     snapshot write: two calls could leave true-ups without their
//     snapshots, or let two concurrent runs both append. The commit files
//     its entries under the key "tiers:<program>:<period>:<revision>" in
//     the ledger's key space, with a hash of the payload, and compares and
//     sets the revision; a run that loses the race reads again and retries
//     (at most 5 times). Config.Program namespaces closes ("default").
//   - The month must have ended at asOf (*PeriodOpenError, matching
//     affiliate.ErrPeriodOpen). The period must be in the program's
//     location; a nil Location means UTC, as for affiliate.Period.
//   - The first run snapshots every affiliate with a metric value, a kept
//     tier, or entries in the month (from the earnings aggregate); reruns
//     write the snapshots that changed, and snapshot newly active
//     affiliates. An affiliate without a snapshot in a closed month is at
//     the lowest tier with zero. Snapshot.Applied records the tier the
//     month's entries were brought to ("" under Immediate).
//
// True-ups:
//
//   - A tier-driven entry is an engine accrual (commission or
//     sub-affiliate bonus) naming a Tier and carrying a Base; its key is
//     the entry with every entry whose Corrects names it, and it holds, as
//     the engine counts them, gross (all but reversals), net (all) and base
//     (the bases of all but reversals: a correction carries the change it
//     makes to the base).
//   - At the tier in effect, a key should earn its base × the tier's rate
//     (the bonus rate for bonuses), rounded once with Config.Rounding,
//     except at the accrual's own rate and base, where the rule's amount
//     stands (whatever a cap or the rule's rounding made of it); and net
//     the engine's pro-rata share of that after the payment's refunds:
//     gross × (total − refunded) / total, rounded once. The close appends
//     the adjustment (want − gross), then the reversal that nets the key.
//     Config.Rounding must be the terms' rounding.
//   - Corrections are dated at the accrual's time, so they count in its
//     month (the earnings aggregate moves with them). What they add is
//     available no earlier than the accrual was, and not before the close;
//     what they take back is taken at the close. Their Event is the run's
//     key and their IDs derive from it and the accrual's ID, so a replay
//     of a run is byte-identical.
//   - The close reads each earning affiliate's entries dated in the month
//     and, for each tier-driven accrual among them, its whole key (the
//     affiliate's entries about its payment, whenever dated): the engine
//     dates an adjustment at the event that made it re-price (a payment of
//     another month arriving out of order, a recompute's clock), so a key
//     priced at the rate in effect may hold a correction from another
//     month. A key that needs a change is corrected with its payment's
//     refunds from the event log; for a payment the log lacks, the share
//     the key's reversals hold stands in.
//   - Affiliates with a metric value are trued up even without earnings in
//     the month: their entries may all be zero tier anchors, which add
//     nothing to the earnings aggregate.
//   - On a retroactive month's first run without KeepFor, an affiliate
//     decided at the lowest tier is not read: every entry of an open month
//     was priced at the floor, which is then the lowest tier.
//   - An accrual whose Event is not its Payment was written by a recompute
//     or a replay and dated at that time. The engine priced it at the tier
//     in effect for its payment's month then; the close of the month it is
//     dated in checks its payment's date and leaves it alone when that is
//     another month.
//
// Limits:
//
//   - The close corrects entries that exist. Package rules returns a
//     tier-driven accrual of zero (a 0% floor tier, or 15% of 0.03 EUR) as
//     a tier anchor naming its tier, base and rate, and the close raises
//     such an entry like any other (TestTierAnchors). The commission engine
//     drops zero accruals today, so such a payment has no entry and is not
//     raised; Engine.Recompute of the customer after the close prices it
//     at the decided tier (TestZeroAccrual).
//   - An accrual dated outside its payment's month (see above) is read by
//     no close: a re-close of its payment's month that changes the tier
//     does not correct it. Engine.Recompute of its customer does
//     (TestRecomputedAccrualAfterReclose).
//   - A bonus whose base is the child's commission (rules.OfCommission)
//     depends on the child's tier; the close re-rates the parent's bonus on
//     the recorded base and does not re-base it when the child's tier
//     changes. Recompute re-derives it.
//   - At another rate than the accrual's, the close computes base × rate;
//     a rule that caps or otherwise shapes a tier-driven amount is trued up
//     without its cap.
//
// # Cost
//
// A close reads the month's aggregates, the snapshots of the KeepFor
// months before (or their aggregates when not closed), each earning
// affiliate's entries of the month, and one key (an indexed read by
// payment) per tier-driven entry of the month: linear in the affiliates
// and entries of the months it looks at, never in the history. The first
// retroactive close skips the affiliates that stay at the lowest tier. TierAt makes one to
// three indexed reads (plus two per kept month). See BenchmarkClose and
// BenchmarkTierAt.
package tiers
