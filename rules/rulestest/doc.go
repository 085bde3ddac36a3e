// Package rulestest checks that a commission rule behaves, whoever wrote
// it: a team's own rules.Rule gets the same scrutiny as the built-in ones.
//
//	func TestDecemberDouble(t *testing.T) {
//		rulestest.Check(t, decemberDouble, rulestest.Options{MaxRate: affiliate.MustPercent("60")})
//	}
//
// Check runs the rule on a fixed set of boundary cases (Boundary: the
// smallest payment, a zero base, a payment discounted down to its tax,
// huge payments in currencies of scale 0, 2, 3 and 4, fifty lines), then
// on facts rapid draws (Facts: valid payments with lines of every kind,
// beneficiary chains with tiers, all earlier paid payments with refunds, every
// rounding mode). On each it checks, through CheckFacts, that the rule
//
//   - does not panic and does not fail on valid facts;
//   - is deterministic: an equal copy of the facts gives equal accruals;
//   - does not change its facts, slices and maps included;
//   - reads no more than it declares: cut to rules.ChainDepth affiliates
//     and rules.HistoryDepth earlier payments, as the engine cuts them,
//     the facts give the same accruals (a wrapper that hides the bonus
//     rule it wraps fails here instead of losing the bonus in production);
//   - accrues only commissions, bonuses and bounties, about this payment
//     or an earlier one it was shown, for affiliates of the chain, and
//     never a bonus to the referrer itself;
//   - keeps the payment's currency on every amount and base;
//   - never accrues a negative amount on a positive payment;
//   - stays within its rate: an amount is at most its rate times its base,
//     rounded up to the minor unit, and no rated accrual's rate, nor its
//     amount relative to the payment's gross, is above Options.MaxRate.
//
// The first property broken fails the test with a *Failure: the property
// in words, the amounts involved, and a one-line summary of the facts,
// after rapid has shrunk them to a small case.
//
// # Decisions
//
//   - The rate bound is checked per accrual, not per rule: a composed rule
//     (a commission and a bonus) passes if each accrual keeps to its own
//     rate. The maximum rate also caps amount ÷ gross, which catches a rule
//     that reports a small rate but pays more.
//   - Flat accruals (bounties, with no base) are checked for sign, currency
//     and determinism only: a flat amount has no rate to keep to.
//   - Any error on valid facts is a failure. A rule that cannot price some
//     payments should accrue nothing for them; errors are for facts the
//     engine should never have built, and the engine stores nothing when a
//     rule fails.
//   - The rule is called on deep copies (made with reflect, so fields the
//     rules package adds later are copied too), so a mutating rule is
//     caught and the caller's facts are never changed.
//   - Huge payments are math.MaxInt64/16 minor units per line: sums of a
//     payment's lines still fit in int64, so a rule that overflows does so
//     by its own arithmetic (Money.MulRate never does).
//   - Facts.Used (cap usage) is not drawn: cap keys belong to the cap. Pass
//     Options.Facts to draw facts with usage, or with the plans and SKUs a
//     conditional rule looks for.
package rulestest
