package payfile

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// ResultHeader is the header row of a result file: the outcome of each
// payout of one batch, as the host transcribes it from the bank's or
// provider's report (a pain.002 status report, PayPal's or Wise's batch
// report).
var ResultHeader = []string{"batch_id", "payout_id", "status", "reference", "note"}

// Outcome is what happened to one payout.
type Outcome struct {
	Payout affiliate.PayoutID
	Status affiliate.PayoutStatus // PayoutPaid or PayoutFailed
	// Reference is the bank's or provider's transfer ID; required when
	// paid.
	Reference string
	Note      string // why it failed, optional
}

// Result is a parsed result file: one batch, one outcome per payout.
type Result struct {
	BatchID  string
	Outcomes []Outcome // in file order
}

// Errors of ParseResult and Apply. The typed form is *ResultError.
var (
	// ErrWrongBatch reports a result file for another run than the one it
	// is applied to. It matches affiliate.ErrInvalid.
	ErrWrongBatch = fmt.Errorf("%w: result file is for another run", affiliate.ErrInvalid)
	// ErrUnknownPayout reports a payout reference the run does not hold.
	// It matches affiliate.ErrNotFound.
	ErrUnknownPayout = fmt.Errorf("%w: payout not in this run", affiliate.ErrNotFound)
)

// ResultError says what is wrong with a result file or a bank's status
// report, and where. Line is the line ParseResult, or ParseStatusReport
// on XML that is not well-formed, stopped at, counting from 1; it is 0
// for the file as a whole and for a payout, which Payout then names
// (Apply names payouts, not lines). Err is the sentinel it matches:
// ErrInvalid for malformed input, ErrWrongBatch, ErrUnknownPayout, or
// storage.ErrPayoutPaid / ErrPayoutReleased (both ErrConflict) for a
// payout that has moved on already.
type ResultError struct {
	Line   int
	Payout affiliate.PayoutID
	Reason string
	Err    error
}

func (e *ResultError) Error() string {
	where := "result file"
	if e.Line > 0 {
		where = fmt.Sprintf("result file line %d", e.Line)
	}
	if e.Payout != "" {
		where += " (payout " + string(e.Payout) + ")"
	}
	return "payfile: " + where + ": " + e.Reason
}

// Unwrap returns Err, or affiliate.ErrInvalid when Err is nil.
func (e *ResultError) Unwrap() error {
	if e.Err == nil {
		return affiliate.ErrInvalid
	}
	return e.Err
}

// ParseResult reads a result file: ResultHeader, then one line per
// payout, every line naming the same batch, no payout twice, status
// "paid" (with a reference) or "failed". It returns a *ResultError
// (ErrInvalid) for the first line that breaks a rule.
func ParseResult(r io.Reader) (Result, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(ResultHeader)
	cr.ReuseRecord = false
	head, err := cr.Read()
	if err != nil {
		return Result{}, &ResultError{Line: 1, Reason: "no header row: " + errText(err)}
	}
	if !slices.Equal(head, ResultHeader) {
		return Result{}, &ResultError{Line: 1, Reason: "header is not " + strings.Join(ResultHeader, ",")}
	}
	var res Result
	seen := make(map[affiliate.PayoutID]bool)
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Result{}, &ResultError{Line: line, Reason: errText(err)}
		}
		o := Outcome{Payout: affiliate.PayoutID(rec[1]), Status: affiliate.PayoutStatus(rec[2]), Reference: rec[3], Note: rec[4]}
		bad := func(reason string) error { return &ResultError{Line: line, Payout: o.Payout, Reason: reason} }
		switch {
		case affiliate.ValidateID("batch_id", rec[0]) != nil:
			return Result{}, bad("batch_id is missing or malformed")
		case res.BatchID != "" && rec[0] != res.BatchID:
			return Result{}, bad("batch " + rec[0] + " differs from line 2's " + res.BatchID)
		case affiliate.ValidateID("payout_id", o.Payout) != nil:
			return Result{}, bad("payout_id is missing or malformed")
		case seen[o.Payout]:
			return Result{}, bad("payout listed twice")
		case o.Status == affiliate.PayoutPaid:
			if affiliate.ValidateID("reference", o.Reference) != nil {
				return Result{}, bad("a paid payout needs its transfer reference")
			}
		case o.Status == affiliate.PayoutFailed:
		default:
			return Result{}, bad("status " + fmt.Sprintf("%q", rec[2]) + " is not paid or failed")
		}
		if strings.ContainsFunc(o.Note, func(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f }) {
			return Result{}, bad("note holds a control character")
		}
		res.BatchID = rec[0]
		seen[o.Payout] = true
		res.Outcomes = append(res.Outcomes, o)
	}
	if len(res.Outcomes) == 0 {
		return Result{}, &ResultError{Reason: "no payout lines"}
	}
	return res, nil
}

