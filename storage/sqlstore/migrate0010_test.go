package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// TestMigrate0010 upgrades a database at schema 9, whose open entry the
// trigger wrote, to the schema where the store writes open entries
// itself: the old entry stays open, a new commit's entry opens once (a
// trigger left behind would make it fail on the open row's key), and the
// balance counts both.
func TestMigrate0010(t *testing.T) {
	ctx := context.Background()
	jan := time.Date(2026, time.January, 15, 10, 0, 0, 0, time.UTC)
	for _, d := range freshDialects() {
		t.Run(d.name, func(t *testing.T) {
			s, db := d.open(t)
			migrateTo(t, s, db, 9)
			for _, q := range []string{
				`INSERT INTO affiliate_idempotency_keys (key, hash) VALUES ('old', 'h')`,
				`INSERT INTO affiliate_entries (id, idem_key, key_pos, beneficiary, event, payment, customer, kind, base_minor, base_currency, base_lines,
				 rate, amount_minor, currency, rule, terms, tier, chain, at_ns, available_ns, corrects, explanation)
				 VALUES ('e-old', 'old', 0, 'ann', '', '', '', 'commission', 0, '', '', '0', 700, 'EUR', '', '', '', '', 1768471200000000000, 1768471200000000000, '', '')`,
			} {
				if _, err := db.ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if v, err := s.SchemaVersion(ctx); err != nil || v < 10 {
				t.Fatalf("SchemaVersion = %d, %v; want 10 or later", v, err)
			}
			_, err := s.Commit(ctx, storage.Commit{Key: "new", Hash: "h", State: storage.CustomerState{Customer: "cus-1", Version: 1},
				Entries: []affiliate.Entry{{ID: "e-new", Beneficiary: "ann", Kind: affiliate.KindCommission, Amount: affiliate.MustMoney(500, "EUR"), At: jan, AvailableAt: jan}}})
			if err != nil {
				t.Fatalf("Commit after 0010: %v", err)
			}
			got, err := s.EarningsBalances(ctx, "ann", jan.AddDate(0, 1, 0))
			if err != nil || len(got) != 1 || got[0].Available != affiliate.MustMoney(1200, "EUR") {
				t.Fatalf("EarningsBalances after 0010 = %+v, %v; want 12.00 EUR available", got, err)
			}
		})
	}
}
