package memstore

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// TestAggregatesAreSums checks the aggregate grids against a map of
// sums: whatever order currencies, metrics, months and affiliates first
// appear in (a metric new to a currency widens its rows after others
// hold totals), every read returns exactly the cells some delta reached,
// with their sums.
func TestAggregatesAreSums(t *testing.T) {
	type cell struct {
		affiliate affiliate.AffiliateID
		metric    affiliate.Metric
		currency  affiliate.Currency
		month     time.Month
	}
	type sum struct{ minor, count int64 }
	metrics := []affiliate.Metric{"revenue", "revenue_converted", "earnings", "paying_customers", "conversions", "m5", "m6"}
	currencies := []affiliate.Currency{"", "EUR", "USD", "JPY"}
	affiliates := []affiliate.AffiliateID{"", "a1", "a2", "a3", "a4", "a5", "a6", "a7"}
	period := func(m time.Month) affiliate.Period {
		return affiliate.Period{Year: 2026, Month: m, Location: time.UTC}
	}
	rapid.Check(t, func(t *rapid.T) {
		s := New()
		ctx := context.Background()
		model := map[cell]sum{}
		for i := range rapid.IntRange(1, 12).Draw(t, "commits") {
			var deltas []storage.AggregateDelta
			for range rapid.IntRange(1, 8).Draw(t, "deltas") {
				c := cell{
					affiliate: rapid.SampledFrom(affiliates).Draw(t, "affiliate"),
					metric:    rapid.SampledFrom(metrics).Draw(t, "metric"),
					currency:  rapid.SampledFrom(currencies).Draw(t, "currency"),
					month:     time.Month(rapid.IntRange(1, 4).Draw(t, "month")),
				}
				d := storage.AggregateDelta{Affiliate: c.affiliate, Period: period(c.month), Metric: c.metric,
					Count: rapid.Int64Range(-3, 3).Draw(t, "count")}
				if c.currency != "" {
					d.Amount = affiliate.MustMoney(rapid.Int64Range(-1000, 1000).Draw(t, "minor"), c.currency)
				}
				deltas = append(deltas, d)
				m := model[c]
				model[c] = sum{m.minor + d.Amount.Minor(), m.count + d.Count}
			}
			key := "k" + strconv.Itoa(i)
			if _, err := s.Commit(ctx, storage.Commit{Key: key, Hash: "h", Deltas: deltas,
				State: storage.CustomerState{Customer: affiliate.CustomerID("c" + key), Version: 1}}); err != nil {
				t.Fatal(err)
			}
		}
		aggregate := func(c cell, v sum) storage.Aggregate {
			a := storage.Aggregate{Affiliate: c.affiliate, Period: period(c.month), Metric: c.metric, Count: v.count}
			if c.currency != "" {
				a.Amount = affiliate.MustMoney(v.minor, c.currency)
			}
			return a
		}
		for _, metric := range metrics {
			for m := time.Month(1); m <= 4; m++ {
				want := []storage.Aggregate{}
				for c, v := range model {
					if c.metric == metric && c.month == m {
						want = append(want, aggregate(c, v))
					}
				}
				slices.SortFunc(want, func(a, b storage.Aggregate) int {
					return cmp.Or(strings.Compare(string(a.Affiliate), string(b.Affiliate)), strings.Compare(string(a.Amount.Currency()), string(b.Amount.Currency())))
				})
				got, err := s.PeriodAggregates(ctx, period(m), metric)
				if err != nil {
					t.Fatal(err)
				}
				if diff := gocmp.Diff(want, got); diff != "" {
					t.Fatalf("PeriodAggregates(%s, %s) (-want +got):\n%s", period(m), metric, diff)
				}
			}
			for _, a := range affiliates {
				want := []storage.Aggregate{}
				for c, v := range model {
					if c.metric == metric && c.affiliate == a && c.month >= 2 && c.month <= 3 {
						want = append(want, aggregate(c, v))
					}
				}
				slices.SortFunc(want, func(x, y storage.Aggregate) int {
					return cmp.Or(cmp.Compare(x.Period.Month, y.Period.Month), strings.Compare(string(x.Amount.Currency()), string(y.Amount.Currency())))
				})
				got, err := s.AffiliateAggregates(ctx, a, metric, period(2), period(3))
				if err != nil {
					t.Fatal(err)
				}
				if diff := gocmp.Diff(want, got); diff != "" {
					t.Fatalf("AffiliateAggregates(%q, %s) (-want +got):\n%s", a, metric, diff)
				}
			}
		}
	})
}
