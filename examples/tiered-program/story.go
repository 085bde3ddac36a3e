package main

import (
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
)

// The scripted story: three affiliates in a line, their clicks and
// clients, and what the clients pay.

var affiliates = []affiliate.Affiliate{
	{ID: "ann", Name: "Ann, telephony consultant", Status: affiliate.StatusActive, Email: "ann@callright.eu", Codes: []string{"ann", "ANN-PHONE"}},
	{ID: "bob", Parent: "ann", Name: "Bob, salon software reseller", Status: affiliate.StatusActive, Email: "bob@salonsoft.de", Codes: []string{"bob", "BOB-SALON"}},
	{ID: "cleo", Parent: "bob", Name: "Cleo, hospitality blogger", Status: affiliate.StatusActive, Email: "cleo@eatout.blog", Codes: []string{"cleo"}},
}

// touches are the recorded touches before the signups: link clicks, and
// one code entered on the pricing page (a code used on the way in).
var touches = []attribution.TouchInput{
	{Visitor: "v-harbor", Code: "ann", At: date(2025, time.December, 20)},
	{Visitor: "v-harbor", Code: "bob", At: date(2026, time.January, 3)},
	{Visitor: "v-luna", Code: "cleo", At: date(2025, time.September, 1)},
	{Visitor: "v-luna", Code: "ann", At: date(2025, time.December, 28)},
	{Visitor: "v-cafe", Code: "cleo", At: date(2026, time.January, 2)},
	{Visitor: "v-salon", Code: "BOB-SALON", Source: affiliate.TouchCode, At: date(2026, time.January, 2)},
	{Visitor: "v-salon", Code: "cleo", At: date(2026, time.January, 4)},
}

var signups = []struct {
	attribution.Signup
	note string
}{
	{attribution.Signup{Customer: "harbor", Email: "office@harbordental.eu", Visitor: "v-harbor", At: date(2026, time.January, 5)},
		"Ann's link was clicked first; Bob's later click does not move it"},
	{attribution.Signup{Customer: "luna", Email: "hello@lunabistro.eu", Visitor: "v-luna", At: date(2026, time.January, 6)},
		"Cleo's click is 127 days old, outside the 90-day window; Ann's is inside"},
	{attribution.Signup{Customer: "salon", Email: "info@nordicsalon.se", Visitor: "v-salon", At: date(2026, time.January, 7)},
		"Bob's code, entered on the pricing page, is the first recorded touch; Cleo's later link does not move it"},
	{attribution.Signup{Customer: "cafe", Email: "team@cafeparis.fr", Visitor: "v-cafe", Code: "bob", At: date(2026, time.January, 8)},
		"Cleo's link was clicked first; Bob's code, typed at signup, is a later touch"},
}

var months = []struct {
	period   affiliate.Period
	payments []affiliate.Payment
}{
	{month(time.January), []affiliate.Payment{
		invoice("harbor", time.January, "4000"),
		invoice("luna", time.January, "6000"),
		invoice("salon", time.January, "1000"),
		invoice("cafe", time.January, "200"),
	}},
	{month(time.February), []affiliate.Payment{
		invoice("harbor", time.February, "4000"),
		invoice("luna", time.February, "3000"), // a smaller plan from February
		invoice("salon", time.February, "1000"),
		invoice("cafe", time.February, "200"),
	}},
	{month(time.March), []affiliate.Payment{
		invoice("harbor", time.March, "4000"),
		invoice("luna", time.March, "3000"),
		invoice("salon", time.March, "1000"),
		invoice("cafe", time.March, "200"),
	}},
}

// invoice is a client's monthly invoice for the phone agent.
func invoice(c affiliate.CustomerID, m time.Month, amount string) affiliate.Payment {
	return affiliate.Payment{
		ID: affiliate.EventID("in_" + string(c) + "_" + month(m).String()), Customer: c, PaidAt: date(2026, m, 10), Currency: "EUR",
		Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Plan: "ai-phone-agent", Amount: eur(amount)}},
	}
}

func eur(amount string) affiliate.Money { return affiliate.MustParseMoney(amount, "EUR") }

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 0, 0, 0, time.UTC) }

func month(m time.Month) affiliate.Period {
	return affiliate.Period{Year: 2026, Month: m, Location: time.UTC}
}
