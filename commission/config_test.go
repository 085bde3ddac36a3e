package commission_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

func TestNewRefusesBadConfig(t *testing.T) {
	st := memstore.New()
	v := func(version string, from time.Time, r rules.Rule) commission.TermsVersion {
		return commission.TermsVersion{Version: version, From: from, Rule: r}
	}
	tests := []struct {
		name  string
		cfg   commission.Config
		field string
	}{
		{"no store", commission.Config{Terms: terms(thirty)}, "Config.Store"},
		{"no terms", commission.Config{Store: st}, "Config.Terms"},
		{"no version", commission.Config{Store: st, Terms: []commission.TermsVersion{v("", time.Time{}, thirty)}}, "Config.Terms[0].Version"},
		{"a version twice", commission.Config{Store: st, Terms: []commission.TermsVersion{v("a", time.Time{}, thirty), v("a", jan15, thirty)}}, "Config.Terms[1].Version"},
		{"versions out of order", commission.Config{Store: st, Terms: []commission.TermsVersion{v("a", jan15, thirty), v("b", jan15, thirty)}}, "Config.Terms[1].From"},
		{"no rule", commission.Config{Store: st, Terms: []commission.TermsVersion{v("a", time.Time{}, nil)}}, "Config.Terms[0].Rule"},
		{"a rule that fails validation", commission.Config{Store: st, Terms: terms(rules.Percent{})}, "Config.Terms[0].Rule"},
		{"a bad rounding mode", commission.Config{Store: st, Terms: []commission.TermsVersion{{Version: "a", Rule: thirty, Rounding: 9}}}, "Config.Terms[0].Rounding"},
		{"a negative hold", commission.Config{Store: st, Terms: []commission.TermsVersion{{Version: "a", Rule: thirty, Hold: -time.Hour}}}, "Config.Terms[0].Hold"},
		{"an unknown program currency", commission.Config{Store: st, Terms: terms(thirty), Currency: "EURO"}, "Config.Currency"},
		{"conversion required without a currency", commission.Config{Store: st, Terms: terms(thirty), RequireConversion: true}, "Config.RequireConversion"},
		{"a negative chain depth", commission.Config{Store: st, Terms: terms(thirty), ChainDepth: -1}, "Config.ChainDepth"},
		{"negative attempts", commission.Config{Store: st, Terms: terms(thirty), MaxAttempts: -1}, "Config.MaxAttempts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := commission.New(tt.cfg)
			var fe *affiliate.FieldError
			if !errors.Is(err, affiliate.ErrInvalid) || !errors.As(err, &fe) || fe.Field != tt.field {
				t.Fatalf("New = %v, want a *FieldError on %s", err, tt.field)
			}
		})
	}
}

// A new configuration whose rules read more history than the summaries
// were built for rebuilds them from the event log on the next event.
func TestNewRulesReadingMoreHistory(t *testing.T) {
	f := newFixture(t, commission.Config{Terms: terms(thirty)}, aff("a", ""))
	f.bind("c", "a", jan15)
	f.record(sub("m1", "c", month(0), "100"))
	f.record(sub("m2", "c", month(1), "200"))

	reward := rules.AllOf{thirty, rules.Deferred{Name: "loyalty", Rate: affiliate.MustPercent("10"), Payments: 3}}
	eng, err := commission.New(commission.Config{Store: f.store, Terms: terms(reward)})
	if err != nil {
		t.Fatal(err)
	}
	res, err := eng.Record(f.ctx, sub("m3", "c", month(2), "300"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range res.Entries {
		got = append(got, e.Rule+" "+string(e.Payment)+" "+e.Amount.String())
	}
	want := []string{"rev_share m3 90.00 EUR", "loyalty m1 10.00 EUR", "loyalty m2 20.00 EUR", "loyalty m3 30.00 EUR"}
	if !equalStrings(got, want) {
		t.Fatalf("entries %q, want %q", got, want)
	}
}

func TestCorruptSummary(t *testing.T) {
	f := newFixture(t, commission.Config{Terms: terms(thirty)}, aff("a", ""))
	f.bind("c", "a", jan15)
	if _, err := f.store.Commit(f.ctx, storage.Commit{Key: "garbage", Hash: "h", State: storage.CustomerState{Customer: "c", Version: 1, Data: []byte{1, 0xff}}}); err != nil {
		t.Fatal(err)
	}
	before := f.snapshot("c")
	_, err := f.eng.Record(f.ctx, sub("p1", "c", jan15, "10"))
	if !errors.Is(err, commission.ErrCorruptState) || !errors.Is(err, affiliate.ErrInvalid) {
		t.Fatalf("err = %v, want ErrCorruptState", err)
	}
	if after := f.snapshot("c"); !reflect.DeepEqual(before, after) {
		t.Fatal("the store changed")
	}
	if _, err := f.eng.Recompute(f.ctx, "c"); !errors.Is(err, commission.ErrCorruptState) {
		t.Fatalf("Recompute: %v", err)
	}
}

// TestFormat1Summary: a customer state written in the first, hand-made
// encoding is read as stale: the next event rebuilds the summary from the
// event log, keeping the terms version Reprice pinned (the only part of
// it the log does not hold), and writes it in the current, binary format
// (its first byte 3).
func TestFormat1Summary(t *testing.T) {
	ten := rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("10")}
	f := newFixture(t, commission.Config{Terms: []commission.TermsVersion{
		{Version: "v1", Rule: thirty}, {Version: "v2", From: month(6), Rule: ten},
	}}, aff("a", ""))
	f.bind("c", "a", jan15)
	f.record(sub("p1", "c", jan15, "100"))
	if _, err := f.eng.Reprice(f.ctx, "c", "v2"); err != nil {
		t.Fatal(err)
	}
	st, err := f.store.CustomerState(f.ctx, "c")
	if err != nil {
		t.Fatal(err)
	}
	// Format 1: the version byte, the history depth, the pinned version,
	// then fields the engine no longer reads.
	old := []byte{1, 0, 2, 'v', '2', 7, 7, 7}
	if _, err := f.store.Commit(f.ctx, storage.Commit{Key: "format-1", Hash: "h", State: storage.CustomerState{Customer: "c", Version: st.Version + 1, Data: old}}); err != nil {
		t.Fatal(err)
	}
	res := f.record(sub("p2", "c", month(1), "100"))
	if got := amounts(res.Entries); got != "a commission 10.00 EUR" {
		t.Errorf("p2 under the pinned v2: %s", got)
	}
	if got := netStrings(netOf(f.entries("c"))); !equalStrings(got, []string{"a/p1/commission=10.00 EUR", "a/p2/commission=10.00 EUR"}) {
		t.Errorf("net %q", got)
	}
	if st, _ := f.store.CustomerState(f.ctx, "c"); len(st.Data) == 0 || st.Data[0] != 3 {
		t.Errorf("state written as %q, want format 3", st.Data)
	}
}
