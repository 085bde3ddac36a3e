package sqlstore_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/sqlstore"
)

// TestOutboxFaults crashes each write kind at the change and at its notice
// (a trigger that fails the INSERT), on both dialects: a write that fails
// anywhere leaves neither its change nor its event, and the same write
// without the fault leaves both. The notice cannot be lost between the
// change and the outbox, because they commit together.
func TestOutboxFaults(t *testing.T) {
	for _, d := range []struct {
		name string
		open func(t testing.TB) (*sqlstore.Store, *sql.DB)
		arm  func(table string) []string // statements that make INSERTs into table fail
		off  func(table string) string
	}{
		{"SQLite", openSQLite,
			func(table string) []string {
				return []string{`CREATE TRIGGER fault BEFORE INSERT ON ` + table + ` BEGIN SELECT RAISE(ABORT, 'injected fault'); END`}
			},
			func(string) string { return `DROP TRIGGER fault` }},
		{"Postgres", func(t testing.TB) (*sqlstore.Store, *sql.DB) {
			s, db := openPostgresFresh(t)
			if err := s.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			return s, db
		},
			func(table string) []string {
				return []string{
					`CREATE OR REPLACE FUNCTION fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$`,
					`CREATE TRIGGER fault BEFORE INSERT ON ` + table + ` FOR EACH ROW EXECUTE FUNCTION fault()`,
				}
			},
			func(table string) string { return `DROP TRIGGER fault ON ` + table }},
	} {
		t.Run(d.name, func(t *testing.T) {
			s, db := d.open(t)
			ctx := context.Background()
			count := func(table string) int {
				t.Helper()
				var n int
				if err := db.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
					t.Fatalf("count %s: %v", table, err)
				}
				return n
			}
			at := time.Date(2026, time.January, 15, 12, 0, 0, 0, time.UTC)
			e := affiliate.Entry{ID: "e1", Beneficiary: "ann", Customer: "cus-1", Kind: affiliate.KindCommission,
				Amount: affiliate.MustMoney(1000, "EUR"), Rule: "r", Terms: "v1", At: at, AvailableAt: at}
			jan := affiliate.Period{Year: 2026, Month: time.January, Location: time.UTC}
			payout := affiliate.Payout{ID: "po1", Affiliate: "ann", Period: jan, Amount: e.Amount, Entries: []affiliate.EntryID{e.ID},
				Status: affiliate.PayoutCreated, CreatedAt: jan.End()}
			lead := affiliate.Lead{ID: "l1", Affiliate: "ann", Company: "Acme", Email: "a@acme.com", Status: affiliate.LeadSubmitted, SubmittedAt: at}
			for _, w := range []struct {
				name, table string
				do          func() error
			}{
				{"Commit", "affiliate_entries", func() error {
					_, err := s.Commit(ctx, storage.Commit{Key: "k1", Hash: "h", Entries: []affiliate.Entry{e}, State: storage.CustomerState{Customer: "cus-1", Version: 1}})
					return err
				}},
				{"Bind", "affiliate_bindings", func() error {
					_, err := s.Bind(ctx, affiliate.Binding{Customer: "cus-1", Affiliate: "ann", Source: affiliate.BindByManual, BoundAt: at})
					return err
				}},
				{"AddLead", "affiliate_leads", func() error { return s.AddLead(ctx, lead, []string{"acme.com"}) }},
				{"AppendReviews", "affiliate_reviews", func() error {
					_, err := s.AppendReviews(ctx, "rv", "h", []affiliate.Review{{Key: "rv", Action: affiliate.ReviewHold, Entry: e.ID, Customer: "cus-1", Affiliate: "ann", Reason: "r", Actor: "a", At: at}})
					return err
				}},
				{"CommitTierClose", "affiliate_tier_closes", func() error {
					_, err := s.CommitTierClose(ctx, storage.TierCloseCommit{Close: affiliate.TierClose{Program: "p", Period: jan, Revision: 1, AsOf: at}, Hash: "h",
						Snapshots: []affiliate.TierSnapshot{{Program: "p", Period: jan, Revision: 1, Affiliate: "ann", Metric: affiliate.MetricRevenue, Amount: e.Amount, Tier: "Premium"}}})
					return err
				}},
				{"CreatePayoutRun", "affiliate_payouts", func() error {
					_, err := s.CreatePayoutRun(ctx, affiliate.PayoutRun{Program: "p", Period: jan, Hash: "h", AsOf: jan.End(), Payouts: []affiliate.Payout{payout}})
					return err
				}},
			} {
				for _, faulty := range []string{w.table, "affiliate_outbox"} {
					before, events := count(w.table), count("affiliate_outbox")
					for _, stmt := range d.arm(faulty) {
						if _, err := db.ExecContext(ctx, stmt); err != nil {
							t.Fatalf("arm %s: %v", faulty, err)
						}
					}
					err := w.do()
					if _, offErr := db.ExecContext(ctx, d.off(faulty)); offErr != nil {
						t.Fatalf("disarm %s: %v", faulty, offErr)
					}
					if err == nil {
						t.Fatalf("%s with a fault in %s: no error", w.name, faulty)
					}
					if n, m := count(w.table), count("affiliate_outbox"); n != before || m != events {
						t.Errorf("%s failing in %s left %d change rows and %d events; want none", w.name, faulty, n-before, m-events)
					}
				}
				events := count("affiliate_outbox")
				if err := w.do(); err != nil {
					t.Fatalf("%s: %v", w.name, err)
				}
				if count("affiliate_outbox") == events {
					t.Errorf("%s succeeded and appended no event", w.name)
				}
			}
			// The settlement is an UPDATE: only its notice can fail.
			for _, stmt := range d.arm("affiliate_outbox") {
				if _, err := db.ExecContext(ctx, stmt); err != nil {
					t.Fatal(err)
				}
			}
			_, err := s.SettlePayout(ctx, storage.PayoutSettlement{ID: "po1", Status: affiliate.PayoutPaid, Reference: "tr", At: jan.End()})
			if _, offErr := db.ExecContext(ctx, d.off("affiliate_outbox")); offErr != nil {
				t.Fatal(offErr)
			}
			if err == nil {
				t.Fatal("SettlePayout with a fault in the outbox: no error")
			}
			var status string
			if err := db.QueryRowContext(ctx, `SELECT status FROM affiliate_payouts WHERE id = 'po1'`).Scan(&status); err != nil || status != "created" {
				t.Errorf("after a failed settlement the payout is %q (%v); want created", status, err)
			}
		})
	}
}
