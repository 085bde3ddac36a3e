package storagetest

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

func aff(id affiliate.AffiliateID, parent affiliate.AffiliateID, codes ...string) affiliate.Affiliate {
	return affiliate.Affiliate{ID: id, Parent: parent, Status: affiliate.StatusActive, Email: string(id) + "@partners.example", Codes: codes, CreatedAt: t0}
}

// RunAffiliates runs the cases of storage.Affiliates.
func RunAffiliates(t *testing.T, newStore Factory[storage.Affiliates]) {
	t.Run("PutAndRead", func(t *testing.T) {
		s := newStore(t)
		a := aff("aff-1", "", "Summer-24", "ann")
		if err := s.PutAffiliate(ctxT(), a); err != nil {
			t.Fatal(err)
		}
		got, err := s.Affiliate(ctxT(), "aff-1")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(a, got); diff != "" {
			t.Fatalf("Affiliate (-want +got):\n%s", diff)
		}
		for _, code := range []string{"summer-24", "SUMMER-24", " ann "} {
			byCode, err := s.AffiliateByCode(ctxT(), code)
			if err != nil || byCode.ID != "aff-1" {
				t.Fatalf("AffiliateByCode(%q) = %v, %v; want aff-1", code, byCode.ID, err)
			}
		}
	})

	t.Run("ReplaceMovesCodes", func(t *testing.T) {
		s := newStore(t)
		must(t, s.PutAffiliate(ctxT(), aff("aff-1", "", "old")))
		must(t, s.PutAffiliate(ctxT(), aff("aff-1", "", "new")))
		if _, err := s.AffiliateByCode(ctxT(), "old"); !errors.Is(err, affiliate.ErrNotFound) {
			t.Fatalf("dropped code still resolves: %v", err)
		}
		// The dropped code is free for another affiliate.
		must(t, s.PutAffiliate(ctxT(), aff("aff-2", "", "old")))
	})

	errorCases := []struct {
		name  string
		setup []affiliate.Affiliate
		put   affiliate.Affiliate
		want  error
	}{
		{"Invalid", nil, affiliate.Affiliate{ID: "x"}, affiliate.ErrInvalid},
		{"CodeTaken", []affiliate.Affiliate{aff("a", "", "code")}, aff("b", "", "CODE"), affiliate.ErrConflict},
		{"ParentMissing", nil, aff("child", "ghost"), affiliate.ErrNotFound},
		{"ParentCycle", []affiliate.Affiliate{aff("a", ""), aff("b", "a")}, aff("a", "b"), affiliate.ErrConflict},
	}
	for _, tc := range errorCases {
		t.Run("Error"+tc.name, func(t *testing.T) {
			s := newStore(t)
			for _, a := range tc.setup {
				must(t, s.PutAffiliate(ctxT(), a))
			}
			before, _ := s.Affiliate(ctxT(), tc.put.ID)
			if err := s.PutAffiliate(ctxT(), tc.put); !errors.Is(err, tc.want) {
				t.Fatalf("PutAffiliate = %v, want errors.Is %v", err, tc.want)
			}
			after, _ := s.Affiliate(ctxT(), tc.put.ID)
			if diff := cmp.Diff(before, after); diff != "" {
				t.Fatalf("a failed PutAffiliate changed the store (-before +after):\n%s", diff)
			}
		})
	}

	t.Run("ErrorNotFound", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.Affiliate(ctxT(), "nobody"); !errors.Is(err, affiliate.ErrNotFound) {
			t.Fatalf("Affiliate(nobody) = %v, want ErrNotFound", err)
		}
		if _, err := s.AffiliateByCode(ctxT(), "nothing"); !errors.Is(err, affiliate.ErrNotFound) {
			t.Fatalf("AffiliateByCode(nothing) = %v, want ErrNotFound", err)
		}
	})

	t.Run("CopyInCopyOut", func(t *testing.T) {
		s := newStore(t)
		a := aff("aff-1", "", "one", "two")
		must(t, s.PutAffiliate(ctxT(), a))
		a.Codes[0] = "mallory"
		got, _ := s.Affiliate(ctxT(), "aff-1")
		got.Codes[1] = "mallory"
		again, _ := s.Affiliate(ctxT(), "aff-1")
		if diff := cmp.Diff(aff("aff-1", "", "one", "two"), again); diff != "" {
			t.Fatalf("mutation leaked into the store (-want +got):\n%s", diff)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
