package commission_test

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	_ "modernc.org/sqlite" // SQLite driver, registered as "sqlite"
	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
	"github.com/openaffiliate/affiliate/storage/sqlstore"
	"github.com/openaffiliate/affiliate/tiers"
)

// batchStore is what the batch properties read back and move bindings in.
type batchStore interface {
	commission.Store
	storage.Affiliates
	storage.Bindings
	storage.Rebinder
	storage.Aggregates
	storage.Outbox
	tiers.Store
}

// byAffiliate gives g1 Premium and the others Standard, at all times: it
// reads nothing the engine writes, and says so.
type byAffiliate struct{}

func (byAffiliate) TierAt(_ context.Context, a affiliate.AffiliateID, _ affiliate.Payment) (rules.Tier, error) {
	if a == "g1" {
		return premium, nil
	}
	return standard, nil
}

func (byAffiliate) TierReadsBefore(affiliate.Payment) (affiliate.Period, bool) {
	return affiliate.Period{}, true
}

// batchTiers are the tier sources the batch property draws from, each
// made over the store it reads: by the payment's amount (which TierReads
// cannot describe), by affiliate alone (declared as reading nothing), and
// package tiers' programs, whose tiers read the revenue the engine
// records (Premium from EUR 100 a month, with a higher bonus rate so
// that a parent's tier shows too).
var batchTiers = map[string]func(t tb, st batchStore) commission.TierSource{
	"by amount":         func(tb, batchStore) commission.TierSource { return tierByAmount },
	"by affiliate":      func(tb, batchStore) commission.TierSource { return byAffiliate{} },
	"next period":       tiersProgram(tiers.NextPeriod, 0),
	"next period, kept": tiersProgram(tiers.NextPeriod, 2),
	"retroactive, kept": tiersProgram(tiers.Retroactive, 1),
	"immediate":         tiersProgram(tiers.Immediate, 0),
}

