package rules_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// The rules as package commission runs them: what the engine loads for a
// rule is what the rule declares.

// engineFor binds customer "c" to "a", whose parent is "p", and returns an
// engine running rule at the Standard tier.
func engineFor(t *testing.T, rule rules.Rule) *commission.Engine {
	t.Helper()
	ctx := context.Background()
	store := memstore.New()
	for _, a := range []affiliate.Affiliate{{ID: "p", Status: affiliate.StatusActive}, {ID: "a", Parent: "p", Status: affiliate.StatusActive}} {
		if err := store.PutAffiliate(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := store.Bind(ctx, affiliate.Binding{Customer: "c", Affiliate: "a", Source: affiliate.BindByLink, BoundAt: day(time.January, 1)}); err != nil {
		t.Fatal(err)
	}
	eng, err := commission.New(commission.Config{Store: store, Tiers: commission.FixedTier(standard), Terms: []commission.TermsVersion{{Version: "v1", Rule: rule}}})
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

func record(t *testing.T, eng *commission.Engine, ev affiliate.Event) string {
	t.Helper()
	res, err := eng.Record(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range res.Entries {
		out = append(out, string(e.Beneficiary)+" "+string(e.Kind)+" "+e.Amount.String()+" on "+string(e.Payment)+" available "+e.AvailableAt.UTC().Format(time.DateOnly))
	}
	return strings.Join(out, "; ")
}

// TestEnginePaysTheBonusThroughAWrapper: issue 12's logged wrapper of seed
// 000's rule still pays the parent's 5%.
func TestEnginePaysTheBonusThroughAWrapper(t *testing.T) {
	eng := engineFor(t, logged{seed000})
	got := record(t, eng, invoice("in_1", day(time.January, 15), "100"))
	want := "a commission 15.00 EUR on in_1 available 2026-01-15; p sub_affiliate_bonus 5.00 EUR on in_1 available 2026-01-15"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestEngineDeferredMonths: seed 002 end to end, refund included.
func TestEngineDeferredMonths(t *testing.T) {
	eng := engineFor(t, rules.Deferred{Name: "lead_reward", Rate: affiliate.MustPercent("50"), Months: 2})
	steps := []struct {
		name string
		ev   affiliate.Event
		want string
	}{
		{"month 1", invoice("jan5", day(time.January, 5), "100"), ""},
		{"month 1 again: still one paying month", invoice("jan20", day(time.January, 20), "50"), ""},
		{"month 2: half of months 1 and 2 so far, available once February has ended", invoice("feb3", day(time.February, 3), "80"),
			"a commission 50.00 EUR on jan5 available 2026-03-01; a commission 25.00 EUR on jan20 available 2026-03-01; a commission 40.00 EUR on feb3 available 2026-03-01"},
		{"a refund of a counted payment takes back its share", affiliate.Refund{ID: "re_1", Payment: "jan20", Customer: "c", RefundedAt: day(time.February, 10), Kind: affiliate.KindRefund, Amount: eur("50")},
			"a reversal -25.00 EUR on jan20 available 2026-02-10"},
		{"month 3 earns nothing", invoice("mar2", day(time.March, 2), "70"), ""},
	}
	for _, s := range steps {
		if got := record(t, eng, s.ev); got != s.want {
			t.Errorf("%s:\n got  %s\n want %s", s.name, got, s.want)
		}
	}
}
