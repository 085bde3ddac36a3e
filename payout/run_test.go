package payout_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/payout"
)

const hold30 = 30 * 24 * time.Hour

// step appends entries, then runs a period and checks what it paid and
// carried.
type step struct {
	add    []ent
	period affiliate.Period
	asOf   time.Time // zero: the first day of the next month
	want   []string  // summary lines
}

func TestRunScenarios(t *testing.T) {
	multi := payout.Config{Policy: payout.Policy{Minimums: map[affiliate.Currency]affiliate.Money{
		"EUR": money("50 EUR"), "USD": money("100 USD"),
	}}}
	override := eurMinimum("50")
	override.Policy.Overrides = map[affiliate.AffiliateID]map[affiliate.Currency]affiliate.Money{
		"big": {"EUR": money("200 EUR")}, "small": {"EUR": money("0 EUR")},
	}
	tests := []struct {
		name  string
		cfg   payout.Config
		steps []step
	}{
		{
			name: "below the minimum carries month after month until the total reaches it",
			cfg:  eurMinimum("50"),
			steps: []step{
				{add: []ent{{id: "j1", aff: "ann", amount: "20 EUR", at: day(1, 10)}}, period: month(1),
					want: []string{"carry ann 20.00 EUR below_minimum"}},
				{add: []ent{{id: "f1", aff: "ann", amount: "15 EUR", at: day(2, 10)}}, period: month(2),
					want: []string{"carry ann 35.00 EUR below_minimum"}},
				{add: []ent{{id: "m1", aff: "ann", amount: "14.99 EUR", at: day(3, 10)}}, period: month(3),
					want: []string{"carry ann 49.99 EUR below_minimum"}},
				{add: []ent{{id: "a1", aff: "ann", amount: "0.01 EUR", at: day(4, 10)}}, period: month(4),
					want: []string{"pay ann 50.00 EUR"}},
				{period: month(5), want: nil},
			},
		},
		{
			name: "a refund after a payout makes the next payout smaller",
			cfg:  eurMinimum("50"),
			steps: []step{
				{add: []ent{{id: "j1", aff: "ann", amount: "100 EUR", at: day(1, 10)}}, period: month(1),
					want: []string{"pay ann 100.00 EUR"}},
				{add: []ent{
					{id: "f1", aff: "ann", amount: "90 EUR", at: day(2, 3)},
					{id: "f2", aff: "ann", amount: "-30 EUR", at: day(2, 20)},
				}, period: month(2), want: []string{"pay ann 60.00 EUR"}},
			},
		},
		{
			name: "a refund after a payout carries a negative balance until earnings cover it",
			cfg:  eurMinimum("50"),
			steps: []step{
				{add: []ent{{id: "j1", aff: "ann", amount: "100 EUR", at: day(1, 10)}}, period: month(1),
					want: []string{"pay ann 100.00 EUR"}},
				{add: []ent{{id: "f1", aff: "ann", amount: "-100 EUR", at: day(2, 5)}}, period: month(2),
					want: []string{"carry ann -100.00 EUR not_positive"}},
				{add: []ent{{id: "m1", aff: "ann", amount: "130 EUR", at: day(3, 5)}}, period: month(3),
					want: []string{"carry ann 30.00 EUR below_minimum"}},
				{add: []ent{{id: "a1", aff: "ann", amount: "40 EUR", at: day(4, 5)}}, period: month(4),
					want: []string{"pay ann 70.00 EUR"}},
			},
		},
		{
			name: "a zero balance is carried and nothing is paid",
			cfg:  payout.Config{},
			steps: []step{
				{add: []ent{
					{id: "j1", aff: "ann", amount: "10 EUR", at: day(1, 10)},
					{id: "j2", aff: "ann", amount: "-10 EUR", at: day(1, 11)},
				}, period: month(1), want: []string{"carry ann 0.00 EUR not_positive"}},
			},
		},
		{
			name: "currencies are paid separately against their own minimums",
			cfg:  multi,
			steps: []step{
				{add: []ent{
					{id: "e1", aff: "ann", amount: "60 EUR", at: day(1, 10)},
					{id: "u1", aff: "ann", amount: "80 USD", at: day(1, 10)},
					{id: "y1", aff: "ann", amount: "500 JPY", at: day(1, 10)},
					{id: "u2", aff: "bob", amount: "100 USD", at: day(1, 12)},
				}, period: month(1), want: []string{
					"pay ann 60.00 EUR", "pay ann 500 JPY", "pay bob 100.00 USD",
					"carry ann 80.00 USD below_minimum",
				}},
				{add: []ent{{id: "u3", aff: "ann", amount: "20 USD", at: day(2, 10)}}, period: month(2),
					want: []string{"pay ann 100.00 USD"}},
			},
		},
		{
			name: "a hold keeps a fresh entry out of this month's run",
			cfg:  eurMinimum("50"),
			steps: []step{
				{add: []ent{
					{id: "old", aff: "ann", amount: "60 EUR", at: day(1, 1), hold: hold30},
					{id: "fresh", aff: "ann", amount: "70 EUR", at: day(1, 25), hold: hold30},
				}, period: month(1), asOf: day(2, 1), want: []string{"pay ann 60.00 EUR"}},
				{period: month(2), asOf: day(3, 1), want: []string{"pay ann 70.00 EUR"}},
			},
		},
		{
			name: "entries earned after the period's end wait for the next period's run",
			cfg:  eurMinimum("50"),
			steps: []step{
				{add: []ent{
					{id: "jan", aff: "ann", amount: "60 EUR", at: day(1, 20)},
					{id: "feb", aff: "ann", amount: "70 EUR", at: day(2, 2)},
				}, period: month(1), asOf: day(2, 5), want: []string{"pay ann 60.00 EUR"}},
				{period: month(2), want: []string{"pay ann 70.00 EUR"}},
			},
		},
		{
			name: "per-affiliate overrides raise or lower the minimum",
			cfg:  override,
			steps: []step{
				{add: []ent{
					{id: "1", aff: "big", amount: "150 EUR", at: day(1, 10)},
					{id: "2", aff: "small", amount: "0.01 EUR", at: day(1, 10)},
					{id: "3", aff: "std", amount: "50 EUR", at: day(1, 10)},
				}, period: month(1), want: []string{
					"pay small 0.01 EUR", "pay std 50.00 EUR", "carry big 150.00 EUR below_minimum",
				}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.cfg)
			for i, s := range tt.steps {
				if len(s.add) > 0 {
					e.append(s.add...)
				}
				asOf := s.asOf
				if asOf.IsZero() {
					asOf = s.period.End()
				}
				got := e.run(s.period, asOf)
				if diff := cmp.Diff(s.want, summary(got)); diff != "" {
					t.Fatalf("step %d (%s) (-want +got):\n%s", i, s.period, diff)
				}
				if got.Replayed {
					t.Fatalf("step %d: first run reported Replayed", i)
				}
			}
		})
	}
}

