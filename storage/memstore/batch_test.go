package memstore_test

import (
	"context"
	"errors"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

var t0 = time.Date(2026, time.January, 15, 12, 0, 0, 0, time.UTC)

func eur(minor int64) affiliate.Money { return affiliate.MustMoney(minor, "EUR") }

// batchCommit is a payment commit of customer at version, with one entry
// per entry ID and a revenue delta of minor units.
func batchCommit(key, hash, customer string, version int64, event string, minor int64, entries ...string) storage.Commit {
	c := storage.Commit{Key: key, Hash: hash, State: storage.CustomerState{Customer: affiliate.CustomerID(customer), Version: version, Data: []byte(key)}}
	if event != "" {
		at := t0.Add(time.Duration(version) * time.Hour)
		c.Event = &affiliate.EventRecord{ID: affiliate.EventID(event), Customer: c.State.Customer, Time: at, Hash: hash, Affiliate: "aff",
			Payment: &affiliate.Payment{ID: affiliate.EventID(event), Customer: c.State.Customer, PaidAt: at, Currency: "EUR",
				Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: eur(max(minor, 0))}}}}
	}
	for _, id := range entries {
		c.Entries = append(c.Entries, affiliate.Entry{ID: affiliate.EntryID(id), Beneficiary: "aff", Event: affiliate.EventID(event), Payment: affiliate.EventID(event),
			Customer: c.State.Customer, Kind: affiliate.KindCommission, Amount: eur(minor / 10), Rate: affiliate.MustRate("0.1"), Rule: "r",
			At: t0, AvailableAt: t0.Add(24 * time.Hour)})
	}
	c.Deltas = []storage.AggregateDelta{{Affiliate: "aff", Period: affiliate.PeriodOf(t0, nil), Metric: affiliate.MetricRevenue, Amount: eur(minor)}}
	return c
}

// snapshot is everything a commit can change, as the store's reads show it.
type snapshot struct {
	Entries    []affiliate.Entry
	Events     map[string][]affiliate.EventRecord
	States     map[string]storage.CustomerState
	Aggregates []storage.Aggregate
	Outbox     []affiliate.OutboxEvent
}

