package payout_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/storage"
)

// snapshot is what a failed call must leave as it was: the open entries,
// the payout totals, the runs (a run that pays nothing and only carries
// is a write too) and the given payouts as stored.
type snapshot struct {
	Unsettled []affiliate.EntryID
	Totals    []affiliate.PayoutTotal
	Runs      []affiliate.PayoutRun
	Payouts   []affiliate.Payout
}

func (e *env) snapshot(ids ...affiliate.PayoutID) snapshot {
	e.t.Helper()
	totals, err := e.store.PayoutTotals(ctx, payout.DefaultProgram, per("2026-01"), per("2026-12"))
	if err != nil {
		e.t.Fatal(err)
	}
	s := snapshot{Unsettled: e.unsettled(), Totals: totals}
	for p := month(1); p.Year == 2026; p = p.Next() {
		run, err := e.store.PayoutRun(ctx, payout.DefaultProgram, p)
		switch {
		case err == nil:
			s.Runs = append(s.Runs, run)
		case !errors.Is(err, affiliate.ErrNotFound):
			e.t.Fatal(err)
		}
	}
	for _, id := range ids {
		p, err := storedPayout(e.store, id)
		if err != nil {
			e.t.Fatal(err)
		}
		s.Payouts = append(s.Payouts, p)
	}
	return s
}

func TestBadInput(t *testing.T) {
	e := newEnv(t, eurMinimum("50"))
	e.append(ent{id: "1", aff: "ann", amount: "60 EUR", at: day(1, 10)}, ent{id: "2", aff: "bob", amount: "70 EUR", at: day(1, 10)},
		ent{id: "3", aff: "ann", amount: "80 EUR", at: day(2, 10)})
	res := e.run(month(1), day(2, 1))
	ann, bob := res.Payouts[0].ID, res.Payouts[1].ID
	if _, err := e.runner.MarkPaid(ctx, ann, "TR-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.runner.Cancel(ctx, bob, "duplicate"); err != nil {
		t.Fatal(err)
	}
	other, err := payout.New(payout.Config{Store: e.store,
		Policy: payout.Policy{Minimums: map[affiliate.Currency]affiliate.Money{"EUR": money("10 EUR")}}})
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name  string
		call  func() error
		is    []error
		typed func(error) bool
	}{
		{
			name: "a run for a period that has not ended",
			call: func() error { _, err := e.runner.Run(ctx, month(2), day(2, 28)); return err },
			is:   []error{affiliate.ErrPeriodOpen, affiliate.ErrInvalid},
			typed: func(err error) bool {
				var pe *payout.PeriodOpenError
				return errors.As(err, &pe) && pe.Period == month(2)
			},
		},
		{
			name: "a run whose as-of time defaults to a clock inside the period",
			call: func() error {
				e.now = day(2, 20)
				defer func() { e.now = day(12, 31) }()
				_, err := e.runner.Run(ctx, month(2), time.Time{})
				return err
			},
			is: []error{affiliate.ErrPeriodOpen},
			typed: func(err error) bool {
				var pe *payout.PeriodOpenError
				return errors.As(err, &pe) && pe.AsOf.Equal(day(2, 20))
			},
		},
		{
			name: "a rerun with another policy",
			call: func() error { _, err := other.Run(ctx, month(1), day(2, 1)); return err },
			is:   []error{affiliate.ErrIdempotencyMismatch},
			typed: func(err error) bool {
				var fe *affiliate.FieldError
				return errors.As(err, &fe) && fe.Field == "Config.Policy"
			},
		},
		{
			name: "marking an unknown payout as paid",
			call: func() error { _, err := e.runner.MarkPaid(ctx, "po_nope", "TR-9"); return err },
			is:   []error{affiliate.ErrNotFound},
			typed: func(err error) bool {
				// Not found, not a state error: nothing is known about it.
				var se *storage.PayoutStatusError
				return !errors.As(err, &se) && !errors.Is(err, affiliate.ErrConflict)
			},
		},
		{
			name: "marking a malformed payout ID as paid",
			call: func() error { _, err := e.runner.MarkPaid(ctx, "po\nnope", "TR-9"); return err },
			is:   []error{affiliate.ErrInvalid},
			typed: func(err error) bool {
				var fe *affiliate.FieldError
				return errors.As(err, &fe)
			},
		},
		{
			name: "marking a paid payout as paid again",
			call: func() error { _, err := e.runner.MarkPaid(ctx, ann, "TR-2"); return err },
			is:   []error{payout.ErrAlreadyPaid, affiliate.ErrConflict},
			typed: func(err error) bool {
				var se *storage.PayoutStatusError
				return errors.As(err, &se) && se.Payout.Reference == "TR-1" && se.To == affiliate.PayoutPaid
			},
		},
		{
			name: "cancelling a paid payout",
			call: func() error { _, err := e.runner.Cancel(ctx, ann, "oops"); return err },
			is:   []error{payout.ErrAlreadyPaid, affiliate.ErrConflict},
			typed: func(err error) bool {
				var se *storage.PayoutStatusError
				return errors.As(err, &se) && se.Payout.Status == affiliate.PayoutPaid && se.To == affiliate.PayoutCancelled
			},
		},
		{
			name: "failing a paid payout",
			call: func() error { _, err := e.runner.MarkFailed(ctx, ann, "bounced"); return err },
			is:   []error{payout.ErrAlreadyPaid},
		},
		{
			name: "paying a cancelled payout",
			call: func() error { _, err := e.runner.MarkPaid(ctx, bob, "TR-3"); return err },
			is:   []error{payout.ErrReleased, affiliate.ErrConflict},
		},
		{
			name: "marking as paid without a reference",
			call: func() error { _, err := e.runner.MarkPaid(ctx, ann, ""); return err },
			is:   []error{affiliate.ErrInvalid},
			typed: func(err error) bool {
				var fe *affiliate.FieldError
				return errors.As(err, &fe) && fe.Field == "reference"
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.snapshot(ann, bob)
			err := tt.call()
			if err == nil {
				t.Fatal("no error")
			}
			for _, want := range tt.is {
				if !errors.Is(err, want) {
					t.Errorf("error %q does not match %q", err, want)
				}
			}
			if tt.typed != nil && !tt.typed(err) {
				t.Errorf("error %#v is not of the expected type or fields", err)
			}
			if diff := cmp.Diff(before, e.snapshot(ann, bob)); diff != "" {
				t.Errorf("storage changed (-before +after):\n%s", diff)
			}
		})
	}
}

