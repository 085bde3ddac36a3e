package commission_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
)

// Seed 001: 30% of every payment a referred customer makes, for life.
func TestSeed001LifetimeRevenueShare(t *testing.T) {
	const usd = affiliate.Currency("USD")
	revShare := rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("30")}
	tests := []struct {
		name  string
		lines []affiliate.Line
		want  string // the commission
	}{
		{"pay as you go subscription", []affiliate.Line{line(affiliate.LineSubscription, "20", usd)}, "6.00 USD"},
		{"whitelabel add-on", []affiliate.Line{line(affiliate.LineAddOn, "200", usd)}, "60.00 USD"},
		{"subscription and add-on", []affiliate.Line{line(affiliate.LineSubscription, "20", usd), line(affiliate.LineAddOn, "200", usd)}, "66.00 USD"},
		{"credit purchase", []affiliate.Line{line(affiliate.LineCredits, "50", usd)}, "15.00 USD"},
		{"enterprise plan", []affiliate.Line{line(affiliate.LineSubscription, "1000", usd)}, "300.00 USD"},
		{"tax and shipping earn nothing", []affiliate.Line{line(affiliate.LineSubscription, "20", usd), line(affiliate.LineTax, "4", usd), line(affiliate.LineShipping, "5", usd)}, "6.00 USD"},
		{"a discount reduces the base", []affiliate.Line{line(affiliate.LineSubscription, "20", usd), line(affiliate.LineDiscount, "5", usd)}, "4.50 USD"},
		{"odd cents round half-even", []affiliate.Line{line(affiliate.LineSubscription, "0.05", usd)}, "0.02 USD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, commission.Config{Terms: terms(revShare)}, aff("a1", ""))
			f.bind("c1", "a1", jan15)
			res := f.record(pay("p1", "c1", jan15, usd, tt.lines...))
			if len(res.Entries) != 1 || res.Entries[0].Amount.String() != tt.want || res.Entries[0].Kind != affiliate.KindCommission {
				t.Fatalf("entries = %s, want one commission of %s", amounts(res.Entries), tt.want)
			}
		})
	}

	t.Run("$6 + $60 every month, for as long as the customer pays", func(t *testing.T) {
		// Split per line kind so the statement shows the two amounts.
		split := rules.AllOf{
			rules.Percent{Name: "subscription_share", Rate: affiliate.MustPercent("30"), Lines: rules.Lines{Kinds: []affiliate.LineKind{affiliate.LineSubscription}}},
			rules.Percent{Name: "add_on_share", Rate: affiliate.MustPercent("30"), Lines: rules.Lines{Kinds: []affiliate.LineKind{affiliate.LineAddOn}}},
		}
		f := newFixture(t, commission.Config{Terms: terms(split)}, aff("a1", ""))
		f.bind("c1", "a1", jan15)
		for m := range 36 {
			res := f.record(pay("p"+seq(m), "c1", month(m), usd, line(affiliate.LineSubscription, "20", usd), line(affiliate.LineAddOn, "200", usd)))
			if got := amounts(res.Entries); got != "a1 commission 6.00 USD; a1 commission 60.00 USD" {
				t.Fatalf("month %d: %s", m+1, got)
			}
		}
	})
}

// seq is a zero-padded sequence number for IDs that sort in order.
func seq(i int) string { return fmt.Sprintf("%03d", i) }

