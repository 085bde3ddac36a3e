package report_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/report"
	"github.com/openaffiliate/affiliate/storage"
	"pgregory.net/rapid"
)

var propAffiliates = []affiliate.AffiliateID{"ann", "bob", "cyd"}

// TestDashboardsAddUp drives a store through random clicks, signups,
// payments (of referred customers and of customers nobody referred),
// refunds, payout runs and settlements, then checks that the affiliates'
// dashboards add up to the program's, and that in every currency pending
// + available + in payout + paid is everything earned.
func TestDashboardsAddUp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := newWorld(t)
		runner := w.payoutRunner(payout.Policy{Minimums: map[affiliate.Currency]affiliate.Money{"EUR": money("20 EUR")}})
		customers := 0
		next := month(1)
		var created []affiliate.PayoutID
		when := func(t *rapid.T) time.Time {
			return day(1, 1).Add(time.Duration(rapid.IntRange(0, 80*24).Draw(t, "hour")) * time.Hour)
		}
		t.Repeat(map[string]func(*rapid.T){
			"click": func(t *rapid.T) {
				w.clicks(rapid.SampledFrom(propAffiliates).Draw(t, "affiliate"), 1, when(t))
			},
			"signup and pay": func(t *rapid.T) {
				customers++
				a := rapid.SampledFrom(propAffiliates).Draw(t, "affiliate")
				c := affiliate.CustomerID(fmt.Sprintf("c%d", customers))
				at := when(t)
				w.signup(a, c, at)
				cur := rapid.SampledFrom([]string{"EUR", "USD"}).Draw(t, "currency")
				units := rapid.IntRange(1, 300).Draw(t, "units")
				w.pay(a, c, fmt.Sprintf("%d %s", units, cur), fmt.Sprintf("%d %s", units/5, cur), true, at)
				if rapid.Bool().Draw(t, "refund?") {
					w.refund(a, c, fmt.Sprintf("%d %s", units/2, cur), fmt.Sprintf("%d %s", units/10, cur), at.Add(48*time.Hour))
				}
			},
			"run": func(t *rapid.T) {
				if next.Month > 3 {
					t.Skip("three months")
				}
				res, err := runner.Run(ctx, next, next.End().Add(time.Duration(rapid.IntRange(0, 40).Draw(t, "days"))*24*time.Hour))
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range res.Payouts {
					created = append(created, p.ID)
				}
				next = next.Next()
			},
			"settle": func(t *rapid.T) {
				if len(created) == 0 {
					t.Skip("no payouts")
				}
				id := rapid.SampledFrom(created).Draw(t, "payout")
				var err error
				if rapid.Bool().Draw(t, "paid?") {
					_, err = runner.MarkPaid(ctx, id, "TR")
				} else {
					_, err = runner.Cancel(ctx, id, "")
				}
				if err != nil && !errors.Is(err, affiliate.ErrConflict) {
					t.Fatal(err)
				}
			},
		})
		w.now = when(t)
		r := w.reporter()
		rng := report.Range{From: month(1), To: month(4)}
		program, err := r.Program(ctx, rng)
		if err != nil {
			t.Fatal(err)
		}
		sum := report.Dashboard{}
		money := map[affiliate.Currency]*[6]int64{}
		for _, a := range propAffiliates {
			d, err := r.Affiliate(ctx, a, rng)
			if err != nil {
				t.Fatal(err)
			}
			sum.Touches += d.Touches
			sum.Signups += d.Signups
			sum.Conversions += d.Conversions
			for _, c := range d.Currencies {
				v := money[c.Currency]
				if v == nil {
					v = new([6]int64)
					money[c.Currency] = v
				}
				for i, m := range []affiliate.Money{c.Spent, c.Earned, c.Pending, c.Available, c.InPayout, c.Paid} {
					v[i] += m.Minor()
				}
			}
		}
		if sum.Touches != program.Touches || sum.Signups != program.Signups || sum.Conversions != program.Conversions {
			t.Fatalf("affiliates add up to %d/%d/%d, the program shows %d/%d/%d",
				sum.Touches, sum.Signups, sum.Conversions, program.Touches, program.Signups, program.Conversions)
		}
		all, err := w.store.Entries(ctx, storage.EntryQuery{})
		if err != nil {
			t.Fatal(err)
		}
		earned := map[affiliate.Currency]int64{}
		for _, e := range all {
			earned[e.Amount.Currency()] += e.Amount.Minor()
		}
		for _, c := range program.Currencies {
			got := [6]int64{c.Spent.Minor(), c.Earned.Minor(), c.Pending.Minor(), c.Available.Minor(), c.InPayout.Minor(), c.Paid.Minor()}
			if want := money[c.Currency]; want == nil || *want != got {
				t.Fatalf("%s: affiliates add up to %v, the program shows %v", c.Currency, want, got)
			}
			if total := got[2] + got[3] + got[4] + got[5]; total != earned[c.Currency] {
				t.Fatalf("%s: pending+available+in payout+paid = %d, the ledger holds %d", c.Currency, total, earned[c.Currency])
			}
		}
	})
}
