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
	old, ok := s.bindings.byCustomer[to.Customer]
	switch {
	case !ok:
		return affiliate.Binding{}, notFound("binding for customer", string(to.Customer))
	case old.Affiliate != from:
		return affiliate.Binding{}, conflict("customer %q is bound to %q, not %q", to.Customer, old.Affiliate, from)
	}
	s.bindings.byCustomer[to.Customer] = to
	if ids := s.bindings.byAffiliate[from]; ids != nil {
		s.bindings.byAffiliate[from] = slices.DeleteFunc(ids, func(c affiliate.CustomerID) bool { return c == to.Customer })
	}
	s.bindings.byAffiliate[to.Affiliate] = append(s.bindings.byAffiliate[to.Affiliate], to.Customer)
	s.appendOutbox(storage.RebindEvents(from, to, s.bindings.rebinds[to.Customer]))
	s.bindings.rebinds[to.Customer]++
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