func tiersProgram(policy tiers.Policy, keepFor int) func(t tb, st batchStore) commission.TierSource {
	return func(t tb, st batchStore) commission.TierSource {
		schedule, err := tiers.NewSchedule(
			tiers.Tier{Name: "Standard", Rate: affiliate.MustPercent("15"), BonusRate: affiliate.MustPercent("5")},
			tiers.Tier{Name: "Premium", Threshold: tiers.Amount(affiliate.MustParseMoney("100", "EUR")),
				Rate: affiliate.MustPercent("20"), BonusRate: affiliate.MustPercent("7")},
		)
		if err != nil {
			t.Fatal(err)
		}
		p, err := tiers.New(tiers.Config{Store: st, Schedule: schedule, Currency: "EUR", Policy: policy, KeepFor: keepFor})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
}

// batchSystem is a store and an engine over it, set up for a history.
type batchSystem struct {
	store batchStore
	eng   *commission.Engine
}

func newBatchSystem(t tb, st batchStore, h history, tiers func(tb, batchStore) commission.TierSource) batchSystem {
	return batchSystem{st, engineOver(t, st, h, tiers(t, st))}
}

// engineOver puts the properties' affiliates and h's bindings into st and
// returns an engine over it with h's program.
func engineOver(t tb, st batchStore, h history, tiers commission.TierSource) *commission.Engine {
	ctx := context.Background()
	for _, a := range affiliates() {
		if err := st.PutAffiliate(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	for _, b := range h.bindings {
		if _, err := st.Bind(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	eng, err := commission.New(commission.Config{
		Store: st, Terms: []commission.TermsVersion{{Version: "v1", Rule: propertyPrograms()[h.program], Hold: 30 * 24 * time.Hour}},
		Tiers: tiers, Currency: "EUR", Now: func() time.Time { return jan15 },
	})
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

// state is everything the engine wrote: the ledger, the event log, the
// customer states, the aggregates and the outbox.
func (s batchSystem) state(t tb, h history) []string {
	ctx := context.Background()
	var out []string
	es, err := s.store.Entries(ctx, storage.EntryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		out = append(out, fmt.Sprintf("entry %+v", e))
	}
	for _, c := range []affiliate.CustomerID{"c0", "c1", "c2"} {
		st, err := s.store.CustomerState(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("state %s %d %x", c, st.Version, st.Data))
		evs, err := s.store.Events(ctx, storage.EventQuery{Customer: c})
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range evs {
			out = append(out, fmt.Sprintf("event %s %s %s %s", ev.ID, ev.Time, ev.Hash, ev.Affiliate))
		}
	}
	for _, m := range []affiliate.Metric{affiliate.MetricRevenue, affiliate.MetricRevenueConverted, affiliate.MetricConversions, affiliate.MetricPayingCustomers, affiliate.MetricEarnings} {
		for _, a := range []affiliate.AffiliateID{"", "g1", "a1", "p1", "b1", "s1"} {
			aggs, err := s.store.AffiliateAggregates(ctx, a, m, per("2000-01"), per("2100-01"))
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range aggs {
				out = append(out, fmt.Sprintf("%s %s %s %s %d", m, a, x.Period, x.Amount, x.Count))
			}
		}
	}
	for after := storage.Cursor(0); ; {
		evs, next, err := s.store.Read(ctx, after, storage.MaxOutboxRead)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 {
			break
		}
		for _, e := range evs {
			out = append(out, fmt.Sprintf("outbox %d %s %s %s %s", e.Seq, e.ID, e.Type, e.Affiliate, e.Payload))
		}
		after = next
	}
	return out
}

// batchEqualsRecord delivers a generated stream, with duplicates, refused
// events and rebinds between batches, to one system with Record one by
// one and to another with RecordBatch: results, errors and everything
// stored must be the same.
func batchEqualsRecord(t *rapid.T, newStore func() batchStore) {
	ctx := context.Background()
	h := genHistory(t)
	tierSource := batchTiers[rapid.SampledFrom(slices.Sorted(maps.Keys(batchTiers))).Draw(t, "tiers")]
	one := newBatchSystem(t, newStore(), h, tierSource)
	batch := newBatchSystem(t, newStore(), h, tierSource)

	stream := rapid.Permutation(h.events).Draw(t, "arrival")
	for _, i := range rapid.SliceOfN(rapid.IntRange(0, len(h.events)-1), 0, 4).Draw(t, "duplicates") {
		stream = slices.Insert(stream, rapid.IntRange(0, len(stream)).Draw(t, "duplicate at"), h.events[i])
	}
	for k := range rapid.IntRange(0, 2).Draw(t, "refused") {
		bad := []affiliate.Event{
			affiliate.Payment{ID: "bad", Customer: "c0", PaidAt: jan15}, // no lines
			affiliate.Refund{ID: "r-none", Payment: "nowhere-p0", Customer: "c0", RefundedAt: jan15, Kind: affiliate.KindRefund, Full: true},
			pay(string(h.events[0].EventID()), string(h.events[0].EventCustomer()), jan15, "EUR", line(affiliate.LineSubscription, "1.23", "EUR")), // a mismatch, or a new payment
		}
		stream = slices.Insert(stream, rapid.IntRange(0, len(stream)).Draw(t, fmt.Sprintf("refused %d at", k)), rapid.SampledFrom(bad).Draw(t, "refused event"))
	}
	for len(stream) > 0 {
		seg := stream[:rapid.IntRange(1, len(stream)).Draw(t, "batch size")]
		stream = stream[len(seg):]
		want := make([]commission.Result, len(seg))
		wantErrs := make([]string, len(seg))
		for i, ev := range seg {
			res, err := one.eng.Record(ctx, ev)
			want[i] = res
			if err != nil {
				wantErrs[i] = err.Error()
			}
		}
		got, err := batch.eng.RecordBatch(ctx, seg)
		gotErrs := make([]string, len(seg))
		var be *commission.BatchError
		switch {
		case err == nil:
		case errors.As(err, &be) && len(be.Errs) == len(seg):
			for i, e := range be.Errs {
				if e != nil {
					gotErrs[i] = e.Error()
				}
			}
		default:
			t.Fatalf("RecordBatch: %v; want nil or a *commission.BatchError with an error per event", err)
		}
		if diff := cmp.Diff(wantErrs, gotErrs); diff != "" {
			t.Fatalf("errors (-Record +RecordBatch):\n%s", diff)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("results (-Record +RecordBatch):\n%s", diff)
		}
		if len(stream) > 0 && rapid.Bool().Draw(t, "rebind") {
			for _, s := range []batchSystem{one, batch} {
				rebind(t, s, h)
			}
		}
	}
	if diff := cmp.Diff(one.state(t, h), batch.state(t, h)); diff != "" {
		t.Fatalf("stores (-Record +RecordBatch):\n%s", diff)
	}
}

// rebind moves every bound customer to b1 (or from b1 to a1) and tells
// the engine.
func rebind(t tb, s batchSystem, h history) {
	ctx := context.Background()
	for _, b := range h.bindings {
		cur, err := s.store.Binding(ctx, b.Customer)
		if err != nil {
			t.Fatal(err)
		}
		to := cur
		to.Affiliate = "b1"
		if cur.Affiliate == "b1" {
			to.Affiliate = "a1"
		}
		if _, err := s.store.Rebind(ctx, cur.Affiliate, to); err != nil {
			t.Fatal(err)
		}
		if _, err := s.eng.Bound(ctx, b.Customer); err != nil {
			t.Fatal(err)
		}
	}
}

func TestPropertyRecordBatchEqualsRecord(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		batchEqualsRecord(t, func() batchStore { return memstore.New() })
	})
}

func TestPropertyRecordBatchEqualsRecordOnSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("SQLite property: not in -short")
	}
	fewerChecksUnderRace(t, 10)
	// Each run copies one migrated database file instead of migrating two
	// of its own.
	dir := t.TempDir()
	template := filepath.Join(dir, "template.db")
	openSQLite(t, template).Close()
	migrated, err := os.ReadFile(template)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	rapid.Check(t, func(rt *rapid.T) {
		batchEqualsRecord(rt, func() batchStore {
			n++
			path := filepath.Join(dir, fmt.Sprintf("run%d.db", n))
			if err := os.WriteFile(path, migrated, 0o600); err != nil {
				rt.Fatal(err)
			}
			db := openSQLite(rt, path)
			rt.Cleanup(func() { db.Close() })
			s, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.SQLite})
			if err != nil {
				rt.Fatal(err)
			}
			return s
		})
	})
}