func errText(err error) string {
	if err == io.EOF {
		return "empty file"
	}
	return err.Error()
}

// WriteResult writes res in the format ParseResult reads.
func WriteResult(w io.Writer, res Result) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ResultHeader); err != nil {
		return err
	}
	for _, o := range res.Outcomes {
		if err := cw.Write([]string{res.BatchID, string(o.Payout), string(o.Status), o.Reference, o.Note}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Store is what Apply reads and writes: the run, and the payouts'
// lifecycle. memstore.Store and sqlstore.Store implement it.
type Store interface {
	PayoutRun(ctx context.Context, program string, period affiliate.Period) (affiliate.PayoutRun, error)
	SettlePayout(ctx context.Context, s storage.PayoutSettlement) (affiliate.Payout, error)
}

// Apply marks the payouts of program's run for period paid or failed as
// res says, settling each with storage.Payouts.SettlePayout at time at,
// and returns them as they stand after, in res's order.
//
// A line names its payout by ID or by EndToEndID, the form a SEPA file and
// the bank's status report carry. It checks every line before it writes
// any: a file for another run (ErrWrongBatch), a payout the run does not
// hold (ErrUnknownPayout), one payout listed twice (ErrInvalid), a
// payout already paid under another reference or reported failed after
// it was paid (storage.ErrPayoutPaid), or one already failed or
// cancelled and now reported paid (storage.ErrPayoutReleased) returns a
// *ResultError and changes nothing. A line that repeats what is stored
// (paid under the same reference, failed again) is a replay and writes
// nothing, so applying a file twice is safe; and if a write fails midway
// (another writer settled a payout between the check and the write),
// applying the same file again completes it.
func Apply(ctx context.Context, store Store, program string, period affiliate.Period, res Result, at time.Time) ([]affiliate.Payout, error) {
	if at.IsZero() {
		return nil, &affiliate.FieldError{Field: "at", Reason: "zero time"}
	}
	if want := BatchID(program, period); res.BatchID != want {
		return nil, &ResultError{Reason: "batch " + res.BatchID + " is not run " + program + "/" + period.String() + " (" + want + ")", Err: ErrWrongBatch}
	}
	run, err := store.PayoutRun(ctx, program, period)
	if err != nil {
		return nil, err
	}
	// A payout is named by its ID or by the EndToEndID a SEPA file and the
	// bank's report carry; payout IDs ("po_<period>_<hex>") differ in their
	// hex, so the two forms never name two payouts.
	stored := make(map[affiliate.PayoutID]affiliate.Payout, 2*len(run.Payouts))
	for _, p := range run.Payouts {
		stored[p.ID] = p
		stored[affiliate.PayoutID(EndToEndID(p.ID))] = p
	}
	writes := make([]bool, len(res.Outcomes))
	listed := make(map[affiliate.PayoutID]bool, len(res.Outcomes))
	for i, o := range res.Outcomes {
		p, ok := stored[o.Payout]
		if !ok {
			return nil, &ResultError{Payout: o.Payout, Reason: "run " + program + "/" + period.String() + " holds no such payout", Err: ErrUnknownPayout}
		}
		if listed[p.ID] {
			return nil, &ResultError{Payout: o.Payout, Reason: "payout listed twice"}
		}
		listed[p.ID] = true
		switch {
		case p.Status == affiliate.PayoutCreated:
			writes[i] = true
		case p.Status == o.Status && (o.Status == affiliate.PayoutFailed || p.Reference == o.Reference):
			// a replay of this line
		case p.Status == affiliate.PayoutPaid:
			return nil, &ResultError{Payout: o.Payout, Reason: "already paid under reference " + p.Reference, Err: storage.ErrPayoutPaid}
		default:
			return nil, &ResultError{Payout: o.Payout, Reason: "already " + string(p.Status) + ": its entries went back to the balance", Err: storage.ErrPayoutReleased}
		}
	}
	out := make([]affiliate.Payout, len(res.Outcomes))
	for i, o := range res.Outcomes {
		if !writes[i] {
			out[i] = stored[o.Payout]
			continue
		}
		p, err := store.SettlePayout(ctx, storage.PayoutSettlement{ID: stored[o.Payout].ID, Status: o.Status, Reference: o.Reference, Note: o.Note, At: at})
		if err != nil {
			return nil, fmt.Errorf("payfile: payout %s changed while the result was applied; apply it again: %w", o.Payout, err)
		}
		out[i] = p
	}
	return out, nil
}
