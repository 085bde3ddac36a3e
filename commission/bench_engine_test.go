package commission_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// engineOnlyStore answers the engine's reads from fields and takes its
// commits without writing a ledger, so that BenchmarkRecordEngine measures
// what Record costs apart from the store (memstore's share is measured by
// its own benchmarks).
type engineOnlyStore struct {
	*memstore.Store // the interfaces' other methods, never called here
	state           storage.CustomerState
	binding         affiliate.Binding
	affiliates      map[affiliate.AffiliateID]affiliate.Affiliate
}

var errBenchNotFound = fmt.Errorf("bench: %w", affiliate.ErrNotFound)

func (s *engineOnlyStore) CustomerState(context.Context, affiliate.CustomerID) (storage.CustomerState, error) {
	return s.state, nil
}

func (s *engineOnlyStore) Event(context.Context, affiliate.EventID) (affiliate.EventRecord, error) {
	return affiliate.EventRecord{}, errBenchNotFound
}

func (s *engineOnlyStore) Binding(context.Context, affiliate.CustomerID) (affiliate.Binding, error) {
	return s.binding, nil
}

func (s *engineOnlyStore) Affiliate(_ context.Context, id affiliate.AffiliateID) (affiliate.Affiliate, error) {
	return s.affiliates[id], nil
}

func (s *engineOnlyStore) PayoutRun(context.Context, string, affiliate.Period) (affiliate.PayoutRun, error) {
	return affiliate.PayoutRun{}, errBenchNotFound
}

func (s *engineOnlyStore) Commit(_ context.Context, c storage.Commit) (storage.CommitResult, error) {
	if c.State.Version != s.state.Version+1 {
		return storage.CommitResult{}, affiliate.ErrConflict
	}
	s.state = c.State
	s.state.Data = append(s.state.Data[:0:0], c.State.Data...) // the engine reuses c's memory
	return storage.CommitResult{Entries: c.Entries}, nil
}

// BenchmarkRecordEngine is BenchmarkRecord's in-order payment with the
// store taken out: the engine's own share of Record (the payment's boxing
// into an Event included).
func BenchmarkRecordEngine(b *testing.B) {
	programs := []struct {
		name string
		rule rules.Rule
	}{
		{"seed001", rules.Percent{Name: "rev_share", Rate: affiliate.MustPercent("30")}},
		{"seed000", rules.AllOf{rules.TierRate{}, rules.SubAffiliateBonus{}}},
	}
	for _, p := range programs {
		b.Run(p.name, func(b *testing.B) {
			st := &engineOnlyStore{
				Store:      memstore.New(),
				binding:    affiliate.Binding{Customer: "c", Affiliate: "a", Source: affiliate.BindByLink, BoundAt: jan15},
				affiliates: map[affiliate.AffiliateID]affiliate.Affiliate{"a": aff("a", "p"), "p": aff("p", "")},
			}
			eng, err := commission.New(commission.Config{
				Store: st, Terms: []commission.TermsVersion{{Version: "v1", Rule: p.rule, Hold: 30 * 24 * time.Hour}},
				Tiers: commission.FixedTier(standard), Currency: "EUR",
			})
			if err != nil {
				b.Fatal(err)
			}
			usd := affiliate.Currency("USD")
			lines := []affiliate.Line{line(affiliate.LineSubscription, "20", usd), line(affiliate.LineAddOn, "200", usd)}
			ids := make([]affiliate.EventID, 1024)
			for i := range ids {
				ids[i] = affiliate.EventID(fmt.Sprintf("pay-%09d", i))
			}
			ctx := context.Background()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				// Times grow by the minute: IDs can repeat, as the store knows no event.
				p := affiliate.Payment{ID: ids[i%len(ids)], Customer: "c", PaidAt: jan15.Add(time.Duration(i) * time.Minute), Currency: usd,
					Lines: lines, Conversion: affiliate.Conversion{To: "EUR", Rate: affiliate.MustRate("0.92")}}
				res, err := eng.Record(ctx, p)
				if err != nil {
					b.Fatal(err)
				}
				if len(res.Entries) == 0 {
					b.Fatal("no entries")
				}
				i++
			}
		})
	}
}