// openSQLite opens the SQLite file at path, migrated.
func openSQLite(t tb, path string) *sql.DB {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)&_pragma=foreign_keys(ON)")
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.SQLite})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestRecordBatchErrors pins what RecordBatch does with the events it
// cannot record: each gets Record's error in a *BatchError, and the
// others are recorded.
func TestRecordBatchErrors(t *testing.T) {
	ctx := context.Background()
	good := func(id string) affiliate.Payment {
		return pay(id, "cus", jan15, "EUR", line(affiliate.LineSubscription, "100.00", "EUR"))
	}
	for _, tc := range []struct {
		name   string
		before []affiliate.Event // recorded with Record first
		batch  []affiliate.Event
		store  func(*memstore.Store) commission.Store
		want   []error // per event; nil for recorded
	}{
		{name: "BadInputInTheMiddle", batch: []affiliate.Event{good("p1"), affiliate.Payment{ID: "p2", Customer: "cus", PaidAt: jan15}, good("p3")},
			want: []error{nil, affiliate.ErrInvalid, nil}},
		{name: "IdempotencyMismatch", before: []affiliate.Event{good("p1")},
			batch: []affiliate.Event{good("p0"), pay("p1", "cus", jan15, "EUR", line(affiliate.LineSubscription, "99.00", "EUR")), good("p2")},
			want:  []error{nil, affiliate.ErrIdempotencyMismatch, nil}},
		{name: "MismatchWithinBatch", batch: []affiliate.Event{good("p1"), pay("p1", "other", jan15, "EUR", line(affiliate.LineSubscription, "1.00", "EUR"))},
			want: []error{nil, affiliate.ErrIdempotencyMismatch}},
		{name: "RefundTooLarge", batch: []affiliate.Event{good("p1"), refund("r1", "p1", "cus", jan15.Add(time.Hour), "100.01", "EUR"), good("p2")},
			want: []error{nil, commission.ErrRefundExceedsPayment, nil}},
		{name: "RefundOfAnotherCustomersPaymentInTheBatch", batch: []affiliate.Event{good("p1"), refund("r1", "p1", "other", jan15.Add(time.Hour), "10.00", "EUR")},
			want: []error{nil, commission.ErrRefundTarget}},
		{name: "ConcurrentWriter", batch: []affiliate.Event{good("p1"), good("p2"), pay("q1", "other", jan15, "EUR", line(affiliate.LineSubscription, "5.00", "EUR"))},
			store: func(m *memstore.Store) commission.Store { return &racingStore{Store: m} },
			want:  []error{nil, nil, nil}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memstore.New()
			var st commission.Store = mem
			if tc.store != nil {
				st = tc.store(mem)
			}
			f := newFixture(t, commission.Config{Store: st, Terms: terms(rules.Percent{Name: "share", Rate: affiliate.MustPercent("30")})}, aff("a", ""))
			f.bind("cus", "a", jan15.Add(-time.Hour))
			f.bind("other", "a", jan15.Add(-time.Hour))
			for _, ev := range tc.before {
				f.record(ev)
			}
			before := len(f.entries("cus"))
			res, err := f.eng.RecordBatch(ctx, tc.batch)
			var be *commission.BatchError
			if wantErr := slices.ContainsFunc(tc.want, func(e error) bool { return e != nil }); wantErr != errors.As(err, &be) {
				t.Fatalf("RecordBatch error = %v; want a *BatchError: %v", err, wantErr)
			}
			for i, w := range tc.want {
				var got error
				if be != nil {
					got = be.Errs[i]
				}
				switch {
				case w == nil && got != nil:
					t.Errorf("event %d: %v; want it recorded", i, got)
				case w != nil && !errors.Is(got, w):
					t.Errorf("event %d: %v; want %v", i, got, w)
				case w != nil && !errors.Is(err, w):
					t.Errorf("the batch's error %v does not match event %d's %v", err, i, w)
				case w == nil && (res[i].Replayed || len(res[i].Entries) == 0):
					t.Errorf("event %d: %+v; want its entries recorded", i, res[i])
				}
			}
			recorded := 0
			for i, w := range tc.want {
				if w == nil && tc.batch[i].EventCustomer() == "cus" {
					recorded++
				}
			}
			if got := len(f.entries("cus")) - before; got != recorded {
				t.Fatalf("%d entries appended for cus, want %d (one per recorded payment)", got, recorded)
			}
		})
	}
}

