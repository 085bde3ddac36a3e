package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/sqlstore"
)

// TestMigrate0005 upgrades a database at schema 4 holding what that
// version wrote (a tier close filed under a shared idempotency key, an
// event with the old body and hash) and reads it back: the close keeps
// its hash, so rerunning its revision replays and another payload is a
// mismatch; redelivering the event is a replay.
func TestMigrate0005(t *testing.T) {
	ctx := context.Background()
	jan := time.Date(2026, time.January, 15, 10, 0, 0, 0, time.UTC)
	for _, d := range freshDialects() {
		t.Run(d.name, func(t *testing.T) {
			s, db := d.open(t)
			migrateTo(t, s, db, 4)
			for _, q := range []string{
				`INSERT INTO affiliate_idempotency_keys (key, hash) VALUES ('tiers:p:2026-01:1', 'old-close-hash')`,
				`INSERT INTO affiliate_tier_closes (program, period, revision, as_of_ns, key) VALUES ('p', '2026-01', 1, 1769904000000000000, 'tiers:p:2026-01:1')`,
				`INSERT INTO affiliate_tier_snapshots (program, period, affiliate, revision, metric, amount_minor, currency, count, reached, tier, held_from, applied)
				 VALUES ('p', '2026-01', 'ann', 1, 'revenue_converted', 5000, 'EUR', 0, 'Standard', 'Standard', '', 'Standard')`,
				`INSERT INTO affiliate_idempotency_keys (key, hash) VALUES ('event:pay-1', '7d43fd52dfa61ffc80253fe38d745879e2d88d890018942f682ac85bee8e5b43')`,
				`INSERT INTO affiliate_events (id, customer, payment, time_ns, hash, affiliate, body) VALUES ('pay-1', 'cus-1', 'pay-1', 1768471200000000000,
				 '7d43fd52dfa61ffc80253fe38d745879e2d88d890018942f682ac85bee8e5b43', '',
				 '{"payment":{"id":"pay-1","customer":"cus-1","paid_at":"2026-01-15T10:00:00Z","currency":"EUR","lines":[{"kind":"subscription","amount":{"minor":"2000","currency":"EUR"},"plan":"pro"}]}}')`,
				`INSERT INTO affiliate_customer_states (customer, version, data) VALUES ('cus-1', 1, NULL)`,
			} {
				if _, err := db.ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatalf("Migrate again: %v", err)
			}
			if v, err := s.SchemaVersion(ctx); err != nil || v < 5 {
				t.Fatalf("SchemaVersion = %d, %v; want 5 or later", v, err)
			}

			snap := affiliate.TierSnapshot{Program: "p", Period: per("2026-01"), Revision: 1, Affiliate: "ann", Metric: affiliate.MetricRevenueConverted,
				Amount: affiliate.MustMoney(5000, "EUR"), Reached: "Standard", Tier: "Standard", Applied: "Standard"}
			if got, err := s.TierSnapshots(ctx, storage.TierSnapshotQuery{Program: "p", Period: per("2026-01")}); err != nil || len(got) != 1 || got[0] != snap {
				t.Fatalf("TierSnapshots after 0005 = %+v, %v; want %+v", got, err, snap)
			}
			rerun := storage.TierCloseCommit{Close: affiliate.TierClose{Program: "p", Period: per("2026-01"), Revision: 1, AsOf: jan}, Hash: "old-close-hash",
				Snapshots: []affiliate.TierSnapshot{snap}}
			if replayed, err := s.CommitTierClose(ctx, rerun); err != nil || !replayed {
				t.Errorf("rerun of revision 1 = %v, %v; want a replay", replayed, err)
			}
			rerun.Hash = "another"
			if _, err := s.CommitTierClose(ctx, rerun); !errors.Is(err, affiliate.ErrIdempotencyMismatch) {
				t.Errorf("revision 1 with another hash = %v, want ErrIdempotencyMismatch", err)
			}
			rerun.Close.Revision, rerun.Snapshots[0].Revision = 2, 2
			if replayed, err := s.CommitTierClose(ctx, rerun); err != nil || replayed {
				t.Errorf("revision 2 = %v, %v; want written", replayed, err)
			}

			eng, err := commission.New(commission.Config{Store: s, Terms: []commission.TermsVersion{{
				Version: "v1", Rule: rules.Percent{Name: "share", Rate: affiliate.MustPercent("30")}}}})
			if err != nil {
				t.Fatal(err)
			}
			pay := affiliate.Payment{ID: "pay-1", Customer: "cus-1", PaidAt: jan, Currency: "EUR",
				Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(2000, "EUR"), Plan: "pro"}}}
			if res, err := eng.Record(ctx, pay); err != nil || !res.Replayed {
				t.Errorf("redelivery of an event recorded at schema 4 = %+v, %v; want a replay", res, err)
			}
			pay.Lines[0].Plan = "basic"
			if _, err := eng.Record(ctx, pay); !errors.Is(err, affiliate.ErrIdempotencyMismatch) {
				t.Errorf("another payload under its ID = %v, want ErrIdempotencyMismatch", err)
			}
		})
	}
}

// migrateTo applies the migrations up to version, as a build that knew
// only those would have.
func migrateTo(t *testing.T, s *sqlstore.Store, db *sql.DB, version int) {
	t.Helper()
	ms, err := sqlstore.Migrations(s.Dialect())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE affiliate_schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_ns BIGINT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Version > version {
			break
		}
		if _, err := db.Exec(m.SQL); err != nil {
			t.Fatalf("%s: %v", m.Name, err)
		}
		if _, err := db.Exec(`INSERT INTO affiliate_schema_migrations (version, name, applied_ns) VALUES ($1, $2, 0)`, m.Version, m.Name); err != nil {
			t.Fatal(err)
		}
	}
}
