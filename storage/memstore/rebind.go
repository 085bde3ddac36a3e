package memstore

import (
	"context"
	"slices"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.Rebinder = (*Store)(nil)

// Rebind implements storage.Rebinder.
func (s *Store) Rebind(ctx context.Context, from affiliate.AffiliateID, to affiliate.Binding) (affiliate.Binding, error) {
	if err := ctx.Err(); err != nil {
		return affiliate.Binding{}, err
	}
	if err := to.Validate(); err != nil {
		return affiliate.Binding{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.bindingOf(to.Customer)
	if r == nil {
		return affiliate.Binding{}, notFound("binding for customer", string(to.Customer))
	}
	old := s.bindingOut(r)
	if old.Affiliate != from {
		return affiliate.Binding{}, conflict("customer %q is bound to %q, not %q", to.Customer, old.Affiliate, from)
	}
	t := &s.bindings
	if n, ok := s.ids.affiliates.lookup(string(from)); ok && int(n) < len(t.byAffiliate) {
		t.byAffiliate[n] = slices.DeleteFunc(t.byAffiliate[n], func(c uint32) bool { return c == r.customer })
	}
	s.keepBoundEvent(t.rowOf[r.customer] - 1)
	s.setBinding(r, to)
	list := listOf(&t.byAffiliate, r.affiliate)
	*list = append(*list, r.customer)
	s.appendOutbox(storage.RebindEvents(from, to, int(r.rebinds)))
	r.rebinds++
	if tl := s.reports.signups[old.Affiliate]; tl != nil {
		if i := slices.Index(*tl, old.BoundAt.UnixNano()); i >= 0 {
			*tl = slices.Delete(*tl, i, i+1)
		}
	}
	if i := slices.Index(s.reports.allSignups, old.BoundAt.UnixNano()); i >= 0 {
		s.reports.allSignups = slices.Delete(s.reports.allSignups, i, i+1)
	}
	s.reportBinding(to)
	return to, nil
}
