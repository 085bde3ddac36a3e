package storagetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// RunLedger runs the cases of storage.Ledger.
func RunLedger(t *testing.T, newStore Factory[LedgerStore]) {
	t.Run("WriteAndRead", func(t *testing.T) {
		l := newStore(t)
		es := []affiliate.Entry{
			entry("e2", "aff-1", "cus-1", "evt-1", eur(600), t0.Add(time.Hour)),
			entry("e1", "aff-1", "cus-1", "evt-1", eur(6000), t0),
		}
		got := mustWrite(t, l, ledgerWrite{Key: "k1", Hash: "h1", Entries: es})
		if got.Replayed {
			t.Fatal("first write reported Replayed")
		}
		if diff := cmp.Diff(es, got.Entries); diff != "" {
			t.Fatalf("write returned other entries (-want +got):\n%s", diff)
		}
		read, err := l.Entries(ctxT(), storage.EntryQuery{Beneficiary: "aff-1"})
		if err != nil {
			t.Fatal(err)
		}
		want := []affiliate.Entry{es[1], es[0]} // ordered by At, then ID
		if diff := cmp.Diff(want, read); diff != "" {
			t.Fatalf("Entries (-want +got):\n%s", diff)
		}
	})

	t.Run("ReplaySameHash", func(t *testing.T) {
		l := newStore(t)
		b := ledgerWrite{Key: "k", Hash: "h", Entries: []affiliate.Entry{entry("e1", "a", "c", "ev", eur(100), t0)}}
		first := mustWrite(t, l, b)
		again := mustWrite(t, l, b)
		if !again.Replayed {
			t.Fatal("second write with the same key and hash did not report Replayed")
		}
		if diff := cmp.Diff(first.Entries, again.Entries); diff != "" {
			t.Fatalf("replay returned other entries (-first +replay):\n%s", diff)
		}
		all, _ := l.Entries(ctxT(), storage.EntryQuery{})
		if len(all) != 1 {
			t.Fatalf("replay wrote entries: ledger holds %d, want 1", len(all))
		}
	})

	t.Run("ReplayOfEmptyBatch", func(t *testing.T) {
		l := newStore(t)
		mustWrite(t, l, ledgerWrite{Key: "nothing-owed", Hash: "h"})
		got := mustWrite(t, l, ledgerWrite{Key: "nothing-owed", Hash: "h"})
		if !got.Replayed || len(got.Entries) != 0 {
			t.Fatalf("replay of an empty batch = %+v, want Replayed with no entries", got)
		}
	})

	errorCases := []struct {
		name  string
		setup []ledgerWrite
		batch ledgerWrite
		want  error
	}{
		{"MissingKey", nil, ledgerWrite{Hash: "h"}, affiliate.ErrInvalid},
		{"MissingHash", nil, ledgerWrite{Key: "k"}, affiliate.ErrInvalid},
		{"InvalidEntry", nil, ledgerWrite{Key: "k", Hash: "h", Entries: []affiliate.Entry{{ID: "e1"}}}, affiliate.ErrInvalid},
		{"DuplicateIDInBatch", nil, ledgerWrite{Key: "k", Hash: "h", Entries: []affiliate.Entry{
			entry("e1", "a", "c", "ev", eur(1), t0), entry("e1", "a", "c", "ev", eur(2), t0)}}, affiliate.ErrInvalid},
		{"KeyReusedWithOtherHash",
			[]ledgerWrite{{Key: "k", Hash: "h1", Entries: []affiliate.Entry{entry("e1", "a", "c", "ev", eur(1), t0)}}},
			ledgerWrite{Key: "k", Hash: "h2", Entries: []affiliate.Entry{entry("e2", "a", "c", "ev", eur(1), t0)}},
			affiliate.ErrIdempotencyMismatch},
		{"EntryIDAlreadyStored",
			[]ledgerWrite{{Key: "k1", Hash: "h", Entries: []affiliate.Entry{entry("e1", "a", "c", "ev", eur(1), t0)}}},
			ledgerWrite{Key: "k2", Hash: "h", Entries: []affiliate.Entry{entry("e2", "a", "c", "ev", eur(1), t0), entry("e1", "a", "c", "ev", eur(1), t0)}},
			affiliate.ErrConflict},
		{"BadDelta", nil, ledgerWrite{Key: "k", Hash: "h", Deltas: []storage.AggregateDelta{{Metric: affiliate.MetricRevenue}}}, affiliate.ErrInvalid},
	}
	for _, tc := range errorCases {
		t.Run("Error"+tc.name, func(t *testing.T) {
			l := newStore(t)
			for _, b := range tc.setup {
				mustWrite(t, l, b)
			}
			before, _ := l.Entries(ctxT(), storage.EntryQuery{})
			_, err := write(l, tc.batch)
			if !errors.Is(err, tc.want) {
				t.Fatalf("write = %v, want errors.Is %v", err, tc.want)
			}
			after, _ := l.Entries(ctxT(), storage.EntryQuery{})
			if diff := cmp.Diff(before, after); diff != "" {
				t.Fatalf("a failed write changed the ledger (-before +after):\n%s", diff)
			}
		})
	}

	t.Run("ErrorQueryToBeforeFrom", func(t *testing.T) {
		l := newStore(t)
		_, err := l.Entries(ctxT(), storage.EntryQuery{From: t0, To: t0.Add(-time.Second)})
		if !errors.Is(err, affiliate.ErrInvalid) {
			t.Fatalf("Entries with To before From = %v, want ErrInvalid", err)
		}
	})

	t.Run("Filters", func(t *testing.T) { ledgerFilters(t, newStore(t)) })
	t.Run("CopyInCopyOut", func(t *testing.T) { ledgerCopies(t, newStore(t)) })
	t.Run("ConcurrentSameKey", func(t *testing.T) { ledgerConcurrentKey(t, newStore(t)) })
	t.Run("Model", func(t *testing.T) { ledgerModel(t, newStore) })
}

