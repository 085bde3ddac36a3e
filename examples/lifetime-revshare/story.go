package main

import (
	"time"

	"github.com/openaffiliate/affiliate"
)

// The scripted story: who refers whom, and what the referred users pay.

var affiliates = []affiliate.Affiliate{
	{ID: "maya", Name: "Maya, agency blog", Status: affiliate.StatusActive, Email: "maya@mayamedia.io", Codes: []string{"maya"}},
	{ID: "leo", Name: "Leo, YouTube tutorials", Status: affiliate.StatusActive, Email: "leo@leo.tv", Codes: []string{"leo"}},
}

var signups = []struct {
	visitor  affiliate.VisitorID
	code     string // the referral link's code
	customer affiliate.CustomerID
	email    string
	at       time.Time
}{
	{"v-ava", "maya", "ava", "ava@avastudio.com", date(time.January, 3)},
	{"v-dana", "leo", "dana", "dana@danaclinic.de", date(time.January, 4)},
	{"v-carl", "maya", "carl", "carl@carlbuilds.io", date(time.January, 10)}, // never pays
	{"v-bistro", "maya", "bistro", "it@bistrogroup.fr", date(time.February, 20)},
}

var months = []struct {
	period   affiliate.Period
	payments []affiliate.Payment
}{
	{month(time.January), []affiliate.Payment{
		invoice("in_ava_jan", "ava", date(time.January, 5), subscription("payg", "20")),
		invoice("in_dana_jan", "dana", date(time.January, 6), subscription("payg", "20")),
	}},
	{month(time.February), []affiliate.Payment{
		invoice("in_ava_feb", "ava", date(time.February, 5), subscription("payg", "20")),
		invoice("in_dana_feb", "dana", date(time.February, 6), subscription("payg", "20")),
		invoice("in_ava_whitelabel", "ava", date(time.February, 12), addOn("whitelabel", "200")),
		invoice("in_dana_credits", "dana", date(time.February, 18), credits("120"),
			affiliate.Line{Kind: affiliate.LineTax, Amount: usd("9.60"), Description: "sales tax"}),
	}},
	{month(time.March), []affiliate.Payment{
		invoice("in_bistro_mar", "bistro", date(time.March, 1), subscription("enterprise", "1500")),
		invoice("in_ava_mar", "ava", date(time.March, 5), subscription("payg", "20"), addOn("whitelabel", "200")),
		invoice("in_dana_mar", "dana", date(time.March, 6), subscription("payg", "20")),
	}},
}

func invoice(id affiliate.EventID, c affiliate.CustomerID, at time.Time, lines ...affiliate.Line) affiliate.Payment {
	return affiliate.Payment{ID: id, Customer: c, PaidAt: at, Currency: "USD", Lines: lines}
}

func subscription(plan, amount string) affiliate.Line {
	return affiliate.Line{Kind: affiliate.LineSubscription, Plan: plan, Amount: usd(amount), Description: plan + " plan"}
}

func addOn(sku, amount string) affiliate.Line {
	return affiliate.Line{Kind: affiliate.LineAddOn, SKU: sku, Amount: usd(amount), Description: sku + " add-on"}
}

func credits(amount string) affiliate.Line {
	return affiliate.Line{Kind: affiliate.LineCredits, SKU: "credits", Amount: usd(amount), Description: "credits"}
}

func date(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, time.UTC) }

func month(m time.Month) affiliate.Period {
	return affiliate.Period{Year: 2026, Month: m, Location: time.UTC}
}
