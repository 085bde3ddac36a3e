package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
)

// What the limits let through, sqlstore stores: the latest event time
// with the longest hold. (A hold of 2562047h used to build, and then
// every entry write failed here.)
func TestLimitsAreStorable(t *testing.T) {
	ctx := context.Background()
	store, _ := openSQLite(t)
	if err := store.PutAffiliate(ctx, affiliate.Affiliate{ID: "a", Status: affiliate.StatusActive}); err != nil {
		t.Fatal(err)
	}
	last := affiliate.MaxEventTime.Add(-time.Nanosecond)
	if _, err := store.Bind(ctx, affiliate.Binding{Customer: "c", Affiliate: "a", Source: affiliate.BindByManual, BoundAt: affiliate.MinEventTime}); err != nil {
		t.Fatal(err)
	}
	eng, err := commission.New(commission.Config{Store: store, Terms: []commission.TermsVersion{{
		Version: "v1", Rule: rules.Percent{Rate: affiliate.MustPercent("30")}, Hold: affiliate.MaxDuration,
	}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Time{affiliate.MinEventTime, last} {
		p := affiliate.Payment{ID: affiliate.EventID("p" + at.Format("2006")), Customer: "c", PaidAt: at, Currency: "EUR",
			Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustParseMoney("10", "EUR")}}}
		res, err := eng.Record(ctx, p)
		if err != nil {
			t.Fatalf("Record(paid %v, hold MaxDuration): %v", at, err)
		}
		if len(res.Entries) != 1 || !res.Entries[0].AvailableAt.Equal(at.Add(affiliate.MaxDuration)) {
			t.Fatalf("entries %+v", res.Entries)
		}
	}
}