func snapshotOf(t interface {
	Helper()
	Fatal(...any)
}, s *memstore.Store) snapshot {
	t.Helper()
	ctx := context.Background()
	out := snapshot{Events: map[string][]affiliate.EventRecord{}, States: map[string]storage.CustomerState{}}
	var err error
	if out.Entries, err = s.Entries(ctx, storage.EntryQuery{}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"c1", "c2"} {
		if out.Events[c], err = s.Events(ctx, storage.EventQuery{Customer: affiliate.CustomerID(c)}); err != nil {
			t.Fatal(err)
		}
		if out.States[c], err = s.CustomerState(ctx, affiliate.CustomerID(c)); err != nil {
			t.Fatal(err)
		}
	}
	if out.Aggregates, err = s.PeriodAggregates(ctx, affiliate.PeriodOf(t0, nil), affiliate.MetricRevenue); err != nil {
		t.Fatal(err)
	}
	if out.Outbox, _, err = s.Read(ctx, 0, storage.MaxOutboxRead); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCommitBatch(t *testing.T) {
	stored := batchCommit("k0", "h", "c1", 1, "p0", 100, "e0")
	cases := []struct {
		name     string
		batch    []storage.Commit
		failAt   int   // -1: the batch is written
		want     error // for a failure
		replayed []bool
	}{
		{"OneCustomerTwice", []storage.Commit{batchCommit("k1", "h", "c1", 2, "p1", 100, "e1"), batchCommit("k2", "h", "c1", 3, "p2", 100, "e2")}, -1, nil, []bool{false, false}},
		{"ReplayOfStoredKey", []storage.Commit{batchCommit("k1", "h", "c2", 1, "p1", 100), stored}, -1, nil, []bool{false, true}},
		{"ReplayWithinBatch", []storage.Commit{batchCommit("k1", "h", "c2", 1, "p1", 100, "e1"), batchCommit("k1", "h", "c2", 1, "p1", 100, "e1")}, -1, nil, []bool{false, true}},
		{"KeyReusedWithinBatch", []storage.Commit{batchCommit("k1", "h", "c2", 1, "p1", 100), batchCommit("k1", "other", "c2", 2, "p2", 100)}, 1, affiliate.ErrIdempotencyMismatch, nil},
		{"StoredKeyOtherHash", []storage.Commit{batchCommit("k1", "h", "c2", 1, "p1", 100), batchCommit("k0", "other", "c1", 2, "p2", 100)}, 1, affiliate.ErrIdempotencyMismatch, nil},
		{"VersionSkippedInBatch", []storage.Commit{batchCommit("k1", "h", "c1", 2, "p1", 100), batchCommit("k2", "h", "c1", 4, "p2", 100)}, 1, affiliate.ErrConflict, nil},
		{"EventTwiceInBatch", []storage.Commit{batchCommit("k1", "h", "c2", 1, "p1", 100), batchCommit("k2", "h", "c2", 2, "p1", 100)}, 1, affiliate.ErrConflict, nil},
		{"EntryTwiceInBatch", []storage.Commit{batchCommit("k1", "h", "c2", 1, "p1", 100, "e1"), batchCommit("k2", "h", "c2", 2, "p2", 100, "e1")}, 1, affiliate.ErrConflict, nil},
		{"StoredEntry", []storage.Commit{batchCommit("k1", "h", "c2", 1, "p1", 100, "e0")}, 0, affiliate.ErrConflict, nil},
		{"InvalidCommit", []storage.Commit{batchCommit("k1", "h", "c2", 1, "p1", 100), batchCommit("", "h", "c2", 2, "p2", 100)}, 1, affiliate.ErrInvalid, nil},
		{"OverflowAcrossBatch", []storage.Commit{batchCommit("k1", "h", "c2", 1, "p1", math.MaxInt64/2), batchCommit("k2", "h", "c2", 2, "p2", math.MaxInt64/2)}, 1, affiliate.ErrOverflow, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := memstore.New()
			if _, err := s.Commit(context.Background(), stored); err != nil {
				t.Fatal(err)
			}
			before := snapshotOf(t, s)
			res, err := s.CommitBatch(context.Background(), tc.batch)
			if tc.failAt >= 0 {
				var be *storage.BatchError
				if !errors.As(err, &be) || be.Index != tc.failAt || !errors.Is(err, tc.want) {
					t.Fatalf("CommitBatch = %v, want a *BatchError at %d matching %v", err, tc.failAt, tc.want)
				}
				if diff := cmp.Diff(before, snapshotOf(t, s)); diff != "" {
					t.Fatalf("a failed batch changed the store (-before +after):\n%s", diff)
				}
				return
			}
			if err != nil || len(res) != len(tc.batch) {
				t.Fatalf("CommitBatch = %d results, %v", len(res), err)
			}
			// Every replay here repeats its original, so each result holds
			// its own commit's entries.
			for i, r := range res {
				if r.Replayed != tc.replayed[i] || !cmp.Equal(entryIDs(r.Entries), entryIDs(tc.batch[i].Entries)) {
					t.Fatalf("result %d = %+v, want Replayed %v with %v", i, r, tc.replayed[i], entryIDs(tc.batch[i].Entries))
				}
			}
		})
	}
}

