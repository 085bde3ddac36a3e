package program

import (
	"context"
	"io"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/payout/payfile"
	"github.com/openaffiliate/affiliate/storage"
)

// PutPayeeProfile stores a new version of an affiliate's payee profile:
// how and where it is paid, and its tax form. Returns ErrInvalid when
// the profile fails affiliate.PayeeProfile.Validate or the store keeps no
// profiles (it does not implement storage.Profiles), and ErrNotFound for
// an affiliate that is not stored.
func (p *Program) PutPayeeProfile(ctx context.Context, prof affiliate.PayeeProfile) (affiliate.PayeeProfile, error) {
	profiles, err := p.profiles()
	if err != nil {
		return affiliate.PayeeProfile{}, err
	}
	return profiles.PutProfile(ctx, prof)
}

func (p *Program) profiles() (storage.Profiles, error) {
	profiles, ok := p.cfg.Store.(storage.Profiles)
	if !ok {
		return nil, &affiliate.FieldError{Field: "Config.Store", Reason: "keeps no payee profiles (storage.Profiles)"}
	}
	return profiles, nil
}

// PayoutFile says how WritePayoutFile writes.
type PayoutFile struct {
	// Method picks the payouts whose payee is paid that way, and the
	// format: bank transfer writes SEPA pain.001.001.09, PayPal and Wise
	// their batch CSVs.
	Method affiliate.PayoutMethod
	// Debtor is the account a SEPA file pays from. A zero ExecutionDate
	// means the run's due day (Config.Payouts.Schedule).
	Debtor payfile.Debtor
	// WiseSource is the Wise balance's currency; empty means each
	// payout's own.
	WiseSource affiliate.Currency
	// Requested names the affiliate whose own run of the period
	// (RequestPayout) to write; empty means the program's monthly run.
	Requested affiliate.AffiliateID
}

// runProgram is the key of the runs requested names: the program's, or
// the affiliate's own requests (payout.RequestProgram).
func (p *Program) runProgram(requested affiliate.AffiliateID) string {
	if requested == "" {
		return p.payouts.Program()
	}
	return payout.RequestProgram(p.payouts.Program(), requested)
}

// WritePayoutFile writes the execution file of period's run (or of the
// run f.Requested asked for) for one method: its created payouts whose payee is paid that way, with each
// payee's newest profile. Returns ErrNotFound when the period has no run
// or a payout's affiliate has no profile, and the errors of
// payfile.NewBatch and its writers; nothing is written on an error
// found before the first byte.
func (p *Program) WritePayoutFile(ctx context.Context, period affiliate.Period, f PayoutFile, w io.Writer) error {
	profiles, err := p.profiles()
	if err != nil {
		return err
	}
	run, err := p.cfg.Store.PayoutRun(ctx, p.runProgram(f.Requested), period)
	if err != nil {
		return err
	}
	payees := make(map[affiliate.AffiliateID]affiliate.PayeeProfile)
	for _, po := range run.Payouts {
		if _, done := payees[po.Affiliate]; done || po.Status != affiliate.PayoutCreated {
			continue
		}
		prof, err := profiles.Profile(ctx, po.Affiliate)
		if err != nil {
			return err
		}
		payees[po.Affiliate] = prof
	}
	b, err := payfile.NewBatch(run, payees, f.Method)
	if err != nil {
		return err
	}
	switch f.Method {
	case affiliate.MethodBankTransfer:
		d := f.Debtor
		if d.ExecutionDate.IsZero() {
			d.ExecutionDate = p.payouts.DueAt(period)
		}
		return payfile.WriteSEPA(w, b, d)
	case affiliate.MethodPayPal:
		return payfile.WritePayPal(w, b)
	case affiliate.MethodWise:
		return payfile.WriteWise(w, b, f.WiseSource)
	}
	return &affiliate.FieldError{Field: "PayoutFile.Method", Reason: string(f.Method) + " has no file format: the host pays it its own way"}
}

