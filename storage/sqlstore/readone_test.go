package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// TestReadOneReadsTheBoundAffiliateAlong: on PostgreSQL, ReadBatch of one
// customer and one event (as every Record reads) returns the bound
// affiliate and its parent too, so the engine makes no read of its own for them; the
// conformance suite checks that whatever is read along equals the read
// alone, this that the PostgreSQL store does read it.
func TestReadOneReadsTheBoundAffiliateAlong(t *testing.T) {
	s, _ := openPostgres(t)
	ctx := context.Background()
	at := time.Date(2026, time.January, 15, 12, 0, 0, 0, time.UTC)
	for _, a := range []affiliate.Affiliate{
		{ID: "grace", Status: affiliate.StatusActive, Name: "Grace", CreatedAt: at},
		// The parent comes as JSON: text it escapes, a true flag, a time
		// to the nanosecond.
		{ID: "pat", Parent: "grace", Status: affiliate.StatusActive, Name: "Pat \"Ü\" \\ O'Neil", Email: "pat@example.com", Codes: []string{"PAT", "PAT2"},
			PayoutMethodOnFile: true, CreatedAt: at.Add(123456789)},
		{ID: "ann", Parent: "pat", Status: affiliate.StatusActive, Name: "Ann", Codes: []string{"ANN"}, CreatedAt: at},
	} {
		if err := s.PutAffiliate(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Bind(ctx, affiliate.Binding{Customer: "cus-1", Affiliate: "ann", Source: affiliate.BindByCode, BoundAt: at}); err != nil {
		t.Fatal(err)
	}
	f, err := s.ReadBatch(ctx, storage.BatchQuery{Customers: []affiliate.CustomerID{"cus-1"}, Events: []affiliate.EventID{"pay-1"}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[affiliate.AffiliateID]affiliate.Affiliate{}
	for _, id := range []affiliate.AffiliateID{"ann", "pat"} { // not the grandparent
		if want[id], err = s.Affiliate(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(want, f.Affiliates); diff != "" {
		t.Errorf("Affiliates (-want +got):\n%s", diff)
	}
	f, err = s.ReadBatch(ctx, storage.BatchQuery{Customers: []affiliate.CustomerID{"cus-2"}, Events: []affiliate.EventID{"pay-1"}})
	if err != nil || f.Affiliates != nil {
		t.Errorf("an unbound customer: Affiliates = %v, %v; want none", f.Affiliates, err)
	}
}

// TestReadOneAnswersTheRun: on PostgreSQL, ReadBatch of one customer, one
// event and one payout run answers whether the run exists in the same
// statement, so a Record makes no read of its own for its month; the
// conformance suite checks that what is answered is right, this that the
// PostgreSQL store answers.
func TestReadOneAnswersTheRun(t *testing.T) {
	s, _ := openPostgres(t)
	ctx := context.Background()
	jan := affiliate.Period{Year: 2026, Month: time.January}
	if _, err := s.CreatePayoutRun(ctx, affiliate.PayoutRun{Program: "default", Period: jan, Hash: "h", AsOf: time.Date(2026, time.February, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		run  storage.PayoutRunKey
		want bool
	}{
		{storage.PayoutRunKey{Program: "default", Period: jan}, true},
		{storage.PayoutRunKey{Program: "default", Period: jan.Next()}, false},
		{storage.PayoutRunKey{Program: "default/request/ann", Period: jan}, false},
	} {
		f, err := s.ReadBatch(ctx, storage.BatchQuery{Customers: []affiliate.CustomerID{"cus-1"}, Events: []affiliate.EventID{"pay-1"}, Runs: []storage.PayoutRunKey{tc.run}})
		if err != nil {
			t.Fatal(err)
		}
		if found, ok := f.Runs[tc.run]; !ok || found != tc.want || len(f.Runs) != 1 {
			t.Errorf("ReadBatch(%v).Runs = %v; want only it, %v", tc.run, f.Runs, tc.want)
		}
	}
}
