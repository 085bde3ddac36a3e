package memstore

import (
	"context"
	"slices"
	"strings"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var (
	_ storage.Bindings      = (*Store)(nil)
	_ storage.BindingLister = (*Store)(nil)
)

type bindingTables struct {
	byCustomer  map[affiliate.CustomerID]affiliate.Binding
	byAffiliate map[affiliate.AffiliateID][]affiliate.CustomerID // in the order bound
	rebinds     map[affiliate.CustomerID]int                     // how often each customer was rebound
}

func (t *bindingTables) init() {
	t.byCustomer = make(map[affiliate.CustomerID]affiliate.Binding)
	t.byAffiliate = make(map[affiliate.AffiliateID][]affiliate.CustomerID)
	t.rebinds = make(map[affiliate.CustomerID]int)
}

// Bind implements storage.Bindings.
func (s *Store) Bind(ctx context.Context, b affiliate.Binding) (affiliate.Binding, error) {
	if err := ctx.Err(); err != nil {
		return affiliate.Binding{}, err
	}
	if err := b.Validate(); err != nil {
		return affiliate.Binding{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.bindings.byCustomer[b.Customer]; ok {
		return old, affiliate.ErrAlreadyBound
	}
	s.bindings.byCustomer[b.Customer] = b
	s.bindings.byAffiliate[b.Affiliate] = append(s.bindings.byAffiliate[b.Affiliate], b.Customer)
	s.bindingAdded(b)
	s.appendOutbox(storage.BindEvents(b))
	return b, nil
}

// Binding implements storage.Bindings.
func (s *Store) Binding(ctx context.Context, c affiliate.CustomerID) (affiliate.Binding, error) {
	if err := ctx.Err(); err != nil {
		return affiliate.Binding{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, ok := s.bindings.byCustomer[c]
	if !ok {
		return affiliate.Binding{}, notFound("binding for customer", string(c))
	}
	return b, nil
}

// AffiliateBindings implements storage.BindingLister.
func (s *Store) AffiliateBindings(ctx context.Context, a affiliate.AffiliateID) ([]affiliate.Binding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := affiliate.ValidateID("affiliate", a); err != nil {
		return nil, err
	}
	s.mu.RLock()
	ids := s.bindings.byAffiliate[a]
	out := make([]affiliate.Binding, len(ids))
	for i, c := range ids {
		out[i] = s.bindings.byCustomer[c]
	}
	s.mu.RUnlock()
	// Bound in call order, which a host's BoundAt need not follow.
	slices.SortFunc(out, func(x, y affiliate.Binding) int {
		if c := x.BoundAt.Compare(y.BoundAt); c != 0 {
			return c
		}
		return strings.Compare(string(x.Customer), string(y.Customer))
	})
	return out, nil
}
