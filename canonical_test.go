package affiliate_test

import (
	"errors"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
)

// TestHashCoversEveryField fails when a field of a hashed type is added
// in a way the canonical encoding drops: each variant sets one leaf
// field (recursing into lines, conversions, chains) and must hash apart
// from the zero value and from every other variant.
func TestHashCoversEveryField(t *testing.T) {
	for _, zero := range []any{
		affiliate.Payment{}, affiliate.Refund{}, affiliate.Reinstatement{},
		affiliate.Entry{}, affiliate.Payout{}, affiliate.TierSnapshot{},
		affiliate.PayoutRun{}, affiliate.EventRecord{},
	} {
		base := mustHash(t, zero)
		seen := map[string]string{base: "zero"}
		variants := affiliatetest.FieldVariants(zero)
		if len(variants) == 0 {
			t.Fatalf("%T: no fields", zero)
		}
		for _, v := range variants {
			h := mustHash(t, v.Value)
			if other, dup := seen[h]; dup {
				t.Errorf("%T.%s hashes like %s: the field is outside the hash", zero, v.Path, other)
			}
			seen[h] = v.Path
		}
	}
}

// TestHashIgnoresZoneAndMonotonic: the same instant hashes alike in any
// location and with or without a monotonic reading.
func TestHashIgnoresZoneAndMonotonic(t *testing.T) {
	now := time.Now()
	paris := time.FixedZone("Paris", 3600)
	a := affiliate.Payment{ID: "p", PaidAt: now}
	b := affiliate.Payment{ID: "p", PaidAt: now.Round(0).In(paris)}
	if mustHash(t, a) != mustHash(t, b) {
		t.Fatal("one instant in two zones hashes apart")
	}
}

func TestCanonicalRefusals(t *testing.T) {
	tests := []struct {
		name string
		v    any
	}{
		{"float", struct{ F float64 }{1}},
		{"year beyond 9999", affiliate.Payment{PaidAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"unexported field", struct{ x int }{1}},
		{"int-keyed map", map[int]string{1: "a"}},
		{"invalid UTF-8", affiliate.Line{Description: "\xff"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := affiliate.Canonical(tc.v); !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("Canonical = %v, want ErrInvalid", err)
			}
		})
	}
}

func mustHash(t *testing.T, v any) string {
	t.Helper()
	h, err := affiliate.Hash(v)
	if err != nil {
		t.Fatalf("Hash(%T): %v", v, err)
	}
	return h
}
