package sqlstore_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/sqlstore"
)

// TestRefusesWhatTheDatabaseCannotHold: the few values memstore keeps and
// sqlstore refuses (see the package doc) get a *FieldError matching
// ErrInvalid, on both dialects, and leave the store as it was.
func TestRefusesWhatTheDatabaseCannotHold(t *testing.T) {
	ctx := context.Background()
	entry := func(mut func(*affiliate.Entry)) affiliate.Entry {
		e := affiliate.Entry{ID: "e1", Beneficiary: "a", Kind: affiliate.KindCommission, Amount: affiliate.MustMoney(100, "EUR"), At: jan15, AvailableAt: jan15}
		mut(&e)
		return e
	}
	appendOne := func(key string, e affiliate.Entry) func(*sqlstore.Store) error {
		return func(s *sqlstore.Store) error {
			_, err := affiliatetest.SeedLedger(ctx, s, key, []affiliate.Entry{e}, nil)
			return err
		}
	}
	cases := []struct {
		name string
		call func(*sqlstore.Store) error
	}{
		{"NUL byte in an explanation", appendOne("k", entry(func(e *affiliate.Entry) { e.Explanation = "a\x00b" }))},
		{"invalid UTF-8 in a rule name", appendOne("k", entry(func(e *affiliate.Entry) { e.Rule = "\xff" }))},
		{"time before 1678", appendOne("k", entry(func(e *affiliate.Entry) { e.At = time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC) }))},
		{"time after 2262", appendOne("k", entry(func(e *affiliate.Entry) { e.AvailableAt = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC) }))},
		{"idempotency key longer than MaxKeyLen", appendOne(strings.Repeat("k", sqlstore.MaxKeyLen+1), entry(func(*affiliate.Entry) {}))},
		{"NUL byte in an affiliate name", func(s *sqlstore.Store) error {
			return s.PutAffiliate(ctx, affiliate.Affiliate{ID: "a", Status: affiliate.StatusActive, Name: "\x00"})
		}},
		{"payout period in a zone without a name", func(s *sqlstore.Store) error {
			if _, err := affiliatetest.SeedLedger(ctx, s, "seed", []affiliate.Entry{entry(func(*affiliate.Entry) {})}, nil); err != nil {
				return err
			}
			_, err := s.CreatePayoutRun(ctx, affiliate.PayoutRun{Program: "p", Period: per("2026-01"), Hash: "h", AsOf: jan15, Payouts: []affiliate.Payout{{
				ID: "po", Affiliate: "a", Period: affiliate.Period{Year: 2026, Month: 1, Location: time.FixedZone("X", 3600)},
				Amount: affiliate.MustMoney(100, "EUR"), Entries: []affiliate.EntryID{"e1"}, Status: affiliate.PayoutCreated,
			}}})
			return err
		}},
	}
	for _, d := range dialects() {
		t.Run(d.name, func(t *testing.T) {
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					s, _ := d.open(t)
					err := tc.call(s)
					var fe *affiliate.FieldError
					if !errors.Is(err, affiliate.ErrInvalid) || !errors.As(err, &fe) {
						t.Fatalf("err = %v, want a *FieldError matching ErrInvalid", err)
					}
					if _, err := s.PayoutRun(ctx, "p", per("2026-01")); !errors.Is(err, affiliate.ErrNotFound) {
						t.Errorf("a payout run was stored: %v", err)
					}
					if es, _ := s.Entries(ctx, storage.EntryQuery{}); len(es) > 1 {
						t.Errorf("the refused call stored entries: %v", es)
					}
					if _, err := s.Affiliate(ctx, "a"); !errors.Is(err, affiliate.ErrNotFound) {
						t.Errorf("the refused call stored an affiliate: %v", err)
					}
				})
			}
		})
	}
}

// TestLookupsOfUnstorableStringsFindNothing: a lookup with a string the
// database cannot hold is a miss, not a driver error.
func TestLookupsOfUnstorableStringsFindNothing(t *testing.T) {
	ctx := context.Background()
	for _, d := range dialects() {
		t.Run(d.name, func(t *testing.T) {
			s, _ := d.open(t)
			if _, err := s.Affiliate(ctx, "a\x00"); !errors.Is(err, affiliate.ErrNotFound) {
				t.Errorf("Affiliate: %v, want ErrNotFound", err)
			}
			if _, err := s.Binding(ctx, "\xff"); !errors.Is(err, affiliate.ErrNotFound) {
				t.Errorf("Binding: %v, want ErrNotFound", err)
			}
			if es, err := s.Entries(ctx, storage.EntryQuery{Customer: "\x00"}); err != nil || len(es) != 0 {
				t.Errorf("Entries: %v, %v; want none", es, err)
			}
			if st, err := s.CustomerState(ctx, "\xff"); err != nil || st.Version != 0 {
				t.Errorf("CustomerState: %+v, %v; want version 0", st, err)
			}
		})
	}
}

func TestNewValidatesConfig(t *testing.T) {
	_, db := openSQLite(t)
	for _, cfg := range []sqlstore.Config{{}, {Dialect: 9}, {Dialect: sqlstore.SQLite, RetryBackoff: -1}} {
		if _, err := sqlstore.New(db, cfg); !errors.Is(err, affiliate.ErrInvalid) {
			t.Errorf("New(%+v) = %v, want ErrInvalid", cfg, err)
		}
	}
	if _, err := sqlstore.New(nil, sqlstore.Config{Dialect: sqlstore.SQLite}); !errors.Is(err, affiliate.ErrInvalid) {
		t.Errorf("New(nil) = %v, want ErrInvalid", err)
	}
}
