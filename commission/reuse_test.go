package commission_test

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
)

// The engine recycles its working memory between events; a Result must
// not change when later events reuse it. The later payments differ from
// the first in everything a Result's entries hold, chains and base lines
// included, so any memory shared with them shows.
func TestResultsOwnTheirEntries(t *testing.T) {
	cfg := commission.Config{Terms: terms(rules.AllOf{thirty, rules.SubAffiliateBonus{Rate: affiliate.MustPercent("5")}})}
	f := newFixture(t, cfg, aff("p", ""), aff("a", "p"), aff("q", ""), aff("b", "q"))
	f.bind("c", "a", jan15)
	for i := range 40 {
		f.bind("d"+strconv.Itoa(i), "b", jan15)
	}
	later := func(from int) {
		for i := from; i < from+20; i++ {
			f.record(pay("q"+strconv.Itoa(i), "d"+strconv.Itoa(i), month(1), "EUR", line(affiliate.LineAddOn, "77", "EUR")))
		}
	}

	// What each of c's payments returns: a's commission and p's bonus.
	wantShape := func(call, event string, es []affiliate.Entry) {
		t.Helper()
		got := make([]string, len(es))
		for i, e := range es {
			got[i] = fmt.Sprintf("%s %s %v %v", e.ID, e.Beneficiary, e.Chain, e.BaseLines)
		}
		if want := fmt.Sprintf("[%[1]s/1 a [a] [subscription] %[1]s/2 p [a p] [subscription]]", event); fmt.Sprint(got) != want {
			t.Fatalf("%s returned entries %q, want %s", call, got, want)
		}
	}
	first := f.record(sub("p1", "c", jan15, "100"))
	wantShape("Record", "p1", first.Entries)
	firstBefore := fmt.Sprintf("%+v", first)
	batch, err := f.eng.RecordBatch(f.ctx, []affiliate.Event{sub("p2", "c", month(1), "50")})
	if err != nil {
		t.Fatalf("RecordBatch: %v", err)
	}
	wantShape("RecordBatch", "p2", batch[0].Entries)
	batchBefore := fmt.Sprintf("%+v", batch)

	later(0)
	if _, err := f.eng.RecordBatch(f.ctx, []affiliate.Event{sub("p3", "c", month(2), "60")}); err != nil {
		t.Fatalf("RecordBatch: %v", err)
	}
	later(20)

	for _, c := range []struct{ name, before, after string }{
		{"Record", firstBefore, fmt.Sprintf("%+v", first)},
		{"RecordBatch", batchBefore, fmt.Sprintf("%+v", batch)},
	} {
		if c.after != c.before {
			t.Errorf("%s's result changed as later events were recorded:\nbefore %s\nafter  %s", c.name, c.before, c.after)
		}
	}
}
