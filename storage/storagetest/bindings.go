package storagetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// bnd builds a valid binding of customer to aff through a link touch.
func bnd(customer affiliate.CustomerID, aff affiliate.AffiliateID) affiliate.Binding {
	return affiliate.Binding{
		Customer: customer, Affiliate: aff, Source: affiliate.BindByLink,
		Touch: affiliate.TouchID("t-" + string(aff)), Code: string(aff),
		TouchedAt: t0.Add(-48 * time.Hour), BoundAt: t0,
	}
}

// runBindingCases is the Bindings conformance suite: the documented
// errors, one binding per customer (also under concurrent calls, for
// -race), copies in and out, and a state machine against a map.
// RunBindings runs the cases of storage.Bindings.
func RunBindings(t *testing.T, newStore Factory[storage.Bindings]) {
	t.Run("BindAndRead", func(t *testing.T) {
		s := newStore(t)
		for _, b := range []affiliate.Binding{
			bnd("cus-1", "aff-1"),
			{Customer: "cus-2", Affiliate: "aff-2", Source: affiliate.BindByCode, Code: "summer", TouchedAt: t0, BoundAt: t0, ExpiresAt: t0.AddDate(1, 0, 0)},
			{Customer: "cus-3", Affiliate: "aff-1", Source: affiliate.BindByLead, Lead: "lead-1", TouchedAt: t0.Add(-time.Hour), BoundAt: t0},
			{Customer: "cus-4", Affiliate: "aff-3", Source: affiliate.BindByManual, BoundAt: t0},
		} {
			got, err := s.Bind(ctxT(), b)
			if err != nil {
				t.Fatalf("Bind(%s): %v", b.Customer, err)
			}
			if diff := cmp.Diff(b, got); diff != "" {
				t.Fatalf("Bind returned (-want +got):\n%s", diff)
			}
			read, err := s.Binding(ctxT(), b.Customer)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(b, read); diff != "" {
				t.Fatalf("Binding(%s) (-want +got):\n%s", b.Customer, diff)
			}
		}
	})

	t.Run("SecondBindReturnsTheStoredBinding", func(t *testing.T) {
		s := newStore(t)
		first := bnd("cus-1", "aff-1")
		if _, err := s.Bind(ctxT(), first); err != nil {
			t.Fatal(err)
		}
		got, err := s.Bind(ctxT(), bnd("cus-1", "aff-2"))
		if !errors.Is(err, affiliate.ErrAlreadyBound) || !errors.Is(err, affiliate.ErrConflict) {
			t.Fatalf("second Bind = %v, want ErrAlreadyBound (and ErrConflict)", err)
		}
		if diff := cmp.Diff(first, got); diff != "" {
			t.Fatalf("second Bind returned (-stored +got):\n%s", diff)
		}
		read, _ := s.Binding(ctxT(), "cus-1")
		if diff := cmp.Diff(first, read); diff != "" {
			t.Fatalf("second Bind moved the customer (-first +now):\n%s", diff)
		}
	})

	invalid := []struct {
		name string
		b    affiliate.Binding
	}{
		{"NoCustomer", affiliate.Binding{Affiliate: "aff-1", Source: affiliate.BindByLink, BoundAt: t0}},
		{"NoAffiliate", affiliate.Binding{Customer: "cus-1", Source: affiliate.BindByLink, BoundAt: t0}},
		{"UnknownSource", affiliate.Binding{Customer: "cus-1", Affiliate: "aff-1", Source: "cookie", BoundAt: t0}},
		{"NoBoundAt", affiliate.Binding{Customer: "cus-1", Affiliate: "aff-1", Source: affiliate.BindByLink}},
		{"ExpiresBeforeBound", affiliate.Binding{Customer: "cus-1", Affiliate: "aff-1", Source: affiliate.BindByLink, BoundAt: t0, ExpiresAt: t0}},
		{"ControlCharInCustomer", affiliate.Binding{Customer: "cus\x001", Affiliate: "aff-1", Source: affiliate.BindByLink, BoundAt: t0}},
	}
	for _, tc := range invalid {
		t.Run("ErrorInvalid"+tc.name, func(t *testing.T) {
			s := newStore(t)
			if _, err := s.Bind(ctxT(), tc.b); !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("Bind = %v, want ErrInvalid", err)
			}
			if got, err := s.Binding(ctxT(), tc.b.Customer); !errors.Is(err, affiliate.ErrNotFound) {
				t.Fatalf("an invalid Bind stored %+v (err %v)", got, err)
			}
			// The customer is still free.
			if tc.b.Customer != "" && tc.name != "ControlCharInCustomer" {
				if _, err := s.Bind(ctxT(), bnd(tc.b.Customer, "aff-9")); err != nil {
					t.Fatalf("Bind after a refused Bind: %v", err)
				}
			}
		})
	}

	t.Run("ErrorNotFound", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.Binding(ctxT(), "nobody"); !errors.Is(err, affiliate.ErrNotFound) {
			t.Fatalf("Binding(nobody) = %v, want ErrNotFound", err)
		}
	})

	t.Run("CopyInCopyOut", func(t *testing.T) {
		s := newStore(t)
		b := bnd("cus-1", "aff-1")
		want := b
		got, _ := s.Bind(ctxT(), b)
		b.Affiliate, got.Affiliate = "mallory", "mallory"
		read, _ := s.Binding(ctxT(), "cus-1")
		read.Affiliate = "mallory"
		again, _ := s.Binding(ctxT(), "cus-1")
		if diff := cmp.Diff(want, again); diff != "" {
			t.Fatalf("mutation leaked into the store (-want +got):\n%s", diff)
		}
	})

	// Many goroutines bind one customer at once: exactly one wins, and
	// every loser gets ErrAlreadyBound with the winner's binding.
	t.Run("ConcurrentBindOneCustomer", func(t *testing.T) {
		s := newStore(t)
		const n = 32
		var wg sync.WaitGroup
		got := make([]affiliate.Binding, n)
		errs := make([]error, n)
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				got[i], errs[i] = s.Bind(ctxT(), bnd("cus-race", affiliate.AffiliateID(fmt.Sprintf("aff-%02d", i))))
			}()
		}
		close(start)
		wg.Wait()
		stored, err := s.Binding(ctxT(), "cus-race")
		if err != nil {
			t.Fatal(err)
		}
		wins := 0
		for i := range n {
			switch {
			case errs[i] == nil:
				wins++
			case !errors.Is(errs[i], affiliate.ErrAlreadyBound):
				t.Fatalf("Bind %d: %v, want nil or ErrAlreadyBound", i, errs[i])
			}
			if diff := cmp.Diff(stored, got[i]); diff != "" {
				t.Fatalf("Bind %d returned another binding than the stored one (-stored +got):\n%s", i, diff)
			}
		}
		if wins != 1 {
			t.Fatalf("%d concurrent Binds of one customer succeeded, want exactly 1", wins)
		}
	})

	// Concurrent binds of different customers all succeed.
	t.Run("ConcurrentBindManyCustomers", func(t *testing.T) {
		s := newStore(t)
		const n = 32
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = s.Bind(ctxT(), bnd(affiliate.CustomerID(fmt.Sprintf("cus-%02d", i)), "aff-1"))
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("Bind %d: %v", i, err)
			}
			if _, err := s.Binding(ctxT(), affiliate.CustomerID(fmt.Sprintf("cus-%02d", i))); err != nil {
				t.Fatalf("Binding %d: %v", i, err)
			}
		}
	})

	t.Run("Model", func(t *testing.T) {
		checkRuns(t, newStore, func(rt *rapid.T, s storage.Bindings) {
			model := map[affiliate.CustomerID]affiliate.Binding{}
			customer := rapid.SampledFrom([]affiliate.CustomerID{"c1", "c2", "c3", "c4"})
			rt.Repeat(map[string]func(*rapid.T){
				"Bind": func(rt *rapid.T) {
					b := bnd(customer.Draw(rt, "customer"), affiliate.AffiliateID(rapid.SampledFrom([]string{"a1", "a2", "a3"}).Draw(rt, "affiliate")))
					b.BoundAt = t0.Add(time.Duration(rapid.IntRange(0, 1000).Draw(rt, "minute")) * time.Minute)
					got, err := s.Bind(ctxT(), b)
					if old, ok := model[b.Customer]; ok {
						if !errors.Is(err, affiliate.ErrAlreadyBound) || !cmp.Equal(old, got) {
							rt.Fatalf("Bind(bound %s) = %+v, %v; want %+v and ErrAlreadyBound", b.Customer, got, err, old)
						}
						return
					}
					if err != nil || !cmp.Equal(b, got) {
						rt.Fatalf("Bind(%s) = %+v, %v", b.Customer, got, err)
					}
					model[b.Customer] = b
				},
				"Binding": func(rt *rapid.T) {
					c := customer.Draw(rt, "customer")
					got, err := s.Binding(ctxT(), c)
					want, ok := model[c]
					if !ok {
						if !errors.Is(err, affiliate.ErrNotFound) {
							rt.Fatalf("Binding(unbound %s) = %+v, %v; want ErrNotFound", c, got, err)
						}
						return
					}
					if err != nil || !cmp.Equal(want, got) {
						rt.Fatalf("Binding(%s) = %+v, %v; want %+v", c, got, err, want)
					}
				},
			})
		})
	})
}
