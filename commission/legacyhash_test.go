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
	store, process, sha256, _ := hashEngines(t)
	engines := map[string]*commission.Engine{"process": process, "sha256": sha256}
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

// hashEngines returns, over one memstore, an engine that hashes with the
// store's seed (process) and one over a wrapper that hides it (sha256),
// whose Commit first calls before when it is set.
func hashEngines(t *testing.T) (store *memstore.Store, process, sha256 *commission.Engine, wrapper *hashRaceStore) {
	t.Helper()
	store = memstore.New()
	wrapper = &hashRaceStore{Store: store}
	terms := []commission.TermsVersion{{Version: "v1", Rule: rules.Percent{Name: "share", Rate: affiliate.MustPercent("30")}}}
	var err error
	if process, err = commission.New(commission.Config{Store: store, Terms: terms}); err != nil {
		t.Fatal(err)
	}
	if sha256, err = commission.New(commission.Config{Store: wrapper, Terms: terms}); err != nil {
		t.Fatal(err)
	}
	return store, process, sha256, wrapper
}

// hashRaceStore hides memstore's HashSeed and runs before (once) at the
// start of its next Commit.
type hashRaceStore struct {
	commission.Store
	before func()
}

func (s *hashRaceStore) Commit(ctx context.Context, c storage.Commit) (storage.CommitResult, error) {
	if f := s.before; f != nil {
		s.before = nil
		f()
	}
	return s.Store.Commit(ctx, c)
}

// TestReinstatementHashFollowsTheStore: a reinstatement recorded with a
// SHA-256 hash is a replay for the engine that hashes with memstore's
// seed, and another reinstatement time under its ID a mismatch.
func TestReinstatementHashFollowsTheStore(t *testing.T) {
	ctx := context.Background()
	_, process, sha256, _ := hashEngines(t)
	at := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	won := affiliate.Reinstatement{ID: "won-1", Chargeback: "cb-1", Customer: "cus-1", ReinstatedAt: at.AddDate(0, 0, 20)}
	for _, ev := range []affiliate.Event{
		affiliate.Payment{ID: "pay-1", Customer: "cus-1", PaidAt: at, Currency: "EUR",
			Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(2000, "EUR")}}},
		affiliate.Refund{ID: "cb-1", Payment: "pay-1", Customer: "cus-1", RefundedAt: at.AddDate(0, 0, 5), Kind: affiliate.KindChargeback, Full: true},
		won,
	} {
		if _, err := sha256.Record(ctx, ev); err != nil {
			t.Fatalf("Record(%s): %v", ev.EventID(), err)
		}
	}
	if res, err := process.Record(ctx, won); err != nil || !res.Replayed {
		t.Errorf("the reinstatement again = %+v, %v; want a replay", res, err)
	}
	later := won
	later.ReinstatedAt = won.ReinstatedAt.Add(time.Hour)
	if _, err := process.Record(ctx, later); !errors.Is(err, affiliate.ErrIdempotencyMismatch) {
		t.Errorf("another reinstatement under its ID = %v, want ErrIdempotencyMismatch", err)
	}
}

// TestDeliveryRacedAcrossHashSchemes: between the SHA-256 engine's read
// and its commit, the engine with memstore's seed commits the same
// delivery (a replay for the first) or another payload under its ID (a
// mismatch).
func TestDeliveryRacedAcrossHashSchemes(t *testing.T) {
	ctx := context.Background()
	pay := func(id string, cents int64) affiliate.Payment {
		return affiliate.Payment{ID: affiliate.EventID(id), Customer: "cus-" + affiliate.CustomerID(id), PaidAt: time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC),
			Currency: "EUR", Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(cents, "EUR")}}}
	}
	for _, tc := range []struct {
		name     string
		raced    affiliate.Payment
		mismatch bool
	}{
		{"SamePayload", pay("race-1", 2000), false},
		{"AnotherPayload", pay("race-2", 2001), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store, process, sha256, wrapper := hashEngines(t)
			wrapper.before = func() {
				if _, err := process.Record(ctx, tc.raced); err != nil {
					t.Errorf("the racing Record: %v", err)
				}
			}
			res, err := sha256.Record(ctx, pay(string(tc.raced.ID), 2000))
			if tc.mismatch {
				if !errors.Is(err, affiliate.ErrIdempotencyMismatch) {
					t.Errorf("Record = %+v, %v; want ErrIdempotencyMismatch", res, err)
				}
			} else if err != nil || !res.Replayed {
				t.Errorf("Record = %+v, %v; want a replay", res, err)
			}
			if rec, err := store.Event(ctx, tc.raced.ID); err != nil || !strings.HasPrefix(rec.Hash, "p1:") {
				t.Errorf("stored event = %+v, %v; want the racing engine's", rec, err)
			}
		})
	}
}
