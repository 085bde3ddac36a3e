package storagetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// EventStore is what RunEvents needs: the event log, the customer
// states its commits move, and the ledger they append to.
type EventStore interface {
	storage.Events
	storage.CustomerStates
	storage.Ledger
}

func paymentCommit(key string, id affiliate.EventID, customer affiliate.CustomerID, version int64, entries ...affiliate.Entry) storage.Commit {
	p := payment(id, customer, 2000, t0)
	return storage.Commit{
		Key: key, Hash: "h-" + key,
		Event:   &affiliate.EventRecord{ID: id, Customer: customer, Time: p.PaidAt, Hash: "h-" + key, Payment: p, Affiliate: "aff"},
		State:   storage.CustomerState{Customer: customer, Version: version, Data: []byte(fmt.Sprintf("state %d", version))},
		Entries: entries,
	}
}

// RunEvents runs the cases of storage.Events and storage.CustomerStates.
func RunEvents(t *testing.T, newStore Factory[EventStore]) {
	t.Run("CommitAndRead", func(t *testing.T) {
		s := newStore(t)
		c := paymentCommit("event:p1", "p1", "cus", 1, entry("p1/0", "aff", "cus", "p1", eur(600), t0))
		c.Deltas = []storage.AggregateDelta{{Affiliate: "aff", Period: per("2026-01"), Metric: affiliate.MetricRevenue, Amount: eur(2000)}}
		res, err := s.Commit(ctxT(), c)
		if err != nil || res.Replayed || len(res.Entries) != 1 {
			t.Fatalf("Commit = %+v, %v", res, err)
		}
		rec, err := s.Event(ctxT(), "p1")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(*c.Event, rec); diff != "" {
			t.Fatalf("Event (-want +got):\n%s", diff)
		}
		st, err := s.CustomerState(ctxT(), "cus")
		if err != nil || st.Version != 1 || string(st.Data) != "state 1" {
			t.Fatalf("CustomerState = %+v, %v", st, err)
		}
		es, _ := s.Entries(ctxT(), storage.EntryQuery{Event: "p1"})
		if len(es) != 1 || es[0].ID != "p1/0" {
			t.Fatalf("commit entries not in the ledger: %v", describe(es))
		}
	})

	t.Run("StateOfUnknownCustomer", func(t *testing.T) {
		s := newStore(t)
		st, err := s.CustomerState(ctxT(), "new")
		if err != nil || st.Version != 0 || len(st.Data) != 0 || st.Customer != "new" {
			t.Fatalf("CustomerState(new) = %+v, %v; want version 0, no data", st, err)
		}
	})

	t.Run("ReplayIgnoresVersion", func(t *testing.T) {
		s := newStore(t)
		c := paymentCommit("event:p1", "p1", "cus", 1, entry("p1/0", "aff", "cus", "p1", eur(600), t0))
		if _, err := s.Commit(ctxT(), c); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Commit(ctxT(), paymentCommit("event:p2", "p2", "cus", 2)); err != nil {
			t.Fatal(err)
		}
		res, err := s.Commit(ctxT(), c) // version 1 is stale now, but this is a replay
		if err != nil || !res.Replayed || len(res.Entries) != 1 || res.Entries[0].ID != "p1/0" {
			t.Fatalf("replay = %+v, %v; want Replayed with entry p1/0", res, err)
		}
	})

	t.Run("OrderedQueries", func(t *testing.T) {
		s := newStore(t)
		late := paymentCommit("event:p2", "p2", "cus", 1)
		late.Event.Time = t0.Add(48 * time.Hour)
		late.Event.Payment.PaidAt = late.Event.Time
		must(t, commitErr(s, late))
		must(t, commitErr(s, paymentCommit("event:p1", "p1", "cus", 2)))
		refund := storage.Commit{Key: "event:r1", Hash: "h", State: storage.CustomerState{Customer: "cus", Version: 3},
			Event: &affiliate.EventRecord{ID: "r1", Customer: "cus", Time: t0.Add(time.Hour), Hash: "h",
				Refund: &affiliate.Refund{ID: "r1", Payment: "p1", Customer: "cus", RefundedAt: t0.Add(time.Hour), Kind: affiliate.KindRefund, Full: true}}}
		must(t, commitErr(s, refund))
		byCustomer, err := s.Events(ctxT(), storage.EventQuery{Customer: "cus"})
		if err != nil {
			t.Fatal(err)
		}
		if got := recordIDs(byCustomer); !cmp.Equal(got, []affiliate.EventID{"p1", "r1", "p2"}) {
			t.Fatalf("Events(customer) = %v, want [p1 r1 p2] (by time)", got)
		}
		byPayment, _ := s.Events(ctxT(), storage.EventQuery{Payment: "p1"})
		if got := recordIDs(byPayment); !cmp.Equal(got, []affiliate.EventID{"p1", "r1"}) {
			t.Fatalf("Events(payment p1) = %v, want [p1 r1]", got)
		}
	})

	t.Run("ReinstatementRoundTrips", func(t *testing.T) {
		s := newStore(t)
		at := t0.Add(72 * time.Hour)
		want := affiliate.Reinstatement{ID: "dp_1/won", Chargeback: "dp_1", Customer: "cus", ReinstatedAt: at}
		c := storage.Commit{Key: "event:dp_1/won", Hash: "h", State: storage.CustomerState{Customer: "cus", Version: 1},
			Event: &affiliate.EventRecord{ID: want.ID, Customer: "cus", Time: at, Hash: "h", Reinstatement: &want}}
		must(t, commitErr(s, c))
		got, err := s.Event(ctxT(), want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Reinstatement == nil || got.Payment != nil || got.Refund != nil || !got.Reinstatement.ReinstatedAt.Equal(at) ||
			got.Reinstatement.ID != want.ID || got.Reinstatement.Chargeback != want.Chargeback || got.Reinstatement.Customer != want.Customer {
			t.Fatalf("Event(%s) = %+v, want the reinstatement %+v", want.ID, got, want)
		}
		got.Reinstatement.Chargeback = "mutated"
		again, _ := s.Event(ctxT(), want.ID)
		if again.Reinstatement == nil || again.Reinstatement.Chargeback != "dp_1" {
			t.Fatalf("a returned reinstatement shares memory with the store: %+v", again.Reinstatement)
		}
		byCustomer, _ := s.Events(ctxT(), storage.EventQuery{Customer: "cus"})
		if got := recordIDs(byCustomer); !cmp.Equal(got, []affiliate.EventID{want.ID}) {
			t.Fatalf("Events(customer) = %v, want [%s]", got, want.ID)
		}
	})

	t.Run("CommitWithoutEvent", func(t *testing.T) {
		s := newStore(t)
		c := storage.Commit{Key: "recompute:cus:1", Hash: "h", State: storage.CustomerState{Customer: "cus", Version: 1},
			Entries: []affiliate.Entry{entry("adj/0", "aff", "cus", "p0", eur(5), t0)}}
		must(t, commitErr(s, c))
		es, _ := s.Entries(ctxT(), storage.EntryQuery{Customer: "cus"})
		if len(es) != 1 {
			t.Fatalf("a commit without an event appended %d entries, want 1", len(es))
		}
	})

	errorCases := []struct {
		name   string
		setup  []storage.Commit
		commit func() storage.Commit
		want   error
	}{
		{"MissingKey", nil, func() storage.Commit { c := paymentCommit("k", "p1", "cus", 1); c.Key = ""; return c }, affiliate.ErrInvalid},
		{"MissingHash", nil, func() storage.Commit { c := paymentCommit("k", "p1", "cus", 1); c.Hash = ""; return c }, affiliate.ErrInvalid},
		{"MissingStateCustomer", nil, func() storage.Commit { c := paymentCommit("k", "p1", "cus", 1); c.State.Customer = ""; return c }, affiliate.ErrInvalid},
		{"EventOfTwoKinds", nil, func() storage.Commit {
			c := paymentCommit("k", "p1", "cus", 1)
			c.Event.Reinstatement = &affiliate.Reinstatement{ID: "p1", Chargeback: "cb", Customer: "cus", ReinstatedAt: t0}
			return c
		}, affiliate.ErrInvalid},
		{"EventOfOtherCustomer", nil, func() storage.Commit { c := paymentCommit("k", "p1", "cus", 1); c.Event.Customer = "other"; return c }, affiliate.ErrInvalid},
		{"InvalidEntry", nil, func() storage.Commit { return paymentCommit("k", "p1", "cus", 1, affiliate.Entry{ID: "x"}) }, affiliate.ErrInvalid},
		{"StaleVersion", []storage.Commit{paymentCommit("k0", "p0", "cus", 1)}, func() storage.Commit { return paymentCommit("k1", "p1", "cus", 1) }, affiliate.ErrConflict},
		{"SkippedVersion", nil, func() storage.Commit { return paymentCommit("k1", "p1", "cus", 2) }, affiliate.ErrConflict},
		{"EventIDTaken", []storage.Commit{paymentCommit("k0", "p1", "cus", 1)}, func() storage.Commit { return paymentCommit("k1", "p1", "cus", 2) }, affiliate.ErrConflict},
		{"EntryIDTaken", []storage.Commit{paymentCommit("k0", "p0", "cus", 1, entry("e", "aff", "cus", "p0", eur(1), t0))},
			func() storage.Commit {
				return paymentCommit("k1", "p1", "cus", 2, entry("e", "aff", "cus", "p1", eur(1), t0))
			}, affiliate.ErrConflict},
		{"KeyReusedWithOtherHash", []storage.Commit{paymentCommit("k0", "p0", "cus", 1)},
			func() storage.Commit { c := paymentCommit("k0", "p1", "cus", 2); c.Hash = "other"; return c }, affiliate.ErrIdempotencyMismatch},
	}
	for _, tc := range errorCases {
		t.Run("Error"+tc.name, func(t *testing.T) {
			s := newStore(t)
			for _, c := range tc.setup {
				must(t, commitErr(s, c))
			}
			before := snapshotCustomer(t, s, "cus")
			_, err := s.Commit(ctxT(), tc.commit())
			if !errors.Is(err, tc.want) {
				t.Fatalf("Commit = %v, want errors.Is %v", err, tc.want)
			}
			if diff := cmp.Diff(before, snapshotCustomer(t, s, "cus")); diff != "" {
				t.Fatalf("a failed Commit changed the store (-before +after):\n%s", diff)
			}
		})
	}

	t.Run("ErrorQueries", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.Event(ctxT(), "nope"); !errors.Is(err, affiliate.ErrNotFound) {
			t.Fatalf("Event(nope) = %v, want ErrNotFound", err)
		}
		for _, q := range []storage.EventQuery{{}, {Customer: "c", Payment: "p"}} {
			if _, err := s.Events(ctxT(), q); !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("Events(%+v) = %v, want ErrInvalid", q, err)
			}
		}
	})

	t.Run("CopyInCopyOut", func(t *testing.T) {
		s := newStore(t)
		c := paymentCommit("k", "p1", "cus", 1)
		must(t, commitErr(s, c))
		c.Event.Payment.Lines[0].Amount = eur(1)
		c.State.Data[0] = 'X'
		rec, _ := s.Event(ctxT(), "p1")
		rec.Payment.Lines[0].Amount = eur(2)
		st, _ := s.CustomerState(ctxT(), "cus")
		st.Data[0] = 'Y'
		again, _ := s.Event(ctxT(), "p1")
		if got := again.Payment.Lines[0].Amount; !got.Equal(eur(2000)) {
			t.Fatalf("stored payment line changed to %s by a caller's mutation", got)
		}
		if st2, _ := s.CustomerState(ctxT(), "cus"); string(st2.Data) != "state 1" {
			t.Fatalf("stored state changed to %q by a caller's mutation", st2.Data)
		}
	})

	t.Run("ReadStateStaysPut", func(t *testing.T) {
		// The engine keeps strings that alias a state's Data, so the Data
		// a store handed out must not change when the state moves on.
		s := newStore(t)
		must(t, commitErr(s, paymentCommit("k1", "p1", "cus", 1)))
		st, err := s.CustomerState(ctxT(), "cus")
		must(t, err)
		must(t, commitErr(s, paymentCommit("k2", "p2", "cus", 2)))
		if string(st.Data) != "state 1" {
			t.Fatalf("state read at version 1 now holds %q: the store wrote into Data it handed out", st.Data)
		}
	})

	t.Run("ConcurrentSameKey", func(t *testing.T) {
		// A webhook delivered many times at once: one commit writes, the
		// others are replays that return its entries.
		s := newStore(t)
		const workers = 16
		var wg sync.WaitGroup
		results := make([]storage.CommitResult, workers)
		errs := make([]error, workers)
		for i := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i], errs[i] = s.Commit(ctxT(), paymentCommit("event:p1", "p1", "cus", 1, entry("p1/0", "aff", "cus", "p1", eur(600), t0)))
			}()
		}
		wg.Wait()
		writes := 0
		for i := range workers {
			if errs[i] != nil {
				t.Fatalf("worker %d: %v", i, errs[i])
			}
			if !results[i].Replayed {
				writes++
			}
			if len(results[i].Entries) != 1 || results[i].Entries[0].ID != "p1/0" {
				t.Fatalf("worker %d got %v, want entry p1/0", i, describe(results[i].Entries))
			}
		}
		if writes != 1 {
			t.Fatalf("%d commits of one key wrote, want exactly 1", writes)
		}
		if st, _ := s.CustomerState(ctxT(), "cus"); st.Version != 1 {
			t.Fatalf("state version %d after one write, want 1", st.Version)
		}
	})

	t.Run("ConcurrentVersionRace", func(t *testing.T) {
		// Many writers race to commit version 1 of one customer with
		// different events: exactly one wins, the rest see ErrConflict.
		s := newStore(t)
		const workers = 16
		var wg sync.WaitGroup
		errs := make([]error, workers)
		for i := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				id := affiliate.EventID(fmt.Sprintf("p%d", i))
				_, errs[i] = s.Commit(ctxT(), paymentCommit("event:"+string(id), id, "cus", 1, entry(string(id)+"/0", "aff", "cus", id, eur(100), t0)))
			}()
		}
		wg.Wait()
		wins := 0
		for _, err := range errs {
			switch {
			case err == nil:
				wins++
			case !errors.Is(err, affiliate.ErrConflict):
				t.Fatalf("losing commit: %v, want ErrConflict", err)
			}
		}
		es, _ := s.Entries(ctxT(), storage.EntryQuery{Customer: "cus"})
		if wins != 1 || len(es) != 1 {
			t.Fatalf("%d commits won and %d entries stored; want exactly 1 of each", wins, len(es))
		}
	})
}

func commitErr(s storage.Events, c storage.Commit) error {
	_, err := s.Commit(ctxT(), c)
	return err
}

func recordIDs(rs []affiliate.EventRecord) []affiliate.EventID {
	out := make([]affiliate.EventID, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

type customerSnapshot struct {
	State   storage.CustomerState
	Events  []affiliate.EventRecord
	Entries []affiliate.Entry
}

func snapshotCustomer(t *testing.T, s EventStore, c affiliate.CustomerID) customerSnapshot {
	t.Helper()
	st, err := s.CustomerState(ctxT(), c)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := s.Events(ctxT(), storage.EventQuery{Customer: c})
	if err != nil {
		t.Fatal(err)
	}
	es, err := s.Entries(ctxT(), storage.EntryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return customerSnapshot{st, evs, es}
}
