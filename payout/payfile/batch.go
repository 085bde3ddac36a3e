package payfile

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
)

// Batch is what one execution file is written from: a run's created
// payouts that are paid by one method, each with its payee's profile.
type Batch struct {
	// ID names the run in every file written from it and in the result
	// files that come back: BatchID(program, period).
	ID     string
	Method affiliate.PayoutMethod
	// CreatedAt is the run's as-of time, not the clock, so a file written
	// twice is byte-identical.
	CreatedAt time.Time
	Lines     []Line // ordered by payout ID
}

// Line is one payout to send and the profile it is sent to.
type Line struct {
	Payout affiliate.Payout
	Payee  affiliate.PayeeProfile
}

// BatchID returns the ID of program's run for period in files: "run-",
// the period, "-" and 16 hex digits of a SHA-256 over program, period and
// location; 28 characters of SEPA's Latin set, within ISO 20022's 35 for
// a message ID.
func BatchID(program string, period affiliate.Period) string {
	loc := "UTC"
	if period.Location != nil {
		loc = period.Location.String()
	}
	h := sha256.New()
	for _, s := range []string{"payfile/v1", program, period.String(), loc} {
		io.WriteString(h, strconv.Itoa(len(s))+":"+s)
	}
	return "run-" + period.String() + "-" + hex.EncodeToString(h.Sum(nil))[:16]
}

// NewBatch selects the payouts of run that are still created and whose
// payee is paid by method. payees holds each affiliate's profile, as
// storage.Profiles.Profile returns it.
//
// Returns a *affiliate.FieldError matching ErrNotFound when a created
// payout's affiliate has no profile (it would silently go unpaid), one
// matching ErrCurrencyMismatch when a payee is paid in another currency
// than its payout, and ErrInvalid for an unknown method or a profile
// that fails Validate or belongs to another affiliate.
func NewBatch(run affiliate.PayoutRun, payees map[affiliate.AffiliateID]affiliate.PayeeProfile, method affiliate.PayoutMethod) (Batch, error) {
	switch method {
	case affiliate.MethodBankTransfer, affiliate.MethodPayPal, affiliate.MethodWise, affiliate.MethodOther:
	default:
		return Batch{}, &affiliate.FieldError{Field: "method", Reason: "unknown method " + strconv.Quote(string(method))}
	}
	if err := run.Period.Validate(); err != nil {
		return Batch{}, err
	}
	b := Batch{ID: BatchID(run.Program, run.Period), Method: method, CreatedAt: run.AsOf}
	for _, p := range run.Payouts {
		if p.Status != affiliate.PayoutCreated {
			continue
		}
		payee, ok := payees[p.Affiliate]
		if !ok {
			return Batch{}, &affiliate.FieldError{Field: "payees", Reason: "no profile for affiliate " + string(p.Affiliate) + " (payout " + string(p.ID) + ")", Err: affiliate.ErrNotFound}
		}
		if err := payee.Validate(); err != nil {
			return Batch{}, err
		}
		if payee.Affiliate != p.Affiliate {
			return Batch{}, &affiliate.FieldError{Field: "payees", Reason: "the profile under " + string(p.Affiliate) + " belongs to " + string(payee.Affiliate)}
		}
		if payee.Method != method {
			continue
		}
		if payee.Currency != p.Amount.Currency() {
			return Batch{}, &affiliate.FieldError{Field: "payees", Reason: "affiliate " + string(p.Affiliate) + " is paid in " + string(payee.Currency) + ", payout " + string(p.ID) + " is in " + string(p.Amount.Currency()), Err: affiliate.ErrCurrencyMismatch}
		}
		b.Lines = append(b.Lines, Line{Payout: p, Payee: payee})
	}
	slices.SortFunc(b.Lines, func(x, y Line) int { return strings.Compare(string(x.Payout.ID), string(y.Payout.ID)) })
	return b, nil
}

// total sums the batch's amounts, all in one currency, as the control sum.
func (b Batch) total() (affiliate.Money, error) {
	if len(b.Lines) == 0 {
		return affiliate.Money{}, &affiliate.FieldError{Field: "Batch.Lines", Reason: "no payout to write"}
	}
	c := b.Lines[0].Payout.Amount.Currency()
	sum := affiliate.Zero(c)
	for _, l := range b.Lines {
		var err error
		if sum, err = sum.Add(l.Payout.Amount); err != nil {
			return affiliate.Money{}, err
		}
	}
	return sum, nil
}

// remittance is the text the payee sees on the transfer.
func remittance(l Line) string {
	return "Affiliate commission " + l.Payout.Period.String() + " " + string(l.Payout.ID)
}
