package storagetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// ProfileStore is what RunProfiles needs: the affiliates a profile
// belongs to, and the profiles.
type ProfileStore interface {
	storage.Affiliates
	storage.Profiles
}

func sepaProfile(a affiliate.AffiliateID, holder string) affiliate.PayeeProfile {
	return affiliate.PayeeProfile{
		Affiliate: a, Method: affiliate.MethodBankTransfer, Currency: "EUR",
		AccountHolder: holder, IBAN: "DE89370400440532013000", BIC: "COBADEFFXXX", UpdatedAt: t0,
	}
}

// RunProfiles runs the cases of storage.Profiles.
func RunProfiles(t *testing.T, newStore Factory[ProfileStore]) {
	t.Run("VersionsAppend", func(t *testing.T) {
		s := newStore(t)
		must(t, s.PutAffiliate(ctxT(), aff("aff-1", "")))
		first := sepaProfile("aff-1", "Ada Lovelace")
		second := affiliate.PayeeProfile{Affiliate: "aff-1", Method: affiliate.MethodPayPal, Currency: "USD",
			Email: "ada@example.com", TaxForm: affiliate.TaxFormW9, UpdatedAt: t0.Add(time.Hour), Version: 7}
		for i, p := range []affiliate.PayeeProfile{first, second} {
			got, err := s.PutProfile(ctxT(), p)
			if err != nil || got.Version != i+1 {
				t.Fatalf("PutProfile #%d = version %d, %v; want version %d", i+1, got.Version, err, i+1)
			}
		}
		first.Version, second.Version = 1, 2
		latest, err := s.Profile(ctxT(), "aff-1")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(second, latest); diff != "" {
			t.Fatalf("Profile (-want +got):\n%s", diff)
		}
		all, err := s.ProfileVersions(ctxT(), "aff-1")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]affiliate.PayeeProfile{first, second}, all); diff != "" {
			t.Fatalf("ProfileVersions (-want +got):\n%s", diff)
		}
		// Copy out: changing what came back changes nothing stored.
		all[0].IBAN = "changed"
		again, _ := s.ProfileVersions(ctxT(), "aff-1")
		if again[0].IBAN != first.IBAN {
			t.Fatalf("ProfileVersions returned the stored slice: IBAN now %q", again[0].IBAN)
		}
	})

	errorCases := []struct {
		name string
		put  affiliate.PayeeProfile
		want error
	}{
		{"IBANChecksum", func() affiliate.PayeeProfile {
			p := sepaProfile("aff-1", "Ada")
			p.IBAN = "DE89370400440532013001"
			return p
		}(), affiliate.ErrInvalid},
		{"BadEmail", affiliate.PayeeProfile{Affiliate: "aff-1", Method: affiliate.MethodPayPal, Currency: "USD", Email: "ada", UpdatedAt: t0}, affiliate.ErrInvalid},
		{"UnknownAffiliate", sepaProfile("ghost", "Ada"), affiliate.ErrNotFound},
	}
	for _, tc := range errorCases {
		t.Run("Error"+tc.name, func(t *testing.T) {
			s := newStore(t)
			must(t, s.PutAffiliate(ctxT(), aff("aff-1", "")))
			if _, err := s.PutProfile(ctxT(), tc.put); !errors.Is(err, tc.want) {
				t.Fatalf("PutProfile = %v, want %v", err, tc.want)
			}
			for _, a := range []affiliate.AffiliateID{"aff-1", "ghost"} {
				if _, err := s.Profile(ctxT(), a); !errors.Is(err, affiliate.ErrNotFound) {
					t.Fatalf("after a refused put, Profile(%s) = %v; want ErrNotFound (nothing stored)", a, err)
				}
				if vs, err := s.ProfileVersions(ctxT(), a); err != nil || len(vs) != 0 {
					t.Fatalf("after a refused put, ProfileVersions(%s) = %v, %v; want none", a, vs, err)
				}
			}
		})
	}

	t.Run("ConcurrentPutsTakeDistinctVersions", func(t *testing.T) {
		s := newStore(t)
		must(t, s.PutAffiliate(ctxT(), aff("aff-1", "")))
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = s.PutProfile(ctxT(), sepaProfile("aff-1", fmt.Sprintf("holder %d", i)))
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("put %d: %v", i, err)
			}
		}
		all, err := s.ProfileVersions(ctxT(), "aff-1")
		if err != nil {
			t.Fatal(err)
		}
		holders := make(map[string]bool)
		for i, p := range all {
			if p.Version != i+1 {
				t.Fatalf("version %d at position %d; want 1..%d in order", p.Version, i, n)
			}
			holders[p.AccountHolder] = true
		}
		if len(all) != n || len(holders) != n {
			t.Fatalf("%d versions with %d holders; want %d of each", len(all), len(holders), n)
		}
	})

	t.Run("Model", func(t *testing.T) {
		// One store for every case, and fresh affiliates for each: a
		// store per case is slow on PostgreSQL.
		s := newStore(t)
		cases := 0
		rapid.Check(t, func(rt *rapid.T) {
			cases++
			ids := []affiliate.AffiliateID{affiliate.AffiliateID(fmt.Sprintf("a-%d", cases)), affiliate.AffiliateID(fmt.Sprintf("b-%d", cases))}
			for _, id := range ids {
				must(t, s.PutAffiliate(ctxT(), aff(id, "")))
			}
			model := make(map[affiliate.AffiliateID][]string)
			rt.Repeat(map[string]func(*rapid.T){
				"put": func(rt *rapid.T) {
					id := rapid.SampledFrom(ids).Draw(rt, "affiliate")
					holder := rapid.StringMatching(`[A-Za-z ]{0,6}x`).Draw(rt, "holder")
					got, err := s.PutProfile(ctxT(), sepaProfile(id, holder))
					if err != nil {
						rt.Fatal(err)
					}
					model[id] = append(model[id], holder)
					if got.Version != len(model[id]) {
						rt.Fatalf("version %d, want %d", got.Version, len(model[id]))
					}
				},
				"": func(rt *rapid.T) {
					for _, id := range ids {
						all, err := s.ProfileVersions(ctxT(), id)
						if err != nil {
							rt.Fatal(err)
						}
						var holders []string
						for _, p := range all {
							holders = append(holders, p.AccountHolder)
						}
						if diff := cmp.Diff(model[id], holders); diff != "" {
							rt.Fatalf("%s: holders (-model +store):\n%s", id, diff)
						}
						latest, err := s.Profile(ctxT(), id)
						if len(model[id]) == 0 {
							if !errors.Is(err, affiliate.ErrNotFound) {
								rt.Fatalf("Profile(%s) = %v, want ErrNotFound", id, err)
							}
						} else if err != nil || latest.Version != len(model[id]) {
							rt.Fatalf("Profile(%s) = version %d, %v; want %d", id, latest.Version, err, len(model[id]))
						}
					}
				},
			})
		})
	})
}