func ledgerFilters(t *testing.T, l LedgerStore) {
	usd := affiliate.MustMoney(500, "USD")
	es := []affiliate.Entry{
		entry("a1", "aff-a", "cus-1", "evt-1", eur(100), t0),
		entry("a2", "aff-a", "cus-2", "evt-2", eur(200), t0.Add(24*time.Hour)),
		entry("b1", "aff-b", "cus-1", "evt-1", eur(50), t0),
		entry("b2", "aff-b", "cus-3", "evt-3", usd, t0.Add(48*time.Hour)),
	}
	es[3].AvailableAt = t0.Add(72 * time.Hour)
	refund := entry("r1", "aff-a", "cus-1", "ref-1", eur(-100), t0.Add(96*time.Hour))
	refund.Kind, refund.Payment, refund.AvailableAt = affiliate.KindReversal, "evt-1", refund.At
	es = append(es, refund)
	mustWrite(t, l, ledgerWrite{Key: "k", Hash: "h", Entries: es})

	cases := []struct {
		name string
		q    storage.EntryQuery
		want []affiliate.EntryID
	}{
		{"All", storage.EntryQuery{}, []affiliate.EntryID{"a1", "b1", "a2", "b2", "r1"}},
		{"Beneficiary", storage.EntryQuery{Beneficiary: "aff-a"}, []affiliate.EntryID{"a1", "a2", "r1"}},
		{"Customer", storage.EntryQuery{Customer: "cus-1"}, []affiliate.EntryID{"a1", "b1", "r1"}},
		{"Event", storage.EntryQuery{Event: "evt-1"}, []affiliate.EntryID{"a1", "b1"}},
		{"Payment", storage.EntryQuery{Payment: "evt-1"}, []affiliate.EntryID{"a1", "b1", "r1"}},
		{"Currency", storage.EntryQuery{Currency: "USD"}, []affiliate.EntryID{"b2"}},
		{"FromInclusive", storage.EntryQuery{From: t0.Add(24 * time.Hour)}, []affiliate.EntryID{"a2", "b2", "r1"}},
		{"ToExclusive", storage.EntryQuery{To: t0.Add(24 * time.Hour)}, []affiliate.EntryID{"a1", "b1"}},
		{"AvailableBy", storage.EntryQuery{AvailableBy: t0.Add(96 * time.Hour)}, []affiliate.EntryID{"b2", "r1"}},
		{"Combined", storage.EntryQuery{Beneficiary: "aff-a", Customer: "cus-1"}, []affiliate.EntryID{"a1", "r1"}},
		{"Unsettled", storage.EntryQuery{Beneficiary: "aff-b", Unsettled: true}, []affiliate.EntryID{"b1", "b2"}},
		{"NoMatch", storage.EntryQuery{Beneficiary: "nobody"}, nil},
	}
	for _, tc := range cases {
		got, err := l.Entries(ctxT(), tc.q)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if diff := cmp.Diff(tc.want, entryIDs(got), cmp.Comparer(func(a, b []affiliate.EntryID) bool { return slices.Equal(a, b) })); diff != "" {
			t.Errorf("%s: Entries(%+v) (-want +got):\n%s", tc.name, tc.q, diff)
		}
	}
}

