package sqlstore_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

type netKey struct {
	beneficiary affiliate.AffiliateID
	customer    affiliate.CustomerID
	currency    affiliate.Currency
	kind        affiliate.EntryKind
}

// netLedger sums a ledger per beneficiary, customer, currency and kind:
// the figure the design's invariant I2 holds equal for any arrival order.
func netLedger(t *testing.T, l storage.Ledger) map[netKey]int64 {
	t.Helper()
	es, err := l.Entries(context.Background(), storage.EntryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[netKey]int64)
	seen := make(map[affiliate.EntryID]bool)
	for _, e := range es {
		if seen[e.ID] {
			t.Fatalf("entry %s appears twice", e.ID)
		}
		seen[e.ID] = true
		out[netKey{e.Beneficiary, e.Customer, e.Amount.Currency(), e.Kind}] += e.Amount.Minor()
	}
	return out
}

// TestEngineConcurrentDeliveries drives commission.Engine on the SQL
// store: 8 goroutines deliver overlapping events (payments and refunds of
// the same customers, many twice, in interleaved orders), then everything
// once more. The net ledger must equal a sequential delivery's on
// memstore, and the aggregates must equal the ledger.
func TestEngineConcurrentDeliveries(t *testing.T) {
	ctx := context.Background()
	var events []affiliate.Event
	for c := range 6 {
		cust := affiliate.CustomerID(fmt.Sprintf("c%d", c))
		for i := range 6 {
			id := affiliate.EventID(fmt.Sprintf("pay-%d-%d", c, i))
			at := jan15.Add(time.Duration(i*24+c) * time.Hour)
			p := affiliate.Payment{ID: id, Customer: cust, PaidAt: at, Currency: "EUR",
				Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(int64(2000+100*i), "EUR")}}}
			events = append(events, p)
			switch i {
			case 2:
				events = append(events, affiliate.Refund{ID: id + "-r", Payment: id, Customer: cust, RefundedAt: at.Add(time.Hour), Kind: affiliate.KindRefund, Amount: affiliate.MustMoney(500, "EUR")})
			case 4:
				events = append(events, affiliate.Refund{ID: id + "-cb", Payment: id, Customer: cust, RefundedAt: at.Add(2 * time.Hour), Kind: affiliate.KindChargeback, Full: true})
			}
		}
	}
	type engineStore interface {
		commission.Store
		storage.Aggregates
		storage.Affiliates
		storage.Bindings
	}
	setup := func(st engineStore) *commission.Engine {
		for _, a := range []affiliate.Affiliate{{ID: "p", Status: affiliate.StatusActive}, {ID: "a", Parent: "p", Status: affiliate.StatusActive}} {
			if err := st.PutAffiliate(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		for c := range 6 {
			if _, err := st.Bind(ctx, affiliate.Binding{Customer: affiliate.CustomerID(fmt.Sprintf("c%d", c)), Affiliate: "a", Source: affiliate.BindByCode, BoundAt: jan15.Add(-time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		eng, err := commission.New(commission.Config{Store: st, MaxAttempts: 1000,
			Terms: []commission.TermsVersion{{Version: "v1", Rule: rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("30")}}}})
		if err != nil {
			t.Fatal(err)
		}
		return eng
	}

	ref := memstore.New()
	refEngine := setup(ref)
	for _, ev := range events {
		if _, err := refEngine.Record(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	want := netLedger(t, ref)

	for _, d := range dialects() {
		t.Run(d.name, func(t *testing.T) {
			s, _ := d.open(t)
			eng := setup(s)
			errs := race(func(w int) error {
				for i := range events {
					if (i+w)%2 == 0 {
						if _, err := eng.Record(ctx, events[(i*7+w*5)%len(events)]); err != nil {
							return err
						}
					}
				}
				return nil
			})
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			for _, ev := range events {
				if _, err := eng.Record(ctx, ev); err != nil {
					t.Fatal(err)
				}
			}
			got := netLedger(t, s)
			if !maps.Equal(got, want) {
				keys := slices.Collect(maps.Keys(want))
				for k := range got {
					keys = append(keys, k)
				}
				for _, k := range keys {
					if got[k] != want[k] {
						t.Errorf("%+v: net %d, sequential delivery on memstore gives %d", k, got[k], want[k])
					}
				}
			}
			aggs, err := s.AffiliateAggregates(ctx, "a", affiliate.MetricEarnings, per("2026-01"), per("2026-12"))
			if err != nil {
				t.Fatal(err)
			}
			var ledger, agg int64
			for k, v := range got {
				if k.beneficiary == "a" {
					ledger += v
				}
			}
			for _, a := range aggs {
				agg += a.Amount.Minor()
			}
			if agg != ledger {
				t.Errorf("earnings aggregates of a sum to %d, its ledger to %d", agg, ledger)
			}
			t.Logf("%v: %+v", d.name, s.Stats())
		})
	}
}