// racingStore commits a stranger's event for customer cus just before
// the first CommitBatch, which then fails on the state version: the round
// falls back to Record, which reloads and records every event.
type racingStore struct {
	*memstore.Store
	raced bool
}

func (s *racingStore) CommitBatch(ctx context.Context, cs []storage.Commit) ([]storage.CommitResult, error) {
	if !s.raced {
		s.raced = true
		st, err := s.CustomerState(ctx, "cus")
		if err != nil {
			return nil, err
		}
		if _, err := s.Commit(ctx, storage.Commit{Key: "stranger", Hash: "h", State: storage.CustomerState{Customer: "cus", Version: st.Version + 1, Data: st.Data}}); err != nil {
			return nil, err
		}
	}
	return s.Store.CommitBatch(ctx, cs)
}

// fewerChecksUnderRace lowers rapid's runs for the rest of t to n in a
// -race build, unless -rapid.checks was given. The race detector
// instruments modernc.org/sqlite's engine (Go code), which makes each
// SQLite statement about ten times slower: at rapid's default of 100 runs
// the SQLite property alone takes minutes. Plain builds keep the default.
func fewerChecksUnderRace(t *testing.T, n int) {
	if !raceEnabled {
		return
	}
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "rapid.checks" })
	if explicit {
		return
	}
	old := flag.Lookup("rapid.checks").Value.String()
	if err := flag.Set("rapid.checks", strconv.Itoa(n)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = flag.Set("rapid.checks", old) })
}

// commitSizes records the number of commits of each CommitBatch call.
type commitSizes struct {
	*memstore.Store
	sizes []int
}

func (s *commitSizes) CommitBatch(ctx context.Context, cs []storage.Commit) ([]storage.CommitResult, error) {
	s.sizes = append(s.sizes, len(cs))
	return s.Store.CommitBatch(ctx, cs)
}

// countingTiers counts the tiers asked of its source, and passes on what
// the source says of its reads.
type countingTiers struct {
	commission.TierSource
	asked *int
}

