package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/sqlstore"
)

// TestLargeWritesSpanStatements: writes bigger than one statement's
// parameter limit go in several statements, in order, in one
// transaction. On PostgreSQL a 3,000-entry append spans two INSERTs and a
// payout of 12,000 entries two claim INSERTs; SQLite's statements are
// smaller, so a third of that spans many.
func TestLargeWritesSpanStatements(t *testing.T) {
	ctx := context.Background()
	for _, d := range dialects() {
		t.Run(d.name, func(t *testing.T) {
			s, _ := d.open(t)
			n, first := 12_000, 3000
			if d.name == "SQLite" {
				n, first = 4000, 1000
			}
			entries := make([]affiliate.Entry, n)
			var total int64
			for i := range entries {
				entries[i] = affiliate.Entry{ID: affiliate.EntryID(fmt.Sprintf("e%05d", n-i)), Beneficiary: "a", Kind: affiliate.KindCommission,
					Amount: affiliate.MustMoney(int64(i%7+1), "EUR"), At: jan15, AvailableAt: jan15}
				total += int64(i%7 + 1)
			}
			if _, err := affiliatetest.SeedLedger(ctx, s, "big", entries[:first], nil); err != nil {
				t.Fatal(err)
			}
			replay, err := affiliatetest.SeedLedger(ctx, s, "big", entries[:first], nil)
			if err != nil || !replay.Replayed || len(replay.Entries) != first {
				t.Fatalf("replay: %d entries, replayed %v, %v", len(replay.Entries), replay.Replayed, err)
			}
			for i, e := range replay.Entries {
				if e.ID != entries[i].ID {
					t.Fatalf("replayed entry %d is %s, appended %s", i, e.ID, entries[i].ID)
				}
			}
			if _, err := affiliatetest.SeedLedger(ctx, s, "rest", entries[first:], nil); err != nil {
				t.Fatal(err)
			}
			p := affiliate.Payout{ID: "po", Affiliate: "a", Period: affiliate.Period{Year: 2026, Month: 1}, Status: affiliate.PayoutCreated, Amount: affiliate.MustMoney(total, "EUR")}
			for _, e := range entries {
				p.Entries = append(p.Entries, e.ID)
			}
			if _, err := s.CreatePayoutRun(ctx, affiliate.PayoutRun{Program: "p", Period: per("2026-01"), Hash: "h", AsOf: jan15, Payouts: []affiliate.Payout{p}}); err != nil {
				t.Fatal(err)
			}
			open, err := s.Entries(ctx, storage.EntryQuery{Unsettled: true})
			if err != nil || len(open) != 0 {
				t.Fatalf("%d entries left open (%v), want 0", len(open), err)
			}
		})
	}
}

// cancelAfter is a context that ends at its n-th Err check: a cancel that
// lands in the middle of a write.
type cancelAfter struct {
	context.Context
	n    atomic.Int64
	done chan struct{}
	once sync.Once
}

func newCancelAfter(n int64) *cancelAfter {
	c := &cancelAfter{Context: context.Background(), done: make(chan struct{})}
	c.n.Store(n)
	return c
}

func (c *cancelAfter) Done() <-chan struct{} { return c.done }

func (c *cancelAfter) Err() error {
	if c.n.Add(-1) >= 0 {
		return nil
	}
	c.once.Do(func() { close(c.done) })
	return context.Canceled
}

// TestCommitBatchCanceledMidway: SQLite writes a batch one row a
// statement, checking the context before each; a cancel between two
// rows returns context.Canceled and leaves nothing written, and the same
// batch commits afterwards.
func TestCommitBatchCanceledMidway(t *testing.T) {
	s, _ := openSQLite(t)
	versions := make(map[affiliate.CustomerID]int64)
	commits := make([]storage.Commit, 100)
	for i := range commits {
		commits[i] = benchCommit(i, versions)
	}
	_, err := s.CommitBatch(newCancelAfter(200), commits)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("CommitBatch = %v, want context.Canceled", err)
	}
	ctx := context.Background()
	if _, err := s.Event(ctx, commits[0].Event.ID); !errors.Is(err, affiliate.ErrNotFound) {
		t.Errorf("Event after the cancel = %v, want ErrNotFound", err)
	}
	if es, err := s.Entries(ctx, storage.EntryQuery{}); err != nil || len(es) != 0 {
		t.Errorf("%d entries after the cancel (%v), want none", len(es), err)
	}
	res, err := s.CommitBatch(ctx, commits)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.Replayed {
			t.Fatalf("commit %d replayed a batch that was rolled back", i)
		}
	}
}