func ledgerCopies(t *testing.T, l LedgerStore) {
	in := entry("e1", "aff", "cus", "evt", eur(100), t0)
	want := entry("e1", "aff", "cus", "evt", eur(100), t0)
	batch := []affiliate.Entry{in}
	res := mustWrite(t, l, ledgerWrite{Key: "k", Hash: "h", Entries: batch})
	// Mutate what was passed in and what came back.
	batch[0].Chain[0] = "mallory"
	batch[0].BaseLines[0] = affiliate.LineTax
	batch[0].Amount = eur(1)
	res.Entries[0].Chain[0] = "mallory"
	res.Entries[0].BaseLines[0] = affiliate.LineTax
	got, err := l.Entries(ctxT(), storage.EntryQuery{Event: "evt"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("got %d entries", len(got))
	}
	got[0].Chain[0] = "mallory again"
	again, _ := l.Entries(ctxT(), storage.EntryQuery{Event: "evt"})
	if diff := cmp.Diff([]affiliate.Entry{want}, again); diff != "" {
		t.Fatalf("mutating values passed in or read out changed the store (-want +got):\n%s", diff)
	}
}

func ledgerConcurrentKey(t *testing.T, l LedgerStore) {
	const workers = 16
	var wg sync.WaitGroup
	results := make([]storage.CommitResult, workers)
	errs := make([]error, workers)
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = write(l, ledgerWrite{
				Key: "same", Hash: "h",
				Entries: []affiliate.Entry{entry("e1", "a", "c", "ev", eur(100), t0), entry("e2", "a", "c", "ev", eur(10), t0)},
			})
		}()
	}
	wg.Wait()
	winners := 0
	for i := range workers {
		if errs[i] != nil {
			t.Fatalf("worker %d: %v", i, errs[i])
		}
		if !results[i].Replayed {
			winners++
		}
		if len(results[i].Entries) != 2 {
			t.Fatalf("worker %d got %d entries, want 2", i, len(results[i].Entries))
		}
	}
	if winners != 1 {
		t.Fatalf("%d appends with one key won, want exactly 1", winners)
	}
	all, _ := l.Entries(ctxT(), storage.EntryQuery{})
	if len(all) != 2 {
		t.Fatalf("ledger holds %d entries, want 2", len(all))
	}
}

