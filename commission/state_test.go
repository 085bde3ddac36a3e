package commission

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// TestJSONStateStillRecords: a customer whose state an earlier version
// stored as JSON (format 2) takes its next payment in order as if the
// state were binary, and the state is then written in format 3.
func TestJSONStateStillRecords(t *testing.T) {
	ctx := context.Background()
	st := memstore.New()
	if err := st.PutAffiliate(ctx, affiliate.Affiliate{ID: "a", Status: affiliate.StatusActive}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	if _, err := st.Bind(ctx, affiliate.Binding{Customer: "c", Affiliate: "a", Source: affiliate.BindByManual, BoundAt: at}); err != nil {
		t.Fatal(err)
	}
	eng, err := New(Config{Store: st, Terms: []TermsVersion{{Version: "v1", Rule: rules.Percent{Name: "share", Rate: affiliate.MustPercent("30")}}}})
	if err != nil {
		t.Fatal(err)
	}
	payment := func(id string, at time.Time) affiliate.Payment {
		return affiliate.Payment{ID: affiliate.EventID(id), Customer: "c", PaidAt: at, Currency: "EUR",
			Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(10000, "EUR")}}}
	}
	if _, err := eng.Record(ctx, payment("p1", at)); err != nil {
		t.Fatal(err)
	}
	state, err := st.CustomerState(ctx, "c")
	if err != nil {
		t.Fatal(err)
	}
	s, err := decodeSummary(state.Data)
	if err != nil {
		t.Fatal(err)
	}
	s.Format = stateFormatJSON
	old, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Commit(ctx, storage.Commit{Key: "json-state", Hash: "h", State: storage.CustomerState{Customer: "c", Version: state.Version + 1, Data: old}}); err != nil {
		t.Fatal(err)
	}

	res, err := eng.Record(ctx, payment("p2", at.AddDate(0, 1, 0)))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Entries) != 1 || res.Entries[0].Amount != affiliate.MustMoney(3000, "EUR") || res.Entries[0].Payment != "p2" {
		t.Fatalf("p2 after a JSON state: %+v", res.Entries)
	}
	state, err = st.CustomerState(ctx, "c")
	if err != nil {
		t.Fatal(err)
	}
	if state.Data[0] != stateFormat {
		t.Fatalf("state rewritten as %q, want format 3", state.Data)
	}
	if s, err := decodeSummary(state.Data); err != nil || s.Count != 2 || s.LastID != "p2" {
		t.Fatalf("summary after p2: %+v, %v", s, err)
	}
}

// TestSummaryBytesAreDeterministic: one summary always encodes to the
// same bytes (the Rebound map is written in key order).
func TestSummaryBytesAreDeterministic(t *testing.T) {
	s := summary{Rebound: map[affiliate.EventID]affiliate.AffiliateID{}}
	for _, id := range []affiliate.EventID{"p9", "p1", "p5", "p3", "p7", "p2", "p8"} {
		s.Rebound[id] = "a"
	}
	first := appendSummary(nil, &s)
	for range 20 {
		if again := appendSummary(nil, &s); !bytes.Equal(again, first) {
			t.Fatalf("two encodings of one summary:\n%q\n%q", first, again)
		}
	}
}
