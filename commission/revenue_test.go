package commission_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// revenueIn returns the affiliate's aggregate of metric in January 2026.
func (f *fixture) revenueIn(a string, m affiliate.Metric) string {
	f.t.Helper()
	rows, err := f.store.AffiliateAggregates(f.ctx, affiliate.AffiliateID(a), m, per("2026-01"), per("2026-01"))
	if err != nil {
		f.t.Fatal(err)
	}
	if len(rows) != 1 {
		f.t.Fatalf("%s aggregates of %s: %d rows, want 1: %+v", m, a, len(rows), rows)
	}
	return rows[0].Amount.String()
}

// TestRevenueExcludesTax pins issue 12's "revenue has one definition": a
// payment of EUR 100 plus 19% VAT and EUR 5 shipping, less a EUR 10
// discount, counts EUR 90 toward the tier metric (both revenue
// aggregates), and a refund of half the payment takes back half of that.
// A program that defines revenue with tax counts the tax in the metric and
// in the default base of its rules alike.
func TestRevenueExcludesTax(t *testing.T) {
	lines := []affiliate.Line{
		line(affiliate.LineSubscription, "100.00", "EUR"),
		line(affiliate.LineDiscount, "10.00", "EUR"),
		line(affiliate.LineTax, "17.10", "EUR"),
		line(affiliate.LineShipping, "5.00", "EUR"),
	}
	half := "56.05" // half of the total, 112.10
	withTax := affiliate.Revenue{Kinds: append(affiliate.DefaultRevenueKinds(), affiliate.LineTax)}
	tests := []struct {
		name         string
		revenue      affiliate.Revenue
		paid, refund string // the revenue after the payment, after the refund
		commission   string
	}{
		{"default: net of tax and shipping", affiliate.Revenue{}, "90.00", "45.00", "9.00"},
		{"program counts tax", withTax, "107.10", "53.55", "10.71"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, commission.Config{Terms: terms(rules.Percent{Rate: affiliate.MustPercent("10")}), Currency: "EUR", Revenue: tc.revenue}, aff("a", ""))
			f.bind("c", "a", jan15.AddDate(0, 0, -1))
			res := f.record(pay("p1", "c", jan15, "EUR", lines...))
			if got := amounts(res.Entries); got != "a commission "+tc.commission+" EUR" {
				t.Errorf("entries = %s, want a commission %s EUR", got, tc.commission)
			}
			for _, m := range []affiliate.Metric{affiliate.MetricRevenue, affiliate.MetricRevenueConverted} {
				if got := f.revenueIn("a", m); got != tc.paid+" EUR" {
					t.Errorf("%s after the payment = %s, want %s EUR", m, got, tc.paid)
				}
			}
			f.record(refund("r1", "p1", "c", jan15.AddDate(0, 0, 1), half, "EUR"))
			for _, m := range []affiliate.Metric{affiliate.MetricRevenue, affiliate.MetricRevenueConverted} {
				if got := f.revenueIn("a", m); got != tc.refund+" EUR" {
					t.Errorf("%s after refunding half = %s, want %s EUR", m, got, tc.refund)
				}
			}
		})
	}
}

func TestRevenueConfigRefused(t *testing.T) {
	for _, kinds := range [][]affiliate.LineKind{{}, {"vat"}, {affiliate.LineTax, affiliate.LineTax}} {
		_, err := commission.New(commission.Config{Store: memstore.New(), Terms: terms(rules.Percent{Rate: affiliate.MustPercent("10")}), Revenue: affiliate.Revenue{Kinds: kinds}})
		var fe *affiliate.FieldError
		if !errors.As(err, &fe) || !errors.Is(err, affiliate.ErrInvalid) || !strings.HasPrefix(fe.Field, "Config.Revenue.Kinds") {
			t.Errorf("Revenue.Kinds %q: err = %v, want a FieldError on Config.Revenue.Kinds matching ErrInvalid", kinds, err)
		}
	}
}
