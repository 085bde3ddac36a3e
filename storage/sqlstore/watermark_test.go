package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/sqlstore"
)

// seedOpen commits n entries of 1.00 EUR for each of affiliates, earned
// and available on January 15th.
func seedOpen(t testing.TB, s *sqlstore.Store, affiliates, n int) {
	t.Helper()
	for a := range affiliates {
		aff := affiliate.AffiliateID(fmt.Sprintf("aff-%04d", a))
		entries := make([]affiliate.Entry, n)
		for i := range entries {
			entries[i] = affiliate.Entry{ID: affiliate.EntryID(fmt.Sprintf("e-%04d-%03d", a, i)), Beneficiary: aff, Kind: affiliate.KindCommission,
				Amount: affiliate.MustMoney(100, "EUR"), At: jan15.Add(time.Duration(i) * time.Minute), AvailableAt: jan15}
		}
		if _, err := s.Commit(context.Background(), storage.Commit{Key: "seed-" + string(aff), Hash: "h",
			State: storage.CustomerState{Customer: affiliate.CustomerID("cus-" + string(aff)), Version: 1}, Entries: entries}); err != nil {
			t.Fatal(err)
		}
	}
}

// runByWatermark plans a run of period p from b: one payout per positive
// balance.
func runByWatermark(p affiliate.Period, b storage.Balances) affiliate.PayoutRun {
	asOf := p.End()
	run := affiliate.PayoutRun{Program: "main", Period: p, Hash: "h", AsOf: asOf, Through: b.Through, Carried: []affiliate.CarriedBalance{}}
	for _, bal := range b.Balances {
		run.Payouts = append(run.Payouts, affiliate.Payout{ID: affiliate.PayoutID(p.String() + "-" + string(bal.Affiliate)), Affiliate: bal.Affiliate,
			Period: p, Amount: bal.Amount, Status: affiliate.PayoutCreated, CreatedAt: asOf})
	}
	return run
}

// TestConcurrentRunsByWatermark has 8 runs of different periods, all
// planned from one read, claim the same balances at once: exactly one
// writes, the others fail with *BalanceMovedError (ErrConflict) and
// write nothing, and every entry is in exactly one payout.
func TestConcurrentRunsByWatermark(t *testing.T) {
	ctx := context.Background()
	for _, d := range dialects() {
		t.Run(d.name, func(t *testing.T) {
			s, db := d.open(t)
			if d.name == "Postgres" {
				db.SetMaxOpenConns(workers + 2)
			}
			seedOpen(t, s, 20, 5)
			b, err := s.OpenBalances(ctx, storage.BalanceQuery{To: per("2027-01").End(), AvailableBy: per("2027-01").End()})
			if err != nil || len(b.Balances) != 20 {
				t.Fatalf("OpenBalances = %+v, %v", b, err)
			}
			errs := race(func(w int) error {
				_, err := s.CreatePayoutRun(ctx, runByWatermark(per(fmt.Sprintf("2026-%02d", w+1)), b))
				return err
			})
			won := 0
			for w, err := range errs {
				var moved *storage.BalanceMovedError
				switch {
				case err == nil:
					won++
				case !errors.As(err, &moved) || !errors.Is(err, affiliate.ErrConflict):
					t.Errorf("run %d: %v, want nil or *BalanceMovedError", w, err)
				default:
					if _, err := s.PayoutRun(ctx, "main", per(fmt.Sprintf("2026-%02d", w+1))); !errors.Is(err, affiliate.ErrNotFound) {
						t.Errorf("the refused run %d was stored: %v", w, err)
					}
				}
			}
			if won != 1 {
				t.Fatalf("%d runs wrote, want 1: %v", won, errs)
			}
			if open, err := s.Entries(ctx, storage.EntryQuery{Unsettled: true}); err != nil || len(open) != 0 {
				t.Fatalf("open entries after the runs = %d, %v; want none", len(open), err)
			}
			claims := 0
			if err := db.QueryRow(`SELECT COUNT(*) FROM affiliate_payout_entries WHERE live`).Scan(&claims); err != nil || claims != 100 {
				t.Fatalf("%d live claims (%v), want 100", claims, err)
			}
		})
	}
}

// TestRefusedRunByWatermarkChangesNothing: a run whose balance moved
// leaves no run, payout, claim, payout sum or outbox event behind; a
// watermark beyond the int64 sequence numbers and a bad balance query are
// refused with ErrInvalid.
func TestRefusedRunByWatermarkChangesNothing(t *testing.T) {
	ctx := context.Background()
	for _, d := range dialects() {
		t.Run(d.name, func(t *testing.T) {
			s, db := d.open(t)
			seedOpen(t, s, 3, 2)
			q := storage.BalanceQuery{To: per("2026-01").End(), AvailableBy: per("2026-01").End()}
			b, err := s.OpenBalances(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			// The run plans 3.00 EUR for aff-0002, whose open entries sum
			// to 2.00 EUR: its balance moved since the plan.
			b.Balances[2].Amount = affiliate.MustMoney(300, "EUR")
			before := dump(t, db)
			events, _, err := s.Read(ctx, 0, 1000)
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.CreatePayoutRun(ctx, runByWatermark(per("2026-01"), b))
			var moved *storage.BalanceMovedError
			if !errors.As(err, &moved) || moved.Payout != "2026-01-aff-0002" || moved.Got.Minor() != 200 || moved.Want.Minor() != 300 {
				t.Fatalf("CreatePayoutRun = %v, want *BalanceMovedError for aff-0002, 3.00 planned, 2.00 now", err)
			}
			huge := runByWatermark(per("2026-01"), b)
			huge.Through = math.MaxUint64
			if _, err := s.CreatePayoutRun(ctx, huge); !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("CreatePayoutRun with Through %d = %v, want ErrInvalid: no entry has a number beyond int64", huge.Through, err)
			}
			for _, bad := range []storage.BalanceQuery{{To: q.To}, {AvailableBy: q.AvailableBy}} {
				if _, err := s.OpenBalances(ctx, bad); !errors.Is(err, affiliate.ErrInvalid) {
					t.Fatalf("OpenBalances(%+v) = %v, want ErrInvalid", bad, err)
				}
			}
			if after := dump(t, db); !slices.Equal(after, before) {
				t.Fatalf("the refused run changed the store:\nbefore %v\nafter  %v", before, after)
			}
			if again, _, err := s.Read(ctx, 0, 1000); err != nil || len(again) != len(events) {
				t.Fatalf("outbox after the refused run: %d events, %v; want %d", len(again), err, len(events))
			}
		})
	}
}

// dump counts the rows of the tables a payout run writes and sums the
// open entries.
func dump(t *testing.T, db *sql.DB) []int64 {
	t.Helper()
	var out []int64
	for _, q := range []string{
		`SELECT COUNT(*) FROM affiliate_payout_runs`,
		`SELECT COUNT(*) FROM affiliate_payouts`,
		`SELECT COUNT(*) FROM affiliate_payout_entries`,
		`SELECT COUNT(*) FROM affiliate_payout_sums`,
		`SELECT COUNT(*) FROM affiliate_open_entries`,
		`SELECT COALESCE(SUM(amount_minor), 0) FROM affiliate_open_entries`,
	} {
		var n int64
		if err := db.QueryRow(q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		out = append(out, n)
	}
	return out
}
