package commission_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
)

// A host event ID of the shape the engine gives a long event's entries
// ("sha256-" and the hash) used to collide with that event's entries:
// every attempt lost 16 compare-and-swaps and ended in a ContentionError,
// which a webhook handler answers with "retry" forever. Such an ID is
// refused now, as bad input, before anything is stored; so is an ID of
// the shape of a customer's re-pricing entries.
func TestEngineIDShapesRefused(t *testing.T) {
	const eur = affiliate.Currency("EUR")
	long := strings.Repeat("x", affiliate.MaxIDLen)
	sum := sha256.Sum256([]byte(long))
	hashed := affiliate.HashedIDPrefix + hex.EncodeToString(sum[:])
	for _, id := range []string{hashed, "c/state-1", "c/state-42"} {
		t.Run(id[:9], func(t *testing.T) {
			f := newFixture(t, commission.Config{Terms: terms(thirty)}, aff("a", ""))
			f.bind("c", "a", jan15)
			first := f.record(pay(long, "c", jan15, eur, line(affiliate.LineSubscription, "100", eur)))
			if !strings.HasPrefix(string(first.Entries[0].ID), hashed+"/") {
				t.Fatalf("the long event's entry is %s, want it under %s", first.Entries[0].ID, hashed)
			}
			before := f.snapshot("c")
			_, err := f.eng.Record(f.ctx, pay(id, "c", month(1), eur, line(affiliate.LineSubscription, "100", eur)))
			var fe *affiliate.FieldError
			if !errors.As(err, &fe) || fe.Field != "Payment.ID" || !errors.Is(err, affiliate.ErrInvalid) || errors.Is(err, affiliate.ErrRetryable) {
				t.Fatalf("Record(%s) = %v; want a *FieldError on Payment.ID matching ErrInvalid only", id, err)
			}
			if after := f.snapshot("c"); !reflect.DeepEqual(before, after) {
				t.Errorf("a refused event changed the store")
			}
		})
	}
}

// An adjustment's entry is "adjust/<key>/1" and a rejection's
// "review/<key>/1", which an event "adjust/<key>" or "review/<key>" would
// name as its first entry: such an event lost 16 compare-and-swaps and
// ended in a ContentionError. Host event IDs starting with either prefix
// are refused as bad input, with nothing stored.
func TestManualIDShapesRefused(t *testing.T) {
	const eur = affiliate.Currency("EUR")
	for _, id := range []string{"adjust/k", "review/k"} {
		t.Run(id, func(t *testing.T) {
			f := newFixture(t, commission.Config{Terms: terms(thirty)}, aff("a", ""))
			f.bind("c", "a", jan15)
			paid := f.record(pay("in_1", "c", jan15, eur, line(affiliate.LineSubscription, "100", eur)))
			if _, err := f.eng.Adjust(f.ctx, commission.Adjustment{Key: "k", Kind: commission.AdjustBonus, Affiliate: "a", Customer: "c", Amount: affiliate.MustMoney(500, eur), Reason: "r", Actor: "max"}); err != nil {
				t.Fatal(err)
			}
			if _, err := f.eng.Reject(f.ctx, commission.Rejection{Key: "k", Entry: paid.Entries[0].ID, Customer: "c", Reason: "r", Actor: "max"}); err != nil {
				t.Fatal(err)
			}
			before := f.snapshot("c")
			_, err := f.eng.Record(f.ctx, pay(id, "c", month(1), eur, line(affiliate.LineSubscription, "100", eur)))
			var fe *affiliate.FieldError
			if !errors.As(err, &fe) || fe.Field != "Payment.ID" || !errors.Is(err, affiliate.ErrInvalid) || errors.Is(err, affiliate.ErrRetryable) {
				t.Fatalf("Record(%s) = %v; want a *FieldError on Payment.ID matching ErrInvalid only", id, err)
			}
			if after := f.snapshot("c"); !reflect.DeepEqual(before, after) {
				t.Errorf("a refused event changed the store")
			}
		})
	}
}