func TestRunIsIdempotent(t *testing.T) {
	e := newEnv(t, eurMinimum("50"))
	e.append(ent{id: "1", aff: "ann", amount: "60 EUR", at: day(1, 10)}, ent{id: "2", aff: "bob", amount: "10 EUR", at: day(1, 10)})
	first := e.run(month(1), day(2, 1))
	// New entries and a later as-of time change nothing: the run is keyed
	// by its period.
	e.append(ent{id: "3", aff: "bob", amount: "90 EUR", at: day(1, 20)})
	again := e.run(month(1), day(3, 1))
	if !again.Replayed {
		t.Fatal("rerun not reported as Replayed")
	}
	if diff := cmp.Diff(first.Plan, again.Plan); diff != "" {
		t.Fatalf("rerun differs (-first +again):\n%s", diff)
	}
	// The next period's run takes what the replayed run did not.
	if diff := cmp.Diff([]string{"pay bob 100.00 EUR"}, summary(e.run(month(2), day(3, 1)))); diff != "" {
		t.Fatal(diff)
	}
}

func TestPayoutsAreDeterministic(t *testing.T) {
	build := func() payout.Result {
		e := newEnv(t, eurMinimum("1"))
		e.append(ent{id: "b", aff: "ann", amount: "5 EUR", at: day(1, 10)}, ent{id: "a", aff: "ann", amount: "6 EUR", at: day(1, 10)},
			ent{id: "c", aff: "bob", amount: "7 EUR", at: day(1, 9)})
		return e.run(month(1), day(2, 1))
	}
	a, b := build(), build()
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("two identical runs differ:\n%s", diff)
	}
	want := payout.PayoutID(payout.DefaultProgram, month(1), "ann", "EUR")
	if a.Payouts[0].ID != want || a.Payouts[0].Entries[0] != "a" || !a.Payouts[0].CreatedAt.Equal(day(2, 1)) {
		t.Fatalf("payout = %+v, want ID %s, entries by (At, ID), CreatedAt = as-of", a.Payouts[0], want)
	}
}