// TestCommitBatchKeepsEveryValue: a batch's rows go to PostgreSQL as one
// array a column. Values an array literal would quote or read as NULL
// (quotes, backslashes, braces, commas, the word NULL, an empty string,
// non-ASCII text) in keys, hashes, events and entries; states of no data,
// of empty data and of bytes; a customer's several commits in one batch;
// and a batch past the 32,000 parameters a statement of bound values
// could take, read back as written on both dialects, and the batch again
// is all replays.
func TestCommitBatchKeepsEveryValue(t *testing.T) {
	for _, d := range dialects() {
		t.Run(d.name, func(t *testing.T) {
			s, _ := d.open(t)
			checkBatchKeepsEveryValue(t, s)
		})
	}
}

// checkBatchKeepsEveryValue is TestCommitBatchKeepsEveryValue on s.
func checkBatchKeepsEveryValue(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	odd := []string{`say "hi"`, `back\slash`, `{a,b}`, "NULL", "", "tab\there, ünïcode €"}
	n := 1500 // 1,500 entries of 22 columns: 33,000 values
	var cs []storage.Commit
	var want []affiliate.Entry
	for i := range n {
		text := odd[i%len(odd)]
		c := affiliate.CustomerID(fmt.Sprintf("c%d", i%500))
		var data []byte
		switch i % 3 {
		case 1:
			data = []byte("\x00\\x" + text)
		case 2:
			data = []byte{}
		}
		p := affiliate.Payment{ID: affiliate.EventID(fmt.Sprintf("ev%d", i)), Customer: c, PaidAt: jan15, Currency: "EUR",
			Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Description: text, Amount: affiliate.MustMoney(100, "EUR")}}}
		e := affiliate.Entry{ID: affiliate.EntryID(fmt.Sprintf("e%d", i)), Beneficiary: "a", Event: p.ID, Payment: p.ID, Customer: c, Kind: affiliate.KindCommission,
			Amount: affiliate.MustMoney(int64(i+1), "EUR"), Rule: text, Tier: text, Explanation: text, At: jan15, AvailableAt: jan15}
		want = append(want, e)
		cs = append(cs, storage.Commit{Key: fmt.Sprintf("k%d %s", i, text), Hash: text + "h",
			Event:   &affiliate.EventRecord{ID: p.ID, Customer: c, Time: p.PaidAt, Hash: text + "h", Payment: &p, Affiliate: "a"},
			State:   storage.CustomerState{Customer: c, Version: int64(i/500 + 1), Data: data},
			Entries: []affiliate.Entry{e}})
	}
	res, err := s.CommitBatch(ctx, cs)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.Replayed || len(r.Entries) != 1 {
			t.Errorf("commit %d: %+v", i, r)
		}
	}
	for _, c := range cs[n-500:] {
		st, err := s.CustomerState(ctx, c.State.Customer)
		if err != nil {
			t.Fatal(err)
		}
		if st.Version != c.State.Version || string(st.Data) != string(c.State.Data) || (st.Data == nil) != (c.State.Data == nil) {
			t.Fatalf("state of %s: got version %d data %q (nil %v), wrote %d %q (nil %v)", c.State.Customer, st.Version, st.Data, st.Data == nil, c.State.Version, c.State.Data, c.State.Data == nil)
		}
	}
	for _, c := range cs[:len(odd)] {
		rec, err := s.Event(ctx, c.Event.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Hash != c.Event.Hash || rec.Payment == nil || rec.Payment.Lines[0].Description != c.Event.Payment.Lines[0].Description {
			t.Errorf("event %s: read %+v, wrote %+v", c.Event.ID, rec, c.Event)
		}
	}
	got, err := s.Entries(ctx, storage.EntryQuery{Beneficiary: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmpopts.SortSlices(func(x, y affiliate.Entry) bool { return x.ID < y.ID })); diff != "" {
		t.Errorf("entries (-wrote +read):\n%s", diff)
	}
	again, err := s.CommitBatch(ctx, cs)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range again {
		if !r.Replayed {
			t.Fatalf("commit %d again: not a replay, so its key %q was not stored as written", i, cs[i].Key)
		}
	}
}
