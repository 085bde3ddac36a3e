package payout

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// Statement is one affiliate's account for one period in one currency.
// The figures obey two identities, which the builder checks:
//
//	Closing = Opening + EarnedTotal + Reversed − Paid
//	Closing = Carried + OnHold
//
// Opening is what the affiliate was owed and not paid when the period
// began: every entry earned before the period's start that no payout of
// an earlier period's run holds (created or paid). It equals the previous
// statement's Closing.
//
// Paid is the period's run's payouts that are created or paid. A failed
// or cancelled payout pays nothing: its entries are owed again.
//
// Closing is what is owed and not paid after the period's run: every
// entry earned before the period's end that no payout of this or an
// earlier period's run holds. It splits by the cut time (the run's as-of
// time, or the statement's own time when the period has no run yet):
// Carried is the part that was available at the cut and is left for the
// next run (below the minimum, not positive, refused by a check, released
// by a failed or cancelled payout, or recorded after the run); OnHold is
// the part still inside its hold at the cut.
type Statement struct {
	Affiliate affiliate.AffiliateID
	Period    affiliate.Period
	Currency  affiliate.Currency
	// Cut is the run's as-of time when HasRun, else the statement's time.
	Cut    time.Time
	HasRun bool

	Opening     affiliate.Money
	Earned      []KindTotal // earnings by kind in the period, reversals apart
	EarnedTotal affiliate.Money
	Reversed    affiliate.Money // reversal entries in the period (zero or negative)
	Paid        affiliate.Money
	Closing     affiliate.Money
	Carried     affiliate.Money
	OnHold      affiliate.Money
	// CarriedNote says why the carried balance was not paid, in words.
	CarriedNote string

	// Lines are the period's entries (by At, then ID) followed by the
	// period's payouts; each says in one line where its amount comes from.
	Lines []Line
	// Review lists the entries runs leave unpaid until a reviewer approves
	// them, and the period's entries a reviewer decided (see Approval).
	Review []ReviewLine
}

// KindTotal is the sum of one kind of entry.
type KindTotal struct {
	Kind   affiliate.EntryKind
	Amount affiliate.Money
}

// Line is one line of a statement.
type Line struct {
	At     time.Time
	Kind   string // the entry kind, or "payout"
	Ref    string // the entry or payout ID
	Amount affiliate.Money
	// Effect is what the line does to the balance: the entry's amount, or
	// minus a live payout's amount (zero for a failed or cancelled one).
	Effect      affiliate.Money
	Explanation string
}

// StatementInput is everything a statement depends on; BuildStatement is
// a pure function of it.
type StatementInput struct {
	Affiliate affiliate.AffiliateID
	Period    affiliate.Period
	Currency  affiliate.Currency
	// Cut splits the closing balance when Runs has no run for Period.
	Cut time.Time
	// Entries are the affiliate's entries, in any order; those of another
	// beneficiary or currency, or earned at or after the period's end, are
	// ignored.
	Entries []affiliate.Entry
	// Runs are the affiliate's shares of its program's runs for periods
	// up to and including Period (storage.PayoutHistory.AffiliateRuns).
	Runs []affiliate.AffiliateRun
}

// kindOrder fixes the order of Statement.Earned.
var kindOrder = []affiliate.EntryKind{affiliate.KindCommission, affiliate.KindBonus, affiliate.KindBounty, affiliate.KindAdjustment}

