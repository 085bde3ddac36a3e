package payfile_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/payout/payfile"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

func TestParseResult(t *testing.T) {
	const head = "batch_id,payout_id,status,reference,note\n"
	tests := []struct {
		name string
		in   string
		line int // of the *ResultError; -1 when valid
	}{
		{"paid and failed", head + "b1,po_1,paid,TRX-1,\nb1,po_2,failed,,account closed\n", -1},
		{"empty file", "", 1},
		{"other header", "batch,payout,status,reference,note\n", 1},
		{"no lines", head, 0},
		{"two batches", head + "b1,po_1,paid,T1,\nb2,po_2,paid,T2,\n", 3},
		{"payout twice", head + "b1,po_1,paid,T1,\nb1,po_1,failed,,\n", 3},
		{"paid without reference", head + "b1,po_1,paid,,\n", 2},
		{"unknown status", head + "b1,po_1,cancelled,,\n", 2},
		{"missing payout", head + "b1,,paid,T1,\n", 2},
		{"missing batch", head + ",po_1,paid,T1,\n", 2},
		{"short line", head + "b1,po_1,paid\n", 2},
		{"control character in note", head + "b1,po_1,failed,,\"a\x01b\"\n", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := payfile.ParseResult(strings.NewReader(tt.in))
			if tt.line < 0 {
				if err != nil {
					t.Fatalf("ParseResult = %v", err)
				}
				want := payfile.Result{BatchID: "b1", Outcomes: []payfile.Outcome{
					{Payout: "po_1", Status: affiliate.PayoutPaid, Reference: "TRX-1"},
					{Payout: "po_2", Status: affiliate.PayoutFailed, Note: "account closed"},
				}}
				if diff := cmp.Diff(want, res); diff != "" {
					t.Fatalf("ParseResult (-want +got):\n%s", diff)
				}
				return
			}
			var re *payfile.ResultError
			if !errors.As(err, &re) || re.Line != tt.line || !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("ParseResult = %v, want a *ResultError at line %d matching ErrInvalid", err, tt.line)
			}
		})
	}
}