func (c countingTiers) TierAt(ctx context.Context, a affiliate.AffiliateID, p affiliate.Payment) (rules.Tier, error) {
	*c.asked++
	return c.TierSource.TierAt(ctx, a, p)
}

func (c countingTiers) TierReadsBefore(p affiliate.Payment) (affiliate.Period, bool) {
	if r, ok := c.TierSource.(commission.TierReads); ok {
		return r.TierReadsBefore(p)
	}
	return affiliate.Period{}, false
}

// refusedAtStandardInMarch refuses a March payment priced at Standard, so
// that a refusal depends on a tier.
var refusedAtStandardInMarch = rules.AllOf{rules.RuleFunc(func(f rules.Facts) ([]rules.Accrual, error) {
	if f.Tiers[0].Name == "Standard" && f.Payment.PaidAt.Month() == time.March {
		return nil, errors.New("refused at Standard in March")
	}
	return nil, nil
}), rules.TierRate{}}

// TestRecordBatchRoundsFollowTierReads pins where RecordBatch ends a store
// call under each kind of tier source: before a payment whose tier may
// have read what the call writes, and nowhere else; and how often it asks
// the source (a bounded tier once per affiliate and period in a round).
// Each batch's results must be Record's one by one, which the rounds
// exist for.
func TestRecordBatchRoundsFollowTierReads(t *testing.T) {
	ctx := context.Background()
	feb, mar := jan15.AddDate(0, 1, 0), jan15.AddDate(0, 2, 0)
	eur := func(id, customer string, at time.Time, amount string) affiliate.Event {
		return pay(id, customer, at, "EUR", line(affiliate.LineSubscription, amount, "EUR"))
	}
	unbounded := commission.TierSourceFunc(func(context.Context, affiliate.AffiliateID, affiliate.Payment) (rules.Tier, error) {
		return standard, nil
	})
	for _, tc := range []struct {
		name   string
		tiers  func(tb, batchStore) commission.TierSource
		events []affiliate.Event
		rule   rules.Rule // nil: the tier rate and the parent's bonus
		sizes  []int
		asked  int    // tiers the batch asked of the source
		tier   string // the tier of the last event's commission
	}{
		{name: "NextPeriodOneMonth", tiers: tiersProgram(tiers.NextPeriod, 0),
			events: []affiliate.Event{eur("m0", "c0", mar, "150"), eur("m1", "c1", mar, "10"), eur("m2", "c2", mar, "10"), eur("m3", "c3", mar, "10")},
			sizes:  []int{4}, asked: 2, tier: "Standard"},
		{name: "NextPeriodMonthBefore", tiers: tiersProgram(tiers.NextPeriod, 0),
			events: []affiliate.Event{eur("f0", "c0", feb, "150"), eur("m1", "c1", mar, "10"), eur("m2", "c2", mar, "10")},
			sizes:  []int{1, 2}, asked: 6, tier: "Premium"},
		{name: "NextPeriodLatePayment", tiers: tiersProgram(tiers.NextPeriod, 0),
			events: []affiliate.Event{eur("m0", "c0", mar, "150"), eur("f1", "c1", feb, "10")},
			sizes:  []int{2}, asked: 4, tier: "Standard"},
		{name: "NextPeriodMemoAfterLateWrite", tiers: tiersProgram(tiers.NextPeriod, 0),
			events: []affiliate.Event{eur("m0", "c0", mar, "10"), eur("f1", "c1", feb, "150"), eur("m2", "c2", mar, "10")},
			sizes:  []int{2, 1}, asked: 6, tier: "Premium"},
		{name: "NextPeriodKeptTwoMonthsBack", tiers: tiersProgram(tiers.NextPeriod, 2),
			events: []affiliate.Event{eur("j0", "c0", jan15, "150"), eur("m1", "c1", mar, "10")},
			sizes:  []int{1, 1}, asked: 6, tier: "Premium"},
		{name: "RefusalAtTheRoundsTier", tiers: tiersProgram(tiers.NextPeriod, 0), rule: refusedAtStandardInMarch,
			events: []affiliate.Event{eur("f0", "c0", feb, "150"), eur("m1", "c1", mar, "10")},
			sizes:  []int{1, 1}, asked: 3, tier: "Premium"},
		{name: "NextPeriodParentsMonthBefore", tiers: tiersProgram(tiers.NextPeriod, 0),
			events: []affiliate.Event{eur("f0", "own", feb, "150"), eur("m1", "c1", mar, "10")},
			sizes:  []int{1, 1}, asked: 5, tier: "Standard"},
		{name: "RetroactiveKept", tiers: tiersProgram(tiers.Retroactive, 1),
			events: []affiliate.Event{eur("f0", "c0", feb, "150"), eur("m1", "c1", mar, "10")},
			sizes:  []int{1, 1}, asked: 6, tier: "Premium"},
		{name: "Immediate", tiers: tiersProgram(tiers.Immediate, 0),
			events: []affiliate.Event{eur("m0", "c0", mar, "150"), eur("m1", "c1", mar, "10"), eur("m2", "c2", mar, "10")},
			sizes:  []int{1, 1, 1}, asked: 10, tier: "Premium"},
		{name: "SourceDeclaringNothing", tiers: func(tb, batchStore) commission.TierSource { return unbounded },
			events: []affiliate.Event{eur("m0", "c0", mar, "150"), eur("m1", "c1", mar, "10"), eur("m2", "c2", mar, "10")},
			sizes:  []int{1, 1, 1}, asked: 10, tier: "Standard"},
		{name: "FixedTier", tiers: func(tb, batchStore) commission.TierSource { return commission.FixedTier(standard) },
			events: []affiliate.Event{eur("f0", "c0", feb, "150"), eur("m1", "c1", mar, "10"), eur("m2", "own", mar, "10")},
			sizes:  []int{3}, asked: 2, tier: "Standard"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setup := func(st batchStore, asked *int) *commission.Engine {
				for _, a := range []affiliate.Affiliate{aff("p", ""), aff("a", "p")} {
					if err := st.PutAffiliate(ctx, a); err != nil {
						t.Fatal(err)
					}
				}
				for _, c := range []string{"c0", "c1", "c2", "c3", "own"} {
					to := affiliate.AffiliateID("a")
					if c == "own" {
						to = "p"
					}
					if _, err := st.Bind(ctx, affiliate.Binding{Customer: affiliate.CustomerID(c), Affiliate: to, Source: affiliate.BindByLink, BoundAt: jan15}); err != nil {
						t.Fatal(err)
					}
				}
				rule := tc.rule
				if rule == nil {
					rule = rules.AllOf{rules.TierRate{}, rules.SubAffiliateBonus{}}
				}
				eng, err := commission.New(commission.Config{Store: st, Currency: "EUR", Tiers: countingTiers{tc.tiers(t, st), asked}, Terms: terms(rule)})
				if err != nil {
					t.Fatal(err)
				}
				return eng
			}
			var asked int
			one := setup(memstore.New(), new(int))
			want := recordEach(t, one, tc.events)
			st := &commitSizes{Store: memstore.New()}
			got, err := setup(st, &asked).RecordBatch(ctx, tc.events)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("results (-Record +RecordBatch):\n%s", diff)
			}
			if !slices.Equal(st.sizes, tc.sizes) {
				t.Errorf("CommitBatch sizes = %v; want %v", st.sizes, tc.sizes)
			}
			if asked != tc.asked {
				t.Errorf("tiers asked %d times; want %d", asked, tc.asked)
			}
			if last := got[len(got)-1].Entries; len(last) == 0 || last[0].Tier != tc.tier {
				t.Errorf("last event's entries %v; want a commission at %s", last, tc.tier)
			}
		})
	}
}

