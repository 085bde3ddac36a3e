package storagetest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// RebindStore is what RunRebind needs: the bindings, their move, and the
// signup counts a move changes.
type RebindStore interface {
	storage.Bindings
	storage.Rebinder
	Activity(ctx context.Context, a affiliate.AffiliateID, from, to time.Time) (storage.Activity, error)
}

// RunRebind runs the cases of the optional storage.Rebinder.
func RunRebind(t *testing.T, newStore Factory[RebindStore]) {
	t.Run("Errors", func(t *testing.T) { rebindErrors(t, newStore(t)) })
	t.Run("Move", func(t *testing.T) { rebindMove(t, newStore(t)) })
	t.Run("Concurrent", func(t *testing.T) { rebindConcurrent(t, newStore(t)) })
}

func rebindErrors(t *testing.T, s RebindStore) {
	if _, err := s.Bind(ctxT(), bnd("cus-1", "aff-1")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		from affiliate.AffiliateID
		to   affiliate.Binding
		want error
	}{
		{"unbound customer", "aff-1", bnd("cus-2", "aff-2"), affiliate.ErrNotFound},
		{"moved already", "aff-3", bnd("cus-1", "aff-2"), affiliate.ErrConflict},
		{"invalid binding", "aff-1", affiliate.Binding{Customer: "cus-1", Affiliate: "aff-2"}, affiliate.ErrInvalid},
	} {
		if _, err := s.Rebind(ctxT(), tc.from, tc.to); !errors.Is(err, tc.want) {
			t.Errorf("%s: Rebind = %v; want %v", tc.name, err, tc.want)
		}
	}
	if b, err := s.Binding(ctxT(), "cus-1"); err != nil || b.Affiliate != "aff-1" {
		t.Errorf("after refused moves: %+v, %v; want aff-1's binding", b, err)
	}
}

func rebindMove(t *testing.T, s RebindStore) {
	old := bnd("cus-1", "aff-1")
	if _, err := s.Bind(ctxT(), old); err != nil {
		t.Fatal(err)
	}
	to := bnd("cus-1", "aff-2")
	to.Source, to.BoundAt = affiliate.BindByManual, old.BoundAt.Add(time.Hour)
	if got, err := s.Rebind(ctxT(), "aff-1", to); err != nil || got != to {
		t.Fatalf("Rebind = %+v, %v; want %+v", got, err, to)
	}
	if got, err := s.Binding(ctxT(), "cus-1"); err != nil || !got.BoundAt.Equal(to.BoundAt) || got.Affiliate != "aff-2" || got.Source != affiliate.BindByManual {
		t.Errorf("Binding = %+v, %v; want %+v", got, err, to)
	}
	from, until := old.BoundAt.Add(-time.Hour), to.BoundAt.Add(time.Hour)
	for a, want := range map[affiliate.AffiliateID]int64{"aff-1": 0, "aff-2": 1, "": 1} {
		if act, err := s.Activity(ctxT(), a, from, until); err != nil || act.Signups != want {
			t.Errorf("Activity(%q).Signups = %d, %v; want %d", a, act.Signups, err, want)
		}
	}
	// A store that lists an affiliate's bindings lists the customer under
	// its new affiliate only.
	if l, ok := s.(storage.BindingLister); ok {
		for a, want := range map[affiliate.AffiliateID]int{"aff-1": 0, "aff-2": 1} {
			if got, err := l.AffiliateBindings(ctxT(), a); err != nil || len(got) != want || (want == 1 && got[0].Affiliate != "aff-2") {
				t.Errorf("AffiliateBindings(%q) = %+v, %v; want %d binding(s) naming aff-2", a, got, err, want)
			}
		}
	}
}

func rebindConcurrent(t *testing.T, s RebindStore) {
	if _, err := s.Bind(ctxT(), bnd("cus-1", "aff-1")); err != nil {
		t.Fatal(err)
	}
	var won atomic.Int32
	var wg sync.WaitGroup
	for _, a := range []affiliate.AffiliateID{"aff-2", "aff-3", "aff-4", "aff-5"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.Rebind(ctxT(), "aff-1", bnd("cus-1", a))
			switch {
			case err == nil:
				won.Add(1)
			case !errors.Is(err, affiliate.ErrConflict):
				t.Errorf("Rebind to %s: %v", a, err)
			}
		}()
	}
	wg.Wait()
	if won.Load() != 1 {
		t.Errorf("%d concurrent moves from aff-1 won; want exactly 1", won.Load())
	}
}
