//go:build ignore

// Command generate wrote the fixtures of storage/sqlstore/upgrade_test.go:
// a three-month program recorded through the library's public API, as a
// host would, by the library at commit ffa5226 (sqlstore schema version
// 4), on SQLite and on PostgreSQL. The upgrade test opens them with the
// current code, runs Migrate and reads everything back.
//
// It is kept to show how the fixtures were made, not to remake them: run
// by a later version it would write that version's data, which is not what
// the test needs. From the module root, at that commit:
//
//	AFFILIATE_TEST_POSTGRES="host=/tmp/devpg user=affiliate dbname=affiliate_sqlmig sslmode=disable" \
//	  go run ./storage/sqlstore/testdata/v1/generate.go
//
// It writes, into -dir:
//
//   - program.sqlite: the SQLite database (VACUUM INTO, 1 KiB pages);
//   - program.pgsql: pg_dump --no-owner --no-privileges --inserts of the
//     PostgreSQL schema affiliate_v1_fixture holding the same program;
//   - events.json: every billing event delivered, in delivery order, as the
//     host's webhook log would replay them;
//   - expected.json: what a host reads back (see figures).
//
// The story (EUR program, tiers as in examples/tiered-program, 14-day hold,
// payouts from 50 EUR or 50 USD to active affiliates only):
//
//   - ann; bob, her sub-affiliate; dora, suspended in February; lena, who
//     brings a lead. Touches on links, a typed code, a lead converted.
//   - January to March: EUR and USD (with a conversion) payments, an unbound
//     customer, a partial refund, a chargeback, a refund parked until its
//     payment arrives, a refund still parked (its payment never came), and
//     a late January payment recorded in March (out of order) that lifts ann
//     to Premium for February, so January and February are closed again.
//   - Payout runs for January and February, settled; March's run with
//     ann's payouts paid and the others created. dora's balance is carried
//     while she is suspended, bob's negative one after his refund.
//
// After the fixtures are saved, it records three probe payments on the live
// stores and checks the amounts the upgrade test asserts.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/sqlstore"
	"github.com/openaffiliate/affiliate/tiers"
)

const pgSchema = "affiliate_v1_fixture"

var (
	dir    = flag.String("dir", "storage/sqlstore/testdata/v1", "where to write the fixtures")
	pgDump = flag.String("pg_dump", "/usr/lib/postgresql/15/bin/pg_dump", "the pg_dump binary")
)

func main() {
	flag.Parse()
	log.SetFlags(0)
	if err := generate(context.Background()); err != nil {
		log.Fatal(err)
	}
}

