package memstore

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"math"
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
// appear in, every read returns exactly the cells some delta reached,
// with their sums. Nine metrics widen a currency's rows to 16 cells, some
// of them in the middle of a batch and after the rows hold totals; 91
// affiliate numbers reach past a month's first word of marks; a commit
// that would overflow a total fails its call and writes nothing.
func TestAggregatesAreSums(t *testing.T) {
	type cell struct {
		affiliate affiliate.AffiliateID
		metric    affiliate.Metric
		currency  affiliate.Currency
		month     int
	}
	metrics := []affiliate.Metric{"m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8"}
	currencies := []affiliate.Currency{"", "EUR", "USD", "JPY"}
	affiliates := []affiliate.AffiliateID{""}
	for i := range 90 {
		affiliates = append(affiliates, affiliate.AffiliateID("a"+strconv.Itoa(i)))
	}
	period := func(m int) affiliate.Period {
		return affiliate.Period{Year: 2025 + m/12, Month: time.Month(m%12 + 1), Location: time.UTC}
	}
	const months = 15
	rapid.Check(t, func(t *rapid.T) {
		s := New()
		ctx := context.Background()
		model := map[cell]storage.Aggregate{}
		nkey := 0
		for range rapid.IntRange(1, 10).Draw(t, "calls") {
			var batch []storage.Commit
			next := maps.Clone(model)
			failed := false
			for range rapid.IntRange(1, 4).Draw(t, "commits") {
				var deltas []storage.AggregateDelta
				for range rapid.IntRange(1, 8).Draw(t, "deltas") {
					c := cell{
						affiliate: rapid.SampledFrom(affiliates).Draw(t, "affiliate"),
						metric:    rapid.SampledFrom(metrics).Draw(t, "metric"),
						currency:  rapid.SampledFrom(currencies).Draw(t, "currency"),
						month:     rapid.IntRange(0, months-1).Draw(t, "month"),
					}
					// A hot delta lands on the last metrics of a few
					// affiliates: rows widen where totals already are. A
					// big one overflows its total sooner or later.
					big := rapid.IntRange(0, 5).Draw(t, "big") == 0
					if big || rapid.IntRange(0, 3).Draw(t, "hot") == 0 {
						c.affiliate = affiliates[rapid.IntRange(0, 2).Draw(t, "hotaff")]
						c.metric = metrics[rapid.IntRange(7, 8).Draw(t, "hotmetric")]
						c.month = 0
					}
					cnt := rapid.Int64Range(-3, 3).Draw(t, "count")
					if big {
						cnt = math.MaxInt64/2 + 1
					}
					d := storage.AggregateDelta{Affiliate: c.affiliate, Period: period(c.month), Metric: c.metric, Count: cnt}
					if c.currency != "" {
						minor := rapid.Int64Range(-1000, 1000).Draw(t, "minor")
						if big {
							minor = math.MaxInt64/2 + 1
						}
						d.Amount = affiliate.MustMoney(minor, c.currency)
					}
					deltas = append(deltas, d)
					tot, ok := next[c]
					if !ok {
						tot = storage.Aggregate{Affiliate: c.affiliate, Period: period(c.month), Metric: c.metric}
					}
					tot, err := storage.AddDelta(tot, d)
					if err != nil {
						failed = true
					}
					next[c] = tot
				}
				nkey++
				key := "k" + strconv.Itoa(nkey)
				batch = append(batch, storage.Commit{Key: key, Hash: "h", Deltas: deltas,
					State: storage.CustomerState{Customer: affiliate.CustomerID("c" + key), Version: 1}})
			}
			var err error
			if len(batch) == 1 && rapid.Bool().Draw(t, "single") {
				_, err = s.Commit(ctx, batch[0])
			} else {
				_, err = s.CommitBatch(ctx, batch)
			}
			if failed {
				var oe *storage.AggregateOverflowError
				if !errors.As(err, &oe) {
					t.Fatalf("a call with a sum out of range = %v, want *storage.AggregateOverflowError", err)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				model = next
			}
			// Every read, after every call: a failed one wrote nothing.
			for _, metric := range metrics {
				for m := range months {
					want := []storage.Aggregate{}
					for c, v := range model {
						if c.metric == metric && c.month == m {
							want = append(want, v)
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
						t.Fatalf("PeriodAggregates(%v, %s) (-want +got):\n%s", period(m), metric, diff)
					}
				}
				for _, a := range affiliates[:12] {
					want := []storage.Aggregate{}
					for c, v := range model {
						if c.metric == metric && c.affiliate == a && c.month >= 3 && c.month <= 13 {
							want = append(want, v)
						}
					}
					slices.SortFunc(want, func(x, y storage.Aggregate) int {
						return cmp.Or(cmp.Compare(monthOf(x.Period), monthOf(y.Period)), strings.Compare(string(x.Amount.Currency()), string(y.Amount.Currency())))
					})
					got, err := s.AffiliateAggregates(ctx, a, metric, period(3), period(13))
					if err != nil {
						t.Fatal(err)
					}
					if diff := gocmp.Diff(want, got); diff != "" {
						t.Fatalf("AffiliateAggregates(%q, %s) (-want +got):\n%s", a, metric, diff)
					}
				}
			}
		}
	})
}
