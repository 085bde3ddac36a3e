package commission_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// batchCounter is runReader (answering runs, reading affiliates along,
// as sqlstore does) counting its ReadBatch calls.
type batchCounter struct {
	*runReader
	batches int
}

func (s *batchCounter) ReadBatch(ctx context.Context, q storage.BatchQuery) (storage.BatchFacts, error) {
	s.mu.Lock()
	s.batches++
	s.mu.Unlock()
	return s.runReader.ReadBatch(ctx, q)
}

func newBatchCounter() *batchCounter {
	return &batchCounter{runReader: &runReader{Store: memstore.New(), answer: true, along: true, readAlong: map[affiliate.AffiliateID]int{}}}
}

// seedAnn stores ann, whose parent is top, and binds customers to her
// from January 1st.
func seedAnn(t *testing.T, s interface {
	PutAffiliate(context.Context, affiliate.Affiliate) error
	Bind(context.Context, affiliate.Binding) (affiliate.Binding, error)
}, customers ...affiliate.CustomerID) {
	t.Helper()
	for _, a := range []affiliate.Affiliate{aff("top", ""), aff("ann", "top")} {
		if err := s.PutAffiliate(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range customers {
		if _, err := s.Bind(context.Background(), affiliate.Binding{Customer: c, Affiliate: "ann", Source: affiliate.BindByManual, BoundAt: day(time.January, 1)}); err != nil {
			t.Fatal(err)
		}
	}
}

// rememberRule pays the referrer 20% and its parent a 5% bonus, so that
// an entry depends on the binding, both affiliates and the month's run.
var rememberRule = rules.AllOf{rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("20")},
	rules.SubAffiliateBonus{Name: "parent_bonus", Rate: affiliate.MustPercent("5")}}

// TestRecordRemembersTheCustomer: on a BatchReader, a customer's second
// and later Records read nothing (the engine plans from its last
// commit), and a Record whose remembered facts changed reads them again
// and gets what an engine that remembers nothing gets.
func TestRecordRemembersTheCustomer(t *testing.T) {
	ctx := context.Background()
	s := newBatchCounter()
	seedAnn(t, s, "c1")
	eng, err := commission.New(commission.Config{Store: s, Terms: terms(rememberRule)})
	if err != nil {
		t.Fatal(err)
	}
	record := func(id string, d int) commission.Result {
		t.Helper()
		res, err := eng.Record(ctx, eurPay(id, day(time.January, d), "100"))
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	record("p1", 2)
	record("p2", 3)
	record("p3", 4)
	if s.batches != 1 {
		t.Fatalf("three Records of one customer read %d times; want 1", s.batches)
	}
	suspended := aff("ann", "top") // read along with the binding, so remembered
	suspended.Status = affiliate.StatusSuspended
	if err := s.PutAffiliate(ctx, suspended); err != nil {
		t.Fatal(err)
	}
	res := record("p4", 5)
	if s.batches != 2 {
		t.Fatalf("a Record after the referrer's suspension read %d times in all; want 2", s.batches)
	}
	want, err := commission.New(commission.Config{Store: s, Terms: terms(rememberRule), RememberedCustomers: -1})
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := want.Record(ctx, eurPay("p4", day(time.January, 5), "100")) // a replay, read
	if err != nil {
		t.Fatal(err)
	}
	fresh.Replayed = false
	if diff := cmp.Diff(fresh, res); diff != "" {
		t.Fatalf("after the suspension (-read +remembered):\n%s", diff)
	}
}

// TestRecordRememberingChangesNothing is a property: Records, redeliveries,
// suspensions, new bindings, payout runs and another engine's Records
// for the same customers, applied to two stores, give the same results
// and the same ledger whether the engine remembers its customers or not.
func TestRecordRememberingChangesNothing(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		type side struct {
			s      *batchCounter
			eng    *commission.Engine
			other  *commission.Engine // another process's engine, which remembers nothing
			runner *payout.Runner
		}
		room := rapid.SampledFrom([]int{0, 1, 2}).Draw(t, "room") // 1 and 2 evict
		sides := make([]side, 2)
		for i := range sides {
			s := newBatchCounter()
			for _, a := range []affiliate.Affiliate{aff("top", ""), aff("ann", "top"), aff("bob", "")} {
				if err := s.PutAffiliate(ctx, a); err != nil {
					t.Fatal(err)
				}
			}
			remembered := []int{room, -1}[i]
			eng, err := commission.New(commission.Config{Store: s, Terms: terms(rememberRule), RememberedCustomers: remembered})
			if err != nil {
				t.Fatal(err)
			}
			other, err := commission.New(commission.Config{Store: s, Terms: terms(rememberRule), RememberedCustomers: -1})
			if err != nil {
				t.Fatal(err)
			}
			runner, err := payout.New(payout.Config{Store: s})
			if err != nil {
				t.Fatal(err)
			}
			sides[i] = side{s, eng, other, runner}
		}
		customers := []string{"c1", "c2", "c3"}
		var paid []affiliate.Payment
		month := time.January
		steps := rapid.IntRange(1, 40).Draw(t, "steps")
		for step := range steps {
			op := rapid.SampledFrom([]string{"pay", "pay", "pay", "redeliver", "changed", "refund", "other", "status", "bind", "rebind", "run"}).Draw(t, "op")
			var act func(sd side) (any, error)
			switch op {
			case "pay", "other":
				c := rapid.SampledFrom(customers).Draw(t, "customer")
				amount := rapid.SampledFrom([]string{"10", "99.99", "250"}).Draw(t, "amount")
				m := month
				if month > time.January && rapid.Bool().Draw(t, "late") { // dated in a month that may have its run
					m--
				}
				p := pay(fmt.Sprintf("p%d", step), c, time.Date(2026, m, 1+step%27, 12, 0, 0, 0, time.UTC), "EUR", line(affiliate.LineSubscription, amount, "EUR"))
				paid = append(paid, p)
				act = func(sd side) (any, error) {
					if op == "other" {
						return sd.other.Record(ctx, p)
					}
					return sd.eng.Record(ctx, p)
				}
			case "redeliver":
				if len(paid) == 0 {
					continue
				}
				p := paid[rapid.IntRange(0, len(paid)-1).Draw(t, "again")]
				act = func(sd side) (any, error) { return sd.eng.Record(ctx, p) }
			case "changed": // the same ID with another payload: a mismatch, whoever answers
				if len(paid) == 0 {
					continue
				}
				p := paid[rapid.IntRange(0, len(paid)-1).Draw(t, "changed")]
				p.Lines = []affiliate.Line{line(affiliate.LineSubscription, "1", "EUR")}
				act = func(sd side) (any, error) { return sd.eng.Record(ctx, p) }
			case "refund":
				if len(paid) == 0 {
					continue
				}
				p := paid[rapid.IntRange(0, len(paid)-1).Draw(t, "refunded")]
				amount := rapid.SampledFrom([]string{"", "5"}).Draw(t, "refund amount") // "" is in full
				r := refund(fmt.Sprintf("r%d", step), string(p.ID), string(p.Customer), p.PaidAt.Add(time.Hour), amount, "EUR")
				act = func(sd side) (any, error) { return sd.eng.Record(ctx, r) }
			case "rebind": // moves the binding and tells the engine nothing: only the expectation can see it
				c := affiliate.CustomerID(rapid.SampledFrom(customers).Draw(t, "moved"))
				from, to := affiliate.AffiliateID("ann"), affiliate.AffiliateID("bob")
				if rapid.Bool().Draw(t, "back") {
					from, to = to, from
				}
				act = func(sd side) (any, error) {
					_, err := sd.s.Rebind(ctx, from, affiliate.Binding{Customer: c, Affiliate: to, Source: affiliate.BindByManual,
						BoundAt: time.Date(2026, month, 1, 0, 0, 0, 0, time.UTC)})
					if errors.Is(err, affiliate.ErrNotFound) || errors.Is(err, affiliate.ErrConflict) {
						err = nil // unbound, or bound to the other
					}
					return nil, err
				}
			case "status":
				a := aff(rapid.SampledFrom([]string{"top", "ann", "bob"}).Draw(t, "affiliate"), "")
				if a.ID == "ann" {
					a.Parent = "top"
				}
				if rapid.Bool().Draw(t, "suspend") {
					a.Status = affiliate.StatusSuspended
				}
				act = func(sd side) (any, error) { return nil, sd.s.PutAffiliate(ctx, a) }
			case "bind":
				b := affiliate.Binding{Customer: affiliate.CustomerID(rapid.SampledFrom(customers).Draw(t, "bound")),
					Affiliate: affiliate.AffiliateID(rapid.SampledFrom([]string{"ann", "bob"}).Draw(t, "to")),
					Source:    affiliate.BindByManual, BoundAt: time.Date(2026, month, 1, 0, 0, 0, 0, time.UTC)}
				act = func(sd side) (any, error) {
					_, err := sd.s.Bind(ctx, b)
					if errors.Is(err, affiliate.ErrAlreadyBound) {
						err = nil
					}
					return nil, err
				}
			case "run":
				p := affiliate.Period{Year: 2026, Month: month}
				act = func(sd side) (any, error) {
					_, err := sd.runner.Run(ctx, p, p.End())
					return nil, err
				}
				if month < time.December {
					month++
				}
			}
			var results [2]any
			for i, sd := range sides {
				res, err := act(sd)
				if err != nil {
					res = err.Error()
				}
				results[i] = res
			}
			if diff := cmp.Diff(results[1], results[0]); diff != "" {
				t.Fatalf("step %d (%s): remembering changed the result (-not remembering +remembering):\n%s", step, op, diff)
			}
		}
		var ledgers [2][]affiliate.Entry
		for i, sd := range sides {
			es, err := sd.s.Entries(ctx, storage.EntryQuery{})
			if err != nil {
				t.Fatal(err)
			}
			ledgers[i] = es
		}
		if diff := cmp.Diff(ledgers[1], ledgers[0]); diff != "" {
			t.Fatalf("remembering changed the ledger (-not remembering +remembering):\n%s", diff)
		}
	})
}

