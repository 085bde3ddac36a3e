package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/sqlstore"
)

const workers = 8

var jan15 = time.Date(2026, time.January, 15, 12, 0, 0, 0, time.UTC)

// race runs fn on workers goroutines at once and returns their errors.
func race(fn func(w int) error) []error {
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		errs  = make([]error, workers)
	)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[w] = fn(w)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// TestConcurrentInvariants has 8 goroutines bind the same customers,
// record overlapping events for the same customers and affiliates, run
// payouts over the same entries and settle the same payouts, all at once;
// afterwards no customer has two bindings, no event or entry is lost or
// duplicated, the aggregates equal the ledger, and no entry or payout is
// paid twice. On PostgreSQL this is the store's real concurrency (8
// connections, READ COMMITTED, row locks); on SQLite, its single writer.
func TestConcurrentInvariants(t *testing.T) {
	for _, d := range dialects() {
		t.Run(d.name, func(t *testing.T) {
			s, db := d.open(t)
			if d.name == "Postgres" {
				db.SetMaxOpenConns(workers + 2)
			}
			testConcurrentInvariants(t, s)
			if d.name == "Postgres" {
				var bad int
				if err := db.QueryRow(`SELECT COUNT(*) FROM (SELECT entry FROM affiliate_payout_entries WHERE live GROUP BY entry HAVING COUNT(*) > 1) x`).Scan(&bad); err != nil || bad != 0 {
					t.Errorf("%d entries are in two live payouts (%v)", bad, err)
				}
			}
			t.Logf("%v: %+v", d.name, s.Stats())
		})
	}
}

