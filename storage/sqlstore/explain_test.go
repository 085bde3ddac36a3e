package sqlstore_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/sqlstore"
)

// recorder is a database/sql driver that passes everything to pgx and
// remembers the queries, so that the test can EXPLAIN exactly the SQL the
// store sent, with the arguments it sent.
type recorder struct {
	mu      sync.Mutex
	on      bool
	queries map[string][]driver.NamedValue
}

func (r *recorder) Open(name string) (driver.Conn, error) {
	c, err := stdlib.GetDefaultDriver().Open(name)
	if err != nil {
		return nil, err
	}
	return &recordingConn{Conn: c, r: r}, nil
}

type recordingConn struct {
	driver.Conn
	r *recorder
}

func (c *recordingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *recordingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	c.r.mu.Lock()
	if c.r.on && strings.HasPrefix(strings.TrimSpace(query), "SELECT") {
		if _, ok := c.r.queries[query]; !ok {
			c.r.queries[query] = slices.Clone(args)
		}
	}
	c.r.mu.Unlock()
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
}

func (c *recordingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
}

func (c *recordingConn) CheckNamedValue(v *driver.NamedValue) error {
	return c.Conn.(driver.NamedValueChecker).CheckNamedValue(v)
}

var registerRecorder sync.Once

// seqScan finds a sequential scan of one of the store's tables in a plan.
var seqScan = regexp.MustCompile(`Seq Scan on (affiliate_\w+)`)

