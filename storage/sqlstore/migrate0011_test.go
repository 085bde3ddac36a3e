package sqlstore_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// TestMigrate0011 upgrades a database at schema 10 with two open entries
// to the schema of balances by watermark: the old entries get sequence
// numbers at or below the watermark read after the upgrade, an entry
// committed later gets one above it, so a run with that watermark claims
// the old entries and leaves the new one open; a failed payout gives its
// entries back with their numbers.
func TestMigrate0011(t *testing.T) {
	ctx := context.Background()
	jan := time.Date(2026, time.January, 15, 10, 0, 0, 0, time.UTC)
	for _, d := range freshDialects() {
		t.Run(d.name, func(t *testing.T) {
			s, db := d.open(t)
			migrateTo(t, s, db, 10)
			for _, q := range []string{
				`INSERT INTO affiliate_idempotency_keys (key, hash) VALUES ('old', 'h')`,
				`INSERT INTO affiliate_entries (id, idem_key, key_pos, beneficiary, event, payment, customer, kind, base_minor, base_currency, base_lines,
				 rate, amount_minor, currency, rule, terms, tier, chain, at_ns, available_ns, corrects, explanation)
				 VALUES ('e-old-2', 'old', 0, 'ann', '', '', '', 'commission', 0, '', '', '0', 300, 'EUR', '', '', '', '', 1768471200000000001, 1768471200000000000, '', ''),
				        ('e-old-1', 'old', 1, 'ann', '', '', '', 'commission', 0, '', '', '0', 700, 'EUR', '', '', '', '', 1768471200000000000, 1768471200000000000, '', '')`,
				`INSERT INTO affiliate_open_entries (entry, beneficiary, available_ns, currency, amount_minor)
				 VALUES ('e-old-2', 'ann', 1768471200000000000, 'EUR', 300), ('e-old-1', 'ann', 1768471200000000000, 'EUR', 700)`,
			} {
				if _, err := db.ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if v, err := s.SchemaVersion(ctx); err != nil || v < 11 {
				t.Fatalf("SchemaVersion = %d, %v; want 11 or later", v, err)
			}
			feb := jan.AddDate(0, 1, 0)
			q := storage.BalanceQuery{To: feb, AvailableBy: feb}
			old, err := s.OpenBalances(ctx, q)
			want := []storage.OpenBalance{{Affiliate: "ann", Amount: affiliate.MustMoney(1000, "EUR"), Entries: 2}}
			if err != nil || old.Through == 0 || !slices.Equal(old.Balances, want) {
				t.Fatalf("OpenBalances after 0011 = %+v, %v; want %v and a watermark", old, err, want)
			}
			_, err = s.Commit(ctx, storage.Commit{Key: "new", Hash: "h", State: storage.CustomerState{Customer: "cus-1", Version: 1},
				Entries: []affiliate.Entry{{ID: "e-new", Beneficiary: "ann", Kind: affiliate.KindCommission, Amount: affiliate.MustMoney(500, "EUR"), At: jan, AvailableAt: jan}}})
			if err != nil {
				t.Fatalf("Commit after 0011: %v", err)
			}
			now, err := s.OpenBalances(ctx, q)
			if err != nil || now.Through <= old.Through || len(now.Balances) != 1 || now.Balances[0].Amount.Minor() != 1500 {
				t.Fatalf("OpenBalances after a commit = %+v, %v; want 15.00 EUR above watermark %d", now, err, old.Through)
			}
			jan26 := affiliate.Period{Year: 2026, Month: time.January, Location: time.UTC}
			run := affiliate.PayoutRun{Program: "prog", Period: jan26, Hash: "h", AsOf: feb, Through: old.Through, Payouts: []affiliate.Payout{{
				ID: "po", Affiliate: "ann", Period: jan26, Amount: affiliate.MustMoney(1000, "EUR"), Status: affiliate.PayoutCreated, CreatedAt: feb}}}
			res, err := s.CreatePayoutRun(ctx, run)
			if err != nil || !slices.Equal(res.Run.Payouts[0].Entries, []affiliate.EntryID{"e-old-1", "e-old-2"}) {
				t.Fatalf("CreatePayoutRun by the old watermark = %+v, %v; want the old entries, by time", res, err)
			}
			if left, err := s.OpenBalances(ctx, q); err != nil || len(left.Balances) != 1 || left.Balances[0].Entries != 1 || left.Balances[0].Amount.Minor() != 500 {
				t.Fatalf("OpenBalances after the run = %+v, %v; want e-new's 5.00 EUR", left, err)
			}
			if _, err := s.SettlePayout(ctx, storage.PayoutSettlement{ID: "po", Status: affiliate.PayoutFailed, At: feb}); err != nil {
				t.Fatal(err)
			}
			back, err := s.OpenBalances(ctx, q)
			if err != nil || back.Through != now.Through || len(back.Balances) != 1 || back.Balances[0].Entries != 3 {
				t.Fatalf("OpenBalances after the failure = %+v, %v; want all 3 entries at watermark %d", back, err, now.Through)
			}
			// The released entries keep their numbers: a run at the old
			// watermark takes them again, and not e-new.
			run.Period, run.Payouts[0].ID = affiliate.Period{Year: 2026, Month: time.February, Location: time.UTC}, "po2"
			run.Payouts[0].Period = run.Period
			if res, err := s.CreatePayoutRun(ctx, run); err != nil || len(res.Run.Payouts[0].Entries) != 2 {
				t.Fatalf("second run by the old watermark = %+v, %v; want the 2 old entries", res, err)
			}
		})
	}
}
