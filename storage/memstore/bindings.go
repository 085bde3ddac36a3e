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

// bindingTables holds the bindings as pointer-free rows: customer
// number n's binding is rows[rowOf[n]-1] (0: not bound), and each
// affiliate's customers are numbers, in the order bound.
type bindingTables struct {
	rows        []bindingRow
	rowOf       []uint32   // by customer number
	byAffiliate [][]uint32 // by affiliate number: customer numbers
}

type bindingRow struct {
	touched, bound, expires instant
	customer, affiliate     uint32
	source, code            uint32 // words
	touch, lead             ref
	rebinds                 uint32 // how often the customer was rebound
}

func (t *bindingTables) init() {}

// bindingOf returns customer c's row, or nil.
func (s *Store) bindingOf(c affiliate.CustomerID) *bindingRow {
	n, ok := s.ids.customers.lookup(string(c))
	if !ok || int(n) >= len(s.bindings.rowOf) || s.bindings.rowOf[n] == 0 {
		return nil
	}
	return &s.bindings.rows[s.bindings.rowOf[n]-1]
}

// setBinding writes b into row r (keeping its customer and rebinds).
func (s *Store) setBinding(r *bindingRow, b affiliate.Binding) {
	r.affiliate = s.ids.affiliates.intern(string(b.Affiliate))
	r.source = s.ids.words.intern(string(b.Source))
	r.code = s.ids.words.intern(b.Code)
	r.touch = s.ids.text.addString(string(b.Touch))
	r.lead = s.ids.text.addString(string(b.Lead))
	r.touched = s.ids.locs.instant(b.TouchedAt)
	r.bound = s.ids.locs.instant(b.BoundAt)
	r.expires = s.ids.locs.instant(b.ExpiresAt)
}

// bindingOut rebuilds a binding; its strings point into the arena.
func (s *Store) bindingOut(r *bindingRow) affiliate.Binding {
	return affiliate.Binding{
		Customer:  affiliate.CustomerID(s.ids.customers.str(r.customer)),
		Affiliate: affiliate.AffiliateID(s.ids.affiliates.str(r.affiliate)),
		Source:    affiliate.BindingSource(s.ids.words.str(r.source)),
		Touch:     affiliate.TouchID(s.ids.text.str(r.touch)),
		Lead:      affiliate.LeadID(s.ids.text.str(r.lead)),
		Code:      s.ids.words.str(r.code),
		TouchedAt: s.ids.locs.time(r.touched),
		BoundAt:   s.ids.locs.time(r.bound),
		ExpiresAt: s.ids.locs.time(r.expires),
	}
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
	if old := s.bindingOf(b.Customer); old != nil {
		return s.bindingOut(old), affiliate.ErrAlreadyBound
	}
	t := &s.bindings
	r := bindingRow{customer: s.ids.customers.intern(string(b.Customer))}
	s.setBinding(&r, b)
	t.rows = append(t.rows, r)
	for int(r.customer) >= len(t.rowOf) {
		t.rowOf = append(t.rowOf, 0)
	}
	t.rowOf[r.customer] = uint32(len(t.rows))
	list := listOf(&t.byAffiliate, r.affiliate)
	*list = append(*list, r.customer)
	s.bindingAdded(b)
	s.outbox.seq.append(customerBound | uint64(len(t.rows)-1))
	return b, nil
}

// Binding implements storage.Bindings.
func (s *Store) Binding(ctx context.Context, c affiliate.CustomerID) (affiliate.Binding, error) {
	if err := ctx.Err(); err != nil {
		return affiliate.Binding{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r := s.bindingOf(c)
	if r == nil {
		return affiliate.Binding{}, notFound("binding for customer", string(c))
	}
	return s.bindingOut(r), nil
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
	var customers []uint32
	if n, ok := s.ids.affiliates.lookup(string(a)); ok {
		customers = listAt(s.bindings.byAffiliate, n)
	}
	out := make([]affiliate.Binding, len(customers))
	for i, c := range customers {
		out[i] = s.bindingOut(&s.bindings.rows[s.bindings.rowOf[c]-1])
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
