package commission_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// TestLegacyHashReplays: an event recorded by the version before the
// canonical encoding holds that version's hash (no affiliate.HashPrefix).
// Delivering the same event again is still a replay; delivering another
// payload under its ID is still a mismatch. The hashes below are what
// that version's commission/hash.go computed for these two events.
func TestLegacyHashReplays(t *testing.T) {
	pay := affiliate.Payment{ID: "pay-1", Customer: "cus-1", PaidAt: time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC), Currency: "EUR",
		Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(2000, "EUR"), Plan: "pro"}}}
	ref := affiliate.Refund{ID: "ref-1", Payment: "pay-1", Customer: "cus-1", RefundedAt: time.Date(2026, 1, 20, 10, 0, 0, 0, time.UTC),
		Kind: affiliate.KindRefund, Amount: affiliate.MustMoney(500, "EUR")}
	legacy := []struct {
		ev      affiliate.Event
		rec     affiliate.EventRecord
		changed affiliate.Event
	}{
		{pay, affiliate.EventRecord{ID: pay.ID, Customer: pay.Customer, Time: pay.PaidAt, Payment: &pay,
			Hash: "7d43fd52dfa61ffc80253fe38d745879e2d88d890018942f682ac85bee8e5b43"},
			affiliate.Payment{ID: pay.ID, Customer: pay.Customer, PaidAt: pay.PaidAt, Currency: "EUR", Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(2001, "EUR")}}}},
		{ref, affiliate.EventRecord{ID: ref.ID, Customer: ref.Customer, Time: ref.RefundedAt, Refund: &ref,
			Hash: "26fbe9ee01001e1edb64272961cb9d52316b9a5686c762cefe55570a873fae7e"},
			affiliate.Refund{ID: ref.ID, Payment: ref.Payment, Customer: ref.Customer, RefundedAt: ref.RefundedAt, Kind: affiliate.KindRefund, Full: true}},
	}
	ctx := context.Background()
	store := memstore.New()
	eng, err := commission.New(commission.Config{Store: store, Terms: []commission.TermsVersion{{
		Version: "v1", Rule: rules.Percent{Name: "share", Rate: affiliate.MustPercent("30")}}}})
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range legacy {
		rec := l.rec
		_, err := store.Commit(ctx, storage.Commit{Key: "event:" + string(rec.ID), Hash: rec.Hash, Event: &rec,
			State: storage.CustomerState{Customer: "cus-1", Version: int64(i + 1)}})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range legacy {
		res, err := eng.Record(ctx, l.ev)
		if err != nil || !res.Replayed {
			t.Errorf("Record(%s) again = %+v, %v; want a replay", l.ev.EventID(), res, err)
		}
		if _, err := eng.Record(ctx, l.changed); !errors.Is(err, affiliate.ErrIdempotencyMismatch) {
			t.Errorf("Record(%s) with another payload = %v, want ErrIdempotencyMismatch", l.ev.EventID(), err)
		}
	}
}

// TestEventHashFollowsTheStore: on a store of storage.ProcessHashes
// (memstore) an event's hash is the short process hash; on any other it
// is SHA-256. A record of either kind is a replay for an engine that
// hashes the other way, and another payload under its ID a mismatch.
func TestEventHashFollowsTheStore(t *testing.T) {
	ctx := context.Background()
	store := memstore.New()
	terms := []commission.TermsVersion{{Version: "v1", Rule: rules.Percent{Name: "share", Rate: affiliate.MustPercent("30")}}}
	engines := map[string]*commission.Engine{}
	for name, s := range map[string]commission.Store{
		"process": store,
		"sha256":  struct{ commission.Store }{store}, // hides HashSeed
	} {
		eng, err := commission.New(commission.Config{Store: s, Terms: terms})
		if err != nil {
			t.Fatal(err)
		}
		engines[name] = eng
	}
	pay := func(id string, cents int64) affiliate.Payment {
		return affiliate.Payment{ID: affiliate.EventID(id), Customer: affiliate.CustomerID("cus-" + id), PaidAt: time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC),
			Currency: "EUR", Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(cents, "EUR")}}}
	}
	for _, tc := range []struct {
		first, again string
		prefix       string
		length       int
	}{
		{"process", "sha256", "p1:", 3 + 16},
		{"sha256", "process", affiliate.HashPrefix, len(affiliate.HashPrefix) + 64},
	} {
		p := pay(tc.first, 2000)
		if _, err := engines[tc.first].Record(ctx, p); err != nil {
			t.Fatal(err)
		}
		rec, err := store.Event(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(rec.Hash, tc.prefix) || len(rec.Hash) != tc.length {
			t.Errorf("%s engine stored hash %q, want %q and %d characters", tc.first, rec.Hash, tc.prefix, tc.length)
		}
		if res, err := engines[tc.again].Record(ctx, p); err != nil || !res.Replayed {
			t.Errorf("%s engine's Record of the %s engine's event = %+v, %v; want a replay", tc.again, tc.first, res, err)
		}
		if _, err := engines[tc.again].Record(ctx, pay(tc.first, 2001)); !errors.Is(err, affiliate.ErrIdempotencyMismatch) {
			t.Errorf("%s engine's Record of another payload = %v, want ErrIdempotencyMismatch", tc.again, err)
		}
	}
}