func generate(ctx context.Context) error {
	dsn := os.Getenv("AFFILIATE_TEST_POSTGRES")
	if dsn == "" {
		return fmt.Errorf("AFFILIATE_TEST_POSTGRES is not set")
	}
	tmp, err := os.MkdirTemp("", "genv1")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	lite, err := sql.Open("sqlite", "file:"+filepath.Join(tmp, "program.db")+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(ON)")
	if err != nil {
		return err
	}
	defer lite.Close()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	defer admin.Close()
	if _, err := admin.Exec("DROP SCHEMA IF EXISTS " + pgSchema + " CASCADE; CREATE SCHEMA " + pgSchema); err != nil {
		return err
	}
	pg, err := sql.Open("pgx", dsn+" search_path="+pgSchema)
	if err != nil {
		return err
	}
	defer pg.Close()

	var programs []*program
	var results []expected
	for _, d := range []struct {
		db      *sql.DB
		dialect sqlstore.Dialect
	}{{lite, sqlstore.SQLite}, {pg, sqlstore.Postgres}} {
		p, err := newProgram(ctx, d.db, d.dialect)
		if err != nil {
			return err
		}
		if err := p.story(ctx); err != nil {
			return fmt.Errorf("%s: %w", d.dialect, err)
		}
		exp, err := p.readBack(ctx)
		if err != nil {
			return fmt.Errorf("%s: %w", d.dialect, err)
		}
		programs, results = append(programs, p), append(results, exp)
	}
	if !reflect.DeepEqual(results[0], results[1]) {
		return fmt.Errorf("SQLite and PostgreSQL read back different figures")
	}
	if !reflect.DeepEqual(programs[0].delivered, programs[1].delivered) {
		return fmt.Errorf("SQLite and PostgreSQL were given different events")
	}

	sqliteFile := filepath.Join(*dir, "program.sqlite")
	_ = os.Remove(sqliteFile)
	if err := saveSQLite(lite, sqliteFile); err != nil {
		return err
	}
	dump := exec.Command(*pgDump, "--no-owner", "--no-privileges", "--inserts", "--schema="+pgSchema,
		"--file="+filepath.Join(*dir, "program.pgsql"), dsn)
	dump.Stderr = os.Stderr
	if err := dump.Run(); err != nil {
		return fmt.Errorf("pg_dump: %w", err)
	}
	if err := writeJSON(filepath.Join(*dir, "expected.json"), results[0]); err != nil {
		return err
	}
	if err := writeEvents(filepath.Join(*dir, "events.json"), programs[0].delivered); err != nil {
		return err
	}

	// The probes run on the live stores, after the fixtures are saved.
	for _, p := range programs {
		if err := p.probe(ctx); err != nil {
			return fmt.Errorf("%s: probe: %w", p.store.Dialect(), err)
		}
	}
	return nil
}

// program is what a host wires over one store.
type program struct {
	store     *sqlstore.Store
	tracker   *attribution.Tracker
	engine    *commission.Engine
	tiers     *tiers.Program
	payouts   *payout.Runner
	now       time.Time        // the payout runner's clock: when the host reports a transfer
	delivered []deliveredEvent // every event given to Record, in order
}

type deliveredEvent struct {
	Payment *affiliate.Payment `json:"payment,omitempty"`
	Refund  *affiliate.Refund  `json:"refund,omitempty"`
}

var (
	schedule = tiers.MustSchedule(
		tiers.Tier{Name: "Standard", Rate: affiliate.MustPercent("15"), BonusRate: affiliate.MustPercent("5")},
		tiers.Tier{Name: "Premium", Threshold: tiers.Amount(eur("10000")), Rate: affiliate.MustPercent("20"), BonusRate: affiliate.MustPercent("5")},
	)
	commissions = rules.AllOf{rules.TierRate{Name: "own_clients"}, rules.SubAffiliateBonus{Name: "direct_sub_affiliate"}}
	minimums    = map[affiliate.Currency]affiliate.Money{"EUR": eur("50"), "USD": usd("50")}
)

func newProgram(ctx context.Context, db *sql.DB, d sqlstore.Dialect) (*program, error) {
	store, err := sqlstore.New(db, sqlstore.Config{Dialect: d})
	if err != nil {
		return nil, err
	}
	if err := store.Migrate(ctx); err != nil {
		return nil, err
	}
	p := &program{store: store}
	clock := func() time.Time { return p.now }
	if p.tracker, err = attribution.New(attribution.Config{
		Affiliates: store, Touches: store, Bindings: store, Leads: store,
		Policy: attribution.Policy{Model: attribution.FirstClick}, Now: clock,
	}); err != nil {
		return nil, err
	}
	if p.tiers, err = tiers.New(tiers.Config{Store: store, Schedule: schedule, Currency: "EUR", Policy: tiers.NextPeriod}); err != nil {
		return nil, err
	}
	if p.engine, err = commission.New(commission.Config{
		Store: store, Currency: "EUR", RequireConversion: true, Tiers: p.tiers, Now: clock,
		Terms: []commission.TermsVersion{{Version: "2026-01", Rule: commissions, Hold: 14 * 24 * time.Hour}},
	}); err != nil {
		return nil, err
	}
	if p.payouts, err = payout.New(payout.Config{
		Policy: payout.Policy{Minimums: minimums}, Checks: []payout.Check{payout.ActiveAffiliate()},
		Ledger: store, Payouts: store, History: store, Affiliates: store, Now: clock,
	}); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *program) story(ctx context.Context) error {
	for _, a := range []affiliate.Affiliate{
		{ID: "ann", Name: "Ann", Status: affiliate.StatusActive, Email: "ann@callright.eu", Codes: []string{"ann"}},
		{ID: "bob", Parent: "ann", Name: "Bob", Status: affiliate.StatusActive, Email: "bob@salonsoft.de", Codes: []string{"bob", "BOB-SALON"}},
		{ID: "dora", Name: "Dora", Status: affiliate.StatusActive, Email: "dora@kioskweb.it", Codes: []string{"dora"}},
		{ID: "lena", Name: "Lena", Status: affiliate.StatusActive, Email: "lena@leadworks.eu", Codes: []string{"lena"}},
	} {
		if err := p.store.PutAffiliate(ctx, a); err != nil {
			return err
		}
	}
	for i, c := range []attribution.TouchInput{
		{Visitor: "v-harbor", Code: "ann", At: day(2025, time.December, 20)},
		{Visitor: "v-harbor", Code: "bob", At: day(2026, time.January, 3)}, // later: first click keeps ann
		{Visitor: "v-nyc", Code: "ann", At: day(2026, time.January, 2)},
		{Visitor: "v-kiosk", Code: "dora", At: day(2026, time.January, 4)},
		{Visitor: "v-salon", Code: "dora", At: day(2026, time.January, 4)}, // the typed code wins
	} {
		c.ID = affiliate.TouchID(fmt.Sprintf("t_%d", i+1))
		if _, err := p.tracker.RecordTouch(ctx, c); err != nil {
			return err
		}
	}
	if _, err := p.tracker.SubmitLead(ctx, attribution.LeadInput{
		ID: "lead-northwind", Affiliate: "lena", Company: "Northwind GmbH", Email: "anna@northwind.de",
		Website: "https://northwind.de", LinkedIn: "https://www.linkedin.com/company/northwind-gmbh", At: day(2026, time.January, 5),
	}); err != nil {
		return err
	}
	for _, s := range []attribution.Signup{
		{Customer: "harbor", Email: "office@harbordental.eu", Visitor: "v-harbor", At: day(2026, time.January, 5)},
		{Customer: "nyc", Email: "ops@nycdeli.com", Visitor: "v-nyc", At: day(2026, time.January, 6)},
		{Customer: "kiosk", Email: "ciao@kiosk.it", Visitor: "v-kiosk", At: day(2026, time.January, 7)},
		{Customer: "salon", Email: "info@nordicsalon.se", Visitor: "v-salon", Code: "bob-salon", At: day(2026, time.January, 7)},
	} {
		if _, err := p.tracker.Bind(ctx, s); err != nil {
			return err
		}
	}
	if _, err := p.tracker.ConvertLead(ctx, "lead-northwind", attribution.Signup{Customer: "northwind", Email: "anna@northwind.de", At: day(2026, time.January, 9)}); err != nil {
		return err
	}

	// January.
	for _, ev := range []affiliate.Event{
		invoice("in_harbor_2026-01", "harbor", day(2026, time.January, 10), line(affiliate.LineSubscription, eur("4000"))),
		invoice("in_walkin_2026-01", "walkin", day(2026, time.January, 11), line(affiliate.LineOneTime, eur("99"))), // nobody referred walkin
		usdInvoice("in_nyc_2026-01", "nyc", day(2026, time.January, 12), "0.9",
			line(affiliate.LineSubscription, usd("2500")), line(affiliate.LineAddOn, usd("500")), line(affiliate.LineTax, usd("240"))),
		invoice("in_salon_2026-01", "salon", day(2026, time.January, 15), line(affiliate.LineSubscription, eur("1000"))),
		invoice("in_kiosk_2026-01", "kiosk", day(2026, time.January, 20), line(affiliate.LineSubscription, eur("500"))),
		invoice("in_northwind_2026-01", "northwind", day(2026, time.January, 20),
			line(affiliate.LineSubscription, eur("900")), line(affiliate.LineDiscount, eur("100")), line(affiliate.LineTax, eur("152"))),
	} {
		if err := p.record(ctx, ev, ""); err != nil {
			return err
		}
	}
	if err := p.monthEnd(ctx, month(time.January), true); err != nil {
		return err
	}

	// February: a partial refund, a chargeback, and dora suspended.
	for _, ev := range []affiliate.Event{
		invoice("in_harbor_2026-02", "harbor", day(2026, time.February, 10), line(affiliate.LineSubscription, eur("4000"))),
		usdInvoice("in_nyc_2026-02", "nyc", day(2026, time.February, 12), "0.92", line(affiliate.LineSubscription, usd("3000"))),
		invoice("in_salon_2026-02", "salon", day(2026, time.February, 15), line(affiliate.LineSubscription, eur("1000"))),
		invoice("in_kiosk_2026-02", "kiosk", day(2026, time.February, 10), line(affiliate.LineSubscription, eur("500"))),
		invoice("in_northwind_2026-02", "northwind", day(2026, time.February, 20), line(affiliate.LineSubscription, eur("800"))),
		affiliate.Refund{ID: "re_salon_2026-02", Payment: "in_salon_2026-02", Customer: "salon", RefundedAt: day(2026, time.February, 22),
			Kind: affiliate.KindRefund, Amount: eur("400")},
		affiliate.Refund{ID: "cb_kiosk_2026-02", Payment: "in_kiosk_2026-02", Customer: "kiosk", RefundedAt: day(2026, time.February, 25),
			Kind: affiliate.KindChargeback, Full: true},
	} {
		if err := p.record(ctx, ev, ""); err != nil {
			return err
		}
	}
	dora, err := p.store.Affiliate(ctx, "dora")
	if err != nil {
		return err
	}
	dora.Status = affiliate.StatusSuspended
	if err := p.store.PutAffiliate(ctx, dora); err != nil {
		return err
	}
	if err := p.monthEnd(ctx, month(time.February), true); err != nil {
		return err
	}

	// March: a refund before its payment, a refund whose payment never
	// comes, and a January payment delivered late.
	for _, step := range []struct {
		ev   affiliate.Event
		want string
	}{
		{invoice("in_harbor_2026-03", "harbor", day(2026, time.March, 10), line(affiliate.LineSubscription, eur("4000"))), ""},
		{affiliate.Refund{ID: "re_nyc_2026-03", Payment: "in_nyc_2026-03", Customer: "nyc", RefundedAt: day(2026, time.March, 14),
			Kind: affiliate.KindRefund, Amount: usd("500")}, "parked"},
		{usdInvoice("in_nyc_2026-03", "nyc", day(2026, time.March, 12), "0.91", line(affiliate.LineSubscription, usd("3000"))), ""},
		{affiliate.Refund{ID: "re_northwind_setup", Payment: "in_northwind_setup", Customer: "northwind", RefundedAt: day(2026, time.March, 8),
			Kind: affiliate.KindRefund, Full: true}, "parked"},
		{invoice("in_salon_2026-03", "salon", day(2026, time.March, 15), line(affiliate.LineSubscription, eur("1000"))), ""},
		{invoice("in_kiosk_2026-03", "kiosk", day(2026, time.March, 16), line(affiliate.LineSubscription, eur("500"))), ""}, // dora is suspended
		{invoice("in_northwind_2026-03", "northwind", day(2026, time.March, 20), line(affiliate.LineSubscription, eur("800"))), ""},
		{invoice("in_harbor_2026-01b", "harbor", day(2026, time.January, 28), line(affiliate.LineAddOn, eur("3500"))), "reordered"},
	} {
		if err := p.record(ctx, step.ev, step.want); err != nil {
			return err
		}
	}
	// April 1st: close March, then January again (its late payment lifts
	// ann to Premium for February) and whatever that asks to reclose.
	mar := month(time.March)
	p.now = mar.End().Add(6 * time.Hour)
	if _, err := p.tiers.Close(ctx, mar, p.now); err != nil {
		return err
	}
	reclose := []affiliate.Period{month(time.January)}
	for len(reclose) > 0 {
		res, err := p.tiers.Close(ctx, reclose[0], p.now)
		if err != nil {
			return err
		}
		if !res.Written {
			return fmt.Errorf("reclose of %s wrote nothing", reclose[0])
		}
		reclose = append(reclose[1:], res.Reclose...)
	}
	if err := p.monthEnd(ctx, mar, false); err != nil {
		return err
	}
	// Every month stands closed: closing again writes nothing.
	for _, m := range months() {
		res, err := p.tiers.Close(ctx, m, p.now)
		if err != nil {
			return err
		}
		if res.Written {
			return fmt.Errorf("the close of %s is not settled: a rerun wrote revision %d", m, res.Revision)
		}
	}
	return nil
}

// record delivers ev and checks it did what the story says: want is "",
// "parked" or "reordered".
func (p *program) record(ctx context.Context, ev affiliate.Event, want string) error {
	res, err := p.engine.Record(ctx, ev)
	if err != nil {
		return fmt.Errorf("record %s: %w", ev.EventID(), err)
	}
	got := ""
	switch {
	case res.Parked:
		got = "parked"
	case res.Reordered:
		got = "reordered"
	}
	if got != want {
		return fmt.Errorf("record %s: got %q, want %q", ev.EventID(), got, want)
	}
	switch ev := ev.(type) {
	case affiliate.Payment:
		p.delivered = append(p.delivered, deliveredEvent{Payment: &ev})
	case affiliate.Refund:
		p.delivered = append(p.delivered, deliveredEvent{Refund: &ev})
	}
	return nil
}

// monthEnd closes the month's tiers and runs its payouts on the 1st of the
// next month; the host then pays every payout (settle), or only ann's.
func (p *program) monthEnd(ctx context.Context, m affiliate.Period, settle bool) error {
	p.now = m.End().Add(6 * time.Hour)
	if _, err := p.tiers.Close(ctx, m, p.now); err != nil {
		return err
	}
	run, err := p.payouts.Run(ctx, m, p.now)
	if err != nil {
		return err
	}
	p.now = p.now.Add(48 * time.Hour)
	for _, po := range run.Payouts {
		if !settle && po.Affiliate != "ann" {
			continue
		}
		if _, err := p.payouts.MarkPaid(ctx, po.ID, fmt.Sprintf("sepa-%s-%s", m, po.ID)); err != nil {
			return err
		}
	}
	return nil
}

// probe records, after the fixtures are saved, the payments the upgrade
// test records after Migrate, and checks the amounts it asserts.
func (p *program) probe(ctx context.Context) error {
	for _, c := range []struct {
		payment affiliate.Payment
		want    []string
	}{
		// A new payment of an existing customer: bob at Standard (his
		// March), ann's 5% bonus on her sub-affiliate's client.
		{invoice("in_salon_2026-04", "salon", day(2026, time.April, 10), line(affiliate.LineSubscription, eur("1000"))),
			[]string{"bob commission 150.00 EUR", "ann sub_affiliate_bonus 50.00 EUR"}},
		// A payment dated before harbor's latest: the engine re-reads
		// harbor's stored history. ann is Premium in February (January's
		// second close): 20% of 1,000.
		{invoice("in_harbor_2026-02b", "harbor", day(2026, time.February, 20), line(affiliate.LineAddOn, eur("1000"))),
			[]string{"ann commission 200.00 EUR"}},
		// The payment the parked full refund waited for: earned and reversed.
		{invoice("in_northwind_setup", "northwind", day(2026, time.March, 5), line(affiliate.LineSetupFee, eur("300"))),
			[]string{"lena commission 45.00 EUR", "lena reversal -45.00 EUR"}},
	} {
		res, err := p.engine.Record(ctx, c.payment)
		if err != nil {
			return err
		}
		var got []string
		for _, e := range res.Entries {
			got = append(got, fmt.Sprintf("%s %s %s", e.Beneficiary, e.Kind, e.Amount))
		}
		if !slices.Equal(got, c.want) {
			return fmt.Errorf("%s: entries %q, want %q", c.payment.ID, got, c.want)
		}
	}
	return nil
}

// expected is expected.json: what the fixture holds, as a host reads it.
type expected struct {
	SchemaVersion int       `json:"schema_version"` // of the fixtures, before Migrate
	BalancesAsOf  time.Time `json:"balances_as_of"`
	figures
}

// figures is what the upgrade test compares; its twin is in upgrade_test.go.
type figures struct {
	Affiliates    map[affiliate.AffiliateID]affiliateFigures `json:"affiliates"`
	Bindings      map[affiliate.CustomerID]bindingFigures    `json:"bindings"`
	TierSnapshots map[string][]tierSnapshotFigures           `json:"tier_snapshots"` // by period, latest revision
	PayoutRuns    map[string]payoutRunFigures                `json:"payout_runs"`    // by period
}

type affiliateFigures struct {
	Parent affiliate.AffiliateID     `json:"parent,omitempty"`
	Status affiliate.AffiliateStatus `json:"status"`
	Codes  []string                  `json:"codes"`
	// Ledger is the net of the affiliate's entries by currency and kind;
	// a net of zero is left out.
	Ledger   map[affiliate.Currency]map[affiliate.EntryKind]string `json:"ledger"`
	Balances []balanceFigures                                      `json:"balances"` // as of BalancesAsOf
}

type balanceFigures struct {
	Currency  affiliate.Currency `json:"currency"`
	Pending   string             `json:"pending"`
	Available string             `json:"available"`
	InPayout  string             `json:"in_payout"`
	Paid      string             `json:"paid"`
}

type bindingFigures struct {
	Affiliate affiliate.AffiliateID   `json:"affiliate"`
	Source    affiliate.BindingSource `json:"source"`
	Touch     affiliate.TouchID       `json:"touch,omitempty"`
	Lead      affiliate.LeadID        `json:"lead,omitempty"`
	Code      string                  `json:"code,omitempty"`
	BoundAt   time.Time               `json:"bound_at"`
}

type tierSnapshotFigures struct {
	Affiliate affiliate.AffiliateID `json:"affiliate"`
	Revision  int64                 `json:"revision"`
	Amount    string                `json:"amount"`
	Reached   string                `json:"reached"`
	Tier      string                `json:"tier"`
	Applied   string                `json:"applied,omitempty"`
}

type payoutRunFigures struct {
	Payouts []payoutFigures  `json:"payouts"`
	Carried []carriedFigures `json:"carried"`
}

type payoutFigures struct {
	ID        affiliate.PayoutID     `json:"id"`
	Affiliate affiliate.AffiliateID  `json:"affiliate"`
	Amount    string                 `json:"amount"`
	Status    affiliate.PayoutStatus `json:"status"`
	Reference string                 `json:"reference,omitempty"`
	Entries   []affiliate.EntryID    `json:"entries"`
}

type carriedFigures struct {
	Affiliate affiliate.AffiliateID `json:"affiliate"`
	Amount    string                `json:"amount"`
	Reason    string                `json:"reason"`
}

var balancesAsOf = day(2026, time.April, 15)

func (p *program) readBack(ctx context.Context) (expected, error) {
	version, err := p.store.SchemaVersion(ctx)
	if err != nil {
		return expected{}, err
	}
	out := expected{SchemaVersion: version, BalancesAsOf: balancesAsOf, figures: figures{
		Affiliates: map[affiliate.AffiliateID]affiliateFigures{}, Bindings: map[affiliate.CustomerID]bindingFigures{},
		TierSnapshots: map[string][]tierSnapshotFigures{}, PayoutRuns: map[string]payoutRunFigures{},
	}}
	for _, id := range []affiliate.AffiliateID{"ann", "bob", "dora", "lena"} {
		a, err := p.store.Affiliate(ctx, id)
		if err != nil {
			return out, err
		}
		f := affiliateFigures{Parent: a.Parent, Status: a.Status, Codes: a.Codes, Ledger: map[affiliate.Currency]map[affiliate.EntryKind]string{}}
		entries, err := p.store.Entries(ctx, storage.EntryQuery{Beneficiary: id})
		if err != nil {
			return out, err
		}
		net := map[affiliate.Currency]map[affiliate.EntryKind]affiliate.Money{}
		for _, e := range entries {
			c := e.Amount.Currency()
			if net[c] == nil {
				net[c] = map[affiliate.EntryKind]affiliate.Money{}
			}
			sum, ok := net[c][e.Kind]
			if !ok {
				sum = affiliate.Zero(c)
			}
			if net[c][e.Kind], err = sum.Add(e.Amount); err != nil {
				return out, err
			}
		}
		for c, kinds := range net {
			for k, m := range kinds {
				if m.IsZero() {
					continue
				}
				if f.Ledger[c] == nil {
					f.Ledger[c] = map[affiliate.EntryKind]string{}
				}
				f.Ledger[c][k] = m.String()
			}
		}
		balances, err := p.store.EarningsBalances(ctx, id, balancesAsOf)
		if err != nil {
			return out, err
		}
		for _, b := range balances {
			f.Balances = append(f.Balances, balanceFigures{b.Currency, b.Pending.String(), b.Available.String(), b.InPayout.String(), b.Paid.String()})
		}
		out.Affiliates[id] = f
	}
	for _, c := range []affiliate.CustomerID{"harbor", "nyc", "kiosk", "salon", "northwind"} {
		b, err := p.store.Binding(ctx, c)
		if err != nil {
			return out, err
		}
		out.Bindings[c] = bindingFigures{b.Affiliate, b.Source, b.Touch, b.Lead, b.Code, b.BoundAt}
	}
	for _, m := range months() {
		snaps, err := p.store.TierSnapshots(ctx, storage.TierSnapshotQuery{Program: tiers.DefaultProgram, Period: m.String()})
		if err != nil {
			return out, err
		}
		for _, s := range snaps {
			out.TierSnapshots[m.String()] = append(out.TierSnapshots[m.String()],
				tierSnapshotFigures{s.Affiliate, s.Revision, s.Amount.String(), s.Reached, s.Tier, s.Applied})
		}
		run, err := p.payouts.Run(ctx, m, p.now)
		if err != nil {
			return out, err
		}
		if !run.Replayed {
			return out, fmt.Errorf("payout run of %s: not a replay", m)
		}
		var r payoutRunFigures
		for _, po := range run.Payouts {
			r.Payouts = append(r.Payouts, payoutFigures{po.ID, po.Affiliate, po.Amount.String(), po.Status, po.Reference, po.Entries})
		}
		for _, c := range run.Carried {
			r.Carried = append(r.Carried, carriedFigures{c.Affiliate, c.Amount.String(), c.Reason})
		}
		out.PayoutRuns[m.String()] = r
	}
	return out, nil
}

// saveSQLite copies db into one file with 1 KiB pages: most of the
// schema's 81 tables and indexes hold a page or two, so the file is a
// third of its size with the default 4 KiB pages.
func saveSQLite(db *sql.DB, path string) error {
	if _, err := db.Exec(`VACUUM INTO ?`, path); err != nil {
		return err
	}
	out, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return err
	}
	defer out.Close()
	_, err = out.Exec(`PRAGMA page_size = 1024; VACUUM`)
	return err
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// writeEvents writes the delivered events and checks they read back equal,
// so the test redelivers exactly what was recorded.
func writeEvents(path string, events []deliveredEvent) error {
	if err := writeJSON(path, events); err != nil {
		return err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var back []deliveredEvent
	if err := json.Unmarshal(b, &back); err != nil {
		return err
	}
	if !reflect.DeepEqual(back, events) {
		return fmt.Errorf("%s does not read back as written", path)
	}
	return nil
}

func invoice(id affiliate.EventID, c affiliate.CustomerID, at time.Time, lines ...affiliate.Line) affiliate.Payment {
	return affiliate.Payment{ID: id, Customer: c, PaidAt: at, Currency: lines[0].Amount.Currency(), Lines: lines}
}

func usdInvoice(id affiliate.EventID, c affiliate.CustomerID, at time.Time, eurPerUSD string, lines ...affiliate.Line) affiliate.Payment {
	p := invoice(id, c, at, lines...)
	p.Conversion = affiliate.Conversion{To: "EUR", Rate: affiliate.MustRate(eurPerUSD)}
	return p
}

func line(k affiliate.LineKind, m affiliate.Money) affiliate.Line {
	return affiliate.Line{Kind: k, Amount: m}
}

func eur(s string) affiliate.Money { return affiliate.MustParseMoney(s, "EUR") }
func usd(s string) affiliate.Money { return affiliate.MustParseMoney(s, "USD") }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 0, 0, 0, time.UTC) }

func month(m time.Month) affiliate.Period {
	return affiliate.Period{Year: 2026, Month: m, Location: time.UTC}
}

func months() []affiliate.Period {
	return []affiliate.Period{month(time.January), month(time.February), month(time.March)}
}