// ledgerModel is a rapid state machine: random appends (new keys, replays,
// reused keys with other payloads, clashing entry IDs) against a model
// that is a plain list, compared through every kind of query.
func ledgerModel(t *testing.T, newStore Factory[LedgerStore]) {
	checkRuns(t, newStore, func(rt *rapid.T, l LedgerStore) {
		type batch struct {
			hash    string
			entries []affiliate.Entry
		}
		keys := map[string]batch{}
		var keyOrder []string
		var model []affiliate.Entry
		ids := map[affiliate.EntryID]bool{}
		next := 0
		beneficiaries := []affiliate.AffiliateID{"a", "b", "c"}
		customers := []affiliate.CustomerID{"x", "y"}

		genEntry := func(rt *rapid.T) affiliate.Entry {
			var id string
			if len(ids) > 0 && rapid.Float64Range(0, 1).Draw(rt, "reuseID") < 0.1 {
				id = fmt.Sprintf("e%d", rapid.IntRange(0, next-1).Draw(rt, "oldID"))
			} else {
				id = fmt.Sprintf("e%d", next)
				next++
			}
			b := rapid.SampledFrom(beneficiaries).Draw(rt, "beneficiary")
			c := rapid.SampledFrom(customers).Draw(rt, "customer")
			ev := affiliate.EventID(fmt.Sprintf("ev%d", rapid.IntRange(0, 3).Draw(rt, "event")))
			amt := eur(rapid.Int64Range(-10000, 10000).Draw(rt, "minor"))
			at := t0.Add(time.Duration(rapid.IntRange(0, 100).Draw(rt, "hour")) * time.Hour)
			return entry(id, b, c, ev, amt, at)
		}
		rt.Repeat(map[string]func(*rapid.T){
			"append": func(rt *rapid.T) {
				key := fmt.Sprintf("k%d", len(keyOrder)+rapid.IntRange(-1, 0).Draw(rt, "keyShift"))
				hash := rapid.SampledFrom([]string{"h1", "h2"}).Draw(rt, "hash")
				es := rapid.SliceOfN(rapid.Custom(genEntry), 0, 3).Draw(rt, "entries")
				res, err := write(l, ledgerWrite{Key: key, Hash: hash, Entries: es})
				prev, seen := keys[key]
				dupInBatch := false
				clash := false
				batchIDs := map[affiliate.EntryID]bool{}
				for _, e := range es {
					if batchIDs[e.ID] {
						dupInBatch = true
					}
					batchIDs[e.ID] = true
					if ids[e.ID] {
						clash = true
					}
				}
				switch {
				case dupInBatch:
					if !errors.Is(err, affiliate.ErrInvalid) {
						rt.Fatalf("duplicate IDs in one batch: err = %v, want ErrInvalid", err)
					}
				case seen && prev.hash == hash:
					if err != nil || !res.Replayed {
						rt.Fatalf("replay of %s: %+v, %v", key, res, err)
					}
					if !slices.Equal(entryIDs(prev.entries), entryIDs(res.Entries)) {
						rt.Fatalf("replay of %s returned %v, want %v", key, entryIDs(res.Entries), entryIDs(prev.entries))
					}
				case seen:
					if !errors.Is(err, affiliate.ErrIdempotencyMismatch) {
						rt.Fatalf("reuse of %s with another hash: err = %v", key, err)
					}
				case clash:
					if !errors.Is(err, affiliate.ErrConflict) {
						rt.Fatalf("entry ID clash: err = %v, want ErrConflict", err)
					}
				default:
					if err != nil {
						rt.Fatalf("append %s: %v", key, err)
					}
					keys[key] = batch{hash, es}
					keyOrder = append(keyOrder, key)
					for _, e := range es {
						ids[e.ID] = true
						model = append(model, e)
					}
				}
			},
			"": func(rt *rapid.T) {
				for _, q := range []storage.EntryQuery{{}, {Beneficiary: "a"}, {Customer: "y"}, {Event: "ev1"}, {Payment: "ev2"}, {Beneficiary: "b", From: t0.Add(10 * time.Hour), To: t0.Add(60 * time.Hour)}} {
					got, err := l.Entries(ctxT(), q)
					if err != nil {
						rt.Fatal(err)
					}
					var want []affiliate.Entry
					for _, e := range model {
						if (q.Beneficiary == "" || e.Beneficiary == q.Beneficiary) && (q.Customer == "" || e.Customer == q.Customer) &&
							(q.Event == "" || e.Event == q.Event) && (q.Payment == "" || e.Payment == q.Payment) &&
							(q.From.IsZero() || !e.At.Before(q.From)) && (q.To.IsZero() || e.At.Before(q.To)) {
							want = append(want, e)
						}
					}
					slices.SortFunc(want, func(a, b affiliate.Entry) int {
						if c := a.At.Compare(b.At); c != 0 {
							return c
						}
						return cmpStr(string(a.ID), string(b.ID))
					})
					if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b []affiliate.Entry) bool {
						return slices.Equal(entryIDs(a), entryIDs(b))
					})); diff != "" {
						rt.Fatalf("Entries(%+v) differs from the model:\nwant %s\ngot  %s", q, describe(want), describe(got))
					}
				}
			},
		})
	})
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
