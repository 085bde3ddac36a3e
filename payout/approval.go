package payout

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// Approval makes runs pay approved entries only: an entry that is
// pending or rejected under Policy and the review trail (see
// affiliate.Standings) stays open and is left out of the balance, and the
// statement lists it with its reason. The zero value pays every available
// entry, as the library always did.
type Approval struct {
	Policy affiliate.ApprovalPolicy
	// Reviews is the review trail; nil means there is none.
	Reviews storage.Reviews
}

func (a Approval) active() bool {
	p := a.Policy
	return a.Reviews != nil || p.Mode != affiliate.Immediate || len(p.Rules) > 0 || len(p.Above) > 0
}

// standings reads the review trail and decides the standing of entries;
// nil when everything stands approved (the zero policy and no trail), so
// a program without review pays what it always paid at no cost.
func (a Approval) standings(ctx context.Context, entries []affiliate.Entry, asOf time.Time) (map[affiliate.EntryID]affiliate.Standing, error) {
	var rs []affiliate.Review
	if a.Reviews != nil {
		var err error
		if rs, err = a.Reviews.Reviews(ctx, storage.ReviewQuery{}); err != nil {
			return nil, err
		}
	}
	if len(rs) == 0 && !(Approval{Policy: a.Policy}).active() {
		return nil, nil
	}
	return affiliate.Standings(entries, rs, a.Policy, asOf), nil
}

// approved returns the approved entries of entries at asOf.
func (a Approval) approved(ctx context.Context, entries []affiliate.Entry, asOf time.Time) ([]affiliate.Entry, error) {
	if !a.active() {
		return entries, nil
	}
	st, err := a.standings(ctx, entries, asOf)
	if err != nil || st == nil {
		return entries, err
	}
	return slices.DeleteFunc(entries, func(e affiliate.Entry) bool { return st[e.ID].Status != affiliate.EntryApproved }), nil
}

// ReviewLine is one line of a statement's review section: an entry that
// is not approved at the cut (pending, with its hold reason, or
// rejected), or an approval a reviewer gave in the period.
type ReviewLine struct {
	Entry  affiliate.EntryID
	Amount affiliate.Money
	Status affiliate.ReviewStatus
	Reason string
	Actor  string // the reviewer, when one decided
	Since  time.Time
}

// reviewLines lists, for affiliate aff's statement of period in currency
// c, the entries earned before the period's end that are not approved at
// cut, and the period's entries a reviewer decided, ordered by Since,
// then entry. Standings are judged on all of aff's entries: a rejection
// made after the period still shows.
func (a Approval) reviewLines(ctx context.Context, ledger storage.Ledger, aff affiliate.AffiliateID, c affiliate.Currency, period affiliate.Period, cut time.Time) ([]ReviewLine, error) {
	if !a.active() {
		return nil, nil
	}
	start, end := period.Start(), period.End()
	entries, err := ledger.Entries(ctx, storage.EntryQuery{Beneficiary: aff, Currency: c})
	if err != nil {
		return nil, err
	}
	st, err := a.standings(ctx, entries, cut)
	if err != nil || st == nil {
		return nil, err
	}
	var out []ReviewLine
	for _, e := range entries {
		s := st[e.ID]
		if s.Root != e.ID || !e.At.Before(end) {
			continue
		}
		// Pending entries show until decided; decisions show in the
		// statement of the entry's period.
		inPeriod := !e.At.Before(start)
		if s.Status == affiliate.EntryPending || inPeriod && s.Actor != "" {
			out = append(out, ReviewLine{Entry: e.ID, Amount: e.Amount, Status: s.Status, Reason: s.Reason, Actor: s.Actor, Since: s.Since})
		}
	}
	slices.SortFunc(out, func(x, y ReviewLine) int {
		if c := x.Since.Compare(y.Since); c != 0 {
			return c
		}
		return strings.Compare(string(x.Entry), string(y.Entry))
	})
	return out, nil
}

// writeReview writes the review section of a statement's text.
func writeReview(w io.Writer, lines []ReviewLine, loc *time.Location) {
	if len(lines) == 0 {
		return
	}
	fmt.Fprintf(w, "\nReview (a run pays approved entries only):\n")
	for _, l := range lines {
		why := l.Reason
		if l.Actor != "" {
			why += " (" + l.Actor + ")"
		}
		fmt.Fprintf(w, "  %s  %-8s %s %14s  %s\n", l.Since.In(loc).Format("2006-01-02"), l.Status, l.Entry, l.Amount.AmountString(), why)
	}
}

type reviewJSON struct {
	Entry  affiliate.EntryID      `json:"entry"`
	Amount affiliate.Money        `json:"amount"`
	Status affiliate.ReviewStatus `json:"status"`
	Reason string                 `json:"reason"`
	Actor  string                 `json:"actor,omitempty"`
	Since  time.Time              `json:"since"`
}

// reviewJSONOf is the statement JSON's "review" list; nil (left out)
// when there is none.
func reviewJSONOf(lines []ReviewLine) []reviewJSON {
	var out []reviewJSON
	for _, l := range lines {
		out = append(out, reviewJSON{Entry: l.Entry, Amount: l.Amount, Status: l.Status, Reason: l.Reason, Actor: l.Actor, Since: l.Since.UTC()})
	}
	return out
}