// TestRecordRemembersUnderConcurrency: Records of a few customers from
// many goroutines share what the engine remembers (run it with -race);
// every payment is recorded once, and the ledger nets to what an engine
// that remembers nothing records one by one.
func TestRecordRemembersUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	var totals [2]int64
	for i, remembered := range []int{0, -1} {
		s := newBatchCounter()
		seedAnn(t, s, "c1", "c2")
		eng, err := commission.New(commission.Config{Store: s, Terms: terms(rememberRule), RememberedCustomers: remembered})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range 10 {
					c := []string{"c1", "c2"}[(w+k)%2]
					p := pay(fmt.Sprintf("p%d-%d", w, k), c, day(time.January, 2+k), "EUR", line(affiliate.LineSubscription, "10", "EUR"))
					if remembered < 0 { // the reference records in one goroutine's order
						continue
					}
					if _, err := eng.Record(ctx, p); err != nil {
						t.Error(err)
					}
				}
			}()
		}
		wg.Wait()
		if remembered < 0 {
			for w := range 8 {
				for k := range 10 {
					c := []string{"c1", "c2"}[(w+k)%2]
					if _, err := eng.Record(ctx, pay(fmt.Sprintf("p%d-%d", w, k), c, day(time.January, 2+k), "EUR", line(affiliate.LineSubscription, "10", "EUR"))); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		es, err := s.Entries(ctx, storage.EntryQuery{})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			totals[i] += e.Amount.Minor()
		}
		if n, err := s.Events(ctx, storage.EventQuery{Customer: "c1"}); err != nil || len(n) != 40 {
			t.Fatalf("c1 has %d events logged, %v; want 40", len(n), err)
		}
	}
	if totals[0] != totals[1] || totals[0] == 0 {
		t.Fatalf("the ledger nets to %d minor units recorded concurrently by a remembering engine, %d one by one", totals[0], totals[1])
	}
}

