package storagetest

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// RunReviews runs the cases of storage.Reviews.
func RunReviews(t *testing.T, newStore Factory[storage.Reviews]) {
	t.Run("Errors", func(t *testing.T) { reviewsErrors(t, newStore(t)) })
	t.Run("Idempotency", func(t *testing.T) { reviewsIdempotency(t, newStore(t)) })
	t.Run("Query", func(t *testing.T) { reviewsQuery(t, newStore(t)) })
	t.Run("AppendOrder", func(t *testing.T) { reviewsAppendOrder(t, newStore(t)) })
	t.Run("Concurrent", func(t *testing.T) { reviewsConcurrent(t, newStore(t)) })
}

func review(key string, action affiliate.ReviewAction, entry affiliate.EntryID, customer affiliate.CustomerID, a affiliate.AffiliateID, at time.Time) affiliate.Review {
	return affiliate.Review{Key: key, Action: action, Entry: entry, Customer: customer, Affiliate: a, Reason: "reason " + key, Actor: "rita", At: at}
}

func allReviews(t *testing.T, s storage.Reviews, q storage.ReviewQuery) []affiliate.Review {
	t.Helper()
	rs, err := s.Reviews(ctxT(), q)
	if err != nil {
		t.Fatalf("Reviews(%+v): %v", q, err)
	}
	return rs
}

func reviewsErrors(t *testing.T, s storage.Reviews) {
	ok := review("k1", affiliate.ReviewApprove, "e1", "c1", "ann", t0)
	for _, tc := range []struct {
		name      string
		key, hash string
		rs        []affiliate.Review
	}{
		{"empty key", "", "h", []affiliate.Review{ok}},
		{"empty hash", "k1", "", []affiliate.Review{ok}},
		{"no records", "k1", "h", nil},
		{"record of another key", "k2", "h", []affiliate.Review{ok}},
		{"bad action", "k1", "h", []affiliate.Review{{Key: "k1", Action: "maybe", Entry: "e1", Reason: "r", Actor: "a", At: t0}}},
		{"no subject", "k1", "h", []affiliate.Review{{Key: "k1", Action: affiliate.ReviewHold, Reason: "r", Actor: "a", At: t0}}},
		{"no reason", "k1", "h", []affiliate.Review{{Key: "k1", Action: affiliate.ReviewHold, Entry: "e1", Actor: "a", At: t0}}},
		{"no actor", "k1", "h", []affiliate.Review{{Key: "k1", Action: affiliate.ReviewHold, Entry: "e1", Reason: "r", At: t0}}},
		{"zero time", "k1", "h", []affiliate.Review{{Key: "k1", Action: affiliate.ReviewHold, Entry: "e1", Reason: "r", Actor: "a"}}},
		{"one bad record of two", "k1", "h", []affiliate.Review{ok, {Key: "k1", Action: affiliate.ReviewHold, Entry: "e2", Reason: "r", Actor: "a"}}},
	} {
		if _, err := s.AppendReviews(ctxT(), tc.key, tc.hash, tc.rs); !errors.Is(err, affiliate.ErrInvalid) {
			t.Errorf("%s: AppendReviews = %v; want ErrInvalid", tc.name, err)
		}
	}
	if rs := allReviews(t, s, storage.ReviewQuery{}); len(rs) != 0 {
		t.Errorf("after refused appends the store holds %+v; want nothing", rs)
	}
}

func reviewsIdempotency(t *testing.T, s storage.Reviews) {
	rs := []affiliate.Review{review("k1", affiliate.ReviewApprove, "e1", "c1", "ann", t0), review("k1", affiliate.ReviewApprove, "e2", "c1", "ann", t0)}
	for i, want := range []bool{false, true} {
		replayed, err := s.AppendReviews(ctxT(), "k1", "h1", rs)
		if err != nil || replayed != want {
			t.Fatalf("append %d: replayed %v, %v; want %v, nil", i+1, replayed, err, want)
		}
	}
	if _, err := s.AppendReviews(ctxT(), "k1", "h2", rs[:1]); !errors.Is(err, affiliate.ErrIdempotencyMismatch) {
		t.Errorf("same key, other hash: %v; want ErrIdempotencyMismatch", err)
	}
	if got := allReviews(t, s, storage.ReviewQuery{}); len(got) != 2 {
		t.Errorf("store holds %d records; want the 2 of the first append", len(got))
	}
}

