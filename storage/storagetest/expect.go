package storagetest

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// ExpectStore is what RunExpectations needs: commits that check
// expectations, and the facts an expectation names (bindings,
// affiliates, payout runs).
type ExpectStore interface {
	storage.ExpectationChecker
	EventStore
	storage.Affiliates
	storage.Bindings
	storage.Payouts
}

// RunExpectations runs the cases of storage.Expectation: Commit writes a
// commit whose expectation holds and refuses, with ErrConflict and
// writing nothing, one whose key, binding, affiliate or run changed;
// CommitBatch refuses any commit that carries one.
func RunExpectations(t *testing.T, newStore Factory[ExpectStore]) {
	jan, feb := per("2026-01"), per("2026-02")
	// setup stores ann (and her parent top) and binds cus to ann; it
	// returns the expectation that holds then, for cus's second commit.
	setup := func(t *testing.T) (ExpectStore, *storage.Expectation) {
		t.Helper()
		s := newStore(t)
		must(t, s.PutAffiliate(ctxT(), affiliate.Affiliate{ID: "top", Status: affiliate.StatusActive, CreatedAt: t0}))
		must(t, s.PutAffiliate(ctxT(), affiliate.Affiliate{ID: "ann", Parent: "top", Status: affiliate.StatusActive, Name: "Ann", Codes: []string{"ANN"}, CreatedAt: t0}))
		_, err := s.Bind(ctxT(), affiliate.Binding{Customer: "cus", Affiliate: "ann", Source: affiliate.BindByCode, Touch: "touch-1", Lead: "lead-1", Code: "ANN",
			TouchedAt: t0.Add(-time.Hour), BoundAt: t0, ExpiresAt: t0.AddDate(1, 0, 0)})
		must(t, err)
		must(t, commitErr(s, paymentCommit("event:p1", "p1", "cus", 1)))
		b, err := s.Binding(ctxT(), "cus")
		must(t, err)
		ann, err := s.Affiliate(ctxT(), "ann")
		must(t, err)
		top, err := s.Affiliate(ctxT(), "top")
		must(t, err)
		_, err = s.CreatePayoutRun(ctxT(), poRun(jan, "h-jan"))
		must(t, err)
		x := &storage.Expectation{Binding: b, Bound: true, Affiliates: []affiliate.Affiliate{ann, top},
			Runs: map[storage.PayoutRunKey]bool{{Program: "prog", Period: jan}: true, {Program: "prog", Period: feb}: false}}
		return s, x
	}
	second := func(x *storage.Expectation) storage.Commit {
		c := paymentCommit("event:p2", "p2", "cus", 2, entry("p2/0", "ann", "cus", "p2", eur(600), t0))
		c.Expect = x
		return c
	}

	t.Run("Holds", func(t *testing.T) {
		s, x := setup(t)
		res, err := s.Commit(ctxT(), second(x))
		if err != nil || res.Replayed || len(res.Entries) != 1 {
			t.Fatalf("Commit with an expectation that holds = %+v, %v", res, err)
		}
		if st, _ := s.CustomerState(ctxT(), "cus"); st.Version != 2 {
			t.Fatalf("state at version %d after the commit, want 2", st.Version)
		}
	})

	t.Run("HoldsUnbound", func(t *testing.T) {
		s := newStore(t)
		c := paymentCommit("event:p1", "p1", "solo", 1)
		c.Expect = &storage.Expectation{}
		if err := commitErr(s, c); err != nil {
			t.Fatalf("Commit expecting no binding, for a customer without one = %v", err)
		}
	})

	t.Run("Refused/NoBinding", func(t *testing.T) {
		s := newStore(t)
		c := paymentCommit("event:p1", "p1", "solo", 1)
		c.Expect = &storage.Expectation{Bound: true, Binding: affiliate.Binding{Customer: "solo", Affiliate: "ann", Source: affiliate.BindByCode, BoundAt: t0}}
		if err := commitErr(s, c); !errors.Is(err, affiliate.ErrConflict) {
			t.Fatalf("Commit expecting a binding, for a customer without one = %v, want ErrConflict", err)
		}
		if st, _ := s.CustomerState(ctxT(), "solo"); st.Version != 0 {
			t.Fatalf("state at version %d after a refused commit, want 0", st.Version)
		}
	})

	for _, tc := range []struct {
		name   string
		change func(t *testing.T, s ExpectStore, x *storage.Expectation)
	}{
		{"KeyClaimed", func(t *testing.T, s ExpectStore, x *storage.Expectation) {
			must(t, commitErr(s, paymentCommit("event:p2", "p2", "other", 1))) // the key, by another commit
		}},
		{"Unbound", func(t *testing.T, s ExpectStore, x *storage.Expectation) { x.Bound = false }},
		{"BindingDiffers", func(t *testing.T, s ExpectStore, x *storage.Expectation) { x.Binding.Code = "OTHER" }},
		{"BindingLeadDiffers", func(t *testing.T, s ExpectStore, x *storage.Expectation) { x.Binding.Lead = "lead-2" }},
		{"BindingTimeDiffers", func(t *testing.T, s ExpectStore, x *storage.Expectation) {
			x.Binding.ExpiresAt = x.Binding.ExpiresAt.Add(1)
		}},
		{"AffiliateSuspended", func(t *testing.T, s ExpectStore, x *storage.Expectation) {
			ann := x.Affiliates[0]
			ann.Status, ann.Codes = affiliate.StatusSuspended, []string{"ANN"}
			must(t, s.PutAffiliate(ctxT(), ann))
		}},
		{"ParentCodesChanged", func(t *testing.T, s ExpectStore, x *storage.Expectation) {
			top := x.Affiliates[1]
			top.Codes = []string{"TOP"}
			must(t, s.PutAffiliate(ctxT(), top))
		}},
		{"AffiliateMissing", func(t *testing.T, s ExpectStore, x *storage.Expectation) {
			x.Affiliates = append(x.Affiliates, affiliate.Affiliate{ID: "ghost", Status: affiliate.StatusActive})
		}},
		{"RunCreated", func(t *testing.T, s ExpectStore, x *storage.Expectation) {
			_, err := s.CreatePayoutRun(ctxT(), poRun(feb, "h-feb"))
			must(t, err)
		}},
		{"RunMissing", func(t *testing.T, s ExpectStore, x *storage.Expectation) {
			x.Runs[storage.PayoutRunKey{Program: "prog", Period: per("2026-03")}] = true
		}},
	} {
		t.Run("Refused/"+tc.name, func(t *testing.T) {
			s, x := setup(t)
			tc.change(t, s, x)
			before := snapshotCustomer(t, s, "cus")
			_, err := s.Commit(ctxT(), second(x))
			if !errors.Is(err, affiliate.ErrConflict) {
				t.Fatalf("Commit = %v, want ErrConflict", err)
			}
			if diff := cmp.Diff(before, snapshotCustomer(t, s, "cus")); diff != "" {
				t.Fatalf("a refused Commit changed the store (-before +after):\n%s", diff)
			}
			if _, err := s.Event(ctxT(), "p2"); !errors.Is(err, affiliate.ErrNotFound) && tc.name != "KeyClaimed" {
				t.Fatalf("Event(p2) after a refused commit = %v, want ErrNotFound", err)
			}
		})
	}

	t.Run("BatchRefuses", func(t *testing.T) {
		s, x := setup(t)
		c := second(x)
		_, err := s.CommitBatch(ctxT(), []storage.Commit{c})
		var be *storage.BatchError
		if !errors.Is(err, affiliate.ErrInvalid) || !errors.As(err, &be) || be.Index != 0 {
			t.Fatalf("CommitBatch of a commit with an expectation = %v, want a *BatchError at 0 matching ErrInvalid", err)
		}
		if st, _ := s.CustomerState(ctxT(), "cus"); st.Version != 1 {
			t.Fatalf("state at version %d after a refused batch, want 1", st.Version)
		}
	})
}
