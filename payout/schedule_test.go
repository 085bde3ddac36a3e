package payout_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/payout"
)

func TestNetDays(t *testing.T) {
	cfg := eurMinimum("0")
	cfg.Schedule = payout.Schedule{NetDays: 15}
	e := newEnv(t, cfg)
	e.append(ent{id: "a1", aff: "ann", amount: "10.00 EUR", at: day(time.January, 5)})
	due := time.Date(2026, time.February, 16, 0, 0, 0, 0, time.UTC)
	if got := e.runner.DueAt(month(time.January)); !got.Equal(due) {
		t.Fatalf("DueAt = %s, want %s", got, due)
	}
	_, err := e.runner.Run(ctx, month(time.January), due.Add(-time.Second))
	var nd *payout.NotDueError
	if !errors.As(err, &nd) || !errors.Is(err, affiliate.ErrPeriodOpen) || !errors.Is(err, affiliate.ErrInvalid) {
		t.Fatalf("Run before the due time = %v, want a *NotDueError matching ErrPeriodOpen", err)
	}
	if got := e.unsettled(); len(got) != 1 {
		t.Fatalf("a refused run settled entries: open %v", got)
	}
	if diff := cmp.Diff([]string{"pay ann 10.00 EUR"}, summary(e.run(month(time.January), due))); diff != "" {
		t.Fatalf("run at the due time (-want +got):\n%s", diff)
	}
	if _, err := payout.New(payout.Config{Store: e.store, Schedule: payout.Schedule{NetDays: -1}}); !errors.Is(err, affiliate.ErrInvalid) {
		t.Fatalf("New with NetDays -1 = %v, want ErrInvalid", err)
	}
}

func TestRequest(t *testing.T) {
	cfg := eurMinimum("20.00")
	cfg.Schedule = payout.Schedule{NetDays: 30} // a request does not wait for it
	e := newEnv(t, cfg)
	e.append(
		ent{id: "a1", aff: "ann", amount: "30.00 EUR", at: day(time.January, 5)},
		ent{id: "b1", aff: "bob", amount: "40.00 EUR", at: day(time.January, 6)},
		ent{id: "c1", aff: "cyd", amount: "5.00 EUR", at: day(time.January, 7)},
	)
	asked := day(time.February, 3)
	res, err := e.runner.Request(ctx, "ann", month(time.January), asked)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"pay ann 30.00 EUR"}, summary(res)); diff != "" {
		t.Fatalf("ann's request (-want +got):\n%s", diff)
	}
	again, err := e.runner.Request(ctx, "ann", month(time.January), asked.Add(time.Hour))
	if err != nil || !again.Replayed || len(again.Payouts) != 1 || again.Payouts[0].ID != res.Payouts[0].ID {
		t.Fatalf("a second request for January = %+v, %v; want a replay of the first", again, err)
	}
	// The minimum applies to a request.
	small, err := e.runner.Request(ctx, "cyd", month(time.January), asked)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"carry cyd 5.00 EUR below_minimum"}, summary(small)); diff != "" {
		t.Fatalf("cyd's request (-want +got):\n%s", diff)
	}
	// The monthly run, at its NET-30 due time, no longer sees ann's entries.
	monthly := e.run(month(time.January), day(time.March, 3))
	if diff := cmp.Diff([]string{"pay bob 40.00 EUR", "carry cyd 5.00 EUR below_minimum"}, summary(monthly)); diff != "" {
		t.Fatalf("monthly run (-want +got):\n%s", diff)
	}
	// ann's statement shows the requested payout.
	st, err := e.runner.Statement(ctx, "ann", month(time.January), "EUR")
	if err != nil {
		t.Fatal(err)
	}
	if st.Paid.String() != "30.00 EUR" || !st.Closing.IsZero() {
		t.Fatalf("ann's statement: paid %s, closing %s; want 30.00 EUR paid, nothing left", st.Paid, st.Closing)
	}
	if _, err := e.runner.Request(ctx, "", month(time.January), asked); !errors.Is(err, affiliate.ErrInvalid) {
		t.Fatalf("Request without affiliate = %v, want ErrInvalid", err)
	}
}