// replayingStore, for a commit carrying an expectation, writes it once
// without, then hands it to the store again without: the key is claimed
// in between, and the store answers a replay instead of the conflict an
// expectation promises (as a store racing another writer between its
// check and its claim might).
type replayingStore struct{ *batchCounter }

func (s replayingStore) Commit(ctx context.Context, c storage.Commit) (storage.CommitResult, error) {
	if c.Expect != nil {
		c.Expect = nil
		if _, err := s.batchCounter.Commit(ctx, c); err != nil {
			return storage.CommitResult{}, err
		}
	}
	return s.batchCounter.Commit(ctx, c)
}

// TestRecordRecalledReplayReads: a commit planned from remembered facts
// that the store answers as a replay is not taken for the Record's
// result: the engine reads and answers the replay as a read finds it.
func TestRecordRecalledReplayReads(t *testing.T) {
	ctx := context.Background()
	s := replayingStore{newBatchCounter()}
	seedAnn(t, s, "c1")
	eng, err := commission.New(commission.Config{Store: s, Terms: terms(rememberRule)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Record(ctx, eurPay("p1", day(time.January, 2), "100")); err != nil {
		t.Fatal(err)
	}
	res, err := eng.Record(ctx, eurPay("p2", day(time.January, 3), "100"))
	if err != nil {
		t.Fatal(err)
	}
	es, err := s.Entries(ctx, storage.EntryQuery{Event: "p2"})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Replayed || len(es) != 2 || len(res.Entries) != len(es) {
		t.Fatalf("Record = %+v; want a replay of p2's %d entries", res, len(es))
	}
	if s.batches != 2 {
		t.Fatalf("the engine read %d times; want 2 (p1, and p2 after the replay)", s.batches)
	}
}

// TestRecordRemembersNothingWhenTold: RememberedCustomers below zero
// reads for every Record; a store that does not declare that it checks
// expectations is read for every Record too.
func TestRecordRemembersNothingWhenTold(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		room  int
		store func(*batchCounter) commission.Store
	}{
		{"negative room", -1, func(s *batchCounter) commission.Store { return s }},
		{"no checker", 0, func(s *batchCounter) commission.Store { return uncheckedStore{s, s} }},
	} {
		s := newBatchCounter()
		seedAnn(t, s, "c1")
		eng, err := commission.New(commission.Config{Store: tc.store(s), Terms: terms(rememberRule), RememberedCustomers: tc.room})
		if err != nil {
			t.Fatal(err)
		}
		for d := 2; d <= 4; d++ {
			if _, err := eng.Record(ctx, eurPay(fmt.Sprintf("p%d", d), day(time.January, d), "100")); err != nil {
				t.Fatal(err)
			}
		}
		if s.batches != 3 {
			t.Errorf("%s: three Records read %d times; want 3", tc.name, s.batches)
		}
	}
}

// uncheckedStore is a BatchReader that does not declare that its Commit
// checks expectations, as a store written before them: the embedded
// interface promotes commission.Store's methods and no others.
type uncheckedStore struct {
	commission.Store
	s *batchCounter
}

func (u uncheckedStore) ReadBatch(ctx context.Context, q storage.BatchQuery) (storage.BatchFacts, error) {
	return u.s.ReadBatch(ctx, q)
}

func (u uncheckedStore) PayoutRun(ctx context.Context, program string, p affiliate.Period) (affiliate.PayoutRun, error) {
	return u.s.PayoutRun(ctx, program, p)
}
