package storagetest

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// ListStore is what RunLists needs: the optional list reads, and the
// writes that fill them.
type ListStore interface {
	storage.Bindings
	storage.BindingLister
	storage.Leads
	storage.LeadLister
}

// RunLists runs the cases of the optional reads storage.BindingLister and
// storage.LeadLister: selection, order, the documented errors, and copies
// out.
func RunLists(t *testing.T, newStore Factory[ListStore]) {
	t.Run("AffiliateBindings", func(t *testing.T) {
		s := newStore(t)
		// Bound out of BoundAt order, so that the order must be the store's.
		for _, b := range []affiliate.Binding{
			{Customer: "cus-3", Affiliate: "aff-1", Source: affiliate.BindByManual, BoundAt: t0.Add(2 * time.Hour)},
			{Customer: "cus-2", Affiliate: "aff-1", Source: affiliate.BindByManual, BoundAt: t0},
			{Customer: "cus-1", Affiliate: "aff-1", Source: affiliate.BindByManual, BoundAt: t0},
			{Customer: "cus-4", Affiliate: "aff-2", Source: affiliate.BindByManual, BoundAt: t0},
		} {
			if _, err := s.Bind(ctxT(), b); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.AffiliateBindings(ctxT(), "aff-1")
		if err != nil {
			t.Fatal(err)
		}
		var customers []affiliate.CustomerID
		for _, b := range got {
			customers = append(customers, b.Customer)
		}
		if diff := cmp.Diff([]affiliate.CustomerID{"cus-1", "cus-2", "cus-3"}, customers); diff != "" {
			t.Errorf("AffiliateBindings(aff-1) customers (-want +got):\n%s", diff)
		}
		if none, err := s.AffiliateBindings(ctxT(), "aff-9"); err != nil || len(none) != 0 {
			t.Errorf("AffiliateBindings of an affiliate without customers = %v, %v; want none, no error", none, err)
		}
		if _, err := s.AffiliateBindings(ctxT(), ""); !errors.Is(err, affiliate.ErrInvalid) {
			t.Errorf("AffiliateBindings(\"\") = %v, want ErrInvalid", err)
		}
	})
	t.Run("Leads", func(t *testing.T) {
		s := newStore(t)
		leads := []affiliate.Lead{
			newLead("l-3", "three.example", affiliate.LeadAccepted, t0.Add(time.Hour)),
			newLead("l-1", "one.example", affiliate.LeadRefused, t0),
			newLead("l-2", "two.example", affiliate.LeadAccepted, t0),
			newLead("l-4", "four.example", affiliate.LeadAccepted, t0),
		}
		leads[3].Affiliate = "aff-2"
		for i, l := range leads {
			if err := s.AddLead(ctxT(), l, []string{"key-" + string(l.ID)}); err != nil {
				t.Fatalf("AddLead %d: %v", i, err)
			}
		}
		cases := []struct {
			q    storage.LeadQuery
			want []affiliate.LeadID
		}{
			{storage.LeadQuery{Affiliate: "aff-1"}, []affiliate.LeadID{"l-1", "l-2", "l-3"}},
			{storage.LeadQuery{Status: affiliate.LeadAccepted}, []affiliate.LeadID{"l-2", "l-4", "l-3"}},
			{storage.LeadQuery{Affiliate: "aff-1", Status: affiliate.LeadAccepted}, []affiliate.LeadID{"l-2", "l-3"}},
			{storage.LeadQuery{Affiliate: "aff-9"}, []affiliate.LeadID{}},
		}
		for _, tc := range cases {
			got, err := s.Leads(ctxT(), tc.q)
			if err != nil {
				t.Fatalf("Leads(%+v): %v", tc.q, err)
			}
			if diff := cmp.Diff(tc.want, append(leadIDs(got)[:0:0], leadIDs(got)...)); diff != "" {
				t.Errorf("Leads(%+v) (-want +got):\n%s", tc.q, diff)
			}
		}
		got, err := s.Leads(ctxT(), storage.LeadQuery{Affiliate: "aff-1", Status: affiliate.LeadRefused})
		if err != nil || len(got) != 1 {
			t.Fatalf("Leads of refused = %v, %v; want l-1", got, err)
		}
		if diff := cmp.Diff(leads[1], got[0], cmp.Comparer(func(x, y time.Time) bool { return x.Equal(y) })); diff != "" {
			t.Errorf("the listed lead differs from the stored one (-want +got):\n%s", diff)
		}
		got[0].Reasons[0] = "changed by the caller"
		again, err := s.Leads(ctxT(), storage.LeadQuery{Affiliate: "aff-1", Status: affiliate.LeadRefused})
		if err != nil || again[0].Reasons[0] == "changed by the caller" {
			t.Errorf("Leads returned the store's own reasons slice: %v, %v", again, err)
		}
		for _, bad := range []storage.LeadQuery{{}, {Status: "lost"}, {Affiliate: "bad\x00id"}} {
			if _, err := s.Leads(ctxT(), bad); !errors.Is(err, affiliate.ErrInvalid) {
				t.Errorf("Leads(%+v) = %v, want ErrInvalid", bad, err)
			}
		}
	})
}
