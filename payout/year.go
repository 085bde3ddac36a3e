package payout

import (
	"context"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// YearTotal is one affiliate's calendar year in one currency: the figures
// a 1099-NEC or an annual statement needs.
type YearTotal struct {
	Affiliate affiliate.AffiliateID
	Year      int
	Currency  affiliate.Currency
	// Earned and Reversed sum the entries earned in the year (by At):
	// Earned every kind but reversals, Reversed the reversals (zero or
	// negative).
	Earned   affiliate.Money
	Reversed affiliate.Money
	// Paid sums the payouts paid in the year (by SettledAt), whatever
	// period they were for: what was actually sent, as a 1099-NEC
	// reports it. Payouts counts them.
	Paid    affiliate.Money
	Payouts int
}

// YearInput is what a year's totals are built from; BuildYear is a pure
// function of it.
type YearInput struct {
	Affiliate affiliate.AffiliateID
	Year      int
	// Location draws the year's bounds; nil means UTC.
	Location *time.Location
	// Entries are the affiliate's entries, in any order; others are
	// ignored.
	Entries []affiliate.Entry
	// Runs are the affiliate's shares of runs, monthly and requested, of
	// any period; payouts paid outside the year are ignored.
	Runs []affiliate.AffiliateRun
}

// BuildYear returns one total per currency the affiliate earned or was
// paid in during the year, ordered by currency. It returns a
// *affiliate.FieldError (ErrInvalid) for a bad affiliate or a year
// outside 1–9999, and ErrOverflow when a sum leaves the Money range.
func BuildYear(in YearInput) ([]YearTotal, error) {
	if err := affiliate.ValidateID("YearInput.Affiliate", in.Affiliate); err != nil {
		return nil, err
	}
	if in.Year < 1 || in.Year > 9999 {
		return nil, fieldErr("YearInput.Year", "outside 1-9999")
	}
	loc := in.Location
	if loc == nil {
		loc = time.UTC
	}
	start := time.Date(in.Year, time.January, 1, 0, 0, 0, 0, loc)
	end := start.AddDate(1, 0, 0)
	inYear := func(t time.Time) bool { return !t.Before(start) && t.Before(end) }
	totals := make(map[affiliate.Currency]*YearTotal)
	get := func(c affiliate.Currency) *YearTotal {
		if t, ok := totals[c]; ok {
			return t
		}
		z := affiliate.Zero(c)
		t := &YearTotal{Affiliate: in.Affiliate, Year: in.Year, Currency: c, Earned: z, Reversed: z, Paid: z}
		totals[c] = t
		return t
	}
	add := func(to *affiliate.Money, m affiliate.Money) (err error) {
		*to, err = to.Add(m)
		return err
	}
	for _, e := range in.Entries {
		if e.Beneficiary != in.Affiliate || !inYear(e.At) {
			continue
		}
		t := get(e.Amount.Currency())
		to := &t.Earned
		if e.Kind == affiliate.KindReversal {
			to = &t.Reversed
		}
		if err := add(to, e.Amount); err != nil {
			return nil, err
		}
	}
	seen := make(map[affiliate.PayoutID]bool)
	for _, run := range in.Runs {
		for _, p := range run.Payouts {
			if p.Affiliate != in.Affiliate || p.Status != affiliate.PayoutPaid || !inYear(p.SettledAt) || seen[p.ID] {
				continue
			}
			seen[p.ID] = true
			t := get(p.Amount.Currency())
			if err := add(&t.Paid, p.Amount); err != nil {
				return nil, err
			}
			t.Payouts++
		}
	}
	out := make([]YearTotal, 0, len(totals))
	for _, c := range sortedKeys(totals) {
		out = append(out, *totals[c])
	}
	return out, nil
}

// Year loads and builds affiliate a's totals for a calendar year in loc
// (nil means UTC), from the ledger and every monthly and requested run.
// Returns the errors of BuildYear and of the store.
func (r *Runner) Year(ctx context.Context, a affiliate.AffiliateID, year int, loc *time.Location) ([]YearTotal, error) {
	in := YearInput{Affiliate: a, Year: year, Location: loc}
	if _, err := BuildYear(in); err != nil { // validates before any read
		return nil, err
	}
	if loc == nil {
		loc = time.UTC
	}
	start := time.Date(year, time.January, 1, 0, 0, 0, 0, loc)
	entries, err := r.cfg.Store.Entries(ctx, storage.EntryQuery{Beneficiary: a, From: start, To: start.AddDate(1, 0, 0)})
	if err != nil {
		return nil, err
	}
	// A payout paid in the year may be for any earlier period.
	first := affiliate.Period{Year: 1, Month: time.January, Location: loc}
	last := affiliate.Period{Year: year, Month: time.December, Location: loc}
	for _, program := range []string{r.cfg.Program, RequestProgram(r.cfg.Program, a)} {
		runs, err := r.cfg.Store.AffiliateRuns(ctx, program, a, first, last)
		if err != nil {
			return nil, err
		}
		in.Runs = append(in.Runs, runs...)
	}
	in.Entries = entries
	return BuildYear(in)
}
