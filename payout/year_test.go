package payout_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/payout"
)

func TestYear(t *testing.T) {
	e := newEnv(t, eurMinimum("0"))
	e.append(
		ent{id: "d0", aff: "ann", amount: "7.00 EUR", at: time.Date(2025, time.December, 20, 0, 0, 0, 0, time.UTC)},
		ent{id: "a1", aff: "ann", amount: "100.00 EUR", at: day(time.January, 5)},
		ent{id: "a2", aff: "ann", amount: "-10.00 EUR", at: day(time.January, 9)},
		ent{id: "a3", aff: "ann", amount: "25.00 USD", at: day(time.March, 2)},
		ent{id: "b1", aff: "bob", amount: "50.00 EUR", at: day(time.January, 5)},
	)
	// December 2025's payout is paid in January 2026; January's is paid,
	// March's fails.
	dec := affiliate.Period{Year: 2025, Month: time.December, Location: time.UTC}
	for _, r := range []struct {
		p      affiliate.Period
		asOf   time.Time
		settle string
	}{{dec, day(time.January, 2), "paid"}, {month(time.January), day(time.February, 2), "paid"}, {month(time.March), day(time.April, 2), "failed"}} {
		res := e.run(r.p, r.asOf)
		for _, p := range res.Payouts {
			if p.Affiliate != "ann" {
				continue
			}
			var err error
			if r.settle == "paid" {
				_, err = e.runner.MarkPaid(ctx, p.ID, "TR-"+r.p.String())
			} else {
				_, err = e.runner.MarkFailed(ctx, p.ID, "bounced")
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	got, err := e.runner.Year(ctx, "ann", 2026, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []payout.YearTotal{
		{Affiliate: "ann", Year: 2026, Currency: "EUR", Earned: money("100.00 EUR"), Reversed: money("-10.00 EUR"), Paid: money("97.00 EUR"), Payouts: 2},
		{Affiliate: "ann", Year: 2026, Currency: "USD", Earned: money("25.00 USD"), Reversed: money("0.00 USD"), Paid: money("0.00 USD")},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("Year (-want +got):\n%s", diff)
	}
	if _, err := e.runner.Year(ctx, "ann", 0, nil); !errors.Is(err, affiliate.ErrInvalid) {
		t.Fatalf("Year 0 = %v, want ErrInvalid", err)
	}
}
