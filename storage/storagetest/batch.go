package storagetest

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// BatchStore is what RunBatch needs: the event log with its batch write,
// the states, ledger and aggregates a batch moves. A store that also
// implements storage.Outbox has its outbox checked too.
type BatchStore interface {
	storage.Events
	storage.CustomerStates
	storage.Ledger
	storage.Aggregates
}

// batchScope names what the batch cases write: customers c1, c2, c3 and
// affiliate aff, each behind a prefix, so that the runs of a property can
// share two stores.
type batchScope string

func (p batchScope) customers() []affiliate.CustomerID {
	return []affiliate.CustomerID{affiliate.CustomerID(p + "c1"), affiliate.CustomerID(p + "c2"), affiliate.CustomerID(p + "c3")}
}

func (p batchScope) affiliate() affiliate.AffiliateID { return affiliate.AffiliateID(p + "aff") }

// commit is a commit for customer at version, with one entry and one
// revenue delta, keyed by id.
func (p batchScope) commit(id string, customer affiliate.CustomerID, version int64) storage.Commit {
	id = string(p) + id
	c := paymentCommit("event:"+id, affiliate.EventID(id), customer, version, entry(id+"/0", p.affiliate(), customer, affiliate.EventID(id), eur(100), t0))
	c.Deltas = []storage.AggregateDelta{{Affiliate: p.affiliate(), Period: per("2026-01"), Metric: affiliate.MetricRevenue, Amount: eur(2000), Count: 1}}
	return c
}

// batchCommit is the unprefixed scope's commit.
func batchCommit(id string, customer affiliate.CustomerID, version int64) storage.Commit {
	return batchScope("").commit(id, customer, version)
}

