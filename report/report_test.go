package report_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
	"github.com/openaffiliate/affiliate/report"
	"github.com/openaffiliate/affiliate/storage"
)

// figures flattens a dashboard into lines that read like the screen.
func figures(d report.Dashboard) []string {
	out := []string{fmt.Sprintf("touches %d signups %d conversions %d touch->signup %s signup->paid %s",
		d.Touches, d.Signups, d.Conversions, d.TouchToSignup, d.SignupToPaid)}
	for _, n := range d.Notes {
		out = append(out, "note: "+n)
	}
	for _, c := range d.Currencies {
		out = append(out, fmt.Sprintf("%s spent %s earned %s per-touch %s | pending %s available %s in-payout %s paid %s",
			c.Currency, c.Spent.AmountString(), c.Earned.AmountString(), c.EarningsPerTouch,
			c.Pending.AmountString(), c.Available.AmountString(), c.InPayout.AmountString(), c.Paid.AmountString()))
	}
	for _, p := range d.Payouts {
		out = append(out, fmt.Sprintf("payout %s %s %s %s", p.Period, p.Amount, p.Status, p.Reference))
	}
	for _, t := range d.PayoutTotals {
		out = append(out, fmt.Sprintf("payouts %s %s %s x%d", t.Period, t.Status, t.Amount, t.Count))
	}
	return out
}