// FuzzParseResult: the parser never panics, and what it accepts writes
// back to a file that parses to the same result.
func FuzzParseResult(f *testing.F) {
	f.Add("batch_id,payout_id,status,reference,note\nb1,po_1,paid,TRX-1,\nb1,po_2,failed,,\"closed, sorry\"\n")
	f.Add("batch_id,payout_id,status,reference,note\n")
	f.Add("x\n\"")
	f.Fuzz(func(t *testing.T, in string) {
		res, err := payfile.ParseResult(strings.NewReader(in))
		if err != nil {
			var re *payfile.ResultError
			if !errors.As(err, &re) || !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("ParseResult error %v is not a *ResultError matching ErrInvalid", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := payfile.WriteResult(&buf, res); err != nil {
			t.Fatal(err)
		}
		again, err := payfile.ParseResult(&buf)
		if err != nil {
			t.Fatalf("the written result does not parse: %v\n%s", err, buf.String())
		}
		if diff := cmp.Diff(res, again); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}

// resultFor makes a result for the fixture run: ann paid, bob failed.
func resultFor(run affiliate.PayoutRun) payfile.Result {
	byAff := make(map[affiliate.AffiliateID]affiliate.PayoutID)
	for _, p := range run.Payouts {
		byAff[p.Affiliate] = p.ID
	}
	return payfile.Result{BatchID: payfile.BatchID(run.Program, run.Period), Outcomes: []payfile.Outcome{
		{Payout: byAff["ann"], Status: affiliate.PayoutPaid, Reference: "SEPA-0001"},
		{Payout: byAff["bob"], Status: affiliate.PayoutFailed, Note: "IBAN closed"},
	}}
}

func statuses(t *testing.T, s *memstore.Store) map[affiliate.AffiliateID]string {
	t.Helper()
	run, err := s.PayoutRun(ctx, payout.DefaultProgram, jan)
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[affiliate.AffiliateID]string)
	for _, p := range run.Payouts {
		out[p.Affiliate] = string(p.Status) + " " + p.Reference
	}
	return out
}

func TestApply(t *testing.T) {
	settled := time.Date(2026, time.February, 16, 8, 0, 0, 0, time.UTC)
	s, run := fixture(t)
	got, err := payfile.Apply(ctx, s, payout.DefaultProgram, jan, resultFor(run), settled)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Status != affiliate.PayoutPaid || got[0].Reference != "SEPA-0001" || !got[0].SettledAt.Equal(settled) ||
		got[1].Status != affiliate.PayoutFailed || got[1].Note != "IBAN closed" {
		t.Fatalf("Apply returned %+v", got)
	}
	want := statuses(t, s)
	// Applying the same file again is a replay: nothing changes.
	if _, err := payfile.Apply(ctx, s, payout.DefaultProgram, jan, resultFor(run), settled.Add(time.Hour)); err != nil {
		t.Fatalf("Apply again = %v, want a replay", err)
	}
	if diff := cmp.Diff(want, statuses(t, s)); diff != "" {
		t.Fatalf("a replay changed the payouts (-before +after):\n%s", diff)
	}
}

// Every refusal leaves every payout as it was: the lines are checked
// before any is written, and the bad line is the last one.
func TestApplyRefusesAndChangesNothing(t *testing.T) {
	settled := time.Date(2026, time.February, 16, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		change func(s *memstore.Store, run affiliate.PayoutRun, res *payfile.Result)
		want   error
	}{
		{"file for another run", func(_ *memstore.Store, run affiliate.PayoutRun, res *payfile.Result) {
			res.BatchID = payfile.BatchID(run.Program, affiliate.Period{Year: 2026, Month: time.February, Location: time.UTC})
		}, payfile.ErrWrongBatch},
		{"unknown reference", func(_ *memstore.Store, _ affiliate.PayoutRun, res *payfile.Result) {
			res.Outcomes = append(res.Outcomes, payfile.Outcome{Payout: "po_2026-01_000000000000000000000000", Status: affiliate.PayoutPaid, Reference: "X"})
		}, payfile.ErrUnknownPayout},
		{"paid already under another reference", func(s *memstore.Store, _ affiliate.PayoutRun, res *payfile.Result) {
			cat := catPayout(s)
			if _, err := s.SettlePayout(ctx, storage.PayoutSettlement{ID: cat, Status: affiliate.PayoutPaid, Reference: "PP-1", At: settled}); err != nil {
				panic(err)
			}
			res.Outcomes = append(res.Outcomes, payfile.Outcome{Payout: cat, Status: affiliate.PayoutPaid, Reference: "PP-2"})
		}, storage.ErrPayoutPaid},
		{"failed after it was paid", func(s *memstore.Store, _ affiliate.PayoutRun, res *payfile.Result) {
			cat := catPayout(s)
			if _, err := s.SettlePayout(ctx, storage.PayoutSettlement{ID: cat, Status: affiliate.PayoutPaid, Reference: "PP-1", At: settled}); err != nil {
				panic(err)
			}
			res.Outcomes = append(res.Outcomes, payfile.Outcome{Payout: cat, Status: affiliate.PayoutFailed})
		}, affiliate.ErrConflict},
		{"one payout under its ID and its EndToEndID", func(_ *memstore.Store, _ affiliate.PayoutRun, res *payfile.Result) {
			o := res.Outcomes[0]
			o.Payout = affiliate.PayoutID(payfile.EndToEndID(o.Payout))
			res.Outcomes = append(res.Outcomes, o)
		}, affiliate.ErrInvalid},
		{"paid after it was cancelled", func(s *memstore.Store, _ affiliate.PayoutRun, res *payfile.Result) {
			cat := catPayout(s)
			if _, err := s.SettlePayout(ctx, storage.PayoutSettlement{ID: cat, Status: affiliate.PayoutCancelled, At: settled}); err != nil {
				panic(err)
			}
			res.Outcomes = append(res.Outcomes, payfile.Outcome{Payout: cat, Status: affiliate.PayoutPaid, Reference: "PP-1"})
		}, storage.ErrPayoutReleased},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, run := fixture(t)
			res := resultFor(run)
			tt.change(s, run, &res)
			before := statuses(t, s)
			_, err := payfile.Apply(ctx, s, payout.DefaultProgram, jan, res, settled)
			var re *payfile.ResultError
			if !errors.Is(err, tt.want) || !errors.As(err, &re) {
				t.Fatalf("Apply = %v, want a *ResultError matching %v", err, tt.want)
			}
			if diff := cmp.Diff(before, statuses(t, s)); diff != "" {
				t.Fatalf("a refused file changed payouts (-before +after):\n%s", diff)
			}
		})
	}
}

func catPayout(s *memstore.Store) affiliate.PayoutID {
	run, err := s.PayoutRun(ctx, payout.DefaultProgram, jan)
	if err != nil {
		panic(err)
	}
	for _, p := range run.Payouts {
		if p.Affiliate == "cat" {
			return p.ID
		}
	}
	panic("no payout for cat")
}
