package memstore_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// The engine's one write, read back: values come out as copies, and a
// period comes back in the location it was asked with.
func Example() {
	ctx := context.Background()
	store := memstore.New()
	at := time.Date(2026, time.January, 15, 12, 0, 0, 0, time.UTC)
	jan := affiliate.PeriodOf(at, nil)
	_, err := store.Commit(ctx, storage.Commit{
		Key: "event:pay_1", Hash: "h1", State: storage.CustomerState{Customer: "cus_1", Version: 1},
		Entries: []affiliate.Entry{{ID: "pay_1/ann", Beneficiary: "ann", Event: "pay_1", Payment: "pay_1", Customer: "cus_1",
			Kind: affiliate.KindCommission, Amount: affiliate.MustParseMoney("6.00", "USD"), Chain: []affiliate.AffiliateID{"ann"},
			At: at, AvailableAt: at}},
		Deltas: []storage.AggregateDelta{{Affiliate: "ann", Period: jan, Metric: affiliate.MetricEarnings, Amount: affiliate.MustParseMoney("6.00", "USD")}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	got, _ := store.Entries(ctx, storage.EntryQuery{Beneficiary: "ann"})
	got[0].Chain[0] = "mallory" // changes the copy only
	again, _ := store.Entries(ctx, storage.EntryQuery{Beneficiary: "ann"})
	fmt.Println(again[0].ID, again[0].Amount, again[0].Chain)

	paris := time.FixedZone("Paris", 3600)
	aggs, _ := store.PeriodAggregates(ctx, affiliate.Period{Year: 2026, Month: time.January, Location: paris}, affiliate.MetricEarnings)
	fmt.Println(aggs[0].Period, aggs[0].Period.Location, aggs[0].Amount)
	// Output:
	// pay_1/ann 6.00 USD [ann]
	// 2026-01 Paris 6.00 USD
}

// A batch is written whole or not at all: the second commit reuses the
// first one's event, so neither is stored, and the error names it.
func ExampleStore_CommitBatch() {
	ctx := context.Background()
	store := memstore.New()
	at := time.Date(2026, time.January, 15, 12, 0, 0, 0, time.UTC)
	pay := func(id affiliate.EventID, version int64) storage.Commit {
		p := &affiliate.Payment{ID: id, Customer: "cus_1", PaidAt: at, Currency: "USD"}
		return storage.Commit{Key: "event:" + string(id), Hash: "h-" + string(id),
			Event: &affiliate.EventRecord{ID: id, Customer: "cus_1", Time: at, Hash: "h-" + string(id), Payment: p},
			State: storage.CustomerState{Customer: "cus_1", Version: version}}
	}
	second := pay("pay_1", 2)
	second.Key = "event:again"
	_, err := store.CommitBatch(ctx, []storage.Commit{pay("pay_1", 1), second})
	var be *storage.BatchError
	fmt.Println(errors.As(err, &be), be.Index, errors.Is(err, affiliate.ErrConflict))
	st, _ := store.CustomerState(ctx, "cus_1")
	fmt.Println("version", st.Version)

	res, err := store.CommitBatch(ctx, []storage.Commit{pay("pay_1", 1), pay("pay_2", 2), pay("pay_1", 1)})
	st, _ = store.CustomerState(ctx, "cus_1")
	fmt.Println(err, res[2].Replayed, "version", st.Version)
	// Output:
	// true 1 true
	// version 0
	// <nil> true version 2
}
