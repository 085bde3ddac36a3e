package payout_test

import (
	"context"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// countingStore counts the reads a run makes for its eligibility checks.
type countingStore struct {
	*memstore.Store
	accounts, aggregates, profiles int
}

func (s *countingStore) Affiliate(ctx context.Context, id affiliate.AffiliateID) (affiliate.Affiliate, error) {
	s.accounts++
	return s.Store.Affiliate(ctx, id)
}

func (s *countingStore) AffiliateAggregates(ctx context.Context, a affiliate.AffiliateID, m affiliate.Metric, from, to affiliate.Period) ([]storage.Aggregate, error) {
	s.aggregates++
	return s.Store.AffiliateAggregates(ctx, a, m, from, to)
}

func (s *countingStore) Profile(ctx context.Context, a affiliate.AffiliateID) (affiliate.PayeeProfile, error) {
	s.profiles++
	return s.Store.Profile(ctx, a)
}

// TestRunReadsWhatItsChecksNeed: a run whose checks are built in reads
// only the facts they judge (one read per due affiliate and fact); a
// check of the host's own gets every fact.
func TestRunReadsWhatItsChecksNeed(t *testing.T) {
	custom := payout.CheckFunc(func(context.Context, payout.Candidate) (string, error) { return "", nil })
	for _, c := range []struct {
		name   string
		checks []payout.Check
		want   [3]int // account, aggregate and profile reads
		paid   int
	}{
		{"none", nil, [3]int{0, 0, 0}, 2},
		{"account", []payout.Check{payout.ActiveAffiliate(), payout.PayoutMethodOnFile()}, [3]int{2, 0, 0}, 1},
		{"customers", []payout.Check{payout.MinActiveCustomers(0)}, [3]int{0, 2, 0}, 2},
		{"profile", []payout.Check{payout.ProfileComplete(), payout.TaxFormReceived()}, [3]int{0, 0, 2}, 0},
		{"custom", []payout.Check{custom}, [3]int{2, 2, 2}, 2},
		{"custom and account", []payout.Check{payout.ActiveAffiliate(), custom}, [3]int{2, 2, 2}, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := &countingStore{Store: memstore.New()}
			for _, a := range []affiliate.Affiliate{{ID: "ann", PayoutMethodOnFile: true}, {ID: "bob"}} {
				a.Status = affiliate.StatusActive
				if err := st.PutAffiliate(ctx, a); err != nil {
					t.Fatal(err)
				}
			}
			e := &env{t: t, store: st.Store}
			e.append(
				ent{id: "a1", aff: "ann", amount: "60.00 EUR", at: day(time.January, 5)},
				ent{id: "b1", aff: "bob", amount: "70.00 EUR", at: day(time.January, 6)},
				ent{id: "c1", aff: "cat", amount: "1.00 EUR", at: day(time.January, 7)}, // below the minimum: not checked
			)
			r, err := payout.New(payout.Config{Policy: eurMinimum("50").Policy, Checks: c.checks, Store: st})
			if err != nil {
				t.Fatal(err)
			}
			res, err := r.Run(ctx, month(time.January), day(time.February, 1))
			if err != nil {
				t.Fatal(err)
			}
			if got := [3]int{st.accounts, st.aggregates, st.profiles}; got != c.want {
				t.Errorf("reads (account, aggregates, profile) = %v, want %v", got, c.want)
			}
			if len(res.Payouts) != c.paid {
				t.Errorf("%d payouts, want %d: %v", len(res.Payouts), c.paid, summary(res))
			}
		})
	}
}
