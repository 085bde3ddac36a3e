package memstore

import (
	"context"
	"errors"
	"testing"
	"unsafe"

	"github.com/openaffiliate/affiliate"
)

// TestRowSizes pins the sizes of the rows a year's store holds millions
// of: a field added or moved must not bring the padding back.
func TestRowSizes(t *testing.T) {
	if n := unsafe.Sizeof(entryRow{}); n != 72 {
		t.Errorf("entryRow is %d bytes, want 72", n)
	}
	if n := unsafe.Sizeof(eventRow{}); n != 32 {
		t.Errorf("eventRow is %d bytes, want 32", n)
	}
}

// TestAffiliateRowsHoldOnlyStored: an affiliate's row is found through
// the number its ID gets from ids.affiliates, which the ledger gives to
// beneficiaries that may never be stored. Such a number's row, below a
// stored one's or past the rows, is no affiliate.
func TestAffiliateRowsHoldOnlyStored(t *testing.T) {
	s := New()
	s.ids.affiliates.intern("ledger-only")
	if err := s.PutAffiliate(context.Background(), affiliate.Affiliate{ID: "aff-1", Status: affiliate.StatusActive}); err != nil {
		t.Fatal(err)
	}
	s.ids.affiliates.intern("later")
	for _, id := range []affiliate.AffiliateID{"ledger-only", "later", "never-seen", ""} {
		if _, err := s.Affiliate(context.Background(), id); !errors.Is(err, affiliate.ErrNotFound) {
			t.Errorf("Affiliate(%q) = %v, want ErrNotFound", id, err)
		}
	}
	if a, err := s.Affiliate(context.Background(), "aff-1"); err != nil || a.ID != "aff-1" {
		t.Errorf("Affiliate(aff-1) = %+v, %v", a, err)
	}
}