func testConcurrentInvariants(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	affiliates := []affiliate.AffiliateID{"a0", "a1", "a2", "a3"}
	if err := s.PutAffiliate(ctx, affiliate.Affiliate{ID: "p", Status: affiliate.StatusActive}); err != nil {
		t.Fatal(err)
	}
	for _, a := range affiliates {
		if err := s.PutAffiliate(ctx, affiliate.Affiliate{ID: a, Parent: "p", Status: affiliate.StatusActive}); err != nil {
			t.Fatal(err)
		}
	}
	const customers, perCustomer = 10, 6
	customer := func(i int) affiliate.CustomerID { return affiliate.CustomerID(fmt.Sprintf("c%d", i)) }

	// Bindings: every worker tries to bind every customer, each to
	// another affiliate; exactly one binding per customer wins.
	errs := race(func(w int) error {
		for i := range customers {
			b := affiliate.Binding{Customer: customer(i), Affiliate: affiliates[(i+w)%len(affiliates)], Source: affiliate.BindByCode, BoundAt: jan15}
			got, err := s.Bind(ctx, b)
			if err != nil && !errors.Is(err, affiliate.ErrAlreadyBound) {
				return err
			}
			if err == nil && got != b {
				return fmt.Errorf("Bind stored %+v but returned %+v", b, got)
			}
		}
		return nil
	})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	bound := make(map[affiliate.CustomerID]affiliate.AffiliateID)
	for i := range customers {
		b, err := s.Binding(ctx, customer(i))
		if err != nil {
			t.Fatalf("customer %s has no binding: %v", customer(i), err)
		}
		bound[b.Customer] = b.Affiliate
	}

	// Events: every worker delivers every event, in its own order, with
	// the engine's compare-and-swap loop on the customer's state.
	type event struct {
		id       affiliate.EventID
		customer affiliate.CustomerID
		at       time.Time
		minor    int64
	}
	var events []event
	for i := range customers {
		for j := range perCustomer {
			events = append(events, event{affiliate.EventID(fmt.Sprintf("ev-%d-%d", i, j)), customer(i), jan15.Add(time.Duration(j) * time.Hour), int64(1000 * (j + 1))})
		}
	}
	record := func(ev event) error {
		aff := bound[ev.customer]
		pay := &affiliate.Payment{ID: ev.id, Customer: ev.customer, PaidAt: ev.at, Currency: "EUR",
			Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(ev.minor, "EUR")}}}
		commission := affiliate.MustMoney(ev.minor/10, "EUR")
		entry := affiliate.Entry{ID: affiliate.EntryID(ev.id + "/commission"), Beneficiary: aff, Event: ev.id, Payment: ev.id, Customer: ev.customer,
			Kind: affiliate.KindCommission, Base: pay.Lines[0].Amount, Rate: affiliate.MustPercent("10"), Amount: commission, At: ev.at, AvailableAt: ev.at}
		for {
			st, err := s.CustomerState(ctx, ev.customer)
			if err != nil {
				return err
			}
			_, err = s.Commit(ctx, storage.Commit{
				Key: "event:" + string(ev.id), Hash: "h:" + string(ev.id),
				Event:   &affiliate.EventRecord{ID: ev.id, Customer: ev.customer, Time: ev.at, Hash: "h:" + string(ev.id), Payment: pay, Affiliate: aff},
				State:   storage.CustomerState{Customer: ev.customer, Version: st.Version + 1, Data: append(st.Data, []byte(string(ev.id)+";")...)},
				Entries: []affiliate.Entry{entry},
				Deltas: []storage.AggregateDelta{
					{Affiliate: aff, Period: per("2026-01"), Metric: affiliate.MetricEarnings, Amount: commission},
					{Affiliate: "", Period: per("2026-01"), Metric: affiliate.MetricEarnings, Amount: commission},
				},
			})
			if errors.Is(err, affiliate.ErrConflict) {
				continue // another worker moved the state (or logged this event): reload
			}
			return err
		}
	}
	errs = race(func(w int) error {
		for k := range events {
			if err := record(events[(k*7+w*13)%len(events)]); err != nil {
				// A commit that lost the race for its key after reloading
				// is a conflict on the event ID; the retry replays it.
				return err
			}
		}
		return nil
	})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.Entries(ctx, storage.EntryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(events) {
		t.Fatalf("the ledger holds %d entries for %d events", len(all), len(events))
	}
	perAffiliate := make(map[affiliate.AffiliateID]int64)
	var total int64
	seen := make(map[affiliate.EntryID]bool)
	for _, e := range all {
		if seen[e.ID] {
			t.Fatalf("entry %s is in the ledger twice", e.ID)
		}
		seen[e.ID] = true
		perAffiliate[e.Beneficiary] += e.Amount.Minor()
		total += e.Amount.Minor()
	}
	for i := range customers {
		st, err := s.CustomerState(ctx, customer(i))
		if err != nil || st.Version != perCustomer {
			t.Fatalf("customer %s state = %+v, %v; want version %d", customer(i), st, err, perCustomer)
		}
		logged, err := s.Events(ctx, storage.EventQuery{Customer: customer(i)})
		if err != nil || len(logged) != perCustomer {
			t.Fatalf("customer %s has %d events logged (%v), want %d", customer(i), len(logged), err, perCustomer)
		}
	}
	aggs, err := s.PeriodAggregates(ctx, per("2026-01"), affiliate.MetricEarnings)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range aggs {
		want := perAffiliate[a.Affiliate]
		if a.Affiliate == "" {
			want = total
		}
		if a.Amount.Minor() != want {
			t.Errorf("earnings aggregate of %q = %d, the ledger says %d: a delta was lost or doubled", a.Affiliate, a.Amount.Minor(), want)
		}
	}

	// Payouts: half the workers run the same key (one writes, the others
	// replay), the others run their own keys over the same entries (the
	// store lets each entry into one payout only).
	byAffiliate := make(map[affiliate.AffiliateID][]affiliate.Entry)
	for _, e := range all {
		byAffiliate[e.Beneficiary] = append(byAffiliate[e.Beneficiary], e)
	}
	period := affiliate.Period{Year: 2026, Month: time.January}
	runFor := func(w int) affiliate.PayoutRun {
		program := "main"
		if w%2 == 1 {
			program = fmt.Sprintf("rival-%d", w)
		}
		r := affiliate.PayoutRun{Program: program, Period: per("2026-01"), Hash: "policy", AsOf: jan15.AddDate(0, 1, 0)}
		for _, a := range affiliates {
			es := byAffiliate[a]
			if len(es) == 0 {
				continue
			}
			p := affiliate.Payout{ID: affiliate.PayoutID(fmt.Sprintf("%s-%s", program, a)), Affiliate: a, Period: period, Status: affiliate.PayoutCreated, Amount: affiliate.Zero("EUR")}
			for _, e := range es {
				p.Entries = append(p.Entries, e.ID)
				p.Amount, _ = p.Amount.Add(e.Amount)
			}
			r.Payouts = append(r.Payouts, p)
		}
		return r
	}
	results := make([]storage.PayoutRunResult, workers)
	errs = race(func(w int) (err error) {
		results[w], err = s.CreatePayoutRun(ctx, runFor(w))
		return err
	})
	claimed := make(map[affiliate.EntryID]affiliate.PayoutID)
	var payouts []affiliate.Payout
	written := make(map[string]bool)
	for w, err := range errs {
		if err != nil {
			if !errors.Is(err, affiliate.ErrConflict) {
				t.Fatalf("worker %d: CreatePayoutRun: %v", w, err)
			}
			continue
		}
		if written[results[w].Run.Program] {
			continue
		}
		written[results[w].Run.Program] = true
		for _, p := range results[w].Run.Payouts {
			payouts = append(payouts, p)
			for _, id := range p.Entries {
				if other, ok := claimed[id]; ok {
					t.Fatalf("entry %s is in payouts %s and %s", id, other, p.ID)
				}
				claimed[id] = p.ID
			}
		}
	}
	if len(claimed) != len(all) {
		t.Fatalf("payouts claim %d of the %d entries; one run should have claimed them all", len(claimed), len(all))
	}
	open, err := s.Entries(ctx, storage.EntryQuery{Unsettled: true})
	if err != nil || len(open) != 0 {
		t.Fatalf("%d entries still unsettled after the run (%v)", len(open), err)
	}

	// Settlements: every worker marks every payout paid with its own
	// reference; each payout is paid once, with one reference.
	paidBy := make([][]affiliate.PayoutID, workers)
	errs = race(func(w int) error {
		for _, p := range payouts {
			_, err := s.SettlePayout(ctx, storage.PayoutSettlement{ID: p.ID, Status: affiliate.PayoutPaid, Reference: fmt.Sprintf("tr-%d", w), At: jan15.AddDate(0, 1, 1)})
			switch {
			case err == nil:
				paidBy[w] = append(paidBy[w], p.ID)
			case !errors.Is(err, storage.ErrPayoutPaid):
				return err
			}
		}
		return nil
	})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var paid []affiliate.PayoutID
	for _, ids := range paidBy {
		paid = append(paid, ids...)
	}
	slices.Sort(paid)
	if len(paid) != len(payouts) || len(slices.Compact(slices.Clone(paid))) != len(paid) {
		t.Fatalf("%d successful settlements for %d payouts: a payout was paid twice or not at all", len(paid), len(payouts))
	}
	balances, err := s.EarningsBalances(ctx, "", jan15.AddDate(0, 2, 0))
	if err != nil || len(balances) != 1 {
		t.Fatalf("EarningsBalances = %v, %v", balances, err)
	}
	if b := balances[0]; b.Paid.Minor() != total || b.InPayout.Minor() != 0 || b.Available.Minor() != 0 || b.Pending.Minor() != 0 {
		t.Fatalf("balances %+v, want everything (%d) paid", b, total)
	}
}

