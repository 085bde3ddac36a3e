// Package affiliate is the root of an embeddable library for running an
// affiliate program inside a SaaS billing system: referral attribution,
// commission rules, an append-only ledger, tiers, payouts and dashboards.
// This package holds the domain types every other package shares (IDs,
// Money and Currency, Rate, Period, Affiliate, Touch, Binding, Lead,
// Payment, Refund, Entry, Payout) and the sentinel errors. It depends on
// shopspring/decimal and the standard library alone.
//
// # The flow
//
// A host application meets the library at a few moments:
//
//  1. A visitor clicks a referral link. The attribution middleware
//     ([github.com/openaffiliate/affiliate/attribution]) resolves ?ref=CODE
//     to an active Affiliate, stores a Touch and sets a signed cookie that
//     carries the referral for 90 days.
//  2. The visitor signs up, or a partner's Lead converts. Bind chooses one
//     affiliate from the typed code, the accepted lead and the touches
//     (first-click by default) and stores a Binding. A customer has at most
//     one binding, and it never moves.
//  3. The customer pays, or is refunded. The host hands the Payment or
//     Refund to the commission engine
//     ([github.com/openaffiliate/affiliate/commission]), which loads the
//     facts (binding, beneficiary chain, tiers, the customer's history),
//     runs the program's rules ([github.com/openaffiliate/affiliate/rules]),
//     pure functions from facts to accruals, and appends Entry values to
//     the ledger in one atomic, idempotent write. Refunds append reversals;
//     late and out-of-order events append adjustments. Nothing is edited.
//  4. A month ends. The tier close
//     ([github.com/openaffiliate/affiliate/tiers]) decides each affiliate's
//     tier from its referred revenue and records the decisions; the
//     engine re-prices the payments they change (Engine.Retier) and
//     appends the difference, so it stays the ledger's only writer. The
//     program object ([github.com/openaffiliate/affiliate/program]) runs
//     both as CloseMonth. The payout run
//     ([github.com/openaffiliate/affiliate/payout]) groups what is available
//     per affiliate and currency, pays what reaches the threshold and
//     carries the rest. The library never moves money: the host marks
//     payouts paid with its own transfer reference.
//  5. Any time, dashboards and statements
//     ([github.com/openaffiliate/affiliate/report], payout statements) read
//     the ledger and running aggregates.
//
// State lives behind the small interfaces of
// [github.com/openaffiliate/affiliate/storage]: in memory with
// [github.com/openaffiliate/affiliate/storage/memstore], in PostgreSQL or
// SQLite with [github.com/openaffiliate/affiliate/storage/sqlstore], or in the
// host's own store checked by
// [github.com/openaffiliate/affiliate/storage/storagetest].
//
// # Money
//
// Money is an exact amount in an ISO 4217 currency, held as int64 minor
// units at the currency's scale (2 for EUR, 0 for JPY, 3 for KWD, from a
// bundled table). It is built from strings or minor units, never from
// floats, and formats at its fixed scale ("12.30"). Arithmetic across
// currencies returns a *CurrencyMismatchError (errors.Is
// ErrCurrencyMismatch). A commission is rounded exactly once, where a base
// is multiplied by a Rate (Money.MulRate), with an explicit RoundingMode:
// half-even by default, half-up on request. Splits use Money.Allocate,
// which hands out leftover minor units by largest remainder, then
// position, so parts always sum to the whole.
//
// Decisions recorded here:
//   - Amounts are int64 minor units rather than arbitrary-precision
//     decimals: every value is canonical (equal amounts have equal bits, so
//     == works and JSON keeps the scale), arithmetic does not allocate, and
//     the range (about 92 quadrillion EUR) is that of Stripe and most
//     ledgers. Out-of-range results return ErrOverflow; nothing wraps.
//   - Parsing refuses digits beyond the currency's scale instead of
//     rounding them: rounding happens at MulRate or RoundDecimal, never in
//     a parser.
//   - JSON amounts are strings; bare JSON numbers are refused, since most
//     writers produce them from floats.
//   - A Rate is a non-negative decimal with at most 18 places, normalised
//     so that 0.150 and 0.15 are the same value.
//   - Discounts are LineDiscount lines with a non-negative amount that is
//     subtracted; no line is negative. A payment's total must be above
//     zero: a zero-amount invoice (a trial) is not a payment.
//
// # Time
//
// Events carry their own times. Periods are calendar months in the
// program's time.Location, half-open. Shells that need "now" take a
// Now func() time.Time config field that defaults to time.Now.
//
// # Errors
//
// Every error matches a sentinel with errors.Is: ErrInvalid (validation;
// the typed form is *FieldError, naming the field), ErrNotFound,
// ErrConflict, ErrIdempotencyMismatch, ErrCurrencyMismatch, and the more
// specific ErrUnknownCurrency, ErrOverflow, ErrPeriodOpen (all ErrInvalid)
// and ErrAlreadyBound (ErrConflict). A call that fails leaves storage as
// it was.
package affiliate
