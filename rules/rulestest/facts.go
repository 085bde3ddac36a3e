package rulestest

import (
	"fmt"
	"math"
	"time"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
	"github.com/openaffiliate/affiliate/rules"
)

// defaultHugeMinor is the largest line Check puts on a huge payment:
// sixteen such lines still fit in an int64 of minor units, so a sum of a
// payment's lines never overflows, but a rule that multiplies before it
// divides, or adds a payment to itself many times, does.
const defaultHugeMinor = math.MaxInt64 / 16

// Facts draws facts as the engine hands them to a rule: a valid payment
// (lines of every kind, discounts never above the rest, in any currency),
// its index among the customer's payments, a binding made before it, a
// beneficiary chain of one to o.ChainDepth active affiliates (a referrer,
// its parent, the parent's parent) with a tier each, all of the
// customer's earlier paid payments, up to twelve, a few days to a few
// weeks apart (some partly or fully refunded), and terms with a drawn
// rounding mode. About one payment in eight is a boundary case: the
// smallest amount, a zero base, or a huge amount (see Options.HugeMinor).
//
// Facts.Used (cap usage) is left nil: a cap's keys are its own business.
// Pass Options.Facts to draw it too.
func Facts(o Options) *rapid.Generator[rules.Facts] {
	o = o.withDefaults()
	return rapid.Custom(func(t *rapid.T) rules.Facts {
		cur := affiliatetest.Currency().Draw(t, "currency")
		depth := rapid.IntRange(1, o.ChainDepth).Draw(t, "chain depth")
		chain := make([]affiliate.Affiliate, depth)
		tiers := make([]rules.Tier, depth)
		for i := range chain {
			chain[i] = affiliate.Affiliate{
				ID:                 affiliate.AffiliateID(fmt.Sprintf("aff_%d", i+1)),
				Status:             affiliate.StatusActive,
				Email:              fmt.Sprintf("aff%d@example.com", i+1),
				Codes:              []string{fmt.Sprintf("code%d", i+1)},
				PayoutMethodOnFile: true,
				CreatedAt:          affiliatetest.Epoch,
			}
			if i+1 < depth {
				chain[i].Parent = affiliate.AffiliateID(fmt.Sprintf("aff_%d", i+2))
			}
			tiers[i] = drawTier(t, o)
		}
		// The earlier payments are all the customer's earlier paid ones,
		// oldest first, a few days to a few weeks apart: the engine gives
		// a rule the first HistoryDepth of them, and CheckFacts cuts them
		// to that.
		count := rapid.IntRange(0, 12).Draw(t, "earlier payments")
		first := affiliatetest.Epoch.Add(time.Duration(rapid.Int64Range(0, 90*24*3600).Draw(t, "first paid at")) * time.Second)
		earlier := make([]rules.PaymentFact, 0, count)
		at := first
		for k := range count {
			if k > 0 {
				at = at.Add(time.Duration(rapid.Int64Range(0, 40*24*3600).Draw(t, "days between payments")) * time.Second)
			}
			e := affiliate.Payment{
				ID:       affiliate.EventID(fmt.Sprintf("pay_%02d", k+1)),
				Customer: "cus_1",
				PaidAt:   at,
				Currency: cur,
				Lines:    affiliatetest.Lines(cur).Draw(t, "earlier lines"),
			}
			if !rules.Paid(e) {
				e.Lines = []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(rapid.Int64Range(1, 1e6).Draw(t, "earlier paid"), cur)}}
			}
			total, _ := e.Total()
			refunded := affiliate.Zero(cur)
			if rapid.IntRange(0, 3).Draw(t, "earlier refunded") == 0 {
				refunded = affiliate.MustMoney(rapid.Int64Range(1, total.Minor()).Draw(t, "refunded"), cur)
			}
			earlier = append(earlier, rules.PaymentFact{ID: e.ID, PaidAt: e.PaidAt, Payment: e, Refunded: refunded})
		}
		paidAt := at.Add(time.Duration(rapid.Int64Range(1, 40*24*3600).Draw(t, "paid at")) * time.Second)
		p := affiliate.Payment{
			ID:       affiliate.EventID(fmt.Sprintf("pay_%02d", count+1)),
			Customer: "cus_1",
			PaidAt:   paidAt,
			Currency: cur,
			Country:  rapid.SampledFrom([]string{"", "DE", "FR", "US", "JP"}).Draw(t, "country"),
		}
		switch rapid.IntRange(0, 15).Draw(t, "boundary") {
		case 1:
			p.Lines = []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(1, cur), Plan: "starter"}}
		case 2:
			p.Lines = []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(0, cur), Plan: "trial"}, {Kind: affiliate.LineTax, Amount: affiliate.MustMoney(1, cur)}}
		case 3:
			p.Lines = []affiliate.Line{{Kind: rapid.SampledFrom(affiliate.LineKinds[:6]).Draw(t, "huge kind"), Amount: affiliate.MustMoney(o.HugeMinor, cur), Plan: "enterprise"}}
		default:
			p.Lines = affiliatetest.Lines(cur).Draw(t, "lines")
		}
		firstPaid := paidAt
		if count > 0 {
			firstPaid = first
		}
		boundAt := first.Add(-time.Duration(rapid.Int64Range(0, 89*24*3600).Draw(t, "bound before")) * time.Second)
		return rules.Facts{
			Payment:   p,
			Index:     count,
			PaidIndex: count,
			Binding: affiliate.Binding{
				Customer:  p.Customer,
				Affiliate: chain[0].ID,
				Source:    affiliate.BindByLink,
				Touch:     "tch_1",
				TouchedAt: boundAt.Add(-time.Hour),
				BoundAt:   boundAt,
			},
			Chain:   chain,
			Tiers:   tiers,
			History: rules.History{Count: count, FirstPaidAt: firstPaid, Earlier: earlier},
			Terms: rules.Terms{
				Version:  "v1",
				Rounding: rapid.SampledFrom([]affiliate.RoundingMode{affiliate.HalfEven, affiliate.HalfUp, affiliate.Down}).Draw(t, "rounding"),
			},
		}
	})
}

