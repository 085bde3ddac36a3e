package commission_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
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

// keepingStore is memstore that also keeps, by value, every string of
// every commit it is given, as a store keying a map by entry ID would,
// with a copy of each to compare later.
type keepingStore struct {
	*memstore.Store
	kept, copies []string
}

func (s *keepingStore) keep(cs ...storage.Commit) {
	for _, c := range cs {
		strs := []string{c.Key, c.Hash, string(c.State.Customer)}
		if c.Event != nil {
			strs = append(strs, string(c.Event.ID), string(c.Event.Affiliate), c.Event.Hash)
		}
		for _, e := range c.Entries {
			strs = append(strs, string(e.ID), string(e.Beneficiary), string(e.Event), string(e.Payment), string(e.Customer),
				string(e.Corrects), e.Rule, e.Terms, e.Tier)
			for _, a := range e.Chain {
				strs = append(strs, string(a))
			}
		}
		for _, d := range c.Deltas {
			strs = append(strs, string(d.Affiliate))
		}
		for _, str := range strs {
			s.kept, s.copies = append(s.kept, str), append(s.copies, strings.Clone(str))
		}
	}
}

func (s *keepingStore) Commit(ctx context.Context, c storage.Commit) (storage.CommitResult, error) {
	s.keep(c)
	return s.Store.Commit(ctx, c)
}

func (s *keepingStore) CommitBatch(ctx context.Context, cs []storage.Commit) ([]storage.CommitResult, error) {
	s.keep(cs...)
	return s.Store.CommitBatch(ctx, cs)
}

// The engine reuses a Commit's slices and the state's bytes once the call
// returns, but never the bytes of a string: a store may keep any string
// of a Commit as it is.
func TestCommitStringsStayPut(t *testing.T) {
	ctx := context.Background()
	st := &keepingStore{Store: memstore.New()}
	for _, a := range []affiliate.Affiliate{aff("p", ""), aff("a", "p")} {
		if err := st.PutAffiliate(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	eng, err := commission.New(commission.Config{Store: st, Terms: terms(rules.AllOf{thirty, rules.SubAffiliateBonus{Rate: affiliate.MustPercent("5")}})})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		c := affiliate.CustomerID("c" + strconv.Itoa(i%5))
		if i < 5 {
			if _, err := st.Bind(ctx, affiliate.Binding{Customer: c, Affiliate: "a", Source: affiliate.BindByManual, BoundAt: jan15}); err != nil {
				t.Fatal(err)
			}
		}
		ev := sub("p"+strconv.Itoa(i), string(c), month(i/5), "100")
		if i%2 == 0 {
			_, err = eng.Record(ctx, ev)
		} else {
			_, err = eng.RecordBatch(ctx, []affiliate.Event{ev})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(st.kept) == 0 {
		t.Fatal("the store kept no strings")
	}
	for i, s := range st.kept {
		if s != st.copies[i] {
			t.Errorf("a string of a commit changed after the commit: %q, was %q", s, st.copies[i])
		}
	}
}