// BuildStatement computes a statement. It returns a *affiliate.FieldError
// (ErrInvalid) for a bad affiliate, period or currency or a zero cut,
// ErrOverflow when a sum leaves the Money range, and an error matching
// affiliate.ErrConflict when the runs hold entries the statement cannot
// see (a payout of entries earned after its period), so it cannot
// balance.
func BuildStatement(in StatementInput) (Statement, error) {
	if err := affiliate.ValidateID("StatementInput.Affiliate", in.Affiliate); err != nil {
		return Statement{}, err
	}
	if err := in.Period.Validate(); err != nil {
		return Statement{}, err
	}
	if err := in.Currency.Validate(); err != nil {
		return Statement{}, err
	}
	st := Statement{Affiliate: in.Affiliate, Period: in.Period, Currency: in.Currency, Cut: in.Cut}
	period := in.Period.String()
	// held maps an entry in a live payout of a run up to Period to
	// whether that run is Period's own.
	held := make(map[affiliate.EntryID]bool)
	var runPayouts []affiliate.Payout
	var carriedNotes []string
	for _, run := range in.Runs {
		if in.Period.Before(run.Period) {
			continue
		}
		own := run.Period.String() == period
		if own {
			st.Cut, st.HasRun = run.AsOf, true
		}
		for _, p := range run.Payouts {
			if p.Amount.Currency() != in.Currency {
				continue
			}
			if own {
				runPayouts = append(runPayouts, p)
			}
			if p.Status == affiliate.PayoutCreated || p.Status == affiliate.PayoutPaid {
				for _, id := range p.Entries {
					held[id] = own
				}
			}
		}
		if own {
			for _, c := range run.Carried {
				if c.Amount.Currency() == in.Currency && c.Note != "" {
					carriedNotes = append(carriedNotes, c.Note)
				}
			}
		}
	}
	if st.Cut.IsZero() {
		return Statement{}, fieldErr("StatementInput.Cut", "zero time, and no run for "+period)
	}

	var s sums
	start, end := in.Period.Start(), in.Period.End()
	byKind := make(map[affiliate.EntryKind]int64)
	var lines []Line
	for i := range in.Entries {
		e := &in.Entries[i]
		if e.Amount.Currency() != in.Currency || e.Beneficiary != in.Affiliate || !e.At.Before(end) {
			continue
		}
		amt := e.Amount.Minor()
		own, isHeld := held[e.ID]
		if e.At.Before(start) {
			if !isHeld || own {
				s.add(&s.opening, amt)
			}
		} else {
			if e.Kind == affiliate.KindReversal {
				s.add(&s.reversed, amt)
			} else {
				s.add(&s.earned, amt)
				next := byKind[e.Kind] + amt
				if (next > byKind[e.Kind]) != (amt > 0) && amt != 0 {
					s.overflow = true
				}
				byKind[e.Kind] = next
			}
			lines = append(lines, Line{
				At: e.At, Kind: string(e.Kind), Ref: string(e.ID),
				Amount: e.Amount, Effect: e.Amount, Explanation: e.Describe(),
			})
		}
		if isHeld {
			continue
		}
		if e.Available(st.Cut) {
			s.add(&s.carried, amt)
		} else {
			s.add(&s.onHold, amt)
		}
	}
	// The input may come in any order; the lines do not depend on it.
	slices.SortFunc(lines, func(a, b Line) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return strings.Compare(a.Ref, b.Ref)
	})
	slices.SortFunc(runPayouts, func(a, b affiliate.Payout) int { return strings.Compare(string(a.ID), string(b.ID)) })
	for _, p := range runPayouts {
		effect := affiliate.Zero(in.Currency)
		if p.Status == affiliate.PayoutCreated || p.Status == affiliate.PayoutPaid {
			s.add(&s.paid, p.Amount.Minor())
			effect = p.Amount.Neg()
		}
		lines = append(lines, Line{
			At: p.CreatedAt, Kind: "payout", Ref: string(p.ID),
			Amount: p.Amount, Effect: effect, Explanation: describePayout(p),
		})
	}
	if s.overflow {
		return Statement{}, &affiliate.FieldError{Field: "Statement", Reason: "a sum is out of range", Err: affiliate.ErrOverflow}
	}
	closing := s.opening + s.earned + s.reversed - s.paid
	if closing != s.carried+s.onHold {
		return Statement{}, fmt.Errorf("payout: statement %s %s %s does not balance: a payout holds entries earned after its period: %w",
			in.Affiliate, period, in.Currency, affiliate.ErrConflict)
	}
	m := func(v int64) affiliate.Money { return affiliate.MustMoney(v, in.Currency) }
	st.Opening, st.EarnedTotal, st.Reversed, st.Paid = m(s.opening), m(s.earned), m(s.reversed), m(s.paid)
	st.Closing, st.Carried, st.OnHold = m(closing), m(s.carried), m(s.onHold)
	for _, k := range kindOrder {
		if v, ok := byKind[k]; ok {
			st.Earned = append(st.Earned, KindTotal{Kind: k, Amount: m(v)})
		}
	}
	st.Lines = lines
	st.CarriedNote = carriedNote(st, carriedNotes)
	return st, nil
}

// sums adds minor units and remembers an overflow.
type sums struct {
	opening, earned, reversed, paid, carried, onHold int64
	overflow                                         bool
}

func (s *sums) add(to *int64, v int64) {
	next := *to + v
	if (next > *to) != (v > 0) && v != 0 {
		s.overflow = true
	}
	*to = next
}

func describePayout(p affiliate.Payout) string {
	n := fmt.Sprintf("%d entries", len(p.Entries))
	if len(p.Entries) == 1 {
		n = "1 entry"
	}
	switch p.Status {
	case affiliate.PayoutPaid:
		return "paid, transfer " + p.Reference + ", settling " + n
	case affiliate.PayoutCreated:
		return "created, waiting for the transfer, settling " + n
	}
	s := string(p.Status) + ": its " + n + " went back to the balance"
	if p.Note != "" {
		s += " (" + p.Note + ")"
	}
	return s
}

func carriedNote(st Statement, notes []string) string {
	switch {
	case st.Carried.IsZero():
		return ""
	case len(notes) > 0:
		return strings.Join(notes, "; ")
	case !st.HasRun:
		return "no run for " + st.Period.String() + " yet: the balance goes to its run"
	}
	return "available after the run, or released by a failed or cancelled payout: the next run takes it"
}

// Statement loads and builds the statement of affiliate a for period in
// currency c. When the period has had no run, the closing balance splits
// at Now. Returns the errors of BuildStatement and of the stores.
func (r *Runner) Statement(ctx context.Context, a affiliate.AffiliateID, period affiliate.Period, c affiliate.Currency) (Statement, error) {
	if err := affiliate.ValidateID("affiliate", a); err != nil {
		return Statement{}, err
	}
	if err := period.Validate(); err != nil {
		return Statement{}, err
	}
	if err := c.Validate(); err != nil {
		return Statement{}, err
	}
	entries, err := r.cfg.Store.Entries(ctx, storage.EntryQuery{Beneficiary: a, Currency: c, To: period.End()})
	if err != nil {
		return Statement{}, err
	}
	runs, err := r.cfg.Store.AffiliateRuns(ctx, r.cfg.Program, a, affiliate.Period{Year: 1, Month: time.January, Location: period.Location}, period)
	if err != nil {
		return Statement{}, err
	}
	// The affiliate's requested payouts settle entries too.
	requests, err := r.cfg.Store.AffiliateRuns(ctx, RequestProgram(r.cfg.Program, a), a, affiliate.Period{Year: 1, Month: time.January, Location: period.Location}, period)
	if err != nil {
		return Statement{}, err
	}
	runs = append(runs, requests...)
	st, err := BuildStatement(StatementInput{
		Affiliate: a, Period: period, Currency: c, Cut: r.cfg.Now(), Entries: entries, Runs: runs,
	})
	if err != nil {
		return Statement{}, err
	}
	st.Review, err = r.cfg.Approval.reviewLines(ctx, r.cfg.Store, a, c, period, st.Cut)
	return st, err
}