// RunBatch runs the cases of storage.Events.CommitBatch.
func RunBatch(t *testing.T, newStore Factory[BatchStore]) {
	t.Run("Empty", func(t *testing.T) {
		s := newStore(t)
		before := dumpBatch(t, s)
		res, err := s.CommitBatch(ctxT(), nil)
		if err != nil || len(res) != 0 {
			t.Fatalf("CommitBatch(nil) = %v, %v; want no results, no error", res, err)
		}
		if diff := cmp.Diff(before, dumpBatch(t, s)); diff != "" {
			t.Fatalf("an empty batch changed the store (-before +after):\n%s", diff)
		}
	})

	t.Run("OneCustomerSeveralTimes", func(t *testing.T) {
		s := newStore(t)
		batch := []storage.Commit{batchCommit("p1", "c1", 1), batchCommit("p2", "c2", 1), batchCommit("p3", "c1", 2), batchCommit("p4", "c1", 3)}
		res, err := s.CommitBatch(ctxT(), batch)
		if err != nil || len(res) != len(batch) {
			t.Fatalf("CommitBatch = %v, %v", res, err)
		}
		for i, r := range res {
			if r.Replayed || len(r.Entries) != 1 || r.Entries[0].ID != batch[i].Entries[0].ID {
				t.Errorf("result %d = %+v; want the commit's one entry, not replayed", i, r)
			}
		}
		if st, err := s.CustomerState(ctxT(), "c1"); err != nil || st.Version != 3 || string(st.Data) != "state 3" {
			t.Fatalf("CustomerState(c1) = %+v, %v; want version 3", st, err)
		}
		aggs, err := s.AffiliateAggregates(ctxT(), "aff", affiliate.MetricRevenue, per("2026-01"), per("2026-01"))
		if err != nil || len(aggs) != 1 || aggs[0].Amount.Minor() != 8000 || aggs[0].Count != 4 {
			t.Fatalf("AffiliateAggregates = %+v, %v; want 80.00 EUR over 4", aggs, err)
		}
	})

	t.Run("Replays", func(t *testing.T) {
		s := newStore(t)
		first := batchCommit("p1", "c1", 1)
		if _, err := s.CommitBatch(ctxT(), []storage.Commit{first}); err != nil {
			t.Fatal(err)
		}
		next := batchCommit("p2", "c1", 2)
		// first again (its version is stale: a replay ignores it), next,
		// and next again within the batch.
		res, err := s.CommitBatch(ctxT(), []storage.Commit{first, next, next})
		if err != nil {
			t.Fatal(err)
		}
		want := []struct {
			replayed bool
			entry    affiliate.EntryID
		}{{true, "p1/0"}, {false, "p2/0"}, {true, "p2/0"}}
		for i, w := range want {
			if res[i].Replayed != w.replayed || len(res[i].Entries) != 1 || res[i].Entries[0].ID != w.entry {
				t.Errorf("result %d = %+v; want Replayed %v with entry %s", i, res[i], w.replayed, w.entry)
			}
		}
		if st, _ := s.CustomerState(ctxT(), "c1"); st.Version != 2 {
			t.Fatalf("state version %d after the replays, want 2", st.Version)
		}
	})

	t.Run("AllOrNothing", func(t *testing.T) {
		for _, tc := range batchFailures() {
			t.Run(tc.name, func(t *testing.T) {
				s := newStore(t)
				for _, c := range tc.before {
					must(t, commitErr(s, c))
				}
				before := dumpBatch(t, s)
				res, err := s.CommitBatch(ctxT(), tc.batch)
				var be *storage.BatchError
				if !errors.As(err, &be) || be.Index != tc.index || !errors.Is(err, tc.want) {
					t.Fatalf("CommitBatch = %v, %v; want a *storage.BatchError at %d matching %v", res, err, tc.index, tc.want)
				}
				if res != nil {
					t.Errorf("a failed batch returned results %v", res)
				}
				if diff := cmp.Diff(before, dumpBatch(t, s)); diff != "" {
					t.Fatalf("a failed batch changed the store (-before +after):\n%s", diff)
				}
			})
		}
	})

	t.Run("Concurrent", func(t *testing.T) {
		// Writers race with batches for the same two customers at version
		// 1: exactly one batch lands, whole; the others fail with
		// ErrConflict and leave nothing.
		s := newStore(t)
		const writers = 6
		errs := make([]error, writers)
		var wg sync.WaitGroup
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[w] = s.CommitBatch(ctxT(), []storage.Commit{
					batchCommit(fmt.Sprintf("w%d-a", w), "c1", 1),
					batchCommit(fmt.Sprintf("w%d-b", w), "c2", 1),
				})
			}()
		}
		wg.Wait()
		winner := -1
		for w, err := range errs {
			switch {
			case err == nil && winner >= 0:
				t.Fatalf("writers %d and %d both committed version 1", winner, w)
			case err == nil:
				winner = w
			case !errors.Is(err, affiliate.ErrConflict):
				t.Fatalf("writer %d: %v; want ErrConflict", w, err)
			}
		}
		if winner < 0 {
			t.Fatal("no writer committed")
		}
		for _, c := range []affiliate.CustomerID{"c1", "c2"} {
			evs, err := s.Events(ctxT(), storage.EventQuery{Customer: c})
			if err != nil || len(evs) != 1 || !strings.HasPrefix(string(evs[0].ID), fmt.Sprintf("w%d-", winner)) {
				t.Fatalf("Events(%s) = %v, %v; want the winner's one event", c, recordIDs(evs), err)
			}
		}
		aggs, err := s.AffiliateAggregates(ctxT(), "aff", affiliate.MetricRevenue, per("2026-01"), per("2026-01"))
		if err != nil || len(aggs) != 1 || aggs[0].Count != 2 {
			t.Fatalf("AffiliateAggregates = %+v, %v; want the winner's two deltas only", aggs, err)
		}
	})

	t.Run("ReadBatch", func(t *testing.T) {
		s := newStore(t)
		r, ok := s.(storage.BatchReader)
		if !ok {
			t.Skip("the store does not implement the optional storage.BatchReader")
		}
		must(t, commitErr(s, batchCommit("p1", "c1", 1)))
		must(t, commitErr(s, batchCommit("p2", "c1", 2)))
		must(t, commitErr(s, batchCommit("p3", "c2", 1)))
		b, ok := s.(storage.Bindings)
		if ok {
			if _, err := b.Bind(ctxT(), affiliate.Binding{Customer: "c1", Affiliate: "aff", Source: affiliate.BindByCode, BoundAt: t0}); err != nil {
				t.Fatal(err)
			}
		}
		affs, _ := s.(storage.Affiliates)
		if affs != nil {
			for _, a := range []affiliate.Affiliate{
				{ID: "boss", Status: affiliate.StatusActive, Name: "Bo", CreatedAt: t0},
				{ID: "aff", Parent: "boss", Status: affiliate.StatusActive, Name: "Ann", Codes: []string{"ANN"}, CreatedAt: t0},
			} {
				if err := affs.PutAffiliate(ctxT(), a); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Affiliates is optional: each one a store read along must be one
		// a binding names or its parent, as read alone.
		checkAffiliates := func(f *storage.BatchFacts) {
			t.Helper()
			for id, a := range f.Affiliates {
				if affs == nil {
					t.Fatalf("ReadBatch read affiliate %q along from a store that keeps none", id)
				}
				named := false
				for _, bd := range f.Bindings {
					bound, err := affs.Affiliate(ctxT(), bd.Affiliate)
					named = named || bd.Affiliate == id || err == nil && bound.Parent == id
				}
				if !named {
					t.Fatalf("ReadBatch read affiliate %q along, which no binding it returned names, nor the parent of one", id)
				}
				alone, err := affs.Affiliate(ctxT(), id)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(alone, a); diff != "" {
					t.Fatalf("ReadBatch's affiliate %q (-read alone +read along):\n%s", id, diff)
				}
			}
			f.Affiliates = nil
		}
		// Runs is optional too: each run a store answers must be one asked,
		// answered as Payouts.PayoutRun answers.
		payouts, _ := s.(storage.Payouts)
		if payouts != nil {
			if _, err := payouts.CreatePayoutRun(ctxT(), affiliate.PayoutRun{Program: "default", Period: per("2026-01"), Hash: "h", AsOf: t0}); err != nil {
				t.Fatal(err)
			}
		}
		runs := []storage.PayoutRunKey{{Program: "default", Period: per("2026-01")}, {Program: "default", Period: per("2026-02")}, {Program: "other", Period: per("2026-01")}, {Program: "bad\x00key", Period: per("2026-01")}}
		checkRuns := func(f *storage.BatchFacts, asked []storage.PayoutRunKey) {
			t.Helper()
			for k, found := range f.Runs {
				if !slices.Contains(asked, k) || payouts == nil {
					t.Fatalf("ReadBatch answered run %v, which was not asked", k)
				}
				_, err := payouts.PayoutRun(ctxT(), k.Program, k.Period)
				if alone := err == nil; alone != found || (!alone && !errors.Is(err, affiliate.ErrNotFound)) {
					t.Fatalf("ReadBatch found run %v: %v; PayoutRun: %v", k, found, err)
				}
			}
			f.Runs = nil
		}
		customers := []affiliate.CustomerID{"c1", "c2", "c3", ""}
		events := []affiliate.EventID{"p1", "p3", "nowhere", ""}
		got, err := r.ReadBatch(ctxT(), storage.BatchQuery{Customers: customers, Events: events, Runs: runs})
		if err != nil {
			t.Fatal(err)
		}
		checkAffiliates(&got)
		checkRuns(&got, runs)
		want := storage.BatchFacts{States: map[affiliate.CustomerID]storage.CustomerState{}, Events: map[affiliate.EventID]affiliate.EventRecord{}, Bindings: map[affiliate.CustomerID]affiliate.Binding{}}
		for _, c := range customers {
			if st, err := s.CustomerState(ctxT(), c); err == nil && st.Version > 0 {
				want.States[c] = st
			}
			if ok {
				if bd, err := b.Binding(ctxT(), c); err == nil {
					want.Bindings[c] = bd
				}
			}
		}
		for _, id := range events {
			if rec, err := s.Event(ctxT(), id); err == nil {
				want.Events[id] = rec
			}
		}
		if len(want.States) != 2 || len(want.Events) != 2 {
			t.Fatalf("fixture: %d states, %d events read one by one; want 2 and 2", len(want.States), len(want.Events))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("ReadBatch (-one by one +batch):\n%s", diff)
		}
		// One customer, one event and one run, as Record reads (a store may
		// answer that with a statement of its own): every triple, found or
		// not.
		answered := 0
		for i, c := range append(customers, "bad\x00key") {
			for j, id := range append(events, "bad\x00key") {
				run := runs[(i+j)%len(runs)]
				got, err := r.ReadBatch(ctxT(), storage.BatchQuery{Customers: []affiliate.CustomerID{c}, Events: []affiliate.EventID{id}, Runs: []storage.PayoutRunKey{run}})
				if err != nil {
					t.Fatalf("ReadBatch(%q, %q, %v): %v", c, id, run, err)
				}
				checkAffiliates(&got)
				answered += len(got.Runs)
				checkRuns(&got, []storage.PayoutRunKey{run})
				one := storage.BatchFacts{States: map[affiliate.CustomerID]storage.CustomerState{}, Events: map[affiliate.EventID]affiliate.EventRecord{}, Bindings: map[affiliate.CustomerID]affiliate.Binding{}}
				if st, ok := want.States[c]; ok {
					one.States[c] = st
				}
				if bd, ok := want.Bindings[c]; ok {
					one.Bindings[c] = bd
				}
				if rec, ok := want.Events[id]; ok {
					one.Events[id] = rec
				}
				if diff := cmp.Diff(one, got); diff != "" {
					t.Fatalf("ReadBatch(%q, %q) (-one by one +batch):\n%s", c, id, diff)
				}
			}
		}
		t.Logf("ReadBatch answered %d of the runs asked one at a time", answered)
	})

	t.Run("SameAsOneByOne", func(t *testing.T) {
		// Two stores for all runs (a database each is costly), each run
		// in a scope of its own.
		a, b := newStore(t), newStore(t)
		run := 0
		rapid.Check(t, func(rt *rapid.T) {
			run++
			batchEqualsOneByOne(rt, batchScope(fmt.Sprintf("r%d-", run)), a, b)
		})
	})
}

type batchFailure struct {
	name   string
	before []storage.Commit // committed one by one first
	batch  []storage.Commit
	index  int
	want   error
}

func batchFailures() []batchFailure {
	mismatched := batchCommit("p1", "c1", 2)
	mismatched.Hash = "another"
	overflow := batchCommit("p3", "c3", 1)
	overflow.Deltas[0].Amount = affiliate.MustMoney(math.MaxInt64, "EUR")
	noKey := batchCommit("p3", "c3", 1)
	noKey.Key = ""
	badEntry := batchCommit("p3", "c3", 1)
	badEntry.Entries[0].ID = ""
	entryTaken := batchCommit("p3", "c3", 1)
	entryTaken.Entries[0].ID = "p0/0"
	entryTwice := batchCommit("p3", "c3", 1)
	entryTwice.Entries[0].ID = "p2/0"
	eventTaken := batchCommit("p3", "c3", 1)
	eventTaken.Key, eventTaken.Event.ID = "event:other", "p0"
	eventTwice := batchCommit("p3", "c3", 1)
	eventTwice.Key, eventTwice.Event.ID = "event:other", "p2"
	stored := []storage.Commit{batchCommit("p0", "c1", 1)}
	stale := batchCommit("p3", "c1", 1)
	return []batchFailure{
		{name: "MismatchWithStoredKey", before: []storage.Commit{batchCommit("p1", "c1", 1)}, batch: []storage.Commit{batchCommit("p2", "c2", 1), mismatched}, index: 1, want: affiliate.ErrIdempotencyMismatch},
		{name: "MismatchWithinBatch", batch: []storage.Commit{batchCommit("p1", "c1", 1), batchCommit("p2", "c2", 1), mismatched}, index: 2, want: affiliate.ErrIdempotencyMismatch},
		{name: "StaleVersion", before: stored, batch: []storage.Commit{batchCommit("p2", "c2", 1), stale}, index: 1, want: affiliate.ErrConflict},
		{name: "BrokenVersionChain", batch: []storage.Commit{batchCommit("p1", "c1", 1), batchCommit("p2", "c2", 1), batchCommit("p3", "c1", 3)}, index: 2, want: affiliate.ErrConflict},
		{name: "EventStored", before: stored, batch: []storage.Commit{batchCommit("p2", "c2", 1), eventTaken}, index: 1, want: affiliate.ErrConflict},
		{name: "EventTwice", batch: []storage.Commit{batchCommit("p2", "c2", 1), eventTwice}, index: 1, want: affiliate.ErrConflict},
		{name: "EntryStored", before: stored, batch: []storage.Commit{batchCommit("p2", "c2", 1), entryTaken}, index: 1, want: affiliate.ErrConflict},
		{name: "EntryTwice", batch: []storage.Commit{batchCommit("p2", "c2", 1), entryTwice}, index: 1, want: affiliate.ErrConflict},
		{name: "AggregateOverflow", batch: []storage.Commit{batchCommit("p2", "c2", 1), overflow}, index: 1, want: affiliate.ErrInvalid},
		{name: "NoKey", batch: []storage.Commit{batchCommit("p2", "c2", 1), noKey}, index: 1, want: affiliate.ErrInvalid},
		{name: "InvalidEntry", batch: []storage.Commit{batchCommit("p2", "c2", 1), badEntry}, index: 1, want: affiliate.ErrInvalid},
	}
}

// batchEqualsOneByOne commits a generated stream one by one to a and in
// generated batches to b: each batch succeeds exactly when its commits
// succeed one by one, fails at the first that fails, and leaves b as a
// holds after the same successful commits, outbox included.
func batchEqualsOneByOne(rt *rapid.T, scope batchScope, a, b BatchStore) {
	versions := map[affiliate.CustomerID]int64{}
	var stream []storage.Commit
	n := rapid.IntRange(1, 24).Draw(rt, "commits")
	for i := range n {
		var c storage.Commit
		switch {
		case len(stream) > 0 && rapid.IntRange(0, 5).Draw(rt, "replay") == 0:
			c = stream[rapid.IntRange(0, len(stream)-1).Draw(rt, "of")]
		default:
			cust := rapid.SampledFrom(scope.customers()).Draw(rt, "customer")
			v := versions[cust] + 1
			if rapid.IntRange(0, 9).Draw(rt, "stale") == 0 {
				v-- // a conflict
			}
			c = scope.commit(fmt.Sprintf("e%d", i), cust, v)
			c.Event.Time = t0.Add(time.Duration(i) * time.Hour)
			c.Event.Payment.PaidAt = c.Event.Time
			versions[cust] = max(versions[cust], v)
		}
		stream = append(stream, c)
	}
	for len(stream) > 0 {
		batch := stream[:rapid.IntRange(1, len(stream)).Draw(rt, "batch")]
		stream = stream[len(batch):]
		var want []storage.CommitResult
		failed := -1
		for i, c := range batch {
			res, err := a.Commit(ctxT(), c)
			if err != nil {
				failed = i
				break
			}
			want = append(want, res)
		}
		if failed >= 0 {
			before := dumpScope(rt, scope, b)
			_, err := b.CommitBatch(ctxT(), batch)
			var be *storage.BatchError
			if !errors.As(err, &be) || be.Index != failed {
				rt.Fatalf("CommitBatch = %v; one by one, commit %d fails", err, failed)
			}
			if diff := cmp.Diff(before, dumpScope(rt, scope, b)); diff != "" {
				rt.Fatalf("a failed batch changed the store (-before +after):\n%s", diff)
			}
			return // a holds the batch's commits before the failed one: the comparison ends here
		}
		got, err := b.CommitBatch(ctxT(), batch)
		if err != nil {
			rt.Fatalf("CommitBatch: %v; one by one every commit succeeds", err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			rt.Fatalf("results (-one by one +batch):\n%s", diff)
		}
		if diff := cmp.Diff(dumpScope(rt, scope, a), dumpScope(rt, scope, b)); diff != "" {
			rt.Fatalf("stores (-one by one +batch):\n%s", diff)
		}
	}
}

// batchDump is what a batch can change, read back.
type batchDump struct {
	States  []storage.CustomerState
	Events  [][]affiliate.EventRecord
	Entries [][]affiliate.Entry
	Aggs    []storage.Aggregate
	Outbox  []affiliate.OutboxEvent
}

type fataler interface {
	Helper()
	Fatal(...any)
}

func dumpBatch(tb fataler, s BatchStore) batchDump { return dumpScope(tb, "", s) }

// dumpScope reads what the scope's commits wrote; of the outbox, the
// events about the scope's affiliate.
func dumpScope(tb fataler, scope batchScope, s BatchStore) batchDump {
	tb.Helper()
	var d batchDump
	for _, c := range scope.customers() {
		st, err := s.CustomerState(ctxT(), c)
		if err != nil {
			tb.Fatal(err)
		}
		evs, err := s.Events(ctxT(), storage.EventQuery{Customer: c})
		if err != nil {
			tb.Fatal(err)
		}
		es, err := s.Entries(ctxT(), storage.EntryQuery{Customer: c})
		if err != nil {
			tb.Fatal(err)
		}
		slices.SortFunc(es, func(x, y affiliate.Entry) int { return strings.Compare(string(x.ID), string(y.ID)) })
		d.States, d.Events, d.Entries = append(d.States, st), append(d.Events, evs), append(d.Entries, es)
	}
	aggs, err := s.AffiliateAggregates(ctxT(), scope.affiliate(), affiliate.MetricRevenue, per("2026-01"), per("2026-12"))
	if err != nil {
		tb.Fatal(err)
	}
	d.Aggs = aggs
	if o, ok := s.(storage.Outbox); ok {
		for after := storage.Cursor(0); ; {
			evs, next, err := o.Read(ctxT(), after, storage.MaxOutboxRead)
			if err != nil {
				tb.Fatal(err)
			}
			if len(evs) == 0 {
				break
			}
			for _, e := range evs {
				if e.Affiliate == scope.affiliate() {
					e.Seq = 0 // the stores number their events apart
					d.Outbox = append(d.Outbox, e)
				}
			}
			after = next
		}
	}
	return d
}
