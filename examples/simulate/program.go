package main

import (
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage/memstore"
	"github.com/openaffiliate/affiliate/tiers"
)

// The seed 000 program, as the simulation runs it.
var (
	standardRate = affiliate.MustPercent("15")
	premiumRate  = affiliate.MustPercent("20")
	bonusRate    = affiliate.MustPercent("5")
	// premiumThreshold is the stated example value for seed 000's
	// "monthly generated client revenue" threshold.
	premiumThreshold = affiliate.MustParseMoney("10000", "EUR")

	schedule = tiers.MustSchedule(
		tiers.Tier{Name: "Standard", Rate: standardRate, BonusRate: bonusRate},
		tiers.Tier{Name: "Premium", Threshold: tiers.Amount(premiumThreshold), Rate: premiumRate, BonusRate: bonusRate},
	)

	// payoutMinimums: EUR 50 as seed 000 says; the other billing
	// currencies get a stated example value of about the same worth.
	payoutMinimums = map[affiliate.Currency]affiliate.Money{
		"EUR": affiliate.MustParseMoney("50", "EUR"),
		"USD": affiliate.MustParseMoney("55", "USD"),
		"GBP": affiliate.MustParseMoney("45", "GBP"),
		"JPY": affiliate.MustParseMoney("8000", "JPY"),
	}
)

const termsVersion = "seed000-v1"

// program is the store and the three shells over it.
type program struct {
	store  *memstore.Store
	engine *commission.Engine
	tiers  *tiers.Program
	payout *payout.Runner
}

// newProgram configures seed 000 on a fresh memstore: the tier rate
// (Standard 15%, Premium 20% from EUR 10,000 of monthly revenue, decided
// for the next month) on every payment's default base, the 5% bonus to
// the direct parent, entries held for hold, and monthly payouts from
// EUR 50 to affiliates with a payout method on file. now is the clock of
// the shells that need one; the simulation sets it to its own time.
func newProgram(hold time.Duration, now func() time.Time) (*program, error) {
	st := memstore.New()
	tp, err := tiers.New(tiers.Config{Store: st, Schedule: schedule, Metric: tiers.Revenue, Policy: tiers.NextPeriod, Currency: programCurrency, Location: time.UTC})
	if err != nil {
		return nil, err
	}
	eng, err := commission.New(commission.Config{
		Store: st,
		Terms: []commission.TermsVersion{{
			Version: termsVersion,
			Rule:    rules.AllOf{rules.TierRate{Name: "tier_rate"}, rules.SubAffiliateBonus{}},
			Hold:    hold,
		}},
		Tiers:             tp,
		Currency:          programCurrency,
		RequireConversion: true,
		Location:          time.UTC,
		Now:               now,
	})
	if err != nil {
		return nil, err
	}
	run, err := payout.New(payout.Config{
		Policy: payout.Policy{Minimums: payoutMinimums},
		Checks: []payout.Check{payout.ActiveAffiliate(), payout.PayoutMethodOnFile()},
		Store:  st,

		Now: now,
	})
	if err != nil {
		return nil, err
	}
	return &program{store: st, engine: eng, tiers: tp, payout: run}, nil
}
