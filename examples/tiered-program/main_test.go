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
	want := figures{
		Clients: map[affiliate.CustomerID]affiliate.AffiliateID{
			"harbor": "ann",  // first click, not Bob's later one
			"luna":   "ann",  // Cleo's click was outside the 90-day window
			"salon":  "bob",  // Bob's code, entered before Cleo's click
			"cafe":   "cleo", // Cleo's click, before Bob's code typed at signup
		},
		Earned: map[key]affiliate.Money{
			// January at Standard: 15% of 4,000 and 6,000, and 5% of Bob's 1,000.
			{"2026-01", "ann"}:  eur("1550"),
			{"2026-01", "bob"}:  eur("160"), // 15% of 1,000 and 5% of Cleo's 200
			{"2026-01", "cleo"}: eur("30"),
			// January reached 10,000: February at Premium, 20% of 4,000 and 3,000.
			{"2026-02", "ann"}:  eur("1450"),
			{"2026-02", "bob"}:  eur("160"),
			{"2026-02", "cleo"}: eur("30"),
			// February's 7,000 puts March back at Standard.
			{"2026-03", "ann"}:  eur("1100"),
			{"2026-03", "bob"}:  eur("160"),
			{"2026-03", "cleo"}: eur("30"),
		},
		Tiers: map[key]string{
			{"2026-01", "ann"}: "Premium", {"2026-01", "bob"}: "Standard", {"2026-01", "cleo"}: "Standard",
			{"2026-02", "ann"}: "Standard", {"2026-02", "bob"}: "Standard", {"2026-02", "cleo"}: "Standard",
			{"2026-03", "ann"}: "Standard", {"2026-03", "bob"}: "Standard", {"2026-03", "cleo"}: "Standard",
		},
		Paid: map[key]affiliate.Money{
			{"2026-01", "ann"}: eur("1550"), {"2026-01", "bob"}: eur("160"),
			{"2026-02", "ann"}: eur("1450"), {"2026-02", "bob"}: eur("160"), {"2026-02", "cleo"}: eur("60"),
			{"2026-03", "ann"}: eur("1100"), {"2026-03", "bob"}: eur("160"),
		},
		Carried: map[key]affiliate.Money{
			{"2026-01", "cleo"}: eur("30"), // below the EUR 50 minimum
			{"2026-03", "cleo"}: eur("30"),
		},
		Dashboards: map[affiliate.AffiliateID]dashboard{
			// Bob's touches: a click and the code entered on the pricing
			// page. Cleo's click of September is before the range.
			"ann":  {Touches: 2, Signups: 2, Conversions: 2, Earned: eur("4100"), Paid: eur("4100")},
			"bob":  {Touches: 2, Signups: 1, Conversions: 1, Earned: eur("480"), Paid: eur("480")},
			"cleo": {Touches: 2, Signups: 1, Conversions: 1, Earned: eur("90"), Paid: eur("60")},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("figures (-want +got):\n%s", diff)
	}
}