func reviewsQuery(t *testing.T, s storage.Reviews) {
	later := t0.Add(time.Hour)
	batches := [][]affiliate.Review{
		{review("b", affiliate.ReviewHold, "", "c1", "ann", later)},
		{review("a", affiliate.ReviewHold, "e1", "c1", "ann", t0), review("a", affiliate.ReviewHold, "e3", "c2", "bob", t0)},
		{review("c", affiliate.ReviewReject, "e1", "c1", "ann", later.In(time.FixedZone("X", 3600)))},
	}
	for _, b := range batches {
		if _, err := s.AppendReviews(ctxT(), b[0].Key, "h-"+b[0].Key, b); err != nil {
			t.Fatalf("AppendReviews(%s): %v", b[0].Key, err)
		}
	}
	name := func(rs []affiliate.Review) string {
		out := ""
		for _, r := range rs {
			out += fmt.Sprintf("%s:%s:%s ", r.Key, r.Action, r.Entry)
		}
		return out
	}
	for _, tc := range []struct {
		q    storage.ReviewQuery
		want string
	}{
		{storage.ReviewQuery{}, "a:hold:e1 a:hold:e3 b:hold: c:reject:e1 "},
		{storage.ReviewQuery{Entry: "e1"}, "a:hold:e1 c:reject:e1 "},
		{storage.ReviewQuery{Customer: "c1"}, "a:hold:e1 b:hold: c:reject:e1 "},
		{storage.ReviewQuery{Affiliate: "bob"}, "a:hold:e3 "},
		{storage.ReviewQuery{Affiliate: "ann", Entry: "e3"}, ""},
		{storage.ReviewQuery{Entry: "nope"}, ""},
		{storage.ReviewQuery{Key: "a"}, "a:hold:e1 a:hold:e3 "},
		{storage.ReviewQuery{Key: "a", Customer: "c2"}, "a:hold:e3 "},
	} {
		if got := name(allReviews(t, s, tc.q)); got != tc.want {
			t.Errorf("Reviews(%+v) = %q; want %q", tc.q, got, tc.want)
		}
	}
	got := allReviews(t, s, storage.ReviewQuery{Entry: "e1"})
	if r := got[1]; !r.At.Equal(later) || r.Reason != "reason c" || r.Actor != "rita" || r.Customer != "c1" || r.Affiliate != "ann" {
		t.Errorf("read back %+v; want the record as appended", r)
	}
	got[0].Reason = "mutated"
	if again := allReviews(t, s, storage.ReviewQuery{Entry: "e1"}); again[0].Reason != "reason a" {
		t.Errorf("mutating a returned record changed the store: %q", again[0].Reason)
	}
}

func reviewsConcurrent(t *testing.T, s storage.Reviews) {
	const n = 8
	var wrote atomic.Int32
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			replayed, err := s.AppendReviews(ctxT(), "k", "h", []affiliate.Review{review("k", affiliate.ReviewApprove, "e1", "c1", "ann", t0)})
			if err != nil {
				t.Errorf("AppendReviews: %v", err)
			}
			if !replayed {
				wrote.Add(1)
			}
		}()
	}
	wg.Wait()
	if wrote.Load() != 1 {
		t.Errorf("%d of %d concurrent appends with one key wrote; want exactly 1", wrote.Load(), n)
	}
	if rs := allReviews(t, s, storage.ReviewQuery{}); len(rs) != 1 {
		t.Errorf("store holds %d records; want 1", len(rs))
	}
}

// reviewsAppendOrder: records of one time come back in the order they
// were appended, whatever their keys: the later decision is the later
// record.
func reviewsAppendOrder(t *testing.T, s storage.Reviews) {
	for _, k := range []string{"z-hold", "a-approve", "m-reject"} {
		if _, err := s.AppendReviews(ctxT(), k, "h", []affiliate.Review{review(k, affiliate.ReviewHold, "", "c1", "ann", t0)}); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, r := range allReviews(t, s, storage.ReviewQuery{Customer: "c1"}) {
		got = append(got, r.Key)
	}
	if fmt.Sprint(got) != "[z-hold a-approve m-reject]" {
		t.Errorf("records of one time = %v; want the append order [z-hold a-approve m-reject]", got)
	}
}
