package affiliatetest

import (
	"fmt"
	"time"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
)

// Epoch is where generated time starts: 2026-01-01 00:00 UTC. Generated
// times are whole seconds after it, so they survive every store's time
// encoding and shrink toward it.
var Epoch = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

// earningKinds are the line kinds a program may pay commission on; tax,
// shipping and discounts are drawn separately because their amounts are
// constrained by the others.
var earningKinds = []affiliate.LineKind{
	affiliate.LineSubscription, affiliate.LineAddOn, affiliate.LineCredits,
	affiliate.LineUsage, affiliate.LineOneTime, affiliate.LineSetupFee,
}

// catalog gives each earning kind the plans or SKUs a rule condition may
// test, so generated invoices exercise plan and SKU conditions.
var catalog = map[affiliate.LineKind][]string{
	affiliate.LineSubscription: {"starter", "pro", "enterprise"},
	affiliate.LineAddOn:        {"whitelabel", "extra-seats"},
	affiliate.LineCredits:      {"credits-1000", "credits-10000"},
	affiliate.LineUsage:        {"minutes"},
	affiliate.LineOneTime:      {"onboarding"},
	affiliate.LineSetupFee:     {"setup"},
}

// Lines draws the lines of one valid invoice in c: one to four earning
// lines (subscription, add-on, credits, usage, one-time, setup fee) with
// the first one positive, then maybe a discount, a tax line and a shipping
// line. Each line is at most a hundredth of MaxMinor(c) (ten thousand
// major units).
//
// The discount never exceeds the earning lines, so a base made of earning
// lines minus discounts is never negative, and the invoice total is always
// above zero, so the lines pass affiliate.Payment.Validate.
func Lines(c affiliate.Currency) *rapid.Generator[[]affiliate.Line] {
	return rapid.Custom(func(t *rapid.T) []affiliate.Line {
		lineMax := MaxMinor(c) / 100
		n := rapid.IntRange(1, 4).Draw(t, "earning lines")
		lines := make([]affiliate.Line, 0, n+3)
		var earning int64
		for i := range n {
			kind := rapid.SampledFrom(earningKinds).Draw(t, "kind")
			minMinor := int64(0)
			if i == 0 {
				minMinor = 1
			}
			amount := rapid.Int64Range(minMinor, lineMax).Draw(t, "amount")
			earning += amount
			lines = append(lines, line(t, kind, amount, c))
		}
		var extra int64
		var tail []affiliate.Line
		if rapid.Bool().Draw(t, "tax") {
			amount := rapid.Int64Range(0, lineMax/4).Draw(t, "tax amount")
			extra += amount
			tail = append(tail, affiliate.Line{Kind: affiliate.LineTax, Amount: affiliate.MustMoney(amount, c), Description: "VAT"})
		}
		if rapid.IntRange(0, 3).Draw(t, "shipping") == 0 {
			amount := rapid.Int64Range(0, lineMax/20).Draw(t, "shipping amount")
			extra += amount
			tail = append(tail, affiliate.Line{Kind: affiliate.LineShipping, Amount: affiliate.MustMoney(amount, c), Description: "shipping"})
		}
		if rapid.Bool().Draw(t, "discount") {
			maxDiscount := earning
			if extra == 0 {
				maxDiscount-- // keep the total above zero
			}
			amount := rapid.Int64Range(0, maxDiscount).Draw(t, "discount amount")
			lines = append(lines, affiliate.Line{Kind: affiliate.LineDiscount, Amount: affiliate.MustMoney(amount, c), Description: "coupon"})
		}
		return append(lines, tail...)
	})
}

func line(t *rapid.T, kind affiliate.LineKind, minor int64, c affiliate.Currency) affiliate.Line {
	name := rapid.SampledFrom(catalog[kind]).Draw(t, "plan or sku")
	l := affiliate.Line{Kind: kind, Amount: affiliate.MustMoney(minor, c), Description: string(kind) + " " + name}
	if kind == affiliate.LineSubscription {
		l.Plan = name
	} else {
		l.SKU = name
	}
	return l
}

