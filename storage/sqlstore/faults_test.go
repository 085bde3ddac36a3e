package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/program"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage/memstore"
	"github.com/openaffiliate/affiliate/storage/sqlstore"
)

// The fault test's size: customers, months, and workers delivering at
// once. Every operation is delivered twice, by two workers.
const (
	faultCustomers = 32
	faultMonths    = 4
	faultWorkers   = 8
)

var faultAffiliates = []affiliate.Affiliate{
	{ID: "p", Status: affiliate.StatusActive, Codes: []string{"p"}},
	{ID: "a", Parent: "p", Status: affiliate.StatusActive, Codes: []string{"a"}},
	{ID: "b", Parent: "p", Status: affiliate.StatusActive, Codes: []string{"b"}},
	{ID: "d", Status: affiliate.StatusActive, Codes: []string{"d"}},
}

// faultOp is one host call. ok accepts an error that is an answer, not a
// failure: a second signup's ErrAlreadyBound.
type faultOp struct {
	name string
	do   func(ctx context.Context, p *program.Program) error
	ok   func(error) bool
}

// faultPhase is a batch of calls the workers share, at one clock
// reading. Phases run one after the other, so that what the host would
// do in order (a payment, then its refund, then the month's payout run)
// stays in order, while the calls of one phase race.
type faultPhase struct {
	name string
	now  time.Time
	ops  []faultOp
}

func faultMonth(m int) affiliate.Period {
	return affiliate.PeriodOf(time.Date(2026, time.January+time.Month(m), 1, 0, 0, 0, 0, time.UTC), time.UTC)
}

func faultDay(m, day, hour int) time.Time {
	return time.Date(2026, time.January+time.Month(m), day, hour, 0, 0, 0, time.UTC)
}

// faultScenario is a program of faultMonths months: every customer pays
// every month, signs up in one of the first three months (a payment
// before the signup earns at the signup), some payments are partly
// refunded in their month, some charged back in the next (after their
// month was paid out), and each month ends with its payout run.
func faultScenario() []faultPhase {
	var phases []faultPhase
	customer := func(i int) affiliate.CustomerID { return affiliate.CustomerID(fmt.Sprintf("c%02d", i)) }
	paymentID := func(i, m int) affiliate.EventID { return affiliate.EventID(fmt.Sprintf("pay-%02d-%d", i, m)) }
	paidAt := func(i, m int) time.Time { return faultDay(m, 5+i%20, 9) }
	for m := range faultMonths {
		events := faultPhase{name: fmt.Sprintf("%s signups and payments", faultMonth(m)), now: faultDay(m, 28, 12)}
		for i := range faultCustomers {
			if i%3 == m {
				s := attribution.Signup{Customer: customer(i), Code: string(faultAffiliates[i%4].ID), At: faultDay(m, 3+i%20, 10)}
				events.ops = append(events.ops, faultOp{
					name: "signup " + string(s.Customer),
					do:   func(ctx context.Context, p *program.Program) error { _, err := p.Signup(ctx, s); return err },
					ok:   func(err error) bool { return errors.Is(err, affiliate.ErrAlreadyBound) },
				})
			}
			pay := affiliate.Payment{ID: paymentID(i, m), Customer: customer(i), PaidAt: paidAt(i, m), Currency: "EUR",
				Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(int64(4000+700*i+1300*m), "EUR")}}}
			events.ops = append(events.ops, recordOp(pay))
		}
		refunds := faultPhase{name: fmt.Sprintf("%s refunds", faultMonth(m)), now: faultDay(m, 28, 12)}
		for i := range faultCustomers {
			if (i+m)%5 == 0 {
				refunds.ops = append(refunds.ops, recordOp(affiliate.Refund{ID: paymentID(i, m) + "-r", Payment: paymentID(i, m), Customer: customer(i),
					RefundedAt: paidAt(i, m).Add(72 * time.Hour), Kind: affiliate.KindRefund, Amount: affiliate.MustMoney(int64(1000+100*i), "EUR")}))
			}
			if m > 0 && (i+m)%7 == 3 {
				refunds.ops = append(refunds.ops, recordOp(affiliate.Refund{ID: paymentID(i, m-1) + "-cb", Payment: paymentID(i, m-1), Customer: customer(i),
					RefundedAt: faultDay(m, 2, 8), Kind: affiliate.KindChargeback, Full: true}))
			}
		}
		period := faultMonth(m)
		run := faultPhase{name: fmt.Sprintf("%s payout run", period), now: faultDay(m+1, 1, 6)}
		for range faultWorkers {
			run.ops = append(run.ops, faultOp{
				name: "payout run " + period.String(),
				do:   func(ctx context.Context, p *program.Program) error { _, err := p.RunPayouts(ctx, period); return err },
			})
		}
		phases = append(phases, events, refunds, run)
	}
	return phases
}

