package commission_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

var errInjected = errors.New("injected store failure")

// faultyStore passes every call to a memstore, except the fail-th one
// (counting from 1), which fails: before reaching the store, or, with
// lost set, after the store did the work (the reply is lost on the way
// back, as when a database commits and the connection drops).
type faultyStore struct {
	inner *memstore.Store
	calls int
	fail  int
	lost  bool
}

func (s *faultyStore) call(do func() error) error {
	s.calls++
	if s.calls != s.fail {
		return do()
	}
	if s.lost {
		_ = do()
	}
	return errInjected
}

func (s *faultyStore) Commit(ctx context.Context, c storage.Commit) (r storage.CommitResult, err error) {
	err = s.call(func() error { r, err = s.inner.Commit(ctx, c); return err })
	return r, err
}

func (s *faultyStore) CommitBatch(ctx context.Context, cs []storage.Commit) (r []storage.CommitResult, err error) {
	err = s.call(func() error { r, err = s.inner.CommitBatch(ctx, cs); return err })
	return r, err
}

func (s *faultyStore) Event(ctx context.Context, id affiliate.EventID) (r affiliate.EventRecord, err error) {
	err = s.call(func() error { r, err = s.inner.Event(ctx, id); return err })
	return r, err
}

func (s *faultyStore) Events(ctx context.Context, q storage.EventQuery) (r []affiliate.EventRecord, err error) {
	err = s.call(func() error { r, err = s.inner.Events(ctx, q); return err })
	return r, err
}

func (s *faultyStore) CustomerState(ctx context.Context, c affiliate.CustomerID) (r storage.CustomerState, err error) {
	err = s.call(func() error { r, err = s.inner.CustomerState(ctx, c); return err })
	return r, err
}

func (s *faultyStore) Entries(ctx context.Context, q storage.EntryQuery) (r []affiliate.Entry, err error) {
	err = s.call(func() error { r, err = s.inner.Entries(ctx, q); return err })
	return r, err
}

func (s *faultyStore) Bind(ctx context.Context, b affiliate.Binding) (r affiliate.Binding, err error) {
	err = s.call(func() error { r, err = s.inner.Bind(ctx, b); return err })
	return r, err
}

func (s *faultyStore) Binding(ctx context.Context, c affiliate.CustomerID) (r affiliate.Binding, err error) {
	err = s.call(func() error { r, err = s.inner.Binding(ctx, c); return err })
	return r, err
}

func (s *faultyStore) PutAffiliate(ctx context.Context, a affiliate.Affiliate) error {
	return s.call(func() error { return s.inner.PutAffiliate(ctx, a) })
}

func (s *faultyStore) Affiliate(ctx context.Context, id affiliate.AffiliateID) (r affiliate.Affiliate, err error) {
	err = s.call(func() error { r, err = s.inner.Affiliate(ctx, id); return err })
	return r, err
}

func (s *faultyStore) AffiliateByCode(ctx context.Context, code string) (r affiliate.Affiliate, err error) {
	err = s.call(func() error { r, err = s.inner.AffiliateByCode(ctx, code); return err })
	return r, err
}

// faultScenario touches every path: in-order payments, a deferred reward,
// a refund before its payment, an out-of-order payment, refunds.
func faultScenario() []affiliate.Event {
	return []affiliate.Event{
		sub("m1", "c", month(0), "100"),
		refund("r3", "m3", "c", month(2).Add(time.Hour), "10", "EUR"),
		sub("m3", "c", month(2), "100"),
		sub("m2", "c", month(1), "100"),
		refund("r1", "m1", "c", month(3), "40", "EUR"),
		sub("m4", "c", month(3), "80"),
		refund("r4", "m4", "c", month(4), "", ""),
	}
}

func faultProgram() rules.Rule {
	return rules.AllOf{
		rules.TierRate{},
		rules.SubAffiliateBonus{},
		rules.Deferred{Rate: affiliate.MustPercent("10"), Payments: 2},
	}
}

