package sqlstore_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/sqlstore"
	"github.com/openaffiliate/affiliate/tiers"
)

// The v1 fixtures hold a three-month program that the library wrote at
// commit ffa5226 (schema version 4) through its public API, on SQLite and
// PostgreSQL: testdata/v1/generate.go made them and says what they hold.
// expected.json is what a host read back then; events.json is every event
// the host delivered, in order.
const v1Dir = "testdata/v1"

// TestUpgradeV1 opens the v1 database, migrates it, and checks that a host
// finds its program as it left it and can go on running it: the figures
// read back equal, every redelivered event is a replay, the tier closes
// and payout runs replay, and new payments price as before.
func TestUpgradeV1(t *testing.T) {
	want := readV1Expected(t)
	for _, d := range []struct {
		name string
		open func(t *testing.T) *sqlstore.Store
	}{{"SQLite", openSQLiteV1}, {"Postgres", openPostgresV1}} {
		t.Run(d.name, func(t *testing.T) {
			ctx := context.Background()
			s := d.open(t)
			if v, err := s.SchemaVersion(ctx); err != nil || v != want.SchemaVersion {
				t.Fatalf("fixture SchemaVersion = %d, %v; want %d (the version that wrote it)", v, err, want.SchemaVersion)
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatalf("Migrate: %v", err)
			}
			p := newV1Program(t, s)
			p.checkFigures(t, want)

			t.Run("RedeliveryIsReplay", func(t *testing.T) {
				for _, ev := range readV1Events(t) {
					res, err := p.engine.Record(ctx, ev)
					if err != nil {
						t.Fatalf("redeliver %s: %v", ev.EventID(), err)
					}
					if !res.Replayed {
						t.Errorf("redeliver %s: Replayed = false, appended %d entries", ev.EventID(), len(res.Entries))
					}
				}
				// The same ID with another payload is still told apart.
				changed := v1Invoice("in_harbor_2026-01", "harbor", v1Day(time.January, 10), affiliate.LineSubscription, "4001")
				if _, err := p.engine.Record(ctx, changed); !errors.Is(err, affiliate.ErrIdempotencyMismatch) {
					t.Errorf("a changed payload under a recorded ID: err = %v, want ErrIdempotencyMismatch", err)
				}
				p.checkFigures(t, want)
			})

			t.Run("TierCloseIsReplay", func(t *testing.T) {
				for _, m := range v1Months() {
					res, err := p.tiers.Close(ctx, m, v1ClosedAt)
					if err != nil {
						t.Fatalf("Close(%s): %v", m, err)
					}
					if res.Written {
						t.Errorf("Close(%s) wrote revision %d; want a replay", m, res.Revision)
					}
				}
				p.checkFigures(t, want)
			})

			// readFigures replays every payout run and checks Replayed; this
			// checks that a replay at another as-of time writes nothing.
			t.Run("PayoutRunIsReplay", func(t *testing.T) {
				for _, m := range v1Months() {
					res, err := p.payouts.Run(ctx, m, v1BalancesAsOf.AddDate(0, 1, 0))
					if err != nil {
						t.Fatalf("Run(%s): %v", m, err)
					}
					if !res.Replayed {
						t.Errorf("Run(%s): Replayed = false", m)
					}
				}
				p.checkFigures(t, want)
			})

			t.Run("NewPayments", func(t *testing.T) {
				for _, c := range []struct {
					name      string
					payment   affiliate.Payment
					reordered bool
					want      []string
				}{
					{"existing customer", v1Invoice("in_salon_2026-04", "salon", v1Day(time.April, 10), affiliate.LineSubscription, "1000"), false,
						// bob's March decided Standard for April: 15% of 1,000;
						// ann, bob's parent, 5% of it. Re-pricing salon's
						// history finds ann's February bonus at her Premium
						// (same 5%): a zero adjustment names the tier.
						[]string{"ann adjustment 0.00 EUR", "bob commission 150.00 EUR", "ann sub_affiliate_bonus 50.00 EUR"}},
					{"before the customer's latest", v1Invoice("in_harbor_2026-02b", "harbor", v1Day(time.February, 20), affiliate.LineAddOn, "1000"), true,
						// The engine re-reads harbor's stored history and
						// appends only this payment's commission: ann is
						// Premium in February (January's second close), 20%.
						[]string{"ann commission 200.00 EUR"}},
					{"payment of a parked refund", v1Invoice("in_northwind_setup", "northwind", v1Day(time.March, 5), affiliate.LineSetupFee, "300"), true,
						// lena at Standard (her February), 15% of 300, then the
						// full refund parked since March reverses all of it.
						// It is dated before northwind's March invoice.
						[]string{"lena commission 45.00 EUR", "lena reversal -45.00 EUR"}},
				} {
					res, err := p.engine.Record(ctx, c.payment)
					if err != nil {
						t.Fatalf("%s: Record: %v", c.name, err)
					}
					if res.Replayed || res.Reordered != c.reordered {
						t.Errorf("%s: Replayed = %v, Reordered = %v; want false, %v", c.name, res.Replayed, res.Reordered, c.reordered)
					}
					var got []string
					for _, e := range res.Entries {
						got = append(got, fmt.Sprintf("%s %s %s", e.Beneficiary, e.Kind, e.Amount))
					}
					if diff := cmp.Diff(c.want, got); diff != "" {
						t.Errorf("%s: entries (-want +got):\n%s", c.name, diff)
					}
				}
			})
		})
	}
}

