package program

import (
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/report"
	"github.com/openaffiliate/affiliate/tiers"
)

// Store is everything the shells of a program keep: the union of their
// store interfaces. memstore.Store and sqlstore.Store implement it.
type Store interface {
	commission.Store
	tiers.Store
	payout.Store
	report.Store
	attribution.Store
	attribution.LeadStore
}

// Program runs one affiliate program over one store. It is safe for
// concurrent use, as each shell it holds is.
type Program struct {
	cfg        Config
	loc        *time.Location
	tracker    *attribution.Tracker
	middleware *attribution.Middleware // nil without cookie keys
	tiers      *tiers.Program          // nil without a tier schedule
	engine     *commission.Engine
	payouts    *payout.Runner
	reports    *report.Reporter
}

// New validates cfg and builds the program's shells over cfg.Store.
// Errors are *affiliate.FieldError values (matching affiliate.ErrInvalid)
// naming the field of Config at fault, such as "Config.Tiers.KeepFor".
func New(cfg Config) (*Program, error) {
	switch {
	case cfg.Store == nil:
		return nil, &affiliate.FieldError{Field: "Config.Store", Reason: "missing"}
	case cfg.Currency != "" && cfg.Currency.Validate() != nil:
		return nil, &affiliate.FieldError{Field: "Config.Currency", Reason: "not a known currency", Err: affiliate.ErrUnknownCurrency}
	case cfg.Tiers.Schedule.Len() > 0 && cfg.Tiers.Metric == tiers.Revenue && cfg.Currency == "":
		return nil, &affiliate.FieldError{Field: "Config.Currency", Reason: "missing: revenue tiers are decided in the program's currency", Err: affiliate.ErrUnknownCurrency}
	case affiliate.CheckDuration("", cfg.Payouts.Hold) != nil:
		return nil, affiliate.CheckDuration("Config.Payouts.Hold", cfg.Payouts.Hold)
	}
	if err := cfg.Revenue.Validate(); err != nil {
		return nil, renamed(err, "Config", "Revenue.", "Config.Revenue.")
	}
	if err := cfg.Approval.Validate(); err != nil {
		return nil, renamed(err, "Config", "ApprovalPolicy.", "Config.Approval.")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	p := &Program{cfg: cfg, loc: cfg.Location}
	if p.loc == nil {
		p.loc = time.UTC
	}
	// Every use of the shells' constructors is below, so that a change to
	// one of them changes this function only.
	s, a := cfg.Store, cfg.Attribution
	var err error
	p.tracker, err = attribution.New(attribution.Config{
		Store: s, Directory: a.Directory, Window: a.Window, Policy: a.Policy, BindingTTL: a.BindingTTL, TouchDedupe: a.TouchDedupe,
		Checks: a.Checks, LeadChecks: a.LeadChecks, PartnerChecks: a.PartnerChecks,
		FreeMail: a.FreeMail, HoldSameDomain: a.HoldSameDomain, Observer: a.Observer, Now: cfg.Now,
	})
	if err != nil {
		return nil, renamed(err, "Config.Attribution", "Config.", "Config.Attribution.", "Policy.", "Config.Attribution.Policy.")
	}
	if len(a.Keys) > 0 {
		p.middleware, err = attribution.NewMiddleware(p.tracker, attribution.MiddlewareConfig{
			Keys: a.Keys, Param: a.Param, Cookie: a.Cookie, OnError: a.OnError,
		})
		if err != nil {
			return nil, renamed(err, "Config.Attribution", "CodecConfig.", "Config.Attribution.", "CookieConfig.", "Config.Attribution.Cookie.")
		}
	}
	var tierSource commission.TierSource // a nil interface, not a nil *tiers.Program
	if cfg.Tiers.Schedule.Len() > 0 {
		t := cfg.Tiers
		p.tiers, err = tiers.New(tiers.Config{
			Store: s, Schedule: t.Schedule, Metric: t.Metric, Policy: t.Policy, KeepFor: t.KeepFor,
			Currency: cfg.Currency, Revenue: cfg.Revenue, Location: p.loc,
		})
		if err != nil {
			return nil, renamed(err, "Config.Tiers", "Config.", "Config.Tiers.")
		}
		tierSource = p.tiers
	}
	terms := make([]commission.TermsVersion, len(cfg.Terms))
	for i, t := range cfg.Terms {
		if t.Hold == 0 {
			t.Hold = cfg.Payouts.Hold
		}
		terms[i] = t
	}
	p.engine, err = commission.New(commission.Config{
		Store: s, Terms: terms, Tiers: tierSource, Currency: cfg.Currency, Revenue: cfg.Revenue, Location: p.loc, Now: cfg.Now,
	})
	if err != nil {
		return nil, renamed(err, "Config", "Config.", "Config.")
	}
	po := cfg.Payouts
	p.payouts, err = payout.New(payout.Config{
		Policy: payout.Policy{Minimums: po.Minimums, Overrides: po.Overrides}, Checks: po.Checks,
		Caps: po.Caps, Schedule: po.Schedule,
		Approval: approval(cfg), Store: s, Now: cfg.Now,
	})
	if err != nil {
		return nil, renamed(err, "Config.Payouts", "Config.", "Config.Payouts.", "Policy.", "Config.Payouts.")
	}
	p.reports, err = report.New(report.Config{Store: s, Now: cfg.Now})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Month returns the calendar month year-m in the program's location, the
// form CloseMonth, RunPayouts and the reports expect.
func (p *Program) Month(year int, m time.Month) affiliate.Period {
	return affiliate.Period{Year: year, Month: m, Location: p.loc}
}

// The shells, for what the program's methods do not cover. They share the
// program's store and clock.

// Store returns the program's store.
func (p *Program) Store() Store { return p.cfg.Store }

// Tracker returns the attribution shell. Bindings made through it do not
// re-price earlier payments: call Signup, or Engine().Recompute.
func (p *Program) Tracker() *attribution.Tracker { return p.tracker }

// Middleware returns the referral middleware, or nil when
// Config.Attribution.Keys is empty.
func (p *Program) Middleware() *attribution.Middleware { return p.middleware }

// Engine returns the commission engine, the only writer of the ledger.
func (p *Program) Engine() *commission.Engine { return p.engine }

// Tiers returns the tier program, or nil when Config.Tiers.Schedule is
// empty.
func (p *Program) Tiers() *tiers.Program { return p.tiers }

// Payouts returns the payout runner.
func (p *Program) Payouts() *payout.Runner { return p.payouts }

// Reports returns the dashboard reporter.
func (p *Program) Reports() *report.Reporter { return p.reports }