func TestDashboardsScriptedMonth(t *testing.T) {
	w := scriptedMonth(t)
	r := w.reporter()
	tests := []struct {
		name string
		get  func() (report.Dashboard, error)
		want []string
	}{
		{
			name: "Ann in January",
			get:  func() (report.Dashboard, error) { return r.Affiliate(ctx, "ann", report.Month(month(1))) },
			want: []string{
				"touches 10 signups 4 conversions 2 touch->signup 40.0% signup->paid 50.0%",
				"EUR spent 250.00 earned 37.50 per-touch 3.75 | pending 0.00 available 37.50 in-payout 0.00 paid 0.00",
			},
		},
		{
			name: "Bob in January",
			get:  func() (report.Dashboard, error) { return r.Affiliate(ctx, "bob", report.Month(month(1))) },
			want: []string{
				"touches 4 signups 1 conversions 1 touch->signup 25.0% signup->paid 100.0%",
				"USD spent 50.00 earned 15.00 per-touch 3.75 | pending 0.00 available 0.00 in-payout 0.00 paid 15.00",
				"payout 2026-01 15.00 USD paid ACH-7",
			},
		},
		{
			name: "the program in January",
			get:  func() (report.Dashboard, error) { return r.Program(ctx, report.Month(month(1))) },
			want: []string{
				"touches 14 signups 5 conversions 3 touch->signup 35.7% signup->paid 60.0%",
				"EUR spent 250.00 earned 37.50 per-touch 2.68 | pending 0.00 available 37.50 in-payout 0.00 paid 0.00",
				"USD spent 50.00 earned 15.00 per-touch 1.07 | pending 0.00 available 0.00 in-payout 0.00 paid 15.00",
				"payouts 2026-01 paid 15.00 USD x1",
			},
		},
		{
			name: "Ann over January and February",
			get: func() (report.Dashboard, error) {
				return r.Affiliate(ctx, "ann", report.Range{From: month(1), To: month(2)})
			},
			want: []string{
				"touches 11 signups 4 conversions 2 touch->signup 36.4% signup->paid 50.0%",
				"EUR spent 250.00 earned 37.50 per-touch 3.41 | pending 0.00 available 37.50 in-payout 0.00 paid 0.00",
			},
		},
		{
			name: "an affiliate with nothing",
			get:  func() (report.Dashboard, error) { return r.Affiliate(ctx, "zed", report.Month(month(1))) },
			want: []string{"touches 0 signups 0 conversions 0 touch->signup n/a signup->paid n/a"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := tt.get()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, figures(d)); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDashboardBalancesFollowTheHold(t *testing.T) {
	w := scriptedMonth(t)
	// On 3 February the commissions of January are still on hold; the
	// reversal of the refund was available at once.
	w.now = day(2, 3)
	r := w.reporter()
	for _, a := range []affiliate.AffiliateID{"ann", ""} {
		var d report.Dashboard
		var err error
		if a == "" {
			d, err = r.Program(ctx, report.Month(month(1)))
		} else {
			d, err = r.Affiliate(ctx, a, report.Month(month(1)))
		}
		if err != nil {
			t.Fatal(err)
		}
		eur := d.Currencies[0]
		if eur.Pending.String() != "45.00 EUR" || eur.Available.String() != "-7.50 EUR" {
			t.Fatalf("%q on 3 February: pending %s, available %s; want 45.00 and -7.50", a, eur.Pending, eur.Available)
		}
	}
}

func TestDashboardMonths(t *testing.T) {
	w := scriptedMonth(t)
	d, err := w.reporter().Affiliate(ctx, "ann", report.Range{From: month(1), To: month(3)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range d.Months {
		got = append(got, fmt.Sprintf("%s %d/%d/%d %v %v", m.Period, m.Touches, m.Signups, m.Conversions, m.Spent, m.Earned))
	}
	want := []string{"2026-01 10/4/2 [250.00 EUR] [37.50 EUR]", "2026-02 1/0/0 [] []", "2026-03 0/0/0 [] []"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}

func TestDashboardRendering(t *testing.T) {
	w := scriptedMonth(t)
	d, err := w.reporter().Affiliate(ctx, "bob", report.Month(month(1)))
	if err != nil {
		t.Fatal(err)
	}
	wantText := `Dashboard for bob, 2026-01 to 2026-01
  Touches 4, signups 1 (25.0%), conversions 1 (100.0%)
  USD: spent 50.00, earned 15.00 (3.75 per touch)
  USD: pending 0.00, available 0.00, in payout 0.00, paid 15.00
  Payout 2026-01: 15.00 USD, paid
`
	if diff := cmp.Diff(wantText, d.Text()); diff != "" {
		t.Errorf("Text (-want +got):\n%s", diff)
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"affiliate":"bob"`, `"from":"2026-01"`, `"touch_to_signup":{"num":1,"den":4,"percent":"25.0"}`,
		`"earnings_per_touch":{"amount":"3.75","currency":"USD"}`, `"notes":[]`, `"status":"paid"`, `"reference":"ACH-7"`,
		`"payout_totals":[]`, `"months":[{"period":"2026-01","touches":4`,
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON lacks %s:\n%s", want, b)
		}
	}
}

func TestBadInput(t *testing.T) {
	w := newWorld(t)
	r := w.reporter()
	paris, _ := time.LoadLocation("Europe/Paris")
	tests := map[string]func() error{
		"empty affiliate": func() error { _, err := r.Affiliate(ctx, "", report.Month(month(1))); return err },
		"to before from": func() error {
			_, err := r.Program(ctx, report.Range{From: month(3), To: month(1)})
			return err
		},
		"a bad month": func() error { _, err := r.Program(ctx, report.Month(affiliate.Period{Year: 2026})); return err },
		"two locations": func() error {
			_, err := r.Program(ctx, report.Range{From: month(1), To: affiliate.Period{Year: 2026, Month: 2, Location: paris}})
			return err
		},
		"more than ten years": func() error {
			_, err := r.Program(ctx, report.Range{From: month(1), To: affiliate.Period{Year: 2036, Month: 1, Location: time.UTC}})
			return err
		},
	}
	for name, call := range tests {
		var fe *affiliate.FieldError
		if err := call(); !errors.Is(err, affiliate.ErrInvalid) || !errors.As(err, &fe) {
			t.Errorf("%s: %v, want a *FieldError matching ErrInvalid", name, err)
		}
	}
	if _, err := report.New(report.Config{}); !errors.Is(err, affiliate.ErrInvalid) {
		t.Errorf("New without a store: %v", err)
	}
}

func TestRatio(t *testing.T) {
	tests := []struct {
		r    report.Ratio
		want string
	}{
		{report.Ratio{Num: 1, Den: 3}, "33.3%"},
		{report.Ratio{Num: 2, Den: 3}, "66.7%"},
		{report.Ratio{Num: 1, Den: 8}, "12.5%"},
		{report.Ratio{Num: 5, Den: 4}, "125.0%"},
		{report.Ratio{Num: 0, Den: 7}, "0.0%"},
		{report.Ratio{Num: 3, Den: 0}, "n/a"},
	}
	for _, tt := range tests {
		if got := tt.r.String(); got != tt.want {
			t.Errorf("%+v: %s, want %s", tt.r, got, tt.want)
		}
	}
}

// TestDashboardOverflowFails: two months whose revenue rows are each in
// range but whose sum is not fail the dashboard with ErrOverflow instead
// of showing a wrong figure.
func TestDashboardOverflowFails(t *testing.T) {
	w := newWorld(t)
	for i, p := range []affiliate.Period{per("2026-01"), per("2026-02")} {
		key := fmt.Sprintf("big%d", i)
		_, err := affiliatetest.SeedLedger(ctx, w.store, key, nil, []storage.AggregateDelta{
			{Affiliate: "ann", Period: p, Metric: affiliate.MetricRevenue, Amount: affiliate.MustMoney(math.MaxInt64-1, "EUR")},
			{Affiliate: "", Period: p, Metric: affiliate.MetricRevenue, Amount: affiliate.MustMoney(math.MaxInt64-1, "EUR")},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	r := w.reporter()
	for name, get := range map[string]func() (report.Dashboard, error){
		"affiliate": func() (report.Dashboard, error) {
			return r.Affiliate(ctx, "ann", report.Range{From: month(1), To: month(2)})
		},
		"program": func() (report.Dashboard, error) { return r.Program(ctx, report.Range{From: month(1), To: month(2)}) },
	} {
		if d, err := get(); !errors.Is(err, affiliate.ErrOverflow) {
			t.Errorf("%s dashboard = %+v, %v; want ErrOverflow", name, d.Currencies, err)
		}
	}
	// Each month alone is fine.
	if _, err := r.Affiliate(ctx, "ann", report.Month(month(1))); err != nil {
		t.Fatal(err)
	}
}
