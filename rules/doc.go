// Package rules says what a commission is: a Rule is a pure function from
// the facts about one payment to the accruals it earns, and a program is
// rules composed explicitly. Package commission gathers the facts, runs
// the rule and turns each accrual into a ledger entry.
//
// # Rules
//
// A Rule has one method, Accrue(Facts) ([]Accrual, error), and RuleFunc
// adapts a function to it, as http.HandlerFunc does for http.Handler. A
// rule does no I/O, reads no clock, keeps no state and does not modify its
// Facts; the same facts always give the same accruals. Rules that need
// more than the payment say so through optional interfaces the engine
// checks: HistoryDepther (how many earlier paid payments to load),
// ChainDepther (how many affiliates of the beneficiary chain) and
// Validator (configuration checked when the engine is built).
//
// The facts are the payment and its lines; its position among the
// customer's payments (Index) and among the paid ones (PaidIndex); the
// binding; the beneficiary chain (the referring affiliate, its parent,
// and so on) with the tier in effect for each; the customer's first paid
// payments with what refunds dated up to this payment took back of them;
// what each cap let through so far; and the terms version and rounding
// mode.
//
// # Built-in rules
//
//   - Percent: a fixed rate of the base (seed 001: 30% for life).
//   - TierRate: the rate of the referrer's tier (seed 000: 15% or 20%).
//   - SubAffiliateBonus: a bonus to the direct parent (Depth levels when
//     set), on the revenue or on the child's commission (seed 000: 5% of
//     the revenue).
//   - Bounty: a flat amount per currency.
//   - Deferred: a rate of the first N paid payments, earned at the N-th
//     (seed 002: 50% of the first two months).
//   - Cap: a ceiling per customer, for its lifetime or per month.
//   - WithHold: a hold of its own for a rule's entries.
//   - Conditions, used with When: the duration limits FirstPayments,
//     FirstMonths, WithinDays and Lifetime; PlanIn, SKUIn, CountryIn,
//     KindIn, PaymentIndex; and Every and Not to combine them.
//   - Combinators: AllOf, FirstMatch and MaxOf.
//
// A Registry builds rules from stored configuration (Spec, JSON): it is an
// instance, never a global, and registering a type name twice is an error.
//
// # Decisions
//
// Where the issue and the design were silent, these are the choices, with
// the reason:
//
//   - A paid payment is one whose default base (every line but tax and
//     shipping, discounts subtracted) is above zero (Paid). Only paid
//     payments use up a count ("the first N payments", PaidIndex, the
//     deferred reward), start "the first N months", earn a bounty, or
//     appear in History.Earlier: a zero trial invoice, or one of tax
//     alone, never does.
//   - The base (Lines) counts the line kinds chosen, DefaultKinds when none
//     are: everything but tax, shipping and discounts, with discount lines
//     subtracted. A discount line subtracts only when LineDiscount is among
//     the kinds, and under a plan or SKU filter only when it names a listed
//     plan or SKU. Discounts larger than the lines leave a zero base, never
//     a negative one. BaseLines lists the kind of every line that went in,
//     discounts included, in line order.
//   - Amounts are rounded once, base × rate with Money.MulRate, in the
//     terms' rounding mode (half-even unless the terms say otherwise). An
//     accrual that rounds to zero is left out rather than recorded as 0.00,
//     with one exception: a tier-driven accrual (TierRate, or a
//     sub-affiliate bonus at a parent's tier rate) at a named tier and on
//     a positive base is returned with its zero amount, its Tier, Base and
//     Rate. It is a tier anchor: under a retroactive tier policy a payment
//     of 0.03 EUR earns nothing at 15% but 0.01 EUR at 20%, and the tier
//     close can only raise an entry that exists. A rule that only anchors
//     does not count as a match for FirstMatch. Package commission drops
//     zero accruals today, so anchors reach the ledger only once the
//     engine keeps them (a zero entry naming a tier, with a positive base);
//     until then Engine.Recompute after a close raises such payments (see
//     package tiers).
//   - The sub-affiliate bonus goes to Chain[1] (and up to Depth levels),
//     never to the referrer and never twice to one affiliate, even if the
//     chain it is handed loops. Its rate is the parent's own tier's
//     BonusRate, recorded with the tier name so a tier true-up finds it,
//     unless a fixed Rate is set (no tier is recorded then). On the
//     commission, level 1's base is the referrer's commission as the
//     Commission rule computes it, and each further level's is the bonus of
//     the level below.
//   - A deferred reward accrues, at the N-th paid payment, one share per
//     counted payment, each about that payment (Accrual.Payment) and in its
//     currency. So a refund of a counted month takes back that month's
//     share pro rata, whether it comes before or after the reward was
//     earned, and leaves the other months' shares alone; a month refunded
//     in full before the reward still counts as one of the N, and its share
//     nets to zero. A refund never changes which payments count: the
//     reward must not depend on events that come after it.
//   - Caps are per customer and per beneficiary, because the customer is
//     the engine's unit of order and atomicity; a ceiling across customers
//     belongs to the payout run. They count what was accrued, not what is
//     left after refunds: a refund does not reopen a cap, so no payment's
//     commission depends on a later refund. Limits are per currency and an
//     accrual in a currency without a limit is cut to nothing (fail
//     closed). A monthly cap's month is the calendar month of the payment
//     in the cap's Location.
//   - FirstMonths counts whole UTC days: a payment is inside when it falls
//     before the day of the month N months after the first paid payment,
//     clamped to the end of shorter months (Jan 31 + 1 month is Feb 28 or
//     29), so the renewal at the N-month mark is outside whatever its hour,
//     as billing systems renew. WithinDays counts N×24 hours from BoundAt;
//     payments made before the binding (applied by a recompute) are within.
//   - CountryIn compares case-insensitively; a payment without a country
//     matches no list. PaymentIndex counts paid payments and holds only
//     for them, as FirstPayments does.
//   - The sub-affiliate bonus on the revenue pays every level on the same
//     base at its own rate: a parent whose rate is zero, or whose bonus
//     rounds to nothing, does not stop the grandparent's (Depth 2). On the
//     commission, each level's base is the bonus below, so a zero stops
//     the levels above.
//   - MaxOf compares totals in the payment's currency; on a tie the earlier
//     rule wins. FirstMatch takes the first rule that accrues a positive
//     amount.
//   - Under AllOf, two rules may not record one rule name (Validate checks
//     the built-in ones; the engine refuses duplicates at run time), since
//     a ledger entry is identified by beneficiary, payment, rule and kind.
//   - A Bounty pays only in the currencies it lists: entries are in the
//     payment's currency and the engine never converts on its own.
//   - The Registry refuses unknown parameters and trailing data, takes
//     rates as strings ("0.3", or "percent": "30"), never JSON numbers, so
//     no float is ever involved, and reports where in a nested spec the
//     problem is (SpecError.Path).
package rules
