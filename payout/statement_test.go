package payout_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/storage"
)

// scriptedMonths builds the story the statement tests read: ann earns in
// December and January with a 30-day hold, a refund reverses part of
// December, January's run pays 70.00, February's carries 40.00.
func scriptedMonths(t *testing.T) *env {
	t.Helper()
	e := newEnv(t, eurMinimum("50"))
	dec := time.Date(2025, time.December, 5, 12, 0, 0, 0, time.UTC)
	e.append(ent{id: "d1", aff: "ann", amount: "30 EUR", at: dec, hold: hold30})
	e.run(affiliate.Period{Year: 2025, Month: time.December, Location: time.UTC}, day(1, 1))
	e.append(
		ent{id: "j1", aff: "ann", amount: "45 EUR", at: day(1, 3), hold: hold30},
		ent{id: "j2", aff: "ann", amount: "5 EUR", at: day(1, 10), hold: hold30, kind: affiliate.KindBonus},
		ent{id: "j4", aff: "ann", amount: "-10 EUR", at: day(1, 20)},
		ent{id: "j5", aff: "ann", amount: "60 EUR", at: day(1, 28), hold: hold30},
		ent{id: "x1", aff: "bob", amount: "99 EUR", at: day(1, 4)},
		ent{id: "u1", aff: "ann", amount: "12 USD", at: day(1, 4)},
	)
	jan := e.run(month(1), day(2, 10))
	e.now = day(2, 12)
	if _, err := e.runner.MarkPaid(ctx, jan.Payouts[0].ID, "TR-1"); err != nil {
		t.Fatal(err)
	}
	e.append(
		ent{id: "f0", aff: "ann", amount: "-20 EUR", at: day(2, 2)},
		ent{id: "f1", aff: "ann", amount: "15 EUR", at: day(2, 14), hold: hold30},
	)
	e.run(month(2), day(3, 1))
	return e
}

func TestStatementScriptedMonths(t *testing.T) {
	e := scriptedMonths(t)
	jan, err := e.runner.Statement(ctx, "ann", month(1), "EUR")
	if err != nil {
		t.Fatal(err)
	}
	wantJan := `Statement 2026-01 for ann, EUR
Run as of 2026-02-10T12:00:00Z

  Opening balance                       30.00
  Earned: commission                   105.00
  Earned: sub_affiliate_bonus            5.00
  Reversed                             -10.00
  Paid                                 -70.00
  Closing balance                       60.00
    carried to the next run              0.00
    on hold                             60.00

  2026-01-03  commission          j1                                           45.00  commission 45.00 EUR (j1)
  2026-01-10  sub_affiliate_bonus j2                                            5.00  sub_affiliate_bonus 5.00 EUR (j2)
  2026-01-20  reversal            j4                                          -10.00  reversal -10.00 EUR (j4)
  2026-01-28  commission          j5                                           60.00  commission 60.00 EUR (j5)
  2026-02-10  payout              ` + string(payout.PayoutID("default", month(1), "ann", "EUR")) + `         -70.00  paid, transfer TR-1, settling 4 entries
`
	if diff := cmp.Diff(wantJan, jan.Text()); diff != "" {
		t.Errorf("January statement (-want +got):\n%s", diff)
	}

	feb, err := e.runner.Statement(ctx, "ann", month(2), "EUR")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{
		"opening": feb.Opening.String(), "earned": feb.EarnedTotal.String(), "reversed": feb.Reversed.String(),
		"paid": feb.Paid.String(), "closing": feb.Closing.String(), "carried": feb.Carried.String(),
		"on hold": feb.OnHold.String(), "note": feb.CarriedNote,
	}
	want := map[string]string{
		"opening": "60.00 EUR", "earned": "15.00 EUR", "reversed": "-20.00 EUR", "paid": "0.00 EUR",
		"closing": "55.00 EUR", "carried": "40.00 EUR", "on hold": "15.00 EUR",
		"note": "balance 40.00 EUR is below the minimum payout of 50.00 EUR",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("February statement (-want +got):\n%s", diff)
	}

	// The USD account is separate.
	usd, err := e.runner.Statement(ctx, "ann", month(1), "USD")
	if err != nil {
		t.Fatal(err)
	}
	if usd.Opening.String() != "0.00 USD" || usd.Closing.String() != "0.00 USD" || usd.Paid.String() != "12.00 USD" {
		t.Errorf("USD statement = %+v", usd)
	}

	// March has no run yet: the balance splits at the runner's clock.
	e.now = day(3, 20)
	mar, err := e.runner.Statement(ctx, "ann", month(3), "EUR")
	if err != nil {
		t.Fatal(err)
	}
	if mar.HasRun || mar.Opening != feb.Closing || mar.Carried.String() != "55.00 EUR" || mar.OnHold.String() != "0.00 EUR" ||
		!strings.HasPrefix(mar.CarriedNote, "no run for 2026-03 yet") {
		t.Errorf("March statement = %+v", mar)
	}
}

