// Package tiers decides which tier each affiliate is in, month by month,
// and records the decisions; the commission engine makes the ledger
// follow them.
//
// In: a Schedule of tiers with thresholds (seed 000: Standard 15% and 5%
// bonus, Premium 20% and 5% from EUR 10,000 a month), a Metric measured
// from the aggregates the engine keeps (revenue in the program's
// currency, new or active customers), an effect Policy (NextPeriod:
// month M decides M+1; Retroactive: M decides all of M, priced at the
// floor while open; Immediate: from the payment that crosses the
// threshold), and KeepFor months a reached tier is held.
//
// Out: the tier in effect at a payment (Program.TierAt, a
// commission.TierSource the engine asks at every payment; under
// NextPeriod and Retroactive it reads nothing the engine writes but the
// months before the payment's, which Program.TierReadsBefore tells the
// engine, so that RecordBatch records a month's payments of one
// affiliate with one store call, and Program.TiersAt answers a round's
// affiliates together, reading a month's close once); and, from Close, one snapshot per
// affiliate per closed month, written atomically, with
// CloseResult.Affected listing the affiliates whose pricing the
// decisions may change. Close writes no entries. Close is keyed by the
// month and idempotent; run again after late events, it writes a new
// revision with the snapshots that changed.
//
//	res, err := program.Close(ctx, period, asOf)
//	for _, c := range res.Affected {
//		_, err = engine.Retier(ctx, c.Affiliate, c.From)
//	}
//
// Decisions and the tests that pin them: docs/decisions.md, "Engine and tiers".
package tiers
