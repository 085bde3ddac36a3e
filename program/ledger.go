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

// Explain says in one line why an entry has its amount: who earns what on
// which payment, under which rule, rate, tier and chain.
func (p *Program) Explain(e affiliate.Entry) string { return commission.Explain(e) }

// CloseMonth closes the month period for the tier program: it decides
// every affiliate's tier from the month's figures, and the ledger follows
// the decisions. The close is keyed by period and idempotent: run it again
// with nothing changed and it writes nothing; run it again after late
// events and it appends only the corrections. CloseResult.Reclose lists
// later closed months to close again, oldest first. Without tiers it does
// nothing. period must have ended by Config.Now and be in the program's
// location (Month gives one); see tiers.Program.Close for the errors.
func (p *Program) CloseMonth(ctx context.Context, period affiliate.Period) (tiers.CloseResult, error) {
	if p.tiers == nil {
		return tiers.CloseResult{Period: period}, nil
	}
	return p.tiers.Close(ctx, period, p.cfg.Now())
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
