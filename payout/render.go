package payout

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
)

// Text renders the statement for people: the summary, then the lines.
// Amounts are right-aligned at the currency's scale; times are the
// period's location.
func (s Statement) Text() string {
	var b strings.Builder
	s.WriteText(&b)
	return b.String()
}

// WriteText writes Text to w and returns w's error, if any.
func (s Statement) WriteText(w io.Writer) error {
	loc := s.Period.Start().Location()
	var b strings.Builder
	fmt.Fprintf(&b, "Statement %s for %s, %s\n", s.Period, s.Affiliate, s.Currency)
	if s.HasRun {
		fmt.Fprintf(&b, "Run as of %s\n", s.Cut.In(loc).Format(time.RFC3339))
	} else {
		fmt.Fprintf(&b, "No run yet; balances as of %s\n", s.Cut.In(loc).Format(time.RFC3339))
	}
	row := func(label string, m affiliate.Money) { fmt.Fprintf(&b, "  %-28s %14s\n", label, m.AmountString()) }
	b.WriteString("\n")
	row("Opening balance", s.Opening)
	for _, k := range s.Earned {
		row("Earned: "+string(k.Kind), k.Amount)
	}
	if len(s.Earned) == 0 {
		row("Earned", s.EarnedTotal)
	}
	row("Reversed", s.Reversed)
	row("Paid", s.Paid.Neg())
	row("Closing balance", s.Closing)
	row("  carried to the next run", s.Carried)
	row("  on hold", s.OnHold)
	if s.CarriedNote != "" {
		fmt.Fprintf(&b, "  Carried: %s\n", s.CarriedNote)
	}
	if len(s.Lines) > 0 {
		b.WriteString("\n")
		width := 0
		for _, l := range s.Lines {
			width = max(width, len(l.Ref))
		}
		for _, l := range s.Lines {
			fmt.Fprintf(&b, "  %s  %-19s %-*s %14s  %s\n",
				l.At.In(loc).Format("2006-01-02"), l.Kind, width, l.Ref, l.Effect.AmountString(), l.Explanation)
		}
	}
	writeReview(&b, s.Review, loc)
	_, err := io.WriteString(w, b.String())
	return err
}

type statementJSON struct {
	Affiliate   affiliate.AffiliateID `json:"affiliate"`
	Period      string                `json:"period"`
	Currency    affiliate.Currency    `json:"currency"`
	Cut         time.Time             `json:"cut"`
	HasRun      bool                  `json:"has_run"`
	Opening     affiliate.Money       `json:"opening"`
	Earned      []kindJSON            `json:"earned"`
	EarnedTotal affiliate.Money       `json:"earned_total"`
	Reversed    affiliate.Money       `json:"reversed"`
	Paid        affiliate.Money       `json:"paid"`
	Closing     affiliate.Money       `json:"closing"`
	Carried     affiliate.Money       `json:"carried"`
	OnHold      affiliate.Money       `json:"on_hold"`
	CarriedNote string                `json:"carried_note,omitempty"`
	Lines       []lineJSON            `json:"lines"`
	Review      []reviewJSON          `json:"review,omitempty"`
}

type kindJSON struct {
	Kind   affiliate.EntryKind `json:"kind"`
	Amount affiliate.Money     `json:"amount"`
}

type lineJSON struct {
	At          time.Time       `json:"at"`
	Kind        string          `json:"kind"`
	Ref         string          `json:"ref"`
	Amount      affiliate.Money `json:"amount"`
	Effect      affiliate.Money `json:"effect"`
	Explanation string          `json:"explanation"`
}

// MarshalJSON writes the statement with snake_case keys, the period as
// "2026-01", times in RFC 3339 (UTC) and amounts as Money writes them
// ({"amount":"12.30","currency":"EUR"}). Lists are never null.
func (s Statement) MarshalJSON() ([]byte, error) {
	out := statementJSON{
		Affiliate: s.Affiliate, Period: s.Period.String(), Currency: s.Currency,
		Cut: s.Cut.UTC(), HasRun: s.HasRun,
		Opening: s.Opening, EarnedTotal: s.EarnedTotal, Reversed: s.Reversed, Paid: s.Paid,
		Closing: s.Closing, Carried: s.Carried, OnHold: s.OnHold, CarriedNote: s.CarriedNote,
		Earned: make([]kindJSON, len(s.Earned)),
		Lines:  make([]lineJSON, len(s.Lines)),
		Review: reviewJSONOf(s.Review),
	}
	for i, k := range s.Earned {
		out.Earned[i] = kindJSON(k)
	}
	for i, l := range s.Lines {
		out.Lines[i] = lineJSON{At: l.At.UTC(), Kind: l.Kind, Ref: l.Ref, Amount: l.Amount, Effect: l.Effect, Explanation: l.Explanation}
	}
	return json.Marshal(out)
}