func newFaultSystem(t *testing.T, fail int, lost bool) (*faultyStore, *commission.Engine) {
	t.Helper()
	st := &faultyStore{inner: memstore.New()}
	ctx := context.Background()
	for _, a := range []affiliate.Affiliate{aff("p", ""), aff("a", "p")} {
		if err := st.inner.PutAffiliate(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.inner.Bind(ctx, affiliate.Binding{Customer: "c", Affiliate: "a", Source: affiliate.BindByCode, BoundAt: jan15}); err != nil {
		t.Fatal(err)
	}
	eng, err := commission.New(commission.Config{Store: st, Terms: terms(faultProgram()), Tiers: commission.FixedTier(standard), Currency: "EUR"})
	if err != nil {
		t.Fatal(err)
	}
	st.fail = fail
	return st, eng
}

func storeContents(t *testing.T, s *memstore.Store) string {
	t.Helper()
	ctx := context.Background()
	entries, err := s.Entries(ctx, storage.EntryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	events, err := s.Events(ctx, storage.EventQuery{Customer: "c"})
	if err != nil {
		t.Fatal(err)
	}
	state, err := s.CustomerState(ctx, "c")
	if err != nil {
		t.Fatal(err)
	}
	var aggs []storage.Aggregate
	for _, m := range []affiliate.Metric{affiliate.MetricRevenue, affiliate.MetricRevenueConverted, affiliate.MetricConversions, affiliate.MetricPayingCustomers, affiliate.MetricEarnings} {
		for _, a := range []affiliate.AffiliateID{"", "a", "p"} {
			xs, err := s.AffiliateAggregates(ctx, a, m, per("2026-01"), per("2026-12"))
			if err != nil {
				t.Fatal(err)
			}
			aggs = append(aggs, xs...)
		}
	}
	b, err := json.Marshal([]any{entries, events, state, aggs})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// I7: a store that fails mid-call leaves no partial event, and a retry
// completes it. Every call of the scenario is made to fail in turn.
func TestFaultInjection(t *testing.T) {
	events := faultScenario()
	// The clean run: the contents after each event, and the call count.
	cleanStore, clean := newFaultSystem(t, 0, false)
	var cleanAfter []string
	for _, ev := range events {
		if _, err := clean.Record(context.Background(), ev); err != nil {
			t.Fatalf("clean run, %s: %v", ev.EventID(), err)
		}
		cleanAfter = append(cleanAfter, storeContents(t, cleanStore.inner))
	}
	total := cleanStore.calls
	if total < len(events)*3 {
		t.Fatalf("the scenario made only %d store calls", total)
	}
	for _, lost := range []bool{false, true} {
		for n := 1; n <= total; n++ {
			st, eng := newFaultSystem(t, n, lost)
			failed := false
			for i, ev := range events {
				before := storeContents(t, st.inner)
				_, err := eng.Record(context.Background(), ev)
				if err != nil {
					if !errors.Is(err, errInjected) {
						t.Fatalf("call %d (lost=%v), %s: %v", n, lost, ev.EventID(), err)
					}
					failed = true
					// No partial event: the store holds all of the event or
					// none of it.
					if got := storeContents(t, st.inner); got != before && got != cleanAfter[i] {
						t.Fatalf("call %d (lost=%v) left %s half-written", n, lost, ev.EventID())
					}
					// The host retries; it completes.
					if _, err := eng.Record(context.Background(), ev); err != nil {
						t.Fatalf("call %d (lost=%v), retry of %s: %v", n, lost, ev.EventID(), err)
					}
				}
				if got := storeContents(t, st.inner); got != cleanAfter[i] {
					t.Fatalf("call %d (lost=%v): after %s the store differs from the clean run", n, lost, ev.EventID())
				}
			}
			if !failed {
				t.Fatalf("call %d (lost=%v) never failed", n, lost)
			}
		}
	}
}

// conflictingStore loses every compare-and-swap.
type conflictingStore struct{ *memstore.Store }

func (s conflictingStore) Commit(context.Context, storage.Commit) (storage.CommitResult, error) {
	return storage.CommitResult{}, affiliate.ErrConflict
}

func TestContentionGivesUp(t *testing.T) {
	st := memstore.New()
	eng, err := commission.New(commission.Config{Store: conflictingStore{st}, Terms: terms(thirty), MaxAttempts: 3})
	if err != nil {
		t.Fatal(err)
	}
	_, err = eng.Record(context.Background(), sub("p1", "c", jan15, "10"))
	var ce *commission.ContentionError
	if !errors.Is(err, commission.ErrContention) || !errors.Is(err, affiliate.ErrConflict) || !errors.Is(err, affiliate.ErrRetryable) ||
		errors.Is(err, affiliate.ErrInvalid) || !errors.As(err, &ce) || ce.Attempts != 3 {
		t.Fatalf("err = %v", err)
	}
	if _, err := st.Event(context.Background(), "p1"); !errors.Is(err, affiliate.ErrNotFound) {
		t.Fatalf("the event was stored: %v", err)
	}
	if !reflect.DeepEqual(ce.Customer, affiliate.CustomerID("c")) {
		t.Fatalf("customer %q", ce.Customer)
	}
}

// unavailableStore fails its first Commit the way a store reports a
// transient outage: an error matching affiliate.ErrRetryable.
type unavailableStore struct {
	*memstore.Store
	failed bool
}

func (s *unavailableStore) Commit(ctx context.Context, c storage.Commit) (storage.CommitResult, error) {
	if !s.failed {
		s.failed = true
		return storage.CommitResult{}, fmt.Errorf("%w: connection reset", affiliate.ErrRetryable)
	}
	return s.Store.Commit(ctx, c)
}

// TestStoreUnavailableIsRetryable: Record passes a store's retryable
// failure through as it is (the host's "try again" branch sees it), and
// the retry completes.
func TestStoreUnavailableIsRetryable(t *testing.T) {
	st := &unavailableStore{Store: memstore.New()}
	eng, err := commission.New(commission.Config{Store: st, Terms: terms(thirty)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = eng.Record(context.Background(), sub("p1", "c", jan15, "10"))
	if !errors.Is(err, affiliate.ErrRetryable) || errors.Is(err, affiliate.ErrInvalid) {
		t.Fatalf("err = %v, want one matching ErrRetryable and not ErrInvalid", err)
	}
	if _, err := eng.Record(context.Background(), sub("p1", "c", jan15, "10")); err != nil {
		t.Fatalf("retry: %v", err)
	}
}

// A payment whose aggregate would overflow is refused whole: Record
// returns the store's *storage.AggregateOverflowError (ErrOverflow, so
// ErrInvalid), and neither the event nor an entry is stored; a payment
// that fits is then recorded as usual.
func TestRecordRefusesAnAggregateOverflow(t *testing.T) {
	f := newFixture(t, commission.Config{Terms: terms(rules.Percent{Rate: affiliate.MustPercent("20")})}, aff("a", ""))
	f.bind("c", "a", jan15)
	near := affiliate.MustMoney(math.MaxInt64-100, "EUR")
	if _, err := f.store.Commit(f.ctx, storage.Commit{Key: "seed", Hash: "h", State: storage.CustomerState{Customer: "seed", Version: 1},
		Deltas: []storage.AggregateDelta{{Affiliate: "a", Period: affiliate.PeriodOf(jan15, time.UTC), Metric: affiliate.MetricRevenue, Amount: near}}}); err != nil {
		t.Fatal(err)
	}
	_, err := f.eng.Record(f.ctx, sub("big", "c", jan15, "2.00"))
	var overflow *storage.AggregateOverflowError
	if !errors.Is(err, affiliate.ErrOverflow) || !errors.Is(err, affiliate.ErrInvalid) || !errors.As(err, &overflow) || overflow.Affiliate != "a" {
		t.Fatalf("Record = %v, want a's *storage.AggregateOverflowError", err)
	}
	if _, err := f.store.Event(f.ctx, "big"); !errors.Is(err, affiliate.ErrNotFound) {
		t.Fatalf("the refused payment was logged (Event = %v)", err)
	}
	if es := f.entries("c"); len(es) != 0 {
		t.Fatalf("the refused payment left entries %v", es)
	}
	if res := f.record(sub("small", "c", jan15, "0.50")); len(res.Entries) != 1 {
		t.Fatalf("a payment that fits recorded %v, want one entry", res.Entries)
	}
}
