package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/sqlstore"
)

// TestExpectationInOneStatement: on PostgreSQL a commit whose expectation
// holds is written by the one-statement path, and one whose expectation
// does not is left by it to the transaction (which refuses it, as the
// conformance suite checks): the statement's checks compare the columns
// as the store wrote them.
func TestExpectationInOneStatement(t *testing.T) {
	s, _ := openPostgres(t)
	ctx := context.Background()
	at := time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)
	jan := affiliate.Period{Year: 2026, Month: time.January}
	for _, a := range []affiliate.Affiliate{
		{ID: "top", Status: affiliate.StatusActive, CreatedAt: at},
		{ID: "ann", Parent: "top", Status: affiliate.StatusActive, Name: "Ann", Email: "ann@example.com", Codes: []string{"ANN", "ann-link"}, PayoutMethodOnFile: true, CreatedAt: at},
	} {
		if err := s.PutAffiliate(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	var facts storage.BatchFacts
	for i, tc := range []struct {
		name   string
		change func(x *storage.Expectation)
		wrote  bool
	}{
		{"holds", func(*storage.Expectation) {}, true},
		{"binding", func(x *storage.Expectation) { x.Binding.Touch = "t-other" }, false},
		{"unbound", func(x *storage.Expectation) { x.Bound = false }, false},
		{"affiliate", func(x *storage.Expectation) { x.Affiliates[0].Email = "other@example.com" }, false},
		{"parent", func(x *storage.Expectation) { x.Affiliates[1].Parent = "ann" }, false},
		{"run", func(x *storage.Expectation) { x.Runs[storage.PayoutRunKey{Program: "prog", Period: jan}] = true }, false},
	} {
		c := affiliate.CustomerID(fmt.Sprintf("cus-%d", i))
		if _, err := s.Bind(ctx, affiliate.Binding{Customer: c, Affiliate: "ann", Source: affiliate.BindByLink, Touch: "t-1", Lead: "lead-1", Code: "ANN",
			TouchedAt: at.Add(-time.Hour), BoundAt: at, ExpiresAt: at.AddDate(0, 0, 90)}); err != nil {
			t.Fatal(err)
		}
		var err error
		facts, err = s.ReadBatch(ctx, storage.BatchQuery{Customers: []affiliate.CustomerID{c}, Events: []affiliate.EventID{"none"},
			Runs: []storage.PayoutRunKey{{Program: "prog", Period: jan}}})
		if err != nil {
			t.Fatal(err)
		}
		b, bound := facts.Bindings[c]
		x := &storage.Expectation{Binding: b, Bound: bound, Runs: map[storage.PayoutRunKey]bool{}}
		for k, v := range facts.Runs {
			x.Runs[k] = v
		}
		x.Affiliates = []affiliate.Affiliate{facts.Affiliates["ann"], facts.Affiliates["top"]}
		if x.Affiliates[0].ID != "ann" || x.Affiliates[1].ID != "top" || len(x.Runs) != 1 {
			t.Fatalf("%s: the read brought %+v", tc.name, facts)
		}
		tc.change(x)
		id := affiliate.EventID("p-" + string(c))
		p := &affiliate.Payment{ID: id, Customer: c, PaidAt: at, Currency: "EUR",
			Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(1000, "EUR")}}}
		commit := storage.Commit{Key: "event:" + string(id), Hash: "h", Expect: x,
			Event: &affiliate.EventRecord{ID: id, Customer: c, Time: at, Hash: "h", Payment: p, Affiliate: "ann"},
			State: storage.CustomerState{Customer: c, Version: 1, Data: []byte("state")}}
		wrote, err := sqlstore.CommitOnePostgres(s, commit)
		if err != nil || wrote != tc.wrote {
			t.Errorf("%s: the one statement wrote %v, %v; want %v", tc.name, wrote, err, tc.wrote)
		}
	}
}