func TestStatementJSON(t *testing.T) {
	e := scriptedMonths(t)
	feb, err := e.runner.Statement(ctx, "ann", month(2), "EUR")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(feb)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Affiliate string `json:"affiliate"`
		Period    string `json:"period"`
		Cut       string `json:"cut"`
		HasRun    bool   `json:"has_run"`
		Closing   struct {
			Amount   string `json:"amount"`
			Currency string `json:"currency"`
		} `json:"closing"`
		Earned []struct {
			Kind string `json:"kind"`
		} `json:"earned"`
		Lines []struct {
			Ref    string          `json:"ref"`
			Effect json.RawMessage `json:"effect"`
		} `json:"lines"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	if got.Affiliate != "ann" || got.Period != "2026-02" || got.Cut != "2026-03-01T12:00:00Z" || !got.HasRun ||
		got.Closing.Amount != "55.00" || got.Closing.Currency != "EUR" || len(got.Earned) != 1 || got.Earned[0].Kind != "commission" ||
		len(got.Lines) != 2 || got.Lines[0].Ref != "f0" || string(got.Lines[0].Effect) != `{"amount":"-20.00","currency":"EUR"}` {
		t.Fatalf("statement JSON = %s", b)
	}
	// An affiliate with nothing still gets lists, never null.
	empty, err := e.runner.Statement(ctx, "zed", month(2), "EUR")
	if err != nil {
		t.Fatal(err)
	}
	b, _ = json.Marshal(empty)
	if !strings.Contains(string(b), `"earned":[]`) || !strings.Contains(string(b), `"lines":[]`) {
		t.Fatalf("empty statement JSON = %s", b)
	}
}

func TestStatementBadInput(t *testing.T) {
	e := newEnv(t, payout.Config{})
	for name, call := range map[string]func() error{
		"empty affiliate":  func() error { _, err := e.runner.Statement(ctx, "", month(1), "EUR"); return err },
		"unknown currency": func() error { _, err := e.runner.Statement(ctx, "ann", month(1), "XXX"); return err },
		"bad period": func() error {
			_, err := e.runner.Statement(ctx, "ann", affiliate.Period{Year: 2026}, "EUR")
			return err
		},
	} {
		if err := call(); !errors.Is(err, affiliate.ErrInvalid) {
			t.Errorf("%s: error = %v, want ErrInvalid", name, err)
		}
	}
}

// TestBuildStatementIgnoresInputOrder: the pure core gives the same
// statement, lines included, whatever order its entries and runs come in.
func TestBuildStatementIgnoresInputOrder(t *testing.T) {
	e := scriptedMonths(t)
	entries, err := e.store.Entries(ctx, storage.EntryQuery{Beneficiary: "ann", Currency: "EUR", To: month(2).End()})
	if err != nil {
		t.Fatal(err)
	}
	runs, err := e.store.AffiliateRuns(ctx, payout.DefaultProgram, "ann", per("2025-01"), per("2026-02"))
	if err != nil {
		t.Fatal(err)
	}
	in := payout.StatementInput{Affiliate: "ann", Period: month(2), Currency: "EUR", Cut: day(3, 20), Entries: entries, Runs: runs}
	want, err := payout.BuildStatement(in)
	if err != nil {
		t.Fatal(err)
	}
	in.Entries = slices.Clone(entries)
	slices.Reverse(in.Entries)
	in.Runs = slices.Clone(runs)
	slices.Reverse(in.Runs)
	got, err := payout.BuildStatement(in)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("reversed input (-in order +reversed):\n%s", diff)
	}
	if len(got.Lines) < 2 || got.Lines[0].Ref != "f0" {
		t.Fatalf("lines = %+v, want f0 first", got.Lines)
	}
}