func openSQLiteV1(t *testing.T) *sqlstore.Store {
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join(v1Dir, "program.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "affiliate.db"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", sqliteDSN(dir))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.SQLite})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// openPostgresV1 restores the v1 dump into a new schema of its own. The
// dump names its schema affiliate_v1_fixture everywhere; the restore
// renames it, and leaves out psql's meta-commands (\restrict), which are
// not SQL.
func openPostgresV1(t *testing.T) *sqlstore.Store {
	admin(t) // skips without a server
	dump, err := os.ReadFile(filepath.Join(v1Dir, "program.pgsql"))
	if err != nil {
		t.Fatal(err)
	}
	var script strings.Builder
	for line := range strings.Lines(string(dump)) {
		if !strings.HasPrefix(line, `\`) {
			script.WriteString(line)
		}
	}
	name := fmt.Sprintf("affiliate_v1_%d_%d", os.Getpid(), schemaSeq.Add(1))
	// A connection of its own: the dump empties its search_path.
	restore, err := sql.Open("pgx", os.Getenv(postgresEnv))
	if err != nil {
		t.Fatal(err)
	}
	defer restore.Close()
	// One simple-protocol query, so one implicit transaction: a failed
	// restore leaves no schema behind.
	if _, err := restore.Exec(strings.ReplaceAll(script.String(), "affiliate_v1_fixture", name)); err != nil {
		t.Fatalf("restore the v1 dump: %v", err)
	}
	db, err := sql.Open("pgx", withSearchPath(os.Getenv(postgresEnv), name))
	sc := &pgSchema{name: name, db: db}
	t.Cleanup(func() { sc.drop(t) })
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.Postgres})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// v1Program is the host's wiring, as generate.go configured it: the
// payout policy must be the same for a run to replay.
type v1Program struct {
	store   *sqlstore.Store
	engine  *commission.Engine
	tiers   *tiers.Program
	payouts *payout.Runner
}

var (
	v1BalancesAsOf = v1Day(time.April, 15)
	v1ClosedAt     = time.Date(2026, time.April, 1, 6, 0, 0, 0, time.UTC)
)

func newV1Program(t *testing.T, s *sqlstore.Store) *v1Program {
	t.Helper()
	schedule := tiers.MustSchedule(
		tiers.Tier{Name: "Standard", Rate: affiliate.MustPercent("15"), BonusRate: affiliate.MustPercent("5")},
		tiers.Tier{Name: "Premium", Threshold: tiers.Amount(affiliate.MustParseMoney("10000", "EUR")), Rate: affiliate.MustPercent("20"), BonusRate: affiliate.MustPercent("5")},
	)
	now := func() time.Time { return v1BalancesAsOf }
	p := &v1Program{store: s}
	var err error
	if p.tiers, err = tiers.New(tiers.Config{Store: s, Schedule: schedule, Currency: "EUR", Policy: tiers.NextPeriod}); err != nil {
		t.Fatal(err)
	}
	if p.engine, err = commission.New(commission.Config{
		Store: s, Currency: "EUR", RequireConversion: true, Tiers: p.tiers, Now: now,
		Terms: []commission.TermsVersion{{Version: "2026-01", Hold: 14 * 24 * time.Hour,
			Rule: rules.AllOf{rules.TierRate{Name: "own_clients"}, rules.SubAffiliateBonus{Name: "direct_sub_affiliate"}}}},
	}); err != nil {
		t.Fatal(err)
	}
	minimums := map[affiliate.Currency]affiliate.Money{"EUR": affiliate.MustParseMoney("50", "EUR"), "USD": affiliate.MustParseMoney("50", "USD")}
	if p.payouts, err = payout.New(payout.Config{
		Policy: payout.Policy{Minimums: minimums}, Checks: []payout.Check{payout.ActiveAffiliate()},
		Store: s, Now: now,
	}); err != nil {
		t.Fatal(err)
	}
	return p
}

// v1Expected is expected.json; generate.go holds its twin.
type v1Expected struct {
	SchemaVersion int       `json:"schema_version"` // of the fixtures, before Migrate
	BalancesAsOf  time.Time `json:"balances_as_of"`
	v1Figures
}

// v1Figures is what a host reads back. Amounts are Money.String().
type v1Figures struct {
	Affiliates    map[affiliate.AffiliateID]v1AffiliateFigures `json:"affiliates"`
	Bindings      map[affiliate.CustomerID]v1BindingFigures    `json:"bindings"`
	TierSnapshots map[string][]v1TierSnapshotFigures           `json:"tier_snapshots"` // by period, latest revision
	PayoutRuns    map[string]v1PayoutRunFigures                `json:"payout_runs"`    // by period
}

type v1AffiliateFigures struct {
	Parent affiliate.AffiliateID     `json:"parent,omitempty"`
	Status affiliate.AffiliateStatus `json:"status"`
	Codes  []string                  `json:"codes"`
	// Ledger is the net of the affiliate's entries by currency and kind;
	// a net of zero is left out.
	Ledger   map[affiliate.Currency]map[affiliate.EntryKind]string `json:"ledger"`
	Balances []v1BalanceFigures                                    `json:"balances"` // as of BalancesAsOf
}

type v1BalanceFigures struct {
	Currency  affiliate.Currency `json:"currency"`
	Pending   string             `json:"pending"`
	Available string             `json:"available"`
	InPayout  string             `json:"in_payout"`
	Paid      string             `json:"paid"`
}

type v1BindingFigures struct {
	Affiliate affiliate.AffiliateID   `json:"affiliate"`
	Source    affiliate.BindingSource `json:"source"`
	Touch     affiliate.TouchID       `json:"touch,omitempty"`
	Lead      affiliate.LeadID        `json:"lead,omitempty"`
	Code      string                  `json:"code,omitempty"`
	BoundAt   time.Time               `json:"bound_at"`
}

type v1TierSnapshotFigures struct {
	Affiliate affiliate.AffiliateID `json:"affiliate"`
	Revision  int64                 `json:"revision"`
	Amount    string                `json:"amount"`
	Reached   string                `json:"reached"`
	Tier      string                `json:"tier"`
	Applied   string                `json:"applied,omitempty"`
}

type v1PayoutRunFigures struct {
	Payouts []v1PayoutFigures  `json:"payouts"`
	Carried []v1CarriedFigures `json:"carried"`
}

type v1PayoutFigures struct {
	ID        affiliate.PayoutID     `json:"id"`
	Affiliate affiliate.AffiliateID  `json:"affiliate"`
	Amount    string                 `json:"amount"`
	Status    affiliate.PayoutStatus `json:"status"`
	Reference string                 `json:"reference,omitempty"`
	Entries   []affiliate.EntryID    `json:"entries"`
}

type v1CarriedFigures struct {
	Affiliate affiliate.AffiliateID `json:"affiliate"`
	Amount    string                `json:"amount"`
	Reason    string                `json:"reason"`
}

func (p *v1Program) checkFigures(t *testing.T, want v1Expected) {
	t.Helper()
	got := p.readFigures(t, want)
	if diff := cmp.Diff(want.v1Figures, got); diff != "" {
		t.Fatalf("figures read back (-want +got):\n%s", diff)
	}
}

// readFigures reads, for the affiliates and customers want names, what
// generate.go read: ledger nets, balances, bindings, the latest tier
// snapshots, and each payout run, which it replays.
func (p *v1Program) readFigures(t *testing.T, want v1Expected) v1Figures {
	t.Helper()
	ctx := context.Background()
	got := v1Figures{
		Affiliates: map[affiliate.AffiliateID]v1AffiliateFigures{}, Bindings: map[affiliate.CustomerID]v1BindingFigures{},
		TierSnapshots: map[string][]v1TierSnapshotFigures{}, PayoutRuns: map[string]v1PayoutRunFigures{},
	}
	for id := range want.Affiliates {
		a, err := p.store.Affiliate(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		f := v1AffiliateFigures{Parent: a.Parent, Status: a.Status, Codes: a.Codes, Ledger: map[affiliate.Currency]map[affiliate.EntryKind]string{}}
		entries, err := p.store.Entries(ctx, storage.EntryQuery{Beneficiary: id})
		if err != nil {
			t.Fatal(err)
		}
		net := map[affiliate.Currency]map[affiliate.EntryKind]int64{} // minor units
		for _, e := range entries {
			c := e.Amount.Currency()
			if net[c] == nil {
				net[c] = map[affiliate.EntryKind]int64{}
			}
			net[c][e.Kind] += e.Amount.Minor()
		}
		for c, kinds := range net {
			for k, minor := range kinds {
				if minor == 0 {
					continue
				}
				if f.Ledger[c] == nil {
					f.Ledger[c] = map[affiliate.EntryKind]string{}
				}
				f.Ledger[c][k] = affiliate.MustMoney(minor, c).String()
			}
		}
		balances, err := p.store.EarningsBalances(ctx, id, want.BalancesAsOf)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range balances {
			f.Balances = append(f.Balances, v1BalanceFigures{b.Currency, b.Pending.String(), b.Available.String(), b.InPayout.String(), b.Paid.String()})
		}
		got.Affiliates[id] = f
	}
	for c := range want.Bindings {
		b, err := p.store.Binding(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		got.Bindings[c] = v1BindingFigures{b.Affiliate, b.Source, b.Touch, b.Lead, b.Code, b.BoundAt}
	}
	for _, m := range v1Months() {
		snaps, err := p.store.TierSnapshots(ctx, storage.TierSnapshotQuery{Program: tiers.DefaultProgram, Period: m})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range snaps {
			got.TierSnapshots[m.String()] = append(got.TierSnapshots[m.String()],
				v1TierSnapshotFigures{s.Affiliate, s.Revision, s.Amount.String(), s.Reached, s.Tier, s.Applied})
		}
		run, err := p.payouts.Run(ctx, m, v1ClosedAt)
		if err != nil {
			t.Fatalf("payout run of %s: %v", m, err)
		}
		if !run.Replayed {
			t.Fatalf("payout run of %s: Replayed = false; the run was recorded", m)
		}
		var r v1PayoutRunFigures
		for _, po := range run.Payouts {
			r.Payouts = append(r.Payouts, v1PayoutFigures{po.ID, po.Affiliate, po.Amount.String(), po.Status, po.Reference, po.Entries})
		}
		for _, c := range run.Carried {
			r.Carried = append(r.Carried, v1CarriedFigures{c.Affiliate, c.Amount.String(), c.Reason})
		}
		got.PayoutRuns[m.String()] = r
	}
	return got
}

func readV1Expected(t *testing.T) v1Expected {
	t.Helper()
	var want v1Expected
	b, err := os.ReadFile(filepath.Join(v1Dir, "expected.json"))
	if err == nil {
		err = json.Unmarshal(b, &want)
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Affiliates) == 0 || len(want.PayoutRuns) != len(v1Months()) {
		t.Fatalf("expected.json holds %d affiliates and %d payout runs; it is not the v1 program", len(want.Affiliates), len(want.PayoutRuns))
	}
	return want
}

// readV1Events returns the events the host delivered, in delivery order.
func readV1Events(t *testing.T) []affiliate.Event {
	t.Helper()
	var delivered []struct {
		Payment *affiliate.Payment `json:"payment"`
		Refund  *affiliate.Refund  `json:"refund"`
	}
	b, err := os.ReadFile(filepath.Join(v1Dir, "events.json"))
	if err == nil {
		err = json.Unmarshal(b, &delivered)
	}
	if err != nil {
		t.Fatal(err)
	}
	var events []affiliate.Event
	for _, d := range delivered {
		switch {
		case d.Payment != nil:
			events = append(events, *d.Payment)
		case d.Refund != nil:
			events = append(events, *d.Refund)
		}
	}
	if len(events) != len(delivered) || !slices.ContainsFunc(events, func(e affiliate.Event) bool { _, ok := e.(affiliate.Refund); return ok }) {
		t.Fatalf("events.json: %d of %d entries are events, or no refund is among them", len(events), len(delivered))
	}
	return events
}

func v1Invoice(id affiliate.EventID, c affiliate.CustomerID, at time.Time, kind affiliate.LineKind, eur string) affiliate.Payment {
	return affiliate.Payment{ID: id, Customer: c, PaidAt: at, Currency: "EUR",
		Lines: []affiliate.Line{{Kind: kind, Amount: affiliate.MustParseMoney(eur, "EUR")}}}
}

func v1Day(m time.Month, d int) time.Time { return time.Date(2026, m, d, 9, 0, 0, 0, time.UTC) }

func v1Months() []affiliate.Period {
	var out []affiliate.Period
	for m := time.January; m <= time.March; m++ {
		out = append(out, affiliate.Period{Year: 2026, Month: m, Location: time.UTC})
	}
	return out
}
