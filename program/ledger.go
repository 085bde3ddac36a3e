package program

import (
	"context"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/tiers"
)

// Record records a billing event, an affiliate.Payment or
// affiliate.Refund, and appends the ledger entries it earns or takes
// back. Delivering an event again is a replay that changes nothing; a
// payment of a customer not bound yet is kept and earns at its Signup.
// See commission.Engine.Record for the result and the errors.
func (p *Program) Record(ctx context.Context, ev affiliate.Event) (commission.Result, error) {
	return p.engine.Record(ctx, ev)
}

// RecordBatch records many billing events as Record would one by one, in
// their order, with one store write for many of them: the path for
// imports and backfills. See commission.Engine.RecordBatch for the
// results and the *commission.BatchError it returns when some events
// were not recorded (the others are).
func (p *Program) RecordBatch(ctx context.Context, events []affiliate.Event) ([]commission.Result, error) {
	return p.engine.RecordBatch(ctx, events)
}

// Explain says in one line why an entry has its amount: who earns what on
// which payment, under which rule, rate, tier and chain.
func (p *Program) Explain(e affiliate.Entry) string { return commission.Explain(e) }

// MonthClose is what CloseMonth did: the tier closes it ran (the month
// asked for, then every later closed month whose decisions depended on
// it, oldest first) and the entries the engine appended to follow them.
type MonthClose struct {
	Closes  []tiers.CloseResult
	Entries []affiliate.Entry
}

// CloseMonth closes the month period for the tier program: it decides
// every affiliate's tier from the month's figures, then the engine
// re-prices the payments those decisions change (commission.Engine.
// Retier) and appends the difference. Later months already closed whose
// decisions depend on a tier this close changed are closed again, oldest
// first. The close is keyed by period and idempotent: run again with
// nothing changed it writes nothing; run again after late events, or
// after a failure between the decision and the re-pricing, it appends
// only what is still missing. Without tiers it does nothing. period must
// have ended by Config.Now and be in the program's location (Month gives
// one); see tiers.Program.Close for the errors.
func (p *Program) CloseMonth(ctx context.Context, period affiliate.Period) (MonthClose, error) {
	var out MonthClose
	if p.tiers == nil {
		return out, nil
	}
	queue := []affiliate.Period{period}
	for len(queue) > 0 {
		res, err := p.tiers.Close(ctx, queue[0], p.cfg.Now())
		if err != nil {
			return out, err
		}
		out.Closes = append(out.Closes, res)
		for _, c := range res.Affected {
			r, err := p.engine.Retier(ctx, c.Affiliate, c.From)
			if err != nil {
				return out, err
			}
			out.Entries = append(out.Entries, r.Entries...)
		}
		queue = append(queue[1:], res.Reclose...)
	}
	return out, nil
}

// RunPayouts runs the payouts of period as of Config.Now: every balance
// past its hold that reaches its minimum and passes the checks becomes a
// payout, the rest is carried. A run is keyed by period: running it again
// returns the first run's payouts (Result.Replayed). The host sends the
// money and calls SettlePayout. See payout.Runner.Run for the errors.
func (p *Program) RunPayouts(ctx context.Context, period affiliate.Period) (payout.Result, error) {
	return p.payouts.Run(ctx, period, p.cfg.Now())
}

// SettlePayout records that the host paid payout id, under its own
// transfer reference. The library never moves money. See
// payout.Runner.MarkPaid for the errors.
func (p *Program) SettlePayout(ctx context.Context, id affiliate.PayoutID, reference string) (affiliate.Payout, error) {
	return p.payouts.MarkPaid(ctx, id, reference)
}
