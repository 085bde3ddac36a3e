package commission_test

import (
	"context"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// signupInFlightStore runs signup once, just before the commit of the
// event named at: after that event's Record read the customer unbound.
type signupInFlightStore struct {
	*memstore.Store
	at     affiliate.EventID
	signup func()
}

func (s *signupInFlightStore) Commit(ctx context.Context, c storage.Commit) (storage.CommitResult, error) {
	if c.Event != nil && c.Event.ID == s.at && s.signup != nil {
		signup := s.signup
		s.signup = nil
		signup()
	}
	return s.Store.Commit(ctx, c)
}

// TestBoundWhileRecordInFlight is the race TestFaultsPostgres (sqlstore)
// lost once in CI: a payment's Record reads the customer unbound, the
// signup binds the customer and calls Bound (twice: the host delivered
// it twice) before that Record commits. Bound found no payment yet and
// wrote nothing, so the payment was committed unpriced and earned only
// at the customer's next event, dated in the next month once its own
// month was paid out. Bound now writes the customer's state naming the
// binding, so the payment's commit loses its compare-and-swap and the
// retry reads the binding.
func TestBoundWhileRecordInFlight(t *testing.T) {
	ctx := context.Background()
	st := &signupInFlightStore{Store: memstore.New(), at: "pay-1"}
	if err := st.PutAffiliate(ctx, aff("d", "")); err != nil {
		t.Fatal(err)
	}
	eng, err := commission.New(commission.Config{Store: st, Terms: terms(rules.Percent{Rate: affiliate.MustPercent("20")})})
	if err != nil {
		t.Fatal(err)
	}
	st.signup = func() {
		if _, err := st.Bind(ctx, affiliate.Binding{Customer: "c", Affiliate: "d", Source: affiliate.BindByManual, BoundAt: jan15.AddDate(0, 0, -2)}); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, err := eng.Bound(ctx, "c"); err != nil {
				t.Fatal(err)
			}
		}
	}
	res, err := eng.Record(ctx, pay("pay-1", "c", jan15, "EUR", line(affiliate.LineSubscription, "61.00", "EUR")))
	if err != nil {
		t.Fatal(err)
	}
	if st.signup != nil {
		t.Fatal("the signup did not run: the test raced nothing")
	}
	if res.Unbound {
		t.Error("Record reports the payment unbound; the customer was bound before it committed")
	}
	es, err := st.Entries(ctx, storage.EntryQuery{Customer: "c"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := amounts(es), "d commission 12.20 EUR"; got != want || es[0].At.Month() != jan15.Month() {
		t.Fatalf("entries after the payment: got %q, want %q dated in January", got, want)
	}
}