// ImportPayoutResult reads a result file for period's run (see
// payfile.ParseResult) and marks its payouts paid or failed at
// Config.Now, all or nothing (payfile.Apply).
func (p *Program) ImportPayoutResult(ctx context.Context, period affiliate.Period, r io.Reader) ([]affiliate.Payout, error) {
	return p.importResult(ctx, "", period, r)
}

// ImportRequestResult is ImportPayoutResult for the run affiliate a
// requested for period (RequestPayout; PayoutFile.Requested wrote its
// file).
func (p *Program) ImportRequestResult(ctx context.Context, a affiliate.AffiliateID, period affiliate.Period, r io.Reader) ([]affiliate.Payout, error) {
	if err := affiliate.ValidateID("affiliate", a); err != nil {
		return nil, err
	}
	return p.importResult(ctx, a, period, r)
}

func (p *Program) importResult(ctx context.Context, requested affiliate.AffiliateID, period affiliate.Period, r io.Reader) ([]affiliate.Payout, error) {
	res, err := payfile.ParseResult(r)
	if err != nil {
		return nil, err
	}
	return payfile.Apply(ctx, p.cfg.Store, p.runProgram(requested), period, res, p.cfg.Now())
}

// ImportBankStatus reads the bank's status report on a SEPA file of
// period's run (ISO 20022 pain.002.001.10, see payfile.ParseStatusReport)
// and applies what it settles at Config.Now, all or nothing, through the
// same step as ImportPayoutResult: a completed settlement is paid under
// the bank's reference, a rejection failed with its reason codes, and a
// pending transfer stays created. It returns the report, for its group
// status and pending transfers, and the payouts it settled. A report on
// another run's file is payfile.ErrWrongBatch and changes nothing; the
// same report again is a replay.
func (p *Program) ImportBankStatus(ctx context.Context, period affiliate.Period, r io.Reader) (payfile.StatusReport, []affiliate.Payout, error) {
	return p.importStatus(ctx, "", period, r)
}

// ImportRequestBankStatus is ImportBankStatus for the SEPA file of the
// run affiliate a requested for period.
func (p *Program) ImportRequestBankStatus(ctx context.Context, a affiliate.AffiliateID, period affiliate.Period, r io.Reader) (payfile.StatusReport, []affiliate.Payout, error) {
	if err := affiliate.ValidateID("affiliate", a); err != nil {
		return payfile.StatusReport{}, nil, err
	}
	return p.importStatus(ctx, a, period, r)
}

func (p *Program) importStatus(ctx context.Context, requested affiliate.AffiliateID, period affiliate.Period, r io.Reader) (payfile.StatusReport, []affiliate.Payout, error) {
	rep, err := payfile.ParseStatusReport(r)
	if err != nil {
		return payfile.StatusReport{}, nil, err
	}
	settled, err := payfile.Apply(ctx, p.cfg.Store, p.runProgram(requested), period, rep.Result(), p.cfg.Now())
	if err != nil {
		return payfile.StatusReport{}, nil, err
	}
	return rep, settled, nil
}

// RequestPayout pays affiliate a now, on its request, what it earned
// through the last month that has ended (payout.Runner.Request): the
// minimum applies, the NET schedule does not.
func (p *Program) RequestPayout(ctx context.Context, a affiliate.AffiliateID) (payout.Result, error) {
	now := p.cfg.Now()
	last := affiliate.PeriodOf(now, p.loc).Prev()
	return p.payouts.Request(ctx, a, last, now)
}

// PayoutYear returns affiliate a's totals for a calendar year in the
// program's location, per currency: earned, reversed and paid (the
// figures of a 1099-NEC or an annual statement). See payout.Runner.Year.
func (p *Program) PayoutYear(ctx context.Context, a affiliate.AffiliateID, year int) ([]payout.YearTotal, error) {
	return p.payouts.Year(ctx, a, year, p.loc)
}
