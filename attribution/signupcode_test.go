package attribution_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
)

// bindFailsOnce fails the first Bind, as a database that drops the
// connection between the touch and the binding would.
type bindFailsOnce struct {
	*countingStore
	failed bool
}

var errDropped = errors.New("connection dropped")

func (s *bindFailsOnce) Bind(ctx context.Context, b affiliate.Binding) (affiliate.Binding, error) {
	if !s.failed {
		s.failed = true
		return affiliate.Binding{}, errDropped
	}
	return s.countingStore.Bind(ctx, b)
}

// TestTypedCodeIsOneTouchAcrossARetry: the code typed at signup is
// recorded as a touch before the binding; a Bind retried after the binding
// failed finds that touch and stores no second one, so the dashboards
// count the code once.
func TestTypedCodeIsOneTouchAcrossARetry(t *testing.T) {
	f := newFixture(t, func(c *attribution.Config) {
		c.Bindings = &bindFailsOnce{countingStore: c.Bindings.(*countingStore)}
	})
	s := attribution.Signup{Customer: "cus-1", Visitor: "v1", Code: "ANN", At: t0}
	if _, err := f.t.Bind(ctx, s); !errors.Is(err, errDropped) {
		t.Fatalf("first Bind = %v, want the store's error", err)
	}
	b, err := f.t.Bind(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if b.Touch != signupTouch {
		t.Fatalf("binding names touch %q, want %q", b.Touch, signupTouch)
	}
	touches, err := f.store.VisitorTouches(ctx, "v1")
	if err != nil {
		t.Fatal(err)
	}
	want := []affiliate.Touch{{ID: signupTouch, Visitor: "v1", Affiliate: "ann", Code: "ann", Source: affiliate.TouchCode, At: t0}}
	if diff := cmp.Diff(want, touches); diff != "" {
		t.Fatalf("touches (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]attribution.EventKind{attribution.TouchRecorded, attribution.CustomerBound}, f.obs.kinds()); diff != "" {
		t.Fatalf("events (-want +got):\n%s", diff)
	}
}

// TestRetryWithAnotherCodeNamesItsOwnTouch: a retry that types another
// affiliate's code binds through a touch on that affiliate; the first
// code's touch stays, a code use that happened.
func TestRetryWithAnotherCodeNamesItsOwnTouch(t *testing.T) {
	f := newFixture(t, func(c *attribution.Config) {
		c.Bindings = &bindFailsOnce{countingStore: c.Bindings.(*countingStore)}
	})
	s := attribution.Signup{Customer: "cus-1", Visitor: "v1", Code: "ANN", At: t0}
	if _, err := f.t.Bind(ctx, s); !errors.Is(err, errDropped) {
		t.Fatalf("first Bind = %v, want the store's error", err)
	}
	s.Code = "bob"
	b, err := f.t.Bind(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	tc, err := storedTouch(ctx, f.store, affiliate.Touch{ID: b.Touch, Visitor: s.Visitor})
	if err != nil || b.Affiliate != "bob" || tc.Affiliate != "bob" || tc.Source != affiliate.TouchCode {
		t.Fatalf("bound %+v through touch %+v, %v; want bob's code touch", b, tc, err)
	}
	if touches, err := f.store.VisitorTouches(ctx, "v1"); err != nil || len(touches) != 2 {
		t.Fatalf("touches = %+v, %v; want ann's and bob's code uses", touches, err)
	}
}

// TestLosingTypedCodeIsNotRecorded: only the code that binds is recorded
// as a touch; a refused or outranked code leaves the store as it was.
func TestLosingTypedCodeIsNotRecorded(t *testing.T) {
	f := newFixture(t, func(c *attribution.Config) { c.Policy = attribution.Policy{ByTime: true} })
	f.touch(t, "v1", "bob", t0.Add(-4*day))
	before := f.store.writes.Load()
	b, err := f.t.Bind(ctx, attribution.Signup{Customer: "cus-1", Visitor: "v1", Code: "ANN", At: t0})
	if err != nil || b.Affiliate != "bob" {
		t.Fatalf("Bind = %+v, %v; want bob's earlier click", b, err)
	}
	if got := f.store.writes.Load() - before; got != 1 {
		t.Fatalf("Bind stored %d things, want the binding only", got)
	}
}