// TestExplainUsesIndexes loads a program's worth of rows into PostgreSQL,
// makes every read the engine, tiers, payouts and reports make, and
// EXPLAINs each SELECT the store sent: an index must serve every one.
func TestExplainUsesIndexes(t *testing.T) {
	dsn := os.Getenv(postgresEnv)
	if dsn == "" {
		t.Skip(skipPostgres)
	}
	ctx := context.Background()
	_, plainDB := openPostgres(t)
	var schema string
	if err := plainDB.QueryRow(`SELECT current_schema()`).Scan(&schema); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{queries: make(map[string][]driver.NamedValue)}
	registerRecorder.Do(func() { sql.Register("pgx-recorder", recorderSwitch{}) })
	activeMu.Lock()
	activeRecorder = rec
	activeMu.Unlock()
	db, err := sql.Open("pgx-recorder", withSearchPath(dsn, schema))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.Postgres})
	if err != nil {
		t.Fatal(err)
	}
	seedExplain(t, s)
	if _, err := plainDB.Exec(`ANALYZE`); err != nil {
		t.Fatal(err)
	}

	rec.mu.Lock()
	rec.on = true
	rec.mu.Unlock()
	feb := time.Date(2026, time.February, 1, 0, 0, 0, 0, time.UTC)
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.CustomerState(ctx, "cus-0042"))
	must(s.Binding(ctx, "cus-0042"))
	must(s.Affiliate(ctx, "aff-0042"))
	must(s.AffiliateByCode(ctx, "code-42"))
	must(s.Event(ctx, "ev-0042-3"))
	must(s.Events(ctx, storage.EventQuery{Customer: "cus-0042"}))
	must(s.Events(ctx, storage.EventQuery{Payment: "ev-0042-3"}))
	must(s.Entries(ctx, storage.EntryQuery{Customer: "cus-0042"}))
	must(s.Entries(ctx, storage.EntryQuery{Payment: "ev-0042-3"}))
	must(s.Entries(ctx, storage.EntryQuery{Event: "ev-0042-3"}))
	must(s.Entries(ctx, storage.EntryQuery{Beneficiary: "aff-0042", From: jan15.AddDate(0, 0, -14), To: feb}))
	must(s.Entries(ctx, storage.EntryQuery{Beneficiary: "aff-0042", Unsettled: true, AvailableBy: feb}))
	must(s.PeriodAggregates(ctx, per("2026-01"), affiliate.MetricEarnings))
	must(s.AffiliateAggregates(ctx, "aff-0042", affiliate.MetricEarnings, per("2025-02"), per("2026-01")))
	must(s.VisitorTouches(ctx, "vis-0042"))
	must(s.Activity(ctx, "aff-0042", jan15.AddDate(0, 0, -14), feb))
	must(s.Activity(ctx, "", jan15, jan15.Add(time.Hour)))
	must(s.EarningsBalances(ctx, "aff-0042", feb))
	must(s.OpenBalances(ctx, storage.BalanceQuery{To: feb, AvailableBy: feb}))
	must(s.OpenBalances(ctx, storage.BalanceQuery{Beneficiary: "aff-0042", To: feb, AvailableBy: feb}))
	must(s.ProgramEarnings(ctx, jan15, jan15.Add(24*time.Hour)))
	must(s.PayoutRun(ctx, "main", per("2025-12")))
	must(s.AffiliateRuns(ctx, "main", "aff-0042", per("2025-01"), per("2026-12")))
	must(s.PayoutTotals(ctx, "main", per("2025-01"), per("2026-12")))
	must(s.TierSnapshots(ctx, storage.TierSnapshotQuery{Program: "tiers", Period: per("2026-01"), Affiliate: "aff-0042"}))
	must(s.LeadsByKey(ctx, "company-42.example"))
	rec.mu.Lock()
	rec.on = false
	queries := rec.queries
	rec.mu.Unlock()

	// With sequential scans priced out, PostgreSQL still scans a table
	// when no index can serve the query: what is left is a missing
	// index, whatever the sizes of the test's tables.
	conn, err := plainDB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SET enable_seqscan = off`); err != nil {
		t.Fatal(err)
	}
	for query, args := range queries {
		values := make([]any, len(args))
		for i, a := range args {
			values[i] = a.Value
		}
		rows, err := conn.QueryContext(ctx, "EXPLAIN "+query, values...)
		if err != nil {
			t.Fatalf("EXPLAIN %s: %v", query, err)
		}
		var plan []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, line)
		}
		rows.Close()
		text := strings.Join(plan, "\n")
		oneLine := strings.Join(strings.Fields(query), " ")
		if m := seqScan.FindStringSubmatch(text); m != nil {
			t.Errorf("%s scans %s:\n%s", oneLine, m[1], text)
		} else {
			t.Logf("%s\n%s", oneLine, text)
		}
	}
	if len(queries) < 20 {
		t.Fatalf("recorded %d distinct SELECTs; the recorder missed the store's reads", len(queries))
	}
}

// recorderSwitch lets the one registered driver serve the recorder of
// the running test.
type recorderSwitch struct{}

var (
	activeMu       sync.Mutex
	activeRecorder *recorder
)

func (recorderSwitch) Open(name string) (driver.Conn, error) {
	activeMu.Lock()
	r := activeRecorder
	activeMu.Unlock()
	return r.Open(name)
}

// seedExplain writes 1,000 affiliates with codes, 2,000 bound customers
// with 4 events each (8,000 events and entries) over 4 months, touches,
// leads, a tier close and a payout run. The sizes only need to make the
// planner's statistics real: the test prices sequential scans out.
func seedExplain(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	for a := range 1000 {
		if err := s.PutAffiliate(ctx, affiliate.Affiliate{ID: affiliate.AffiliateID(fmt.Sprintf("aff-%04d", a)), Status: affiliate.StatusActive, Codes: []string{fmt.Sprintf("code-%d", a)}}); err != nil {
			t.Fatal(err)
		}
	}
	var snaps []affiliate.TierSnapshot
	for c := range 2000 {
		cust := affiliate.CustomerID(fmt.Sprintf("cus-%04d", c))
		aff := affiliate.AffiliateID(fmt.Sprintf("aff-%04d", c%1000))
		if _, err := s.Bind(ctx, affiliate.Binding{Customer: cust, Affiliate: aff, Source: affiliate.BindByLink, BoundAt: jan15.Add(time.Duration(c) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
		if err := s.AddTouch(ctx, affiliate.Touch{ID: affiliate.TouchID(fmt.Sprintf("t-%d", c)), Visitor: affiliate.VisitorID(fmt.Sprintf("vis-%04d", c)), Affiliate: aff, Source: affiliate.TouchLink, At: jan15.Add(time.Duration(c) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
		for i := range 4 {
			id := affiliate.EventID(fmt.Sprintf("ev-%04d-%d", c, i))
			at := jan15.AddDate(0, -i, 0).Add(time.Duration(c) * time.Second)
			amount := affiliate.MustMoney(int64(100+c%50), "EUR")
			if _, err := s.Commit(ctx, storage.Commit{Key: string(id), Hash: "h", State: storage.CustomerState{Customer: cust, Version: int64(i + 1), Data: []byte("s")},
				Event: &affiliate.EventRecord{ID: id, Customer: cust, Time: at, Hash: "h", Affiliate: aff, Payment: &affiliate.Payment{ID: id, Customer: cust, PaidAt: at, Currency: "EUR",
					Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: amount}}}},
				Entries: []affiliate.Entry{{ID: affiliate.EntryID(id + "/c"), Beneficiary: aff, Event: id, Payment: id, Customer: cust, Kind: affiliate.KindCommission, Amount: amount, At: at, AvailableAt: at.AddDate(0, 0, 30)}},
				Deltas:  []storage.AggregateDelta{{Affiliate: aff, Period: affiliate.PeriodOf(at, nil), Metric: affiliate.MetricEarnings, Amount: amount}},
			}); err != nil {
				t.Fatal(err)
			}
		}
		if c < 1000 {
			snaps = append(snaps, affiliate.TierSnapshot{Program: "tiers", Period: per("2026-01"), Revision: 1, Affiliate: aff, Metric: affiliate.MetricRevenue, Tier: "Standard", Reached: "Standard"})
			if err := s.AddLead(ctx, affiliate.Lead{ID: affiliate.LeadID(fmt.Sprintf("lead-%d", c)), Affiliate: aff, Status: affiliate.LeadSubmitted, SubmittedAt: jan15},
				[]string{fmt.Sprintf("company-%d.example", c)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := s.CommitTierClose(ctx, storage.TierCloseCommit{Close: affiliate.TierClose{Program: "tiers", Period: per("2026-01"), Revision: 1, AsOf: jan15.AddDate(0, 1, 0)},
		Hash: "h", Snapshots: snaps}); err != nil {
		t.Fatal(err)
	}
	// A payout run over the December entries of the first 300 affiliates.
	run := affiliate.PayoutRun{Program: "main", Period: per("2025-12"), Hash: "h", AsOf: jan15}
	for a := range 300 {
		aff := affiliate.AffiliateID(fmt.Sprintf("aff-%04d", a))
		es, err := s.Entries(ctx, storage.EntryQuery{Beneficiary: aff, From: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		if len(es) == 0 {
			continue
		}
		p := affiliate.Payout{ID: affiliate.PayoutID("run-" + string(aff)), Affiliate: aff, Period: affiliate.Period{Year: 2025, Month: 12}, Status: affiliate.PayoutCreated, Amount: affiliate.Zero("EUR")}
		for _, e := range es {
			p.Entries = append(p.Entries, e.ID)
			p.Amount, _ = p.Amount.Add(e.Amount)
		}
		run.Payouts = append(run.Payouts, p)
	}
	if _, err := s.CreatePayoutRun(ctx, run); err != nil {
		t.Fatal(err)
	}
}