func TestLifecycle(t *testing.T) {
	e := newEnv(t, eurMinimum("50"))
	e.append(ent{id: "1", aff: "ann", amount: "60 EUR", at: day(1, 10)}, ent{id: "2", aff: "bob", amount: "70 EUR", at: day(1, 10)},
		ent{id: "3", aff: "cyd", amount: "80 EUR", at: day(1, 10)})
	res := e.run(month(1), day(2, 1))
	ann, bob, cyd := res.Payouts[0], res.Payouts[1], res.Payouts[2]

	e.now = day(2, 3)
	paid, err := e.runner.MarkPaid(ctx, ann.ID, "TR-1")
	if err != nil || paid.Status != affiliate.PayoutPaid || paid.Reference != "TR-1" || !paid.SettledAt.Equal(day(2, 3)) {
		t.Fatalf("MarkPaid = %+v, %v", paid, err)
	}
	if p, err := e.runner.MarkFailed(ctx, bob.ID, "IBAN refused"); err != nil || p.Status != affiliate.PayoutFailed || p.Note != "IBAN refused" {
		t.Fatalf("MarkFailed = %+v, %v", p, err)
	}
	if p, err := e.runner.Cancel(ctx, cyd.ID, "fraud review"); err != nil || p.Status != affiliate.PayoutCancelled {
		t.Fatalf("Cancel = %+v, %v", p, err)
	}
	// The failed and cancelled payouts' entries are released to the next
	// run; the paid one's are not.
	if diff := cmp.Diff([]affiliate.EntryID{"2", "3"}, e.unsettled()); diff != "" {
		t.Fatalf("unsettled after settling (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"pay bob 70.00 EUR", "pay cyd 80.00 EUR"}, summary(e.run(month(2), day(3, 1)))); diff != "" {
		t.Fatalf("next run (-want +got):\n%s", diff)
	}
	// A replay of January shows the payouts as they stand now.
	again := e.run(month(1), day(3, 1))
	if got := []affiliate.PayoutStatus{again.Payouts[0].Status, again.Payouts[1].Status, again.Payouts[2].Status}; !cmp.Equal(got,
		[]affiliate.PayoutStatus{affiliate.PayoutPaid, affiliate.PayoutFailed, affiliate.PayoutCancelled}) {
		t.Fatalf("replayed statuses = %v", got)
	}
}

func TestEligibilityChecks(t *testing.T) {
	refuseBob := payout.CheckFunc(func(_ context.Context, c payout.Candidate) (string, error) {
		if c.Affiliate.ID == "bob" {
			return "under review", nil
		}
		return "", nil
	})
	cfg := eurMinimum("50")
	cfg.Checks = []payout.Check{payout.ActiveAffiliate(), payout.PayoutMethodOnFile(), payout.MinActiveCustomers(1), refuseBob}
	e := newEnv(t, cfg)
	e.affiliate(affiliate.Affiliate{ID: "ann", PayoutMethodOnFile: true})
	e.affiliate(affiliate.Affiliate{ID: "bob", PayoutMethodOnFile: true})
	e.affiliate(affiliate.Affiliate{ID: "cyd", Status: affiliate.StatusSuspended})
	e.affiliate(affiliate.Affiliate{ID: "dan", PayoutMethodOnFile: true})
	for _, a := range []affiliate.AffiliateID{"ann", "bob", "cyd"} {
		e.payingCustomer(a, month(1))
	}
	e.append(
		ent{id: "1", aff: "ann", amount: "60 EUR", at: day(1, 10)},
		ent{id: "2", aff: "bob", amount: "60 EUR", at: day(1, 10)},
		ent{id: "3", aff: "cyd", amount: "60 EUR", at: day(1, 10)},
		ent{id: "4", aff: "dan", amount: "60 EUR", at: day(1, 10)},
		ent{id: "5", aff: "eve", amount: "60 EUR", at: day(1, 10)},
		ent{id: "6", aff: "fay", amount: "10 EUR", at: day(1, 10)}, // below the minimum: never checked
	)
	res := e.run(month(1), day(2, 1))
	want := []string{
		"pay ann 60.00 EUR",
		"carry bob 60.00 EUR ineligible",
		"carry cyd 60.00 EUR ineligible",
		"carry dan 60.00 EUR ineligible",
		"carry eve 60.00 EUR ineligible",
		"carry fay 10.00 EUR below_minimum",
	}
	if diff := cmp.Diff(want, summary(res)); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	notes := map[affiliate.AffiliateID]string{}
	for _, c := range res.Carried {
		notes[c.Affiliate] = c.Note
	}
	wantNotes := map[affiliate.AffiliateID]string{
		"bob": "not eligible: under review",
		"cyd": "not eligible: affiliate is suspended; no payout method on file",
		"dan": "not eligible: 0 active referred customers in 2026-01, fewer than 1",
		"eve": "not eligible: affiliate eve is not stored; no payout method on file; 0 active referred customers in 2026-01, fewer than 1",
		"fay": "balance 10.00 EUR is below the minimum payout of 50.00 EUR",
	}
	if diff := cmp.Diff(wantNotes, notes); diff != "" {
		t.Fatalf("notes (-want +got):\n%s", diff)
	}
}

func TestCheckErrorAbortsTheRun(t *testing.T) {
	boom := errors.New("KYC service down")
	cfg := eurMinimum("50")
	cfg.Checks = []payout.Check{payout.CheckFunc(func(context.Context, payout.Candidate) (string, error) { return "", boom })}
	e := newEnv(t, cfg)
	e.append(ent{id: "1", aff: "ann", amount: "60 EUR", at: day(1, 10)})
	if _, err := e.runner.Run(ctx, month(1), day(2, 1)); !errors.Is(err, boom) {
		t.Fatalf("Run error = %v, want the check's error", err)
	}
	if _, err := e.store.PayoutRun(ctx, payout.DefaultProgram, per("2026-01")); !errors.Is(err, affiliate.ErrNotFound) {
		t.Fatalf("a run was stored after a failed check: %v", err)
	}
	if diff := cmp.Diff([]affiliate.EntryID{"1"}, e.unsettled()); diff != "" {
		t.Fatal(diff)
	}
}
