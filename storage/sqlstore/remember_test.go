package sqlstore_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/sqlstore"
)

// TestEngineRemembersOnSQL: on each dialect, an engine that remembers its
// customers and one that does not, each on its own store, go through the
// same steps (payments; the referrer suspended with its codes cleared and
// reinstated; January's payout run, then a late January payment; the
// customer moved to another affiliate behind the engine's back) and give
// the same results and the same ledger. The remembering engine reads
// less.
func TestEngineRemembersOnSQL(t *testing.T) {
	ctx := context.Background()
	at := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 12, 0, 0, 0, time.UTC) }
	payment := func(id string, when time.Time) affiliate.Payment {
		return affiliate.Payment{ID: affiliate.EventID(id), Customer: "c1", PaidAt: when, Currency: "EUR",
			Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(10000, "EUR")}}}
	}
	rule := rules.AllOf{rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("20")},
		rules.SubAffiliateBonus{Name: "parent_bonus", Rate: affiliate.MustPercent("5")}}
	ann := affiliate.Affiliate{ID: "ann", Parent: "top", Status: affiliate.StatusActive, Codes: []string{"ANN"}, CreatedAt: at(time.January, 1)}
	suspended := ann
	suspended.Status, suspended.Codes = affiliate.StatusSuspended, nil
	for _, d := range dialects() {
		t.Run(d.name, func(t *testing.T) {
			type side struct {
				s      storage.Rebinder
				st     interface{ ReadBatchCalls() int }
				eng    *commission.Engine
				run    *payout.Runner
				put    func(affiliate.Affiliate)
				ledger func() []affiliate.Entry
			}
			var sides [2]side
			for i, room := range []int{0, -1} {
				s, _ := d.open(t)
				counted := &readCounter{Store: s}
				for _, a := range []affiliate.Affiliate{{ID: "top", Status: affiliate.StatusActive}, ann, {ID: "bob", Status: affiliate.StatusActive}} {
					if err := s.PutAffiliate(ctx, a); err != nil {
						t.Fatal(err)
					}
				}
				if _, err := s.Bind(ctx, affiliate.Binding{Customer: "c1", Affiliate: "ann", Source: affiliate.BindByCode, Code: "ANN", BoundAt: at(time.January, 1)}); err != nil {
					t.Fatal(err)
				}
				eng, err := commission.New(commission.Config{Store: counted, Terms: []commission.TermsVersion{{Version: "v1", Rule: rule}}, RememberedCustomers: room})
				if err != nil {
					t.Fatal(err)
				}
				run, err := payout.New(payout.Config{Store: s})
				if err != nil {
					t.Fatal(err)
				}
				sides[i] = side{s: s, st: counted, eng: eng, run: run,
					put: func(a affiliate.Affiliate) {
						if err := s.PutAffiliate(ctx, a); err != nil {
							t.Fatal(err)
						}
					},
					ledger: func() []affiliate.Entry {
						es, err := s.Entries(ctx, storage.EntryQuery{})
						if err != nil {
							t.Fatal(err)
						}
						return es
					}}
			}
			steps := []struct {
				name string
				do   func(sd side) (any, error)
			}{
				{"p1", func(sd side) (any, error) { return sd.eng.Record(ctx, payment("p1", at(time.January, 5))) }},
				{"p2", func(sd side) (any, error) { return sd.eng.Record(ctx, payment("p2", at(time.January, 6))) }},
				{"suspend", func(sd side) (any, error) { sd.put(suspended); return nil, nil }},
				{"p3 suspended", func(sd side) (any, error) { return sd.eng.Record(ctx, payment("p3", at(time.January, 7))) }},
				{"reinstate", func(sd side) (any, error) { sd.put(ann); return nil, nil }},
				{"p4", func(sd side) (any, error) { return sd.eng.Record(ctx, payment("p4", at(time.January, 8))) }},
				{"january's run", func(sd side) (any, error) {
					jan := affiliate.Period{Year: 2026, Month: time.January}
					_, err := sd.run.Run(ctx, jan, jan.End())
					return nil, err
				}},
				{"p5 late", func(sd side) (any, error) { return sd.eng.Record(ctx, payment("p5", at(time.January, 9))) }},
				{"moved to bob", func(sd side) (any, error) {
					return sd.s.Rebind(ctx, "ann", affiliate.Binding{Customer: "c1", Affiliate: "bob", Source: affiliate.BindByManual, BoundAt: at(time.February, 1)})
				}},
				{"p6 moved", func(sd side) (any, error) { return sd.eng.Record(ctx, payment("p6", at(time.February, 2))) }},
				{"p6 again", func(sd side) (any, error) { return sd.eng.Record(ctx, payment("p6", at(time.February, 2))) }},
			}
			for _, st := range steps {
				var got [2]any
				for i, sd := range sides {
					res, err := st.do(sd)
					if err != nil {
						t.Fatalf("%s: %v", st.name, err)
					}
					got[i] = res
				}
				if diff := cmp.Diff(got[1], got[0]); diff != "" {
					t.Fatalf("%s: remembering changed the result (-not remembering +remembering):\n%s", st.name, diff)
				}
			}
			if diff := cmp.Diff(sides[1].ledger(), sides[0].ledger()); diff != "" {
				t.Fatalf("remembering changed the ledger (-not remembering +remembering):\n%s", diff)
			}
			if r, n := sides[0].st.ReadBatchCalls(), sides[1].st.ReadBatchCalls(); r >= n {
				t.Fatalf("the remembering engine read %d times, the other %d", r, n)
			}
		})
	}
}

// readCounter is the store counting the engine's batch reads.
type readCounter struct {
	*sqlstore.Store
	reads atomic.Int64
}

func (c *readCounter) ReadBatch(ctx context.Context, q storage.BatchQuery) (storage.BatchFacts, error) {
	c.reads.Add(1)
	return c.Store.ReadBatch(ctx, q)
}

func (c *readCounter) ReadBatchCalls() int { return int(c.reads.Load()) }
