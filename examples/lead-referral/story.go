package main

import (
	"context"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
)

// The scripted story: who applies to be a partner, which leads they
// submit, and what the leads that became customers pay.

var partners = []struct {
	account    affiliate.Affiliate
	website    string
	freelancer bool
}{
	{affiliate.Affiliate{ID: "pia", Name: "Pia Lang, sales consultant", Status: affiliate.StatusActive, Email: "pia@langconsulting.eu"},
		"https://langconsulting.eu", true},
	{affiliate.Affiliate{ID: "otto", Name: "Otto IT Services", Status: affiliate.StatusActive, Email: "otto@otto-it.de", PayoutMethodOnFile: true},
		"https://otto-it.de", false},
	{affiliate.Affiliate{ID: "sam", Name: "Sam", Status: affiliate.StatusActive, Email: "sam.sells@gmail.com"},
		"", false},
}

var leads = []struct {
	attribution.LeadInput
	customer affiliate.CustomerID // set for the leads that become customers
}{
	{lead("lead-northwind", "pia", "Northwind GmbH", "anna@northwind.de", "https://northwind.de", "https://www.linkedin.com/company/northwind-gmbh", false),
		"cus_northwind"},
	{lead("lead-acme", "pia", "Acme Ltd", "tom@acme.co.uk", "https://www.acme.co.uk", "https://www.linkedin.com/company/acme-ltd", false),
		"cus_acme"},
	{lead("lead-bluefjord", "pia", "Blue Fjord AS", "eva@bluefjord.no", "bluefjord.no", "https://www.linkedin.com/company/blue-fjord", false),
		"cus_bluefjord"},
	{lead("lead-jodesign", "pia", "Jo Design", "jo.design@gmail.com", "", "", true), ""},
	{lead("lead-northwind-2", "otto", "Northwind GmbH", "sales@northwind.de", "https://www.northwind.de", "https://www.linkedin.com/company/northwind-gmbh", false), ""},
	{lead("lead-globex", "otto", "Globex Corporation", "cfo@globex.com", "https://globex.com", "", false), ""},
}

// existingCustomers is the host's own customer list, by company domain.
var existingCustomers = directory{"globex.com": true}

var months = []struct {
	period   affiliate.Period
	payments []affiliate.Payment
}{
	{month(time.February), []affiliate.Payment{
		invoice("in_nw_1", "cus_northwind", date(time.February, 2), "EUR", "400", "76"),
		invoice("in_acme_1", "cus_acme", date(time.February, 10), "GBP", "250", "50"),
		invoice("in_bf_1", "cus_bluefjord", date(time.February, 15), "EUR", "300", "75"), // and then leaves
	}},
	{month(time.March), []affiliate.Payment{
		invoice("in_nw_2", "cus_northwind", date(time.March, 2), "EUR", "400", "76"),
		invoice("in_acme_2", "cus_acme", date(time.March, 10), "GBP", "250", "50"),
	}},
	{month(time.April), []affiliate.Payment{
		invoice("in_nw_3", "cus_northwind", date(time.April, 2), "EUR", "400", "76"),
	}},
}

func lead(id affiliate.LeadID, partner affiliate.AffiliateID, company, email, website, linkedIn string, freelancer bool) attribution.LeadInput {
	return attribution.LeadInput{ID: id, Affiliate: partner, Company: company, Email: email, Website: website,
		LinkedIn: linkedIn, Freelancer: freelancer, At: date(time.January, 12)}
}

// invoice is a month of the phone system plus VAT, in cur.
func invoice(id affiliate.EventID, c affiliate.CustomerID, at time.Time, cur, amount, vat string) affiliate.Payment {
	return affiliate.Payment{ID: id, Customer: c, PaidAt: at, Currency: affiliate.Currency(cur), Lines: []affiliate.Line{
		{Kind: affiliate.LineSubscription, Plan: "professional", Amount: affiliate.MustParseMoney(amount, cur)},
		{Kind: affiliate.LineTax, Amount: affiliate.MustParseMoney(vat, cur), Description: "VAT"},
	}}
}

// directory is the host's customer list (attribution.Directory), keyed by
// the customers' company domains.
type directory map[string]bool

func (d directory) CustomerExisted(_ context.Context, _ affiliate.CustomerID, email string) (bool, error) {
	_, domain, _ := strings.Cut(email, "@")
	return d[domain], nil
}

func (d directory) DomainIsCustomer(_ context.Context, domain string) (bool, error) {
	return d[domain], nil
}

func date(m time.Month, d int) time.Time { return time.Date(2026, m, d, 9, 0, 0, 0, time.UTC) }

func month(m time.Month) affiliate.Period {
	return affiliate.Period{Year: 2026, Month: m, Location: time.UTC}
}
