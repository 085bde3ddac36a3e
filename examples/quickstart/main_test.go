package main

import (
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
)

func TestRun(t *testing.T) {
	got, err := run(io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	wantReferrers := map[affiliate.CustomerID]affiliate.AffiliateID{"acme": "ann", "globex": "ben", "initech": "ann"}
	if diff := cmp.Diff(wantReferrers, got.Referrers); diff != "" {
		t.Errorf("referrers (-want +got):\n%s", diff)
	}
	wantEarned := map[key]affiliate.Money{
		{"2026-01", "ann"}: eur("230"), // 20% of 600 and 500, and 5% of Ben's 200
		{"2026-01", "ben"}: eur("40"),
		{"2026-02", "ann"}: eur("60"), // Gold: 25% of 600, 5% of 200, less the refunded 100
		{"2026-02", "ben"}: eur("40"),
		{"2026-03", "ann"}: eur("130"), // February's 100 net puts Ann back at Standard
		{"2026-03", "ben"}: eur("40"),
	}
	if diff := cmp.Diff(wantEarned, got.Earned); diff != "" {
		t.Errorf("earned (-want +got):\n%s", diff)
	}
	wantPaid := map[key]affiliate.Money{
		{"2026-01", "ann"}: eur("230"),
		{"2026-02", "ann"}: eur("60"), {"2026-02", "ben"}: eur("80"), // Ben's January 40 was carried
		{"2026-03", "ann"}: eur("130"),
	}
	if diff := cmp.Diff(wantPaid, got.Paid); diff != "" {
		t.Errorf("paid (-want +got):\n%s", diff)
	}

	st := got.Statement
	for _, c := range []struct {
		name      string
		got, want affiliate.Money
	}{
		{"opening", st.Opening, eur("0")},
		{"earned", st.EarnedTotal, eur("160")},
		{"reversed", st.Reversed, eur("-100")},
		{"paid", st.Paid, eur("60")},
		{"closing", st.Closing, eur("0")},
	} {
		if c.got != c.want {
			t.Errorf("February statement: %s = %s, want %s", c.name, c.got, c.want)
		}
	}

	d := got.Dashboard
	// Ann's touches: acme's click and the code initech typed at signup.
	if d.Touches != 2 || d.Signups != 2 || d.Conversions != 2 || d.TouchToSignup.Over() || len(d.Notes) != 0 {
		t.Errorf("dashboard: %d touches, %d signups (%s), %d conversions, notes %q; want 2, 2 (100%%), 2, none",
			d.Touches, d.Signups, d.TouchToSignup, d.Conversions, d.Notes)
	}
	if len(d.Currencies) != 1 || d.Currencies[0].Earned != eur("420") || d.Currencies[0].Paid != eur("420") {
		t.Errorf("dashboard: money figures %+v, want 420.00 EUR earned and paid", d.Currencies)
	}
	if len(d.Payouts) != 3 {
		t.Errorf("dashboard: %d payouts in the history, want 3", len(d.Payouts))
	}
}
