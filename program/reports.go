package program

import (
	"context"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/report"
	"github.com/openaffiliate/affiliate/storage"
)

// Statement returns affiliate a's account for period in the program's
// currency: opening balance, earnings, reversals, payouts, closing
// balance, and a line per entry and payout. Returns a *affiliate.FieldError
// naming Config.Currency when the program has none (Payouts().Statement
// takes a currency), and the errors of payout.Runner.Statement.
func (p *Program) Statement(ctx context.Context, a affiliate.AffiliateID, period affiliate.Period) (payout.Statement, error) {
	if p.cfg.Currency == "" {
		return payout.Statement{}, &affiliate.FieldError{Field: "Config.Currency", Reason: "missing: a statement is in one currency"}
	}
	return p.payouts.Statement(ctx, a, period, p.cfg.Currency)
}

// Dashboard returns what affiliate a sees for the months of rng: clicks,
// signups, conversions, money spent and earned, balances as of
// Config.Now, and payout history. See report.Reporter.Affiliate.
func (p *Program) Dashboard(ctx context.Context, a affiliate.AffiliateID, rng report.Range) (report.Dashboard, error) {
	return p.reports.Affiliate(ctx, a, rng)
}

// ProgramDashboard returns the operator's dashboard for the months of rng:
// every affiliate together. See report.Reporter.Program.
func (p *Program) ProgramDashboard(ctx context.Context, rng report.Range) (report.Dashboard, error) {
	return p.reports.Program(ctx, rng)
}

// Earned returns what affiliate a earned in period, net of reversals, one
// amount per currency it earned in, by currency: what the dashboard shows
// for the month. Entries count in the month of their time, so a payment
// re-priced by a late signup counts in the signup's month.
func (p *Program) Earned(ctx context.Context, a affiliate.AffiliateID, period affiliate.Period) ([]affiliate.Money, error) {
	d, err := p.reports.Affiliate(ctx, a, report.Month(period))
	if err != nil {
		return nil, err
	}
	return d.Months[0].Earned, nil
}

// Balance returns affiliate a's balances at asOf, one per currency it has
// any entry in, by currency: what is still on hold (Pending), what the
// next payout run can pay (Available; negative after a reversal of paid
// money), what waits in created payouts (InPayout) and what was paid.
// Returns affiliate.ErrInvalid for a malformed ID or a zero asOf.
func (p *Program) Balance(ctx context.Context, a affiliate.AffiliateID, asOf time.Time) ([]storage.EarningsBalance, error) {
	if err := affiliate.ValidateID("affiliate", a); err != nil {
		return nil, err
	}
	if asOf.IsZero() {
		return nil, &affiliate.FieldError{Field: "asOf", Reason: "zero time"}
	}
	return p.cfg.Store.EarningsBalances(ctx, a, asOf)
}