func entryIDs(es []affiliate.Entry) []affiliate.EntryID {
	var out []affiliate.EntryID
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

func TestCommitBatchEmpty(t *testing.T) {
	s := memstore.New()
	res, err := s.CommitBatch(context.Background(), nil)
	if err != nil || res != nil {
		t.Fatalf("CommitBatch(nil) = %v, %v; want nothing", res, err)
	}
	if head, _, _ := s.Read(context.Background(), 0, 1); len(head) != 0 {
		t.Fatalf("an empty batch wrote %v", head)
	}
}

// TestCommitBatchIsCommitsInOrder checks that a batch leaves the store as
// its commits one by one would, and that a batch fails, writing nothing,
// exactly at the first commit that would fail one by one, with that
// commit's error class.
func TestCommitBatchIsCommitsInOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		seed := batchCommit(rapid.SampledFrom([]string{"k0", "event:p0"}).Draw(t, "seed key"), "h", "c1", 1, "p0", 100, "e0")
		batch := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) storage.Commit {
			n := strconv.Itoa(rapid.IntRange(1, 4).Draw(t, "n"))
			var entries []string
			for range rapid.IntRange(0, 2).Draw(t, "entries") {
				entries = append(entries, "e"+strconv.Itoa(rapid.IntRange(0, 6).Draw(t, "entry")))
			}
			// Keys "event:" and an event ID are the engine's: memstore finds
			// them through the event when the commit logs that event.
			return batchCommit(rapid.SampledFrom([]string{"k0", "k" + n, "event:p0", "event:p" + n}).Draw(t, "key"), rapid.SampledFrom([]string{"h", "x"}).Draw(t, "hash"),
				rapid.SampledFrom([]string{"c1", "c2"}).Draw(t, "customer"), rapid.Int64Range(1, 4).Draw(t, "version"),
				rapid.SampledFrom([]string{"", "p0", "p" + n}).Draw(t, "event"), rapid.SampledFrom([]int64{100, -30, math.MaxInt64 / 3}).Draw(t, "minor"), entries...)
		}), 1, 5).Draw(t, "batch")

		one, all := memstore.New(), memstore.New()
		for _, s := range []*memstore.Store{one, all} {
			if _, err := s.Commit(context.Background(), seed); err != nil {
				t.Fatal(err)
			}
		}
		before := snapshotOf(t, all)
		// keys models idempotency: a stored key with its hash is a replay,
		// with another hash a mismatch, however the store finds the key.
		keys := map[string]string{seed.Key: seed.Hash}
		failAt, var1 := -1, error(nil)
		for i, c := range batch {
			res, err := one.Commit(context.Background(), c)
			if hash, stored := keys[c.Key]; stored && err == nil && !res.Replayed {
				t.Fatalf("commit %d under stored key %q wrote again", i, c.Key)
			} else if stored && hash != c.Hash && !errors.Is(err, affiliate.ErrIdempotencyMismatch) && !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("commit %d reuses key %q with another hash: %v, want ErrIdempotencyMismatch", i, c.Key, err)
			} else if !stored && res.Replayed {
				t.Fatalf("commit %d under new key %q is a replay", i, c.Key)
			}
			if err != nil {
				failAt, var1 = i, err
				break
			}
			keys[c.Key] = c.Hash
		}
		_, err := all.CommitBatch(context.Background(), batch)
		if failAt < 0 {
			if err != nil {
				t.Fatalf("CommitBatch = %v; one by one the commits succeed", err)
			}
			if diff := cmp.Diff(snapshotOf(t, one), snapshotOf(t, all)); diff != "" {
				t.Fatalf("the batch and its commits one by one differ (-one +batch):\n%s", diff)
			}
			return
		}
		var be *storage.BatchError
		if !errors.As(err, &be) || be.Index != failAt {
			t.Fatalf("CommitBatch = %v; one by one commit %d fails with %v", err, failAt, var1)
		}
		for _, class := range []error{affiliate.ErrInvalid, affiliate.ErrConflict, affiliate.ErrIdempotencyMismatch} {
			if errors.Is(err, class) != errors.Is(var1, class) {
				t.Fatalf("CommitBatch = %v; one by one commit %d fails with %v", err, failAt, var1)
			}
		}
		if diff := cmp.Diff(before, snapshotOf(t, all)); diff != "" {
			t.Fatalf("a failed batch changed the store (-before +after):\n%s", diff)
		}
	})
}
