package commission_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// Record is safe for concurrent calls on the same customer: goroutines
// racing on one customer's payments, refunds and duplicates end with the
// ledger a sequential delivery gives.
func TestConcurrentSameCustomer(t *testing.T) {
	var events []affiliate.Event
	for i := range 24 {
		p := sub(fmt.Sprintf("p%02d", i), "c", jan15.Add(time.Duration(i)*24*time.Hour), fmt.Sprintf("%d", 10+i))
		events = append(events, p)
		if i%5 == 0 {
			events = append(events, refund(fmt.Sprintf("r%02d", i), string(p.ID), "c", p.PaidAt.Add(time.Hour), "5", "EUR"))
		}
	}
	events = append(events, sub("o1", "other", jan15, "100"), sub("o2", "other", month(1), "100"))

	var conflicts atomic.Int64
	run := func(concurrent bool) []string {
		st := &countingStore{Store: memstore.New(), conflicts: &conflicts}
		ctx := context.Background()
		for _, a := range []affiliate.Affiliate{aff("p", ""), aff("a", "p")} {
			if err := st.PutAffiliate(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []affiliate.CustomerID{"c", "other"} {
			if _, err := st.Bind(ctx, affiliate.Binding{Customer: c, Affiliate: "a", Source: affiliate.BindByCode, BoundAt: jan15}); err != nil {
				t.Fatal(err)
			}
		}
		eng, err := commission.New(commission.Config{Store: st, Terms: terms(faultProgram()), Tiers: commission.FixedTier(standard), MaxAttempts: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if !concurrent {
			for _, ev := range events {
				if _, err := eng.Record(ctx, ev); err != nil {
					t.Fatal(err)
				}
			}
		} else {
			const workers = 8
			var wg sync.WaitGroup
			errs := make(chan error, workers*len(events))
			for w := range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					// Each worker delivers every other event, from its own
					// starting point: all events arrive, many twice, in
					// interleaved orders.
					for i := range events {
						if (i+w)%2 == 0 {
							if _, err := eng.Record(ctx, events[(i*7+w*5)%len(events)]); err != nil {
								errs <- err
							}
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			// Whatever a worker did not deliver, deliver now.
			for _, ev := range events {
				if _, err := eng.Record(ctx, ev); err != nil {
					t.Fatal(err)
				}
			}
		}
		es, err := st.Entries(ctx, storage.EntryQuery{})
		if err != nil {
			t.Fatal(err)
		}
		return netStrings(netOf(es))
	}
	want := run(false)
	for range 3 {
		if got := run(true); !slices.Equal(got, want) {
			t.Fatalf("concurrent delivery:\n got %q\nwant %q", got, want)
		}
	}
	if conflicts.Load() == 0 {
		t.Fatal("no commit lost a compare-and-swap: the test did not race")
	}
	t.Logf("%d commits lost the race and were retried", conflicts.Load())
}

// countingStore counts the commits that lose the compare-and-swap. It
// yields the processor after every state read, between the engine's read
// and its commit, so that the workers interleave there even with
// GOMAXPROCS=1 (without it, one P runs each Record to its end and no
// commit ever races).
type countingStore struct {
	*memstore.Store
	conflicts *atomic.Int64
}

func (s *countingStore) CustomerState(ctx context.Context, c affiliate.CustomerID) (storage.CustomerState, error) {
	st, err := s.Store.CustomerState(ctx, c)
	runtime.Gosched()
	return st, err
}

func (s *countingStore) Commit(ctx context.Context, c storage.Commit) (storage.CommitResult, error) {
	r, err := s.Store.Commit(ctx, c)
	if errors.Is(err, affiliate.ErrConflict) {
		s.conflicts.Add(1)
	}
	return r, err
}
