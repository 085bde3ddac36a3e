package commission_test

import (
	"slices"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
)

// TestWhyNothingEarned pins one Reason per way a payment earns nothing,
// and the zero Why of a payment that earns.
func TestWhyNothingEarned(t *testing.T) {
	percent := rules.Percent{Rate: affiliate.MustPercent("30")}
	eurBounty := rules.Bounty{Amounts: []affiliate.Money{affiliate.MustParseMoney("50", "EUR")}}
	firstOnly := rules.When{If: rules.FirstPayments(1), Then: percent}
	sub := line(affiliate.LineSubscription, "100", "EUR")
	p1 := pay("p1", "c", jan15, "EUR", sub)
	p2 := pay("p2", "c", month(1), "EUR", sub)
	tests := []struct {
		name    string
		cfg     commission.Config
		status  affiliate.AffiliateStatus
		bind    bool
		expires bool // the binding ends before p2
		events  []affiliate.Event
		want    commission.Reason
		detail  string
	}{
		{"earned", commission.Config{Terms: terms(percent)}, affiliate.StatusActive, true, false,
			[]affiliate.Event{p1}, commission.Earned, ""},
		{"no binding", commission.Config{Terms: terms(percent)}, affiliate.StatusActive, false, false,
			[]affiliate.Event{p1}, commission.NoBinding, `customer "c" is bound to no affiliate`},
		{"binding expired", commission.Config{Terms: terms(percent)}, affiliate.StatusActive, true, true,
			[]affiliate.Event{p1, p2}, commission.BindingExpired, `the binding to "a" ended at 2026-02-01T00:00:00Z`},
		{"affiliate suspended", commission.Config{Terms: terms(percent)}, affiliate.StatusSuspended, true, false,
			[]affiliate.Event{p1}, commission.AffiliateSuspended, `affiliate "a" is suspended`},
		{"terms not in effect", commission.Config{Terms: []commission.TermsVersion{{Version: "v1", From: month(1), Rule: percent}}}, affiliate.StatusActive, true, false,
			[]affiliate.Event{p1}, commission.TermsNotInEffect, "payment at 2026-01-15T10:00:00Z precedes the first terms version, from 2026-02-15T10:00:00Z"},
		{"only tax", commission.Config{Terms: terms(percent)}, affiliate.StatusActive, true, false,
			[]affiliate.Event{pay("p1", "c", jan15, "EUR", line(affiliate.LineTax, "19", "EUR"))}, commission.NoRevenue, `nothing in payment "p1" counts as revenue`},
		{"currency not convertible", commission.Config{Terms: terms(eurBounty), Currency: "EUR"}, affiliate.StatusActive, true, false,
			[]affiliate.Event{pay("p1", "c", jan15, "USD", line(affiliate.LineSubscription, "100", "USD"))}, commission.NotConvertible, `payment "p1" is in USD with no conversion to EUR`},
		{"condition not met", commission.Config{Terms: terms(firstOnly)}, affiliate.StatusActive, true, false,
			[]affiliate.Event{p1, p2}, commission.ConditionNotMet, `the rule of terms "v1" accrued nothing on payment "p2"`},
		// Its 0.00 entry at the tier is kept for Retier, but earns nothing.
		{"rounds to zero at the tier", commission.Config{Terms: terms(rules.TierRate{}), Tiers: commission.FixedTier(rules.Tier{Name: "Standard", Rate: affiliate.MustPercent("15")})},
			affiliate.StatusActive, true, false, []affiliate.Event{pay("p1", "c", jan15, "EUR", line(affiliate.LineSubscription, "0.03", "EUR"))},
			commission.ConditionNotMet, `the rule of terms "v1" accrued nothing on payment "p1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := aff("a", "")
			a.Status = tt.status
			f := newFixture(t, tt.cfg, a)
			if tt.bind {
				b := affiliate.Binding{Customer: "c", Affiliate: "a", Source: affiliate.BindByManual, BoundAt: jan15.AddDate(0, 0, -1)}
				if tt.expires {
					b.ExpiresAt = month(1).AddDate(0, 0, -14).Truncate(24 * 60 * 60 * 1e9)
				}
				if _, err := f.store.Bind(f.ctx, b); err != nil {
					t.Fatal(err)
				}
			}
			var res commission.Result
			for _, ev := range tt.events {
				res = f.record(ev)
			}
			want := commission.Why{Reason: tt.want, Detail: tt.detail}
			if res.Why != want {
				t.Fatalf("Why = %q, want %q", res.Why, want)
			}
			earned := slices.ContainsFunc(res.Entries, func(e affiliate.Entry) bool { return e.Amount.Sign() > 0 })
			if earned != (tt.want == commission.Earned) {
				t.Fatalf("entries %s with Why %q", amounts(res.Entries), res.Why)
			}
		})
	}
}

func TestReasonString(t *testing.T) {
	for r, want := range map[commission.Reason]string{commission.Earned: "earned", commission.ConditionNotMet: "condition not met", 99: "reason(99)"} {
		if got := r.String(); got != want {
			t.Errorf("Reason(%d).String() = %q, want %q", r, got, want)
		}
	}
}
