package memstore

import (
	"context"
	"slices"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var (
	_ storage.Affiliates = (*Store)(nil)
)

// affiliateTables hold the affiliates by their number (ids.affiliates),
// the one the ledger's rows already use: a read, once per link of a
// customer's chain in every Record, is a probe of that interner and a
// row, not a string map's.
type affiliateTables struct {
	rows   []affiliate.Affiliate // by number; ID "" where none is stored
	byCode map[string]affiliate.AffiliateID
}

func (t *affiliateTables) init() {
	t.byCode = make(map[string]affiliate.AffiliateID)
}

// affiliate returns the stored affiliate id, nil when there is none.
func (s *Store) affiliate(id affiliate.AffiliateID) *affiliate.Affiliate {
	n, ok := s.ids.affiliates.lookup(string(id))
	if !ok || int(n) >= len(s.affiliates.rows) || s.affiliates.rows[n].ID == "" {
		return nil
	}
	return &s.affiliates.rows[n]
}

func copyAffiliate(a affiliate.Affiliate) affiliate.Affiliate {
	a.Codes = slices.Clone(a.Codes)
	return a
}

// PutAffiliate implements storage.Affiliates.
func (s *Store) PutAffiliate(ctx context.Context, a affiliate.Affiliate) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := &s.affiliates
	for _, c := range a.Codes {
		if owner, ok := t.byCode[affiliate.NormalizeCode(c)]; ok && owner != a.ID {
			return &affiliate.FieldError{Field: "Affiliate.Codes", Reason: "code " + c + " belongs to " + string(owner), Err: affiliate.ErrConflict}
		}
	}
	if a.Parent != "" {
		parent := s.affiliate(a.Parent)
		if parent == nil {
			return &affiliate.FieldError{Field: "Affiliate.Parent", Reason: string(a.Parent) + " is not stored", Err: affiliate.ErrNotFound}
		}
		for p := parent; p != nil; p = s.affiliate(p.Parent) {
			if p.ID == a.ID {
				return &affiliate.FieldError{Field: "Affiliate.Parent", Reason: "parent chain would loop back to " + string(a.ID), Err: affiliate.ErrConflict}
			}
		}
	}
	if old := s.affiliate(a.ID); old != nil {
		for _, c := range old.Codes {
			delete(t.byCode, affiliate.NormalizeCode(c))
		}
	}
	for _, c := range a.Codes {
		t.byCode[affiliate.NormalizeCode(c)] = a.ID
	}
	n := int(s.ids.affiliates.intern(string(a.ID)))
	if n >= len(t.rows) {
		t.rows = append(t.rows, make([]affiliate.Affiliate, n+1-len(t.rows))...)
	}
	t.rows[n] = copyAffiliate(a)
	return nil
}

// Affiliate implements storage.Affiliates.
func (s *Store) Affiliate(ctx context.Context, id affiliate.AffiliateID) (affiliate.Affiliate, error) {
	if err := ctx.Err(); err != nil {
		return affiliate.Affiliate{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	a := s.affiliate(id)
	if a == nil {
		return affiliate.Affiliate{}, notFound("affiliate", string(id))
	}
	return copyAffiliate(*a), nil
}

// AffiliateByCode implements storage.Affiliates.
func (s *Store) AffiliateByCode(ctx context.Context, code string) (affiliate.Affiliate, error) {
	if err := ctx.Err(); err != nil {
		return affiliate.Affiliate{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	id, ok := s.affiliates.byCode[affiliate.NormalizeCode(code)]
	if !ok {
		return affiliate.Affiliate{}, notFound("affiliate code", code)
	}
	return copyAffiliate(*s.affiliate(id)), nil
}
