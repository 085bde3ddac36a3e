package memstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// TestBindingsRoundTrip pins that a binding reads back field for field
// through the row memstore keeps (times in their location, a zero
// ExpiresAt, touch and lead IDs), by customer and by affiliate, and that
// Rebind moves it between the affiliates' lists and a refused Rebind
// changes nothing.
func TestBindingsRoundTrip(t *testing.T) {
	ctx := context.Background()
	ny := time.FixedZone("New York", -5*3600)
	s := memstore.New()
	b := affiliate.Binding{Customer: "cus-1", Affiliate: "ann", Source: affiliate.BindByCode, Touch: "t-1", Lead: "l-1", Code: "ANN",
		TouchedAt: t0.In(ny), BoundAt: t0.Add(time.Hour)}
	if _, err := s.Bind(ctx, b); err != nil {
		t.Fatal(err)
	}
	other := b
	other.Affiliate = "bob"
	if got, err := s.Bind(ctx, other); !errors.Is(err, affiliate.ErrAlreadyBound) || got.Affiliate != "ann" {
		t.Fatalf("second Bind = %v, %v; want ann's binding and ErrAlreadyBound", got.Affiliate, err)
	}
	read := func(want affiliate.Binding, lists map[affiliate.AffiliateID]int) {
		t.Helper()
		got, err := s.Binding(ctx, "cus-1")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("Binding (-want +got):\n%s", diff)
		}
		for a, n := range lists {
			list, err := s.AffiliateBindings(ctx, a)
			if err != nil || len(list) != n {
				t.Fatalf("AffiliateBindings(%s) = %d bindings, %v; want %d", a, len(list), err, n)
			}
			if n == 1 {
				if diff := cmp.Diff(want, list[0]); diff != "" {
					t.Fatalf("AffiliateBindings(%s) (-want +got):\n%s", a, diff)
				}
			}
		}
	}
	read(b, map[affiliate.AffiliateID]int{"ann": 1, "bob": 0})
	moved := b
	moved.Affiliate, moved.Source, moved.Touch, moved.Lead, moved.Code = "bob", affiliate.BindByCode, "", "", "BOB"
	moved.ExpiresAt = t0.AddDate(1, 0, 0)
	if _, err := s.Rebind(ctx, "carl", moved); !errors.Is(err, affiliate.ErrConflict) {
		t.Fatalf("Rebind from the wrong affiliate: %v; want ErrConflict", err)
	}
	read(b, map[affiliate.AffiliateID]int{"ann": 1, "bob": 0})
	if _, err := s.Rebind(ctx, "ann", moved); err != nil {
		t.Fatal(err)
	}
	read(moved, map[affiliate.AffiliateID]int{"ann": 0, "bob": 1})
	if _, err := s.Binding(ctx, "cus-2"); !errors.Is(err, affiliate.ErrNotFound) {
		t.Fatalf("Binding of an unbound customer: %v; want ErrNotFound", err)
	}
}