// monthBefore gives Premium when a's converted revenue of the month before
// the payment's is at least EUR 100. It bounds its reads, except for the
// payments whose ID starts with "x", for which it claims nothing (which a
// source may always do).
type monthBefore struct{ st *memstore.Store }

func (s monthBefore) TierAt(ctx context.Context, a affiliate.AffiliateID, p affiliate.Payment) (rules.Tier, error) {
	prev := affiliate.PeriodOf(p.PaidAt, time.UTC).Prev()
	aggs, err := s.st.AffiliateAggregates(ctx, a, affiliate.MetricRevenueConverted, prev, prev)
	if err != nil {
		return rules.Tier{}, err
	}
	for _, g := range aggs {
		if g.Amount.Minor() >= 10000 {
			return premium, nil
		}
	}
	return standard, nil
}

func (s monthBefore) TierReadsBefore(p affiliate.Payment) (affiliate.Period, bool) {
	if strings.HasPrefix(string(p.ID), "x") {
		return affiliate.Period{}, false
	}
	return affiliate.PeriodOf(p.PaidAt, time.UTC), true
}

// bonusAtPremium pays the parent 5% only while the parent is Premium, so
// that a parent's tier can decide whether it is written for at all.
type bonusAtPremium struct{}

func (bonusAtPremium) ChainDepth() int { return 2 }

