package memstore

import (
	"context"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.Bindings = (*Store)(nil)

type bindingTables struct {
	byCustomer map[affiliate.CustomerID]affiliate.Binding
}

func (t *bindingTables) init() {
	t.byCustomer = make(map[affiliate.CustomerID]affiliate.Binding)
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
	s.bindingAdded(b)
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