// Payment draws one valid payment (it passes Validate) of customer in c,
// paid within a year after Epoch. An empty customer draws one, and an
// empty currency draws one with Currency. IDs are drawn at random, so two
// payments drawn in one test may, rarely, share an ID; History numbers
// its IDs instead.
func Payment(customer affiliate.CustomerID, c affiliate.Currency) *rapid.Generator[affiliate.Payment] {
	return rapid.Custom(func(t *rapid.T) affiliate.Payment {
		cus, cur := customer, c
		if cus == "" {
			cus = affiliate.CustomerID(rapid.StringMatching(`cus_[a-z0-9]{6}`).Draw(t, "customer"))
		}
		if cur == "" {
			cur = Currency().Draw(t, "currency")
		}
		return affiliate.Payment{
			ID:       affiliate.EventID(rapid.StringMatching(`pay_[a-z0-9]{10}`).Draw(t, "id")),
			Customer: cus,
			PaidAt:   Epoch.Add(time.Duration(rapid.Int64Range(0, 365*24*3600).Draw(t, "paid at")) * time.Second),
			Currency: cur,
			Lines:    Lines(cur).Draw(t, "lines"),
		}
	})
}

// Refunds draws up to three refunds of p, in time order, that together
// never return more than p's total: partial refunds of at least one minor
// unit each, and possibly a final full refund of whatever remains (once
// nothing remains, no further refund is drawn). Refund IDs are p.ID with
// "-r1", "-r2"… appended; about one in five is a chargeback. Each comes
// between an hour and sixty days after the one before (or after p).
func Refunds(p affiliate.Payment) *rapid.Generator[[]affiliate.Refund] {
	return rapid.Custom(func(t *rapid.T) []affiliate.Refund {
		total, err := p.Total()
		if err != nil || total.Sign() <= 0 {
			panic(fmt.Sprintf("affiliatetest.Refunds: payment %s is not valid: total %v, %v", p.ID, total, err))
		}
		remaining := total.Minor()
		at := p.PaidAt
		n := rapid.IntRange(0, 3).Draw(t, "refunds")
		var out []affiliate.Refund
		for i := range n {
			if remaining == 0 {
				break
			}
			at = at.Add(time.Duration(rapid.Int64Range(3600, 60*24*3600).Draw(t, "refund delay")) * time.Second)
			r := affiliate.Refund{
				ID:         affiliate.EventID(fmt.Sprintf("%s-r%d", p.ID, i+1)),
				Payment:    p.ID,
				Customer:   p.Customer,
				RefundedAt: at,
				Kind:       affiliate.KindRefund,
			}
			if rapid.IntRange(0, 4).Draw(t, "chargeback") == 0 {
				r.Kind = affiliate.KindChargeback
			}
			if rapid.IntRange(0, 2).Draw(t, "full") == 0 {
				r.Full = true
				remaining = 0
			} else {
				amount := rapid.Int64Range(1, remaining).Draw(t, "refund amount")
				remaining -= amount
				r.Amount = affiliate.MustMoney(amount, p.Currency)
			}
			out = append(out, r)
		}
		return out
	})
}

// Refund draws one refund of p, full or partial, never more than p's
// total, between an hour and sixty days after p.
func Refund(p affiliate.Payment) *rapid.Generator[affiliate.Refund] {
	return rapid.Custom(func(t *rapid.T) affiliate.Refund {
		total, err := p.Total()
		if err != nil || total.Sign() <= 0 {
			panic(fmt.Sprintf("affiliatetest.Refund: payment %s is not valid: total %v, %v", p.ID, total, err))
		}
		r := affiliate.Refund{
			ID:         affiliate.EventID(string(p.ID) + "-r1"),
			Payment:    p.ID,
			Customer:   p.Customer,
			RefundedAt: p.PaidAt.Add(time.Duration(rapid.Int64Range(3600, 60*24*3600).Draw(t, "refund delay")) * time.Second),
			Kind:       rapid.SampledFrom([]affiliate.RefundKind{affiliate.KindRefund, affiliate.KindChargeback}).Draw(t, "kind"),
		}
		if rapid.Bool().Draw(t, "full") {
			r.Full = true
		} else {
			r.Amount = affiliate.MustMoney(rapid.Int64Range(1, total.Minor()).Draw(t, "refund amount"), p.Currency)
		}
		return r
	})
}