func recordOp(ev affiliate.Event) faultOp {
	return faultOp{
		name: "record " + string(ev.EventID()),
		do:   func(ctx context.Context, p *program.Program) error { _, err := p.Record(ctx, ev); return err },
	}
}

// faultClock is the program's Now, set between phases.
type faultClock struct{ now atomic.Pointer[time.Time] }

func newFaultClock() *faultClock {
	c := &faultClock{}
	c.set(faultDay(0, 1, 0))
	return c
}

func (c *faultClock) Now() time.Time  { return *c.now.Load() }
func (c *faultClock) set(t time.Time) { c.now.Store(&t) }

// faultProgram is the program under test: 20% to the referrer, 5% to its
// parent, a EUR 50 payout minimum, on store.
func faultProgram(t *testing.T, store program.Store, c *faultClock) *program.Program {
	t.Helper()
	for _, a := range faultAffiliates {
		if err := store.PutAffiliate(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
	p, err := program.New(program.Config{
		Store: store, Currency: "EUR",
		Terms: []commission.TermsVersion{{Version: "v1", Rule: rules.AllOf{
			rules.Percent{Rate: affiliate.MustPercent("20")},
			rules.SubAffiliateBonus{Rate: affiliate.MustPercent("5")},
		}}},
		Payouts: program.Payouts{Minimums: map[affiliate.Currency]affiliate.Money{"EUR": affiliate.MustMoney(5000, "EUR")}},
		Now:     c.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// faultOutcome is what the test compares: the net ledger, every binding,
// every payout run's payouts and carried balances, the balances at the
// end and the monthly aggregates. Each is a sum or a set, so it does not
// depend on which worker won a race.
type faultOutcome struct {
	Ledger     []string
	Bindings   []string
	Payouts    []string
	Balances   []string
	Aggregates []string
}

func faultOutcomeOf(t *testing.T, store program.Store, p *program.Program) faultOutcome {
	t.Helper()
	ctx := context.Background()
	var out faultOutcome
	for k, v := range netLedger(t, store) {
		if v != 0 {
			out.Ledger = append(out.Ledger, fmt.Sprintf("%s %s %s %s %d", k.beneficiary, k.customer, k.currency, k.kind, v))
		}
	}
	slices.Sort(out.Ledger)
	for i := range faultCustomers {
		c := affiliate.CustomerID(fmt.Sprintf("c%02d", i))
		b, err := store.Binding(ctx, c)
		if err != nil {
			t.Fatalf("binding of %s: %v", c, err)
		}
		out.Bindings = append(out.Bindings, fmt.Sprintf("%s %s %s %s", c, b.Affiliate, b.Source, b.BoundAt.Format(time.DateOnly)))
	}
	for m := range faultMonths {
		// A payout run is keyed by its period: running it again returns
		// the run as written.
		r, err := p.RunPayouts(ctx, faultMonth(m))
		if err != nil || !r.Replayed {
			t.Fatalf("payout run %s again: replayed %v, %v", faultMonth(m), r.Replayed, err)
		}
		for _, po := range r.Payouts {
			out.Payouts = append(out.Payouts, fmt.Sprintf("%s paid %s %s", r.Period, po.Affiliate, po.Amount))
		}
		for _, c := range r.Carried {
			out.Payouts = append(out.Payouts, fmt.Sprintf("%s carried %+v", r.Period, c))
		}
		for _, metric := range []affiliate.Metric{affiliate.MetricRevenue, affiliate.MetricEarnings, affiliate.MetricConversions, affiliate.MetricPayingCustomers} {
			aggs, err := store.PeriodAggregates(ctx, faultMonth(m), metric)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range aggs {
				out.Aggregates = append(out.Aggregates, fmt.Sprintf("%s %s %q %s %d", faultMonth(m), metric, a.Affiliate, a.Amount, a.Count))
			}
		}
	}
	for _, a := range faultAffiliates {
		bs, err := p.Balance(ctx, a.ID, faultDay(faultMonths, 2, 0))
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range bs {
			out.Balances = append(out.Balances, fmt.Sprintf("%s %s pending %s available %s in payout %s paid %s",
				a.ID, b.Currency, b.Pending.AmountString(), b.Available.AmountString(), b.InPayout.AmountString(), b.Paid.AmountString()))
		}
	}
	return out
}

// TestFaultsPostgres is issue 13's fault test: faultWorkers workers make
// overlapping calls through a program.Program on PostgreSQL (every
// payment, refund and signup twice, the month's payout run once per
// worker) while a killer terminates their backends, mid-transaction, with
// pg_terminate_backend. Every call that fails with an error matching
// affiliate.ErrRetryable is made again; any other failure fails the test.
// The net ledger, bindings, payout runs, balances and aggregates must
// then equal a clean, sequential run of the same calls on memstore.
func TestFaultsPostgres(t *testing.T) {
	if os.Getenv(postgresEnv) == "" && os.Getenv("CI") == "true" {
		t.Fatal("CI=true and " + postgresEnv + " is not set: the fault test must run in CI")
	}
	adm := admin(t)
	ctx := context.Background()
	phases := faultScenario()

	clock := newFaultClock()
	ref := memstore.New()
	refProgram := faultProgram(t, ref, clock)
	for _, ph := range phases {
		clock.set(ph.now)
		for _, op := range ph.ops {
			if err := op.do(ctx, refProgram); err != nil && (op.ok == nil || !op.ok(err)) {
				t.Fatalf("reference run, %s: %v", op.name, err)
			}
		}
	}
	want := faultOutcomeOf(t, ref, refProgram)

	// The workers' pool is told apart on the server by its
	// application_name, so that the killer ends no one else's backends.
	app := fmt.Sprintf("affiliate_faults_%d", os.Getpid())
	schema := fmt.Sprintf("affiliate_faults_%d_%d", os.Getpid(), schemaSeq.Add(1))
	if _, err := adm.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("pgx", withParam(withSearchPath(os.Getenv(postgresEnv), schema), "application_name", app))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(faultWorkers)
	t.Cleanup(func() {
		db.Close()
		if _, err := adm.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop %s: %v", schema, err)
		}
	})
	// One retry inside the store, so that calls also fail with
	// ErrRetriesExhausted and the host's retry (callRetrying) is tested
	// too.
	store, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.Postgres, MaxRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	clock = newFaultClock()
	p := faultProgram(t, store, clock)

	t.Logf("%-28s %5s %6s %7s %7s %7s %6s", "phase", "ops", "calls", "faults", "in tx", "retries", "store")
	var totals struct{ ops, calls, faults, inTx, retries, storeRetries int64 }
	rng := rand.New(rand.NewPCG(13, 2026))
	start := time.Now()
	for _, ph := range phases {
		clock.set(ph.now)
		// Every op twice, shuffled, dealt round the workers: most
		// calls have a twin racing them on another worker.
		work := append(slices.Clone(ph.ops), ph.ops...)
		rng.Shuffle(len(work), func(i, j int) { work[i], work[j] = work[j], work[i] })
		storeBefore := store.Stats().Retries
		var calls, retries, done atomic.Int64
		stop := make(chan struct{})
		killed := make(chan [2]int64)
		go func() { killed <- killBackends(t, adm, app, stop, &done, rand.New(rand.NewPCG(rng.Uint64(), 1))) }()
		var wg sync.WaitGroup
		for w := range faultWorkers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < len(work); i += faultWorkers {
					n, err := callRetrying(ctx, p, work[i])
					done.Add(1)
					calls.Add(int64(n))
					retries.Add(int64(n - 1))
					if err != nil {
						t.Errorf("%s: %s: %v", ph.name, work[i].name, err)
					}
				}
			}()
		}
		wg.Wait()
		close(stop)
		k := <-killed
		faults, inTx := k[0], k[1]
		storeRetries := int64(store.Stats().Retries - storeBefore)
		t.Logf("%-28s %5d %6d %7d %7d %7d %6d", ph.name, len(ph.ops), calls.Load(), faults, inTx, retries.Load(), storeRetries)
		totals.ops += int64(len(ph.ops))
		totals.calls += calls.Load()
		totals.faults += faults
		totals.inTx += inTx
		totals.retries += retries.Load()
		totals.storeRetries += storeRetries
	}
	t.Logf("%-28s %5d %6d %7d %7d %7d %6d", "total", totals.ops, totals.calls, totals.faults, totals.inTx, totals.retries, totals.storeRetries)
	t.Logf("(calls: attempts, twins included; faults: backends terminated, in tx: of them inside a transaction; retries: calls made again after an error matching ErrRetryable; store: transactions sqlstore ran again itself) in %s",
		time.Since(start).Round(time.Millisecond))
	if t.Failed() {
		return
	}

	got := faultOutcomeOf(t, store, p)
	diff := cmp.Diff(want, got)
	t.Logf("differences from the clean run on memstore: %d lines (%d ledger rows, %d bindings, %d payout lines, %d balances, %d aggregates compared)",
		strings.Count(diff, "\n"), len(want.Ledger), len(want.Bindings), len(want.Payouts), len(want.Balances), len(want.Aggregates))
	if diff != "" {
		t.Fatalf("after the faults, the store differs from the clean run (-want +got):\n%s", diff)
	}
	if totals.faults == 0 {
		t.Fatal("no backend was terminated: the test injected no fault")
	}
}

// callRetrying makes op until it succeeds or fails with an error that
// does not match affiliate.ErrRetryable, and returns the number of
// attempts and the last error.
func callRetrying(ctx context.Context, p *program.Program, op faultOp) (int, error) {
	const attempts = 100
	var err error
	for n := 1; n <= attempts; n++ {
		err = op.do(ctx, p)
		if err == nil || (op.ok != nil && op.ok(err)) {
			return n, nil
		}
		if !errors.Is(err, affiliate.ErrRetryable) {
			return n, fmt.Errorf("attempt %d, not retryable: %w", n, err)
		}
		time.Sleep(time.Duration(n) * time.Millisecond)
	}
	return attempts, fmt.Errorf("still failing after %d attempts: %w", attempts, err)
}

// killBackends terminates one of app's backends that is running a
// statement or idle inside a transaction, every few milliseconds, until
// stop is closed. It returns how many it terminated, and how many of
// those were inside a transaction. It waits for a call to complete (done)
// between two kills, so that on a slow machine (-race, a loaded CI
// runner) faults cannot outpace the work and the test still ends.
func killBackends(t *testing.T, adm *sql.DB, app string, stop <-chan struct{}, done *atomic.Int64, rng *rand.Rand) [2]int64 {
	var killed [2]int64
	last := int64(-1)
	for {
		select {
		case <-stop:
			return killed
		case <-time.After(time.Duration(2+rng.IntN(12)) * time.Millisecond):
		}
		if n := done.Load(); n == last {
			continue
		} else {
			last = n
		}
		type backend struct {
			pid  int
			inTx bool
		}
		var found []backend
		rows, err := adm.Query(`SELECT pid, xact_start IS NOT NULL FROM pg_stat_activity
WHERE application_name = $1 AND state IN ('active', 'idle in transaction') AND pid <> pg_backend_pid()`, app)
		if err != nil {
			t.Errorf("list backends: %v", err)
			return killed
		}
		for rows.Next() {
			var b backend
			if err := rows.Scan(&b.pid, &b.inTx); err == nil {
				found = append(found, b)
			}
		}
		rows.Close()
		if len(found) == 0 {
			continue
		}
		b := found[rng.IntN(len(found))]
		var done bool
		if err := adm.QueryRow(`SELECT pg_terminate_backend($1)`, b.pid).Scan(&done); err != nil {
			t.Errorf("terminate backend: %v", err)
			return killed
		}
		if done {
			killed[0]++
			if b.inTx {
				killed[1]++
			}
		}
	}
}
