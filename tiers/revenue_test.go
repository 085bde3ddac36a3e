package tiers_test

import (
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/tiers"
)

// TestVATDoesNotReachPremium pins issue 12's "revenue has one definition":
// a month of EUR 8,403.37 of subscriptions plus 19% VAT (10,000.01 paid)
// stays below seed 000's EUR 10,000 Premium threshold under every policy,
// because tax is not the host's revenue. Before the fix the metric counted
// the payment's total and Ann reached Premium.
func TestVATDoesNotReachPremium(t *testing.T) {
	for _, policy := range []tiers.Policy{tiers.Retroactive, tiers.Immediate, tiers.NextPeriod} {
		t.Run(policy.String(), func(t *testing.T) {
			w := newEngineWorld(t, tiers.Config{Policy: policy})
			w.bind("ca", "ann", "")
			p := payment("pa", "ca", day(time.January, 5), eur("8403.37"))
			p.Lines = append(p.Lines, affiliate.Line{Kind: affiliate.LineTax, Amount: eur("1596.64")})
			if total, _ := p.Total(); total.String() != "10000.01 EUR" {
				t.Fatalf("the payment's total is %s", total)
			}
			es := must[[]affiliate.Entry](t)(w.pay(p))
			if got := amounts(es); got != "pa commission +1260.51" {
				t.Fatalf("priced %s, want 15%% of 8,403.37", got)
			}
			res := w.close(time.January, 0)
			if len(res.Entries) != 0 {
				t.Fatalf("the close appended %s: the VAT lifted Ann to Premium", amounts(res.Entries))
			}
			if got := w.net("ann", "pa").AmountString(); got != "1260.51" {
				t.Fatalf("Ann nets %s on pa, want 1260.51 (Standard)", got)
			}
		})
	}
}