// Seed 002: 50% of the first two months paid, earned only when the second
// month is paid, in the currency of the lead's invoice.
func TestSeed002DeferredReward(t *testing.T) {
	reward := rules.Deferred{Name: "lead_reward", Rate: affiliate.MustPercent("50"), Payments: 2}
	type step struct {
		ev   affiliate.Event
		want string // entries the event appends
	}
	sub := func(id string, m int, amount string, cur affiliate.Currency) affiliate.Payment {
		return pay(id, "c1", month(m), cur, line(affiliate.LineSubscription, amount, cur))
	}
	tests := []struct {
		name    string
		steps   []step
		wantNet []string
	}{
		{
			name: "EUR invoice: nothing at month 1, both halves at month 2, nothing after",
			steps: []step{
				{sub("m1", 0, "49", "EUR"), ""},
				{sub("m2", 1, "49", "EUR"), "a1 commission 24.50 EUR; a1 commission 24.50 EUR"},
				{sub("m3", 2, "49", "EUR"), ""},
			},
			wantNet: []string{"a1/m1/commission=24.50 EUR", "a1/m2/commission=24.50 EUR"},
		},
		{
			name: "GBP invoice: the reward is in GBP",
			steps: []step{
				{sub("m1", 0, "40", "GBP"), ""},
				{sub("m2", 1, "40", "GBP"), "a1 commission 20.00 GBP; a1 commission 20.00 GBP"},
			},
			wantNet: []string{"a1/m1/commission=20.00 GBP", "a1/m2/commission=20.00 GBP"},
		},
		{
			name: "a trial invoice of tax only does not use up a month",
			steps: []step{
				{pay("t0", "c1", month(0), "EUR", line(affiliate.LineTax, "1", "EUR")), ""},
				{sub("m1", 1, "49", "EUR"), ""},
				{sub("m2", 2, "59", "EUR"), "a1 commission 24.50 EUR; a1 commission 29.50 EUR"},
			},
			wantNet: []string{"a1/m1/commission=24.50 EUR", "a1/m2/commission=29.50 EUR"},
		},
		{
			name:  "the customer pays one month and leaves: no reward",
			steps: []step{{sub("m1", 0, "49", "EUR"), ""}},
		},
		{
			// Decision: a refund of a counted month takes back that month's
			// share of the reward, pro rata, and leaves the other month's.
			name: "a full refund of month 1 after the reward takes back its half",
			steps: []step{
				{sub("m1", 0, "49", "EUR"), ""},
				{sub("m2", 1, "49", "EUR"), "a1 commission 24.50 EUR; a1 commission 24.50 EUR"},
				{refund("r1", "m1", "c1", month(1).AddDate(0, 0, 3), "", ""), "a1 reversal -24.50 EUR"},
			},
			wantNet: []string{"a1/m2/commission=24.50 EUR"},
		},
		{
			name: "a partial refund of month 2 takes back its share pro rata",
			steps: []step{
				{sub("m1", 0, "49", "EUR"), ""},
				{sub("m2", 1, "49", "EUR"), "a1 commission 24.50 EUR; a1 commission 24.50 EUR"},
				{refund("r2", "m2", "c1", month(1).AddDate(0, 0, 3), "24.50", "EUR"), "a1 reversal -12.25 EUR"},
			},
			wantNet: []string{"a1/m1/commission=24.50 EUR", "a1/m2/commission=12.25 EUR"},
		},
		{
			// A refunded month still counts as one of the first two: the
			// reward is earned at month 2 and month 1's share nets to zero.
			name: "month 1 refunded before month 2 is paid",
			steps: []step{
				{sub("m1", 0, "49", "EUR"), ""},
				{refund("r1", "m1", "c1", month(0).AddDate(0, 0, 3), "", ""), ""},
				{sub("m2", 1, "49", "EUR"), "a1 commission 24.50 EUR; a1 reversal -24.50 EUR; a1 commission 24.50 EUR"},
			},
			wantNet: []string{"a1/m2/commission=24.50 EUR"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, commission.Config{Terms: terms(reward)}, aff("a1", ""))
			f.bind("c1", "a1", jan15)
			for _, s := range tt.steps {
				if got := amounts(f.record(s.ev).Entries); got != s.want {
					t.Errorf("%s: entries %q, want %q", s.ev.EventID(), got, s.want)
				}
			}
			if got := netStrings(netOf(f.entries("c1"))); !equalStrings(got, tt.wantNet) {
				t.Errorf("net ledger %q, want %q", got, tt.wantNet)
			}
		})
	}
}

// Seed 000: a sub-affiliate's customer gives the sub its tier rate and the
// direct parent 5% of the revenue; nothing goes to the grandparent.
func TestSeed000TieredWithSubAffiliates(t *testing.T) {
	standard := rules.Tier{Name: "Standard", Rate: affiliate.MustPercent("15"), BonusRate: affiliate.MustPercent("5")}
	premium := rules.Tier{Name: "Premium", Rate: affiliate.MustPercent("20"), BonusRate: affiliate.MustPercent("5")}
	tierOf := map[affiliate.AffiliateID]rules.Tier{"grand": premium, "parent": premium, "sub": standard}
	program := rules.AllOf{rules.TierRate{}, rules.SubAffiliateBonus{}}
	cfg := commission.Config{
		Terms: terms(program),
		Tiers: commission.TierSourceFunc(func(_ context.Context, a affiliate.AffiliateID, _ affiliate.Payment) (rules.Tier, error) {
			return tierOf[a], nil
		}),
	}
	tests := []struct {
		name     string
		referrer string
		amount   string
		want     []string // beneficiary kind amount tier rate base
	}{
		{"the sub's customer", "sub", "100", []string{
			"sub commission 15.00 EUR tier=Standard rate=0.15 base=100.00 EUR",
			"parent sub_affiliate_bonus 5.00 EUR tier=Premium rate=0.05 base=100.00 EUR",
		}},
		{"the parent's own customer: the parent's tier, and the grandparent is its direct parent", "parent", "200", []string{
			"parent commission 40.00 EUR tier=Premium rate=0.2 base=200.00 EUR",
			"grand sub_affiliate_bonus 10.00 EUR tier=Premium rate=0.05 base=200.00 EUR",
		}},
		{"a top-level affiliate's customer: no bonus", "grand", "99.99", []string{
			"grand commission 20.00 EUR tier=Premium rate=0.2 base=99.99 EUR",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, cfg, aff("grand", ""), aff("parent", "grand"), aff("sub", "parent"))
			f.bind("c1", tt.referrer, jan15)
			for m := range 3 { // recurring, for as long as the client pays
				res := f.record(pay("p"+seq(m), "c1", month(m), "EUR", line(affiliate.LineSubscription, tt.amount, "EUR")))
				var got []string
				for _, e := range res.Entries {
					got = append(got, fmt.Sprintf("%s %s %s tier=%s rate=%s base=%s", e.Beneficiary, e.Kind, e.Amount, e.Tier, e.Rate, e.Base))
				}
				if !equalStrings(got, tt.want) {
					t.Fatalf("month %d:\n got %q\nwant %q", m+1, got, tt.want)
				}
			}
		})
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
