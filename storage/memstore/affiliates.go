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

type affiliateTables struct {
	byID   map[affiliate.AffiliateID]affiliate.Affiliate
	byCode map[string]affiliate.AffiliateID
}

func (t *affiliateTables) init() {
	t.byID = make(map[affiliate.AffiliateID]affiliate.Affiliate)
	t.byCode = make(map[string]affiliate.AffiliateID)
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
		if _, ok := t.byID[a.Parent]; !ok {
			return &affiliate.FieldError{Field: "Affiliate.Parent", Reason: string(a.Parent) + " is not stored", Err: affiliate.ErrNotFound}
		}
		for p := a.Parent; p != ""; p = t.byID[p].Parent {
			if p == a.ID {
				return &affiliate.FieldError{Field: "Affiliate.Parent", Reason: "parent chain would loop back to " + string(a.ID), Err: affiliate.ErrConflict}
			}
		}
	}
	for _, c := range t.byID[a.ID].Codes {
		delete(t.byCode, affiliate.NormalizeCode(c))
	}
	for _, c := range a.Codes {
		t.byCode[affiliate.NormalizeCode(c)] = a.ID
	}
	t.byID[a.ID] = copyAffiliate(a)
	return nil
}

// Affiliate implements storage.Affiliates.
func (s *Store) Affiliate(ctx context.Context, id affiliate.AffiliateID) (affiliate.Affiliate, error) {
	if err := ctx.Err(); err != nil {
		return affiliate.Affiliate{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, ok := s.affiliates.byID[id]
	if !ok {
		return affiliate.Affiliate{}, notFound("affiliate", string(id))
	}
	return copyAffiliate(a), nil
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
	return copyAffiliate(s.affiliates.byID[id]), nil
}