func TestBadPolicy(t *testing.T) {
	tests := []struct {
		name   string
		policy payout.Policy
		is     error
	}{
		{"a negative minimum", payout.Policy{Minimums: map[affiliate.Currency]affiliate.Money{"EUR": money("-0.01 EUR")}}, payout.ErrNegativeMinimum},
		{"a negative override", payout.Policy{Overrides: map[affiliate.AffiliateID]map[affiliate.Currency]affiliate.Money{"ann": {"USD": money("-5 USD")}}}, payout.ErrNegativeMinimum},
		{"a minimum in another currency", payout.Policy{Minimums: map[affiliate.Currency]affiliate.Money{"EUR": money("50 USD")}}, affiliate.ErrCurrencyMismatch},
		{"an unknown currency", payout.Policy{Minimums: map[affiliate.Currency]affiliate.Money{"XXX": money("50 USD")}}, affiliate.ErrUnknownCurrency},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, payout.Config{})
			_, err := payout.New(payout.Config{Policy: tt.policy, Store: e.store})
			if !errors.Is(err, tt.is) || !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("New error = %v, want %v", err, tt.is)
			}
			if tt.is != affiliate.ErrUnknownCurrency {
				var me *payout.MinimumError
				if !errors.As(err, &me) {
					t.Fatalf("New error %#v is not a *MinimumError", err)
				}
			}
			// The pure core refuses it too.
			_, err = payout.NewPlan(payout.Input{Program: "p", Period: month(1), AsOf: day(2, 1), Policy: tt.policy})
			if !errors.Is(err, tt.is) {
				t.Fatalf("NewPlan error = %v, want %v", err, tt.is)
			}
		})
	}
}

func TestBadConfig(t *testing.T) {
	e := newEnv(t, payout.Config{})
	tests := []struct {
		name string
		cfg  payout.Config
	}{
		{"no store", payout.Config{}},
		{"a nil check", payout.Config{Store: e.store, Checks: []payout.Check{nil}}},
		{"a bad program", payout.Config{Program: "a\nb", Store: e.store}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fe *affiliate.FieldError
			if _, err := payout.New(tt.cfg); !errors.As(err, &fe) || !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("New error = %v, want a *FieldError", err)
			}
		})
	}
}

// TestNewPlanRefusesAnEntryListedTwice: the pure core refuses a duplicate
// wherever the copies sit, not only when they sort next to each other.
func TestNewPlanRefusesAnEntryListedTwice(t *testing.T) {
	a := ent{id: "x", aff: "ann", amount: "60 EUR", at: day(1, 3)}.entry()
	between := ent{id: "y", aff: "ann", amount: "10 EUR", at: day(1, 5)}.entry()
	laterCopy := a
	laterCopy.At, laterCopy.AvailableAt = day(1, 9), day(1, 9)
	otherBeneficiary := a
	otherBeneficiary.Beneficiary = "bob"
	for name, entries := range map[string][]affiliate.Entry{
		"adjacent":          {a, a},
		"another time":      {a, between, laterCopy},
		"another affiliate": {a, otherBeneficiary},
	} {
		in := payout.Input{Program: "p", Period: month(1), AsOf: day(2, 1), Entries: entries}
		var fe *affiliate.FieldError
		if plan, err := payout.NewPlan(in); !errors.As(err, &fe) || fe.Field != "Input.Entries" {
			t.Errorf("%s: NewPlan = %+v, %v; want a *FieldError on Input.Entries", name, plan.Payouts, err)
		}
	}
}
