package main

import (
	"context"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/program"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage/memstore"
	"github.com/openaffiliate/affiliate/tiers"
)

// demo is the quickstart's program and story (examples/quickstart): Ann
// and her sub-affiliate Ben, three customers, January to March 2026 with
// a refund, a tier close and a payout run at each month's end. January's
// and February's payouts are paid; March's wait for a manager to mark
// them paid. Ann has also submitted two leads, one the checks refuse.
type demo struct {
	p      *program.Program
	store  *memstore.Store
	now    time.Time // the clock: April 2, 2026, once the story is told
	emails map[affiliate.CustomerID]string
}

func newDemo() (*demo, error) {
	ctx := context.Background()
	d := &demo{store: memstore.New(), now: date(time.January, 2), emails: map[affiliate.CustomerID]string{}}
	for _, a := range []affiliate.Affiliate{
		{ID: "ann", Status: affiliate.StatusActive, Email: "ann@annreviews.io", Codes: []string{"ann"}},
		{ID: "ben", Parent: "ann", Status: affiliate.StatusActive, Email: "ben@benbuilds.dev", Codes: []string{"ben"}},
	} {
		if err := d.store.PutAffiliate(ctx, a); err != nil {
			return nil, err
		}
	}
	var err error
	d.p, err = program.New(program.Config{
		Store: d.store, Currency: "EUR", Now: func() time.Time { return d.now },
		Terms: []commission.TermsVersion{{Version: "v1", Rule: rules.AllOf{rules.TierRate{}, rules.SubAffiliateBonus{}}}},
		Tiers: program.Tiers{Schedule: tiers.MustSchedule(
			tiers.Tier{Name: "Standard", Rate: affiliate.MustPercent("20"), BonusRate: affiliate.MustPercent("5")},
			tiers.Tier{Name: "Gold", Threshold: tiers.Amount(eur("1000")), Rate: affiliate.MustPercent("25"), BonusRate: affiliate.MustPercent("5")},
		)},
		Payouts: program.Payouts{Minimums: map[affiliate.Currency]affiliate.Money{"EUR": eur("50")}},
		// Manual bonuses wait for the manager's approval.
		Approval: affiliate.ApprovalPolicy{Rules: map[string]affiliate.ApprovalMode{"manual/bonus": affiliate.Manual}},
	})
	if err != nil {
		return nil, err
	}
	for _, v := range []struct {
		visitor     affiliate.VisitorID
		click, code string
		customer    affiliate.CustomerID
		email       string
	}{
		{"v1", "ann", "", "acme", "ops@acme.io"},
		{"v2", "ben", "", "globex", "it@globex.com"},
		{"v3", "", "ANN", "initech", "bill@initech.com"}, // no click: a typed code
	} {
		if v.click != "" {
			if _, err := d.p.Click(ctx, attribution.TouchInput{Visitor: v.visitor, Code: v.click, At: d.now}); err != nil {
				return nil, err
			}
		}
		d.now = d.now.Add(time.Hour)
		if _, err := d.p.Signup(ctx, attribution.Signup{Customer: v.customer, Email: v.email, Code: v.code, Visitor: v.visitor, At: d.now}); err != nil {
			return nil, err
		}
		d.emails[v.customer] = v.email
	}
	for i, m := range months {
		for _, ev := range m.events {
			if _, err := d.p.Record(ctx, ev); err != nil {
				return nil, err
			}
		}
		d.now = m.period.End()
		if _, err := d.p.CloseMonth(ctx, m.period); err != nil {
			return nil, err
		}
		res, err := d.p.RunPayouts(ctx, m.period)
		if err != nil {
			return nil, err
		}
		for _, po := range res.Payouts {
			if i == len(months)-1 {
				break // March's wait for the manager
			}
			if _, err := d.p.SettlePayout(ctx, po.ID, "sepa-"+m.period.String()+"-"+string(po.Affiliate)); err != nil {
				return nil, err
			}
		}
	}
	d.now = date(time.April, 2)
	if _, err := d.p.Adjust(ctx, program.Adjustment{Key: "launch-ben", Kind: commission.AdjustBonus, Affiliate: "ben",
		Amount: eur("40"), Reason: "first month's launch bonus", Actor: "manager", At: d.now}); err != nil {
		return nil, err // held for review: see the manager's review page
	}
	for _, l := range []attribution.LeadInput{
		{Affiliate: "ann", Company: "Hooli", Email: "cto@hooli.com", Website: "https://hooli.com", LinkedIn: "https://www.linkedin.com/company/hooli"},
		{Affiliate: "ann", Company: "Solo Studio", Email: "solo@gmail.com", Freelancer: true},
	} {
		if _, err := d.p.SubmitLead(ctx, l); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// months are the quickstart's billing events: Acme and Globex pay every
// month, Initech pays once and is refunded in February.
var months = []struct {
	period affiliate.Period
	events []affiliate.Event
}{
	{month(time.January), []affiliate.Event{
		invoice("in_acme_jan", "acme", date(time.January, 10), "600"),
		invoice("in_globex_jan", "globex", date(time.January, 12), "200"),
		invoice("in_initech_jan", "initech", date(time.January, 15), "500"),
	}},
	{month(time.February), []affiliate.Event{
		invoice("in_acme_feb", "acme", date(time.February, 10), "600"),
		invoice("in_globex_feb", "globex", date(time.February, 12), "200"),
		affiliate.Refund{ID: "re_initech", Payment: "in_initech_jan", Customer: "initech",
			RefundedAt: date(time.February, 14), Kind: affiliate.KindRefund, Full: true},
	}},
	{month(time.March), []affiliate.Event{
		invoice("in_acme_mar", "acme", date(time.March, 10), "600"),
		invoice("in_globex_mar", "globex", date(time.March, 12), "200"),
	}},
}

func invoice(id affiliate.EventID, c affiliate.CustomerID, at time.Time, amount string) affiliate.Payment {
	return affiliate.Payment{ID: id, Customer: c, PaidAt: at, Currency: "EUR",
		Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Plan: "business", Amount: eur(amount)}}}
}

func eur(amount string) affiliate.Money { return affiliate.MustParseMoney(amount, "EUR") }

func date(m time.Month, d int) time.Time { return time.Date(2026, m, d, 9, 0, 0, 0, time.UTC) }

func month(m time.Month) affiliate.Period {
	return affiliate.Period{Year: 2026, Month: m, Location: time.UTC}
}
