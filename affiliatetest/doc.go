// Package affiliatetest serves property tests of programs built on the
// library, and the library's own: rapid generators for its values,
// go-cmp options that compare them correctly, and checkers that judge an
// engine and a store against the invariants I1–I9 of the design.
//
// # Generators
//
// Money is drawn as whole minor units scaled by the currency (Money,
// PositiveMoney, MoneyRange, AnyMoney; Currency favours EUR, USD and the
// unusual scales of JPY, KWD and CLF), never through a float, and shrinks
// toward zero. Lines, Payment, Refund and Refunds draw valid invoices and
// refunds that never return more than their payment. History draws one
// customer's payments and refunds in time order; Shuffled, Duplicated and
// Arrivals turn it into what a webhook endpoint receives. AffiliateTree
// draws affiliates with about one in ten a sub-affiliate, parents first;
// Touches draws visitors clicking links and typing codes.
//
//	events := affiliatetest.History(affiliatetest.HistoryOptions{Customer: "cus_1"}).Draw(t, "history")
//	arrivals := affiliatetest.Arrivals(events).Draw(t, "arrivals")
//
// # Checkers
//
// A System is an engine (any Record method, wrapped with Engine) and the
// store it writes to. Each checker delivers events, reads the store, and
// returns nil or a *Violation that names the invariant, the events it
// broke on, and the amounts, in plain words:
//
//	I1 CheckIdempotent        I6 CheckPayouts (a run's data)
//	I2 CheckOrderIndependent  I7 CheckAtomicFailures (with a FaultStore)
//	I3 CheckRefunds           I8 CheckDeterministic
//	I4 CheckRateBounds        I9 CheckBindings (touch and binding data)
//	I5 CheckCurrencies
//
// Checkers that compare runs take a Factory that makes a fresh System for
// each. Use them inside rapid.Check:
//
//	rapid.Check(t, func(t *rapid.T) {
//		events := affiliatetest.History(affiliatetest.HistoryOptions{Customer: "cus_1"}).Draw(t, "history")
//		order := affiliatetest.Arrivals(events).Draw(t, "arrivals")
//		if err := affiliatetest.CheckOrderIndependent(ctx, newSystem, events, order); err != nil {
//			t.Fatal(err)
//		}
//	})
//
// # Decisions
//
//   - The checkers judge an engine by its store, not by its results: the
//     invariants are about the ledger, and a Recorder needs only an error.
//     So the package does not import commission, and commission's own
//     tests can use it.
//   - The net ledger (NetLedger) is kept per beneficiary, customer,
//     payment, currency and earning kind; reversals and adjustments count
//     toward the entry they correct (Corrects), and lines that net to zero
//     are dropped. Two arrival orders agree when their net ledgers do,
//     however the engine got there.
//   - Refused events are delivered again once the others are in, as a
//     host retries, so an engine that asks for a retry of an early refund
//     is judged as fairly as one that parks it. A refusal that leaves the
//     net ledger unchanged (a partial refund arriving after a full one) is
//     not a violation.
//   - Amounts are compared in minor units with a tolerance only where
//     rounding is legitimate: a rate bound is rate × base rounded up, and a
//     partial refund may be off the exact pro rata share by one minor unit
//     per refund, so an engine may round once or once per refund.
//   - I6 and I9 take data (a payout run and the ledger; touches and the
//     bindings read back), so they judge any payout or attribution code.
//     The payout check requires paid plus carried to equal the available
//     balance, so a run must report what it carried.
//   - I7 fails each store call of each event once, before it reaches the
//     store and, for writes, after it did (a lost answer), and requires the
//     state before or after the event, never between, and a retry that
//     completes it. The cost is one run per store call, so keep the events
//     few.
//   - The generators shrink toward small, readable cases: EUR, zero,
//     Epoch, no duplicates, the original order.
package affiliatetest
