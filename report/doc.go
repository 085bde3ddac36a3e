// Package report computes dashboard figures per affiliate and for the
// whole program over a range of months: touches (link clicks and code
// uses), signups, conversions, money spent by referred customers, earnings
// and their balances, the funnel's rates, earnings per touch and payout
// history.
//
// # Data flow
//
// A Reporter reads what the other packages stored, never the raw
// history:
//
//	touches, signups       storage.Reports.Activity (touch and binding timelines)
//	conversions            storage.Aggregates (conversions), per month
//	spent                  storage.Aggregates (revenue): the affiliate's row, or
//	                       every affiliate's row of each month (the program)
//	earned                 the earnings aggregate (an affiliate), or
//	                       storage.Reports.ProgramEarnings (the program)
//	pending ... paid       storage.Reports.EarningsBalances
//	payout history         storage.PayoutHistory (AffiliateRuns, PayoutTotals)
//
// So an affiliate's dashboard costs a few index reads per month of its
// range, whatever the size of the ledger; the program's adds one
// aggregate row per affiliate with revenue in each month. See the
// benchmarks (10,000 affiliates, a year of data) for figures.
//
// # Decisions
//
//   - A range is whole months (Range{From, To}, inclusive, at most 120),
//     in From's location, which should be the program's: the aggregates
//     the commission engine writes are monthly, in that location, so
//     finer ranges could not be served from them.
//   - Counts and flows cover the range: touches, signups
//     (bindings bound in the range), conversions (customers whose first
//     payment fell in the range), spent (payments less refunds made in
//     the range, per currency: never added across currencies), earned
//     (entries earned in the range, reversals included).
//   - Balances are at the as-of time (Config.Now) and cover all time:
//     Pending (unpaid, on hold), Available (unpaid, past its hold; may be
//     negative), InPayout (in created payouts), Paid (in paid payouts).
//     They add up to everything ever earned in the currency. InPayout is
//     a fourth figure beside the three so that the sum holds
//     while the host has not yet reported a transfer.
//   - The funnel is touches → signups → conversions. Touches include the
//     code typed at signup that bound a customer (attribution records it),
//     so a signup by code has its touch. Rates are exact Ratio values and
//     averages exact Average values, rounded only when shown; any of them
//     without a denominator shows "n/a" (JSON null). They count events in
//     the range, not cohorts, so a step can pass 100%; Dashboard.Notes then
//     says why (NoteMoreSignupsThanTouches, NoteMoreConversionsThanSignups).
//   - Earnings per touch is Earned over the range's touches, per currency,
//     rounded half to even at the minor unit (its one rounding point).
//   - Payout history: an affiliate's payouts of the runs for the range's
//     months, any status; program-wide, per month, currency and status,
//     the count and sum (storage.PayoutHistory.PayoutTotals).
//   - Program-wide spent is the program-wide ("") revenue row, which the
//     commission engine keeps for referred customers only: payments of
//     customers nobody referred are not money spent by referrals. A
//     program dashboard reads one row per month, whatever the number of
//     affiliates.
//   - A sum that leaves the Money range (only corrupt aggregates can do
//     that) fails the dashboard with affiliate.ErrOverflow rather than
//     showing a wrong figure.
//   - Program-wide earnings come from a store read over time
//     (ProgramEarnings) rather than from every affiliate's earnings
//     aggregate, because the commission engine keeps no program-wide
//     earnings aggregate and summing every affiliate's would grow with the
//     affiliates.
//   - Dashboard.Text renders for people; Dashboard.MarshalJSON writes
//     periods as "2026-01" and amounts as Money writes them.
package report
