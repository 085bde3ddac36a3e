package commission_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// runReader is memstore with a storage.BatchReader that reads one by one
// and, when answer is set, answers the payout runs asked; it counts the
// PayoutRun reads made to it. With along set it also reads the bound
// affiliates the query does not name as known, as sqlstore does, and
// counts them.
type runReader struct {
	*memstore.Store
	mu         sync.Mutex // the counters', for Records at once
	answer     bool
	payoutRuns int
	along      bool
	readAlong  map[affiliate.AffiliateID]int
}

func (s *runReader) PayoutRun(ctx context.Context, program string, p affiliate.Period) (affiliate.PayoutRun, error) {
	s.mu.Lock()
	s.payoutRuns++
	s.mu.Unlock()
	return s.Store.PayoutRun(ctx, program, p)
}

func (s *runReader) ReadBatch(ctx context.Context, q storage.BatchQuery) (storage.BatchFacts, error) {
	f := storage.BatchFacts{
		States:   map[affiliate.CustomerID]storage.CustomerState{},
		Events:   map[affiliate.EventID]affiliate.EventRecord{},
		Bindings: map[affiliate.CustomerID]affiliate.Binding{},
	}
	for _, c := range q.Customers {
		if st, err := s.Store.CustomerState(ctx, c); err == nil && st.Version > 0 {
			f.States[c] = st
		}
		if b, err := s.Store.Binding(ctx, c); err == nil {
			f.Bindings[c] = b
		}
	}
	for _, id := range q.Events {
		if rec, err := s.Store.Event(ctx, id); err == nil {
			f.Events[id] = rec
		}
	}
	if s.along {
		f.Affiliates = map[affiliate.AffiliateID]affiliate.Affiliate{}
		for _, b := range f.Bindings {
			if _, read := f.Affiliates[b.Affiliate]; read || slices.Contains(q.KnownAffiliates, b.Affiliate) {
				continue
			}
			if a, err := s.Store.Affiliate(ctx, b.Affiliate); err == nil {
				f.Affiliates[a.ID] = a
				s.mu.Lock()
				s.readAlong[a.ID]++
				s.mu.Unlock()
			}
		}
	}
	if s.answer {
		f.Runs = map[storage.PayoutRunKey]bool{}
		for _, k := range q.Runs {
			_, err := s.Store.PayoutRun(ctx, k.Program, k.Period)
			f.Runs[k] = err == nil
		}
	}
	return f, nil
}

// TestPrefetchAnswersTheMonth: Record asks its store's ReadBatch whether
// the event's month has a payout run, and reads the run itself only where
// the prefetch did not answer: a store that answers saves the engine a
// read per event, and the entries are the same either way.
func TestPrefetchAnswersTheMonth(t *testing.T) {
	for _, tc := range []struct {
		answer bool
		reads  [2]int // the engine's PayoutRun reads before January's run and after
	}{
		// Before: p1 asks about January (open). After: p0 about January
		// (closed, and remembered so), then February (open), which the
		// prefetch was not asked; p2 about February (open).
		{answer: true, reads: [2]int{0, 1}},
		{answer: false, reads: [2]int{1, 3}},
	} {
		ctx := context.Background()
		s := &runReader{Store: memstore.New(), answer: tc.answer}
		if err := s.PutAffiliate(ctx, aff("a1", "")); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Bind(ctx, affiliate.Binding{Customer: "c1", Affiliate: "a1", Source: affiliate.BindByManual, BoundAt: day(time.January, 1)}); err != nil {
			t.Fatal(err)
		}
		eng, err := commission.New(commission.Config{Store: s, Terms: terms(rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("20")})})
		if err != nil {
			t.Fatal(err)
		}
		runner, err := payout.New(payout.Config{Store: s})
		if err != nil {
			t.Fatal(err)
		}
		var dated []string
		record := func(p affiliate.Payment) {
			t.Helper()
			res, err := eng.Record(ctx, p)
			if err != nil || len(res.Entries) != 1 {
				t.Fatalf("answer %v: Record(%s) = %d entries, %v", tc.answer, p.ID, len(res.Entries), err)
			}
			dated = append(dated, res.Entries[0].At.Format(time.DateOnly))
		}
		record(eurPay("p1", day(time.January, 5), "100"))
		var reads [2]int
		reads[0] = s.payoutRuns
		if _, err := runner.Run(ctx, per("2026-01"), per("2026-01").End()); err != nil {
			t.Fatal(err)
		}
		s.payoutRuns = 0 // the runner's own
		record(eurPay("p0", day(time.January, 7), "100"))
		record(eurPay("p2", day(time.February, 10), "100"))
		want := []string{"2026-01-05", "2026-02-01", "2026-02-10"}
		if len(dated) != len(want) || dated[0] != want[0] || dated[1] != want[1] || dated[2] != want[2] {
			t.Errorf("answer %v: entries dated %v; want %v", tc.answer, dated, want)
		}
		reads[1] = s.payoutRuns
		if reads != tc.reads {
			t.Errorf("answer %v: the engine read payout runs %v times (before January's run, after); want %v", tc.answer, reads, tc.reads)
		}
	}
}

// TestBatchReadsEachAffiliateAlongOnce: under tiers that may read anything
// a RecordBatch round holds one payment of an affiliate, so a batch of
// one affiliate's customers runs a round a payment; the store reads the
// affiliate along in the first and is told in the others that the
// engine has it.
func TestBatchReadsEachAffiliateAlongOnce(t *testing.T) {
	ctx := context.Background()
	s := &runReader{Store: memstore.New(), along: true, readAlong: map[affiliate.AffiliateID]int{}}
	if err := s.PutAffiliate(ctx, aff("a1", "")); err != nil {
		t.Fatal(err)
	}
	var events []affiliate.Event
	for _, c := range []affiliate.CustomerID{"c1", "c2", "c3", "c4"} {
		if _, err := s.Bind(ctx, affiliate.Binding{Customer: c, Affiliate: "a1", Source: affiliate.BindByManual, BoundAt: day(time.January, 1)}); err != nil {
			t.Fatal(err)
		}
		p := eurPay("p-"+string(c), day(time.January, 5), "100")
		p.Customer = c
		events = append(events, p)
	}
	readsAny := commission.TierSourceFunc(func(context.Context, affiliate.AffiliateID, affiliate.Payment) (rules.Tier, error) {
		return rules.Tier{}, nil
	})
	eng, err := commission.New(commission.Config{Store: s, Tiers: readsAny, Terms: terms(rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("20")})})
	if err != nil {
		t.Fatal(err)
	}
	res, err := eng.RecordBatch(ctx, events)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if len(r.Entries) != 1 {
			t.Errorf("event %d: %d entries; want 1", i, len(r.Entries))
		}
	}
	if got := s.readAlong["a1"]; got != 1 {
		t.Errorf("the store read a1 along %d times in one batch of four rounds; want once", got)
	}
}