func (bonusAtPremium) Accrue(f rules.Facts) ([]rules.Accrual, error) {
	if len(f.Chain) < 2 || f.Tiers[1].Name != "Premium" {
		return nil, nil
	}
	return rules.SubAffiliateBonus{Rate: affiliate.MustPercent("5")}.Accrue(f)
}

// TestRecordBatchChecksEveryTierRead: a round checks each tier an event
// asked for, not only the first, and an unbounded tier of an affiliate
// the event writes nothing for. p's own customer pays in February, then
// a's customer in March, whose bonus to p depends on p's February. In
// "recompute" a's customer has an April payment already, so March's
// re-prices the history: first a January payment whose tier source
// claims nothing, then March's. In "unbounded" the source bounds nothing
// and p, Standard before February's payment, is written nothing.
func TestRecordBatchChecksEveryTierRead(t *testing.T) {
	ctx := context.Background()
	eur := func(id, customer string, at time.Time, amount string) affiliate.Event {
		return pay(id, customer, at, "EUR", line(affiliate.LineSubscription, amount, "EUR"))
	}
	for _, tc := range []struct {
		name    string
		before  []affiliate.Event // recorded with Record first
		bounded bool
	}{
		{name: "recompute", before: []affiliate.Event{eur("x0", "c1", jan15, "10"), eur("q4", "c1", jan15.AddDate(0, 3, 0), "10")}, bounded: true},
		{name: "unbounded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run := func(batch bool) []commission.Result {
				st := memstore.New()
				for _, a := range []affiliate.Affiliate{aff("p", ""), aff("a", "p")} {
					if err := st.PutAffiliate(ctx, a); err != nil {
						t.Fatal(err)
					}
				}
				for c, to := range map[affiliate.CustomerID]affiliate.AffiliateID{"own": "p", "c1": "a"} {
					if _, err := st.Bind(ctx, affiliate.Binding{Customer: c, Affiliate: to, Source: affiliate.BindByLink, BoundAt: jan15.AddDate(0, -1, 0)}); err != nil {
						t.Fatal(err)
					}
				}
				var src commission.TierSource = commission.TierSourceFunc(monthBefore{st}.TierAt)
				if tc.bounded {
					src = monthBefore{st}
				}
				eng, err := commission.New(commission.Config{Store: st, Currency: "EUR", Tiers: src, Terms: terms(bonusAtPremium{})})
				if err != nil {
					t.Fatal(err)
				}
				for _, ev := range tc.before {
					if _, err := eng.Record(ctx, ev); err != nil {
						t.Fatal(err)
					}
				}
				events := []affiliate.Event{eur("f0", "own", jan15.AddDate(0, 1, 0), "150"), eur("m1", "c1", jan15.AddDate(0, 2, 0), "10")}
				if batch {
					res, err := eng.RecordBatch(ctx, events)
					if err != nil {
						t.Fatal(err)
					}
					return res
				}
				return recordEach(t, eng, events)
			}
			want := run(false)
			if len(want[1].Entries) == 0 {
				t.Fatal("Record wrote no bonus for p in March; the case tests nothing")
			}
			if diff := cmp.Diff(want, run(true)); diff != "" {
				t.Fatalf("results (-Record +RecordBatch):\n%s", diff)
			}
		})
	}
}

// batchCountingTiers is countingTiers with the source's TiersAt, which it
// logs (failing when fail is set).
type batchCountingTiers struct {
	countingTiers
	batches *[][]affiliate.AffiliateID
	fail    bool
}

