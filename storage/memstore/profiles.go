package memstore

import (
	"context"
	"slices"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.Profiles = (*Store)(nil)

// profileTables holds every version of every profile, oldest first. The
// map is made on the first put, so New need not know about it.
type profileTables struct {
	versions map[affiliate.AffiliateID][]affiliate.PayeeProfile
}

// PutProfile implements storage.Profiles.
func (s *Store) PutProfile(ctx context.Context, p affiliate.PayeeProfile) (affiliate.PayeeProfile, error) {
	if err := ctx.Err(); err != nil {
		return affiliate.PayeeProfile{}, err
	}
	if err := p.Validate(); err != nil {
		return affiliate.PayeeProfile{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.affiliate(p.Affiliate) == nil {
		return affiliate.PayeeProfile{}, notFound("affiliate", string(p.Affiliate))
	}
	t := &s.profiles
	if t.versions == nil {
		t.versions = make(map[affiliate.AffiliateID][]affiliate.PayeeProfile)
	}
	p.Version = len(t.versions[p.Affiliate]) + 1
	t.versions[p.Affiliate] = append(t.versions[p.Affiliate], p)
	s.appendOutbox(storage.ProfileEvents(p))
	return p, nil
}

// Profile implements storage.Profiles.
func (s *Store) Profile(ctx context.Context, a affiliate.AffiliateID) (affiliate.PayeeProfile, error) {
	if err := ctx.Err(); err != nil {
		return affiliate.PayeeProfile{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	vs := s.profiles.versions[a]
	if len(vs) == 0 {
		return affiliate.PayeeProfile{}, notFound("profile", string(a))
	}
	return vs[len(vs)-1], nil
}

// ProfileVersions implements storage.Profiles.
func (s *Store) ProfileVersions(ctx context.Context, a affiliate.AffiliateID) ([]affiliate.PayeeProfile, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.profiles.versions[a]), nil
}
