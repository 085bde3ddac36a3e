package main

import (
	"github.com/shopspring/decimal"

	"github.com/openaffiliate/affiliate"
)

// The price list of the simulated vendor. Amounts are minor units of EUR;
// other currencies take a fixed integer ratio of the EUR price, so a plan
// costs the same everywhere up to the exchange rate, and no amount passes
// through a float.

// plan is a subscription plan.
type plan uint8

const (
	planStarter plan = iota
	planPro
	planBusiness
	planEnterprise
	numPlans
)

var planNames = [numPlans]string{"starter", "pro", "business", "enterprise"}

// monthlyEUR is each plan's monthly price in EUR cents; enterprise is
// negotiated per customer (drawn from enterpriseMinEUR to
// enterpriseMaxEUR in steps of 100 EUR).
var monthlyEUR = [numPlans]int64{29_00, 99_00, 299_00, 0}

const (
	enterpriseMinEUR = 800_00
	enterpriseMaxEUR = 5_000_00
	// annualMonths is what a year paid up front costs, in months.
	annualMonths = 10

	whitelabelEUR   = 200_00 // add-on: whitelabel, per month
	extraNumberEUR  = 10_00  // add-on: extra phone number, per number and month
	setupFeeEUR     = 500_00 // one-off, on an enterprise customer's first invoice
	usageMinEUR     = 5_00   // metered minutes billed on the invoice
	usageMaxEUR     = 200_00 //
	discountPercent = 20     // the welcome coupon, on the first invoices' subscription line
	discountMonths  = 3
	vatPercent      = 19 // B2C customers pay VAT, which no commission base counts
)

// creditPacksEUR are the credit top-ups a customer buys between invoices.
var creditPacksEUR = []int64{50_00, 100_00, 250_00}

// currency is one billing currency of the simulation.
type currency struct {
	code affiliate.Currency
	// share is the per-mille of customers billed in it.
	share int
	// priceNum/priceDen turn a EUR price in cents into this currency's
	// minor units.
	priceNum, priceDen int64
	// toEUR is the exchange rate in units of 0.0001 (1 unit of the
	// currency is toEUR/10,000 EUR) around which the monthly rates move
	// by up to drift units.
	toEUR, drift int64
}

// currencies lists the billing currencies; the program's is first.
// JPY (no minor unit) keeps the scale handling honest.
var currencies = []currency{
	{code: "EUR", share: 760, priceNum: 1, priceDen: 1, toEUR: 10_000},
	{code: "USD", share: 150, priceNum: 110, priceDen: 100, toEUR: 9_200, drift: 150},
	{code: "GBP", share: 70, priceNum: 86, priceDen: 100, toEUR: 11_700, drift: 120},
	{code: "JPY", share: 20, priceNum: 160, priceDen: 100, toEUR: 61, drift: 3},
}

const programCurrency = affiliate.Currency("EUR")

// price converts a EUR price in cents into currency c's minor units.
func (c currency) price(eurCents int64) int64 { return eurCents * c.priceNum / c.priceDen }

// rate returns units/10,000 as an exact Rate.
func rate(units int64) affiliate.Rate {
	r, err := affiliate.RateFromDecimal(decimal.New(units, -4))
	if err != nil {
		panic(err) // the catalog's rates are small positive constants
	}
	return r
}