// TestConcurrentParentCycle races two puts that would each close a cycle
// with the other: X under Y, and Y under X. PutAffiliate reads the parent
// chain and then writes, so on PostgreSQL it runs serializable: at most
// one of the two commits, and the other retries, sees the cycle and gets
// ErrConflict.
func TestConcurrentParentCycle(t *testing.T) {
	ctx := context.Background()
	for _, d := range dialects() {
		t.Run(d.name, func(t *testing.T) {
			s, _ := d.open(t)
			for i := range 20 {
				x, y := affiliate.AffiliateID(fmt.Sprintf("x%d", i)), affiliate.AffiliateID(fmt.Sprintf("y%d", i))
				for _, id := range []affiliate.AffiliateID{x, y} {
					if err := s.PutAffiliate(ctx, affiliate.Affiliate{ID: id, Status: affiliate.StatusActive}); err != nil {
						t.Fatal(err)
					}
				}
				errs := race(func(w int) error {
					switch w {
					case 0:
						return s.PutAffiliate(ctx, affiliate.Affiliate{ID: x, Parent: y, Status: affiliate.StatusActive})
					case 1:
						return s.PutAffiliate(ctx, affiliate.Affiliate{ID: y, Parent: x, Status: affiliate.StatusActive})
					}
					return nil
				})
				if errs[0] == nil && errs[1] == nil {
					t.Fatalf("round %d: both puts succeeded: %s and %s are each other's parent", i, x, y)
				}
				for _, err := range errs[:2] {
					if err != nil && !errors.Is(err, affiliate.ErrConflict) {
						t.Fatalf("round %d: %v, want ErrConflict", i, err)
					}
				}
			}
			t.Logf("%v: %+v", d.name, s.Stats())
		})
	}
}
