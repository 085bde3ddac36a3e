package attribution_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// t0 is the suite's fixed "now".
var t0 = time.Date(2026, time.March, 10, 9, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

var ctx = context.Background()

// clock is a settable clock for Config.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// countingStore counts the writes the memstore accepted, so a test can
// check that a refused call stored nothing.
type countingStore struct {
	*memstore.Store
	writes atomic.Int64
}

func (s *countingStore) AddTouch(ctx context.Context, t affiliate.Touch) error {
	err := s.Store.AddTouch(ctx, t)
	if err == nil {
		s.writes.Add(1)
	}
	return err
}

func (s *countingStore) Bind(ctx context.Context, b affiliate.Binding) (affiliate.Binding, error) {
	got, err := s.Store.Bind(ctx, b)
	if err == nil {
		s.writes.Add(1)
	}
	return got, err
}

func (s *countingStore) AddLead(ctx context.Context, l affiliate.Lead, keys []string) error {
	err := s.Store.AddLead(ctx, l, keys)
	if err == nil {
		s.writes.Add(1)
	}
	return err
}

func (s *countingStore) UpdateLead(ctx context.Context, l affiliate.Lead, from affiliate.LeadStatus) error {
	err := s.Store.UpdateLead(ctx, l, from)
	if err == nil {
		s.writes.Add(1)
	}
	return err
}

// recorder is an Observer that keeps what it heard.
type recorder struct {
	mu     sync.Mutex
	events []attribution.Event
}

func (r *recorder) Observe(_ context.Context, e attribution.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

func (r *recorder) kinds() []attribution.EventKind {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]attribution.EventKind, len(r.events))
	for i, e := range r.events {
		out[i] = e.Kind
	}
	return out
}

// tb is what the helpers need from *testing.T and *rapid.T alike.
type tb interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// fixture is a Tracker over a memstore holding three affiliates:
//
//	ann  code "ANN",  ann@annco.io,   active
//	bob  code "bob",  bob@gmail.com,  active
//	sue  code "sue",  sue@sueco.io,   suspended
type fixture struct {
	store *countingStore
	clock *clock
	obs   *recorder
	t     *attribution.Tracker
	ids   atomic.Int64
}

func newFixture(tb tb, edit ...func(*attribution.Config)) *fixture {
	tb.Helper()
	f := &fixture{store: &countingStore{Store: memstore.New()}, clock: newClock(t0), obs: &recorder{}}
	for _, a := range []affiliate.Affiliate{
		{ID: "ann", Status: affiliate.StatusActive, Email: "ann@annco.io", Codes: []string{"ANN"}, CreatedAt: t0},
		{ID: "bob", Status: affiliate.StatusActive, Email: "bob@gmail.com", Codes: []string{"bob"}, CreatedAt: t0},
		{ID: "sue", Status: affiliate.StatusSuspended, Email: "sue@sueco.io", Codes: []string{"sue"}, CreatedAt: t0},
	} {
		if err := f.store.PutAffiliate(ctx, a); err != nil {
			tb.Fatal(err)
		}
	}
	cfg := attribution.Config{
		Affiliates: f.store, Touches: f.store, Bindings: f.store, Leads: f.store,
		Observer: f.obs, Now: f.clock.Now,
		NewID: func(prefix string) string { return fmt.Sprintf("%s%04d", prefix, f.ids.Add(1)) },
	}
	for _, e := range edit {
		e(&cfg)
	}
	t, err := attribution.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	f.t = t
	return f
}

// touch records a link click by visitor on code at t.
func (f *fixture) touch(tb tb, visitor affiliate.VisitorID, code string, at time.Time) affiliate.Touch {
	tb.Helper()
	tc, err := f.t.RecordTouch(ctx, attribution.TouchInput{Visitor: visitor, Code: code, At: at})
	if err != nil {
		tb.Fatalf("RecordTouch(%s, %s): %v", visitor, code, err)
	}
	return tc
}

// binding returns the stored binding of c, or the zero Binding.
func (f *fixture) binding(tb tb, c affiliate.CustomerID) affiliate.Binding {
	tb.Helper()
	b, err := f.store.Binding(ctx, c)
	if errors.Is(err, affiliate.ErrNotFound) {
		return affiliate.Binding{}
	}
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

var testKeys = []attribution.Key{{ID: "k2", Secret: []byte("0123456789abcdef0123456789abcdef-current")}}

// storedTouch reads t back from the store, among its visitor's touches.
func storedTouch(ctx context.Context, s storage.Touches, t affiliate.Touch) (affiliate.Touch, error) {
	all, err := s.VisitorTouches(ctx, t.Visitor)
	if err != nil {
		return affiliate.Touch{}, err
	}
	for _, st := range all {
		if st.ID == t.ID {
			return st, nil
		}
	}
	return affiliate.Touch{}, affiliate.ErrNotFound
}