func (c batchCountingTiers) TiersAt(ctx context.Context, as []affiliate.AffiliateID, p affiliate.Payment) ([]rules.Tier, error) {
	*c.batches = append(*c.batches, slices.Clone(as))
	if c.fail {
		return nil, errors.New("no batch today")
	}
	return c.TierSource.(commission.TierBatch).TiersAt(ctx, as, p)
}

// TestRecordBatchAsksTiersTogether: on a store that reads a round's
// facts together, a TierBatch source is asked once for the round's month,
// for the affiliates its payments are bound to and their parents (p, whose
// bonus asks its tier, is only a's parent here; a is Premium in March by
// February's revenue, p Standard), and TierAt not at all; a source whose TiersAt fails is asked TierAt as any
// other. A store without a batch read asks TierAt. Results are Record's
// in every case.
func TestRecordBatchAsksTiersTogether(t *testing.T) {
	ctx := context.Background()
	mar := jan15.AddDate(0, 2, 0)
	events := []affiliate.Event{
		pay("m0", "c0", mar, "EUR", line(affiliate.LineSubscription, "150", "EUR")),
		pay("m1", "c1", mar, "EUR", line(affiliate.LineSubscription, "10", "EUR")),
	}
	for _, tc := range []struct {
		name    string
		reader  bool
		fail    bool
		batches [][]affiliate.AffiliateID
		asked   int
	}{
		{"Together", true, false, [][]affiliate.AffiliateID{{"a", "p"}}, 0},
		{"BatchFails", true, true, [][]affiliate.AffiliateID{{"a", "p"}}, 2},
		{"NoBatchRead", false, false, nil, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setup := func(st batchStore, asked *int, batches *[][]affiliate.AffiliateID) *commission.Engine {
				for _, a := range []affiliate.Affiliate{aff("p", ""), aff("a", "p")} {
					if err := st.PutAffiliate(ctx, a); err != nil {
						t.Fatal(err)
					}
				}
				for c, to := range map[affiliate.CustomerID]affiliate.AffiliateID{"c0": "a", "c1": "a", "own": "p"} {
					if _, err := st.Bind(ctx, affiliate.Binding{Customer: c, Affiliate: to, Source: affiliate.BindByLink, BoundAt: jan15}); err != nil {
						t.Fatal(err)
					}
				}
				src := batchCountingTiers{countingTiers{tiersProgram(tiers.NextPeriod, 0)(t, st), asked}, batches, tc.fail}
				eng, err := commission.New(commission.Config{Store: st, Currency: "EUR", Tiers: src,
					Terms: terms(rules.AllOf{rules.TierRate{}, rules.SubAffiliateBonus{}})})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := eng.Record(ctx, pay("f0", "c0", jan15.AddDate(0, 1, 0), "EUR", line(affiliate.LineSubscription, "150", "EUR"))); err != nil {
					t.Fatal(err)
				}
				*asked, *batches = 0, nil
				return eng
			}
			one := setup(memstore.New(), new(int), new([][]affiliate.AffiliateID))
			want := recordEach(t, one, events)
			var st batchStore = memstore.New()
			if tc.reader {
				st = &runReader{Store: memstore.New(), along: true, readAlong: map[affiliate.AffiliateID]int{}}
			}
			var (
				asked   int
				batches [][]affiliate.AffiliateID
			)
			got, err := setup(st, &asked, &batches).RecordBatch(ctx, events)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("results (-Record +RecordBatch):\n%s", diff)
			}
			if diff := cmp.Diff(tc.batches, batches); diff != "" {
				t.Errorf("TiersAt asked (-want +got):\n%s", diff)
			}
			if asked != tc.asked {
				t.Errorf("TierAt asked %d times; want %d", asked, tc.asked)
			}
			if e := got[0].Entries; len(e) != 2 || e[0].Tier != "Premium" || e[1].Tier != "Standard" {
				t.Errorf("March's first payment earned %v; want a's commission at Premium and p's bonus at Standard", e)
			}
		})
	}
}

// recordEach records events one by one with Record, failing t on an error.
func recordEach(t *testing.T, eng *commission.Engine, events []affiliate.Event) []commission.Result {
	t.Helper()
	out := make([]commission.Result, 0, len(events))
	for _, ev := range events {
		res, err := eng.Record(context.Background(), ev)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, res)
	}
	return out
}