func drawTier(t *rapid.T, o Options) rules.Tier {
	if len(o.Tiers) > 0 {
		return rapid.SampledFrom(o.Tiers).Draw(t, "tier")
	}
	return rules.Tier{
		Name:      rapid.SampledFrom([]string{"Standard", "Premium"}).Draw(t, "tier name"),
		Rate:      affiliatetest.Rate(o.MaxRate).Draw(t, "tier rate"),
		BonusRate: affiliatetest.Rate(o.MaxRate).Draw(t, "tier bonus rate"),
	}
}

// Boundary returns the fixed cases Check runs before it draws any:
// the smallest payment (one minor unit), a zero base (a free plan with a
// minor unit of tax), a payment discounted to its tax, a huge payment in
// currencies of scale 0, 2, 3 and 4, and an invoice of fifty lines. Each
// has a name for the report ("the smallest payment").
func Boundary(o Options) []Case {
	o = o.withDefaults()
	tier := rules.Tier{Name: "Standard", Rate: o.MaxRate, BonusRate: o.MaxRate}
	if len(o.Tiers) > 0 {
		tier = o.Tiers[len(o.Tiers)-1]
	}
	chain := []affiliate.Affiliate{
		{ID: "aff_1", Parent: "aff_2", Status: affiliate.StatusActive, Codes: []string{"code1"}, CreatedAt: affiliatetest.Epoch},
		{ID: "aff_2", Status: affiliate.StatusActive, Codes: []string{"code2"}, CreatedAt: affiliatetest.Epoch},
	}
	paidAt := affiliatetest.Epoch.AddDate(0, 1, 0)
	facts := func(cur affiliate.Currency, lines ...affiliate.Line) rules.Facts {
		return rules.Facts{
			Payment: affiliate.Payment{ID: "pay_01", Customer: "cus_1", PaidAt: paidAt, Currency: cur, Lines: lines},
			Binding: affiliate.Binding{Customer: "cus_1", Affiliate: "aff_1", Source: affiliate.BindByLink, Touch: "tch_1", TouchedAt: affiliatetest.Epoch, BoundAt: affiliatetest.Epoch},
			Chain:   chain,
			Tiers:   []rules.Tier{tier, tier},
			History: rules.History{FirstPaidAt: paidAt},
			Terms:   rules.Terms{Version: "v1"},
		}
	}
	m := affiliate.MustMoney
	sub := func(minor int64, cur affiliate.Currency) affiliate.Line {
		return affiliate.Line{Kind: affiliate.LineSubscription, Amount: m(minor, cur), Plan: "pro"}
	}
	many := make([]affiliate.Line, 50)
	for i := range many {
		many[i] = affiliate.Line{Kind: affiliate.LineKinds[i%len(affiliate.LineKinds)], Amount: m(int64(i+1)*100, "EUR"), SKU: fmt.Sprintf("sku-%d", i)}
	}
	return []Case{
		{Name: "the smallest payment (0.01 EUR)", Facts: facts("EUR", sub(1, "EUR"))},
		{Name: "the smallest payment in a currency without minor units (1 JPY)", Facts: facts("JPY", sub(1, "JPY"))},
		{Name: "a zero base (a free plan with 0.01 EUR of tax)", Facts: facts("EUR", sub(0, "EUR"), affiliate.Line{Kind: affiliate.LineTax, Amount: m(1, "EUR")})},
		{Name: "a payment discounted down to its tax", Facts: facts("EUR", sub(2000, "EUR"), affiliate.Line{Kind: affiliate.LineDiscount, Amount: m(2000, "EUR")}, affiliate.Line{Kind: affiliate.LineTax, Amount: m(380, "EUR")})},
		{Name: "a huge payment in EUR", Facts: facts("EUR", sub(o.HugeMinor, "EUR"))},
		{Name: "a huge payment in JPY (scale 0)", Facts: facts("JPY", sub(o.HugeMinor, "JPY"))},
		{Name: "a huge payment in KWD (scale 3)", Facts: facts("KWD", sub(o.HugeMinor, "KWD"))},
		{Name: "a huge payment in CLF (scale 4)", Facts: facts("CLF", sub(o.HugeMinor, "CLF"))},
		{Name: "an invoice of fifty lines of every kind", Facts: facts("EUR", many...)},
	}
}

// Case is one named set of facts.
type Case struct {
	Name  string
	Facts rules.Facts
}
