package report

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
)

// Dashboard is what an affiliate (or the program's operator) sees for a
// range of months. Counts and flows (clicks to earned) cover the range;
// balances (Pending to Paid) are at AsOf and cover all time.
type Dashboard struct {
	Affiliate affiliate.AffiliateID // "" for the program-wide dashboard
	From, To  affiliate.Period
	AsOf      time.Time

	// Touches are the recorded touches: link clicks and code uses,
	// including each code typed at signup that bound its customer.
	Touches     int64
	Signups     int64 // bindings: customers bound in the range
	Conversions int64 // customers whose first payment fell in the range
	// TouchToSignup is Signups over Touches; SignupToPaid is Conversions
	// over Signups. Both count events in the range, not cohorts, so either
	// can pass 100%; Notes then says why.
	TouchToSignup Ratio
	SignupToPaid  Ratio
	// Notes explain, in a sentence each, the figures that would otherwise
	// mislead: a rate over 100%. Empty when there is none.
	Notes []string

	// Currencies holds the money figures, one per currency, by currency.
	Currencies []CurrencyFigures
	// Months breaks the counts and flows down by month, in order.
	Months []MonthFigures

	// Payouts is the affiliate's payout history: its payouts of the runs
	// for the range's months, any status, by period then currency.
	Payouts []affiliate.Payout
	// PayoutTotals is the program's payout history, program-wide only.
	PayoutTotals []affiliate.PayoutTotal
}

// CurrencyFigures are a dashboard's money figures in one currency. The
// four balances add up to everything ever earned in the currency.
type CurrencyFigures struct {
	Currency affiliate.Currency
	// Spent is the revenue referred customers brought in the range, net
	// of refunds made in the range: the program's revenue definition
	// (commission.Config.Revenue; by default without tax and shipping),
	// the same figure the tier metric counts.
	Spent affiliate.Money
	// Earned is the ledger entries of the range: earnings less reversals.
	Earned affiliate.Money
	// EarningsPerTouch is Earned over the range's touches, rounded half
	// to even when shown; "n/a" without touches.
	EarningsPerTouch Average
	// Pending: unpaid and still on hold. Available: unpaid and past its
	// hold (what the next run considers; may be negative). InPayout: in
	// payouts waiting for the host. Paid: in paid payouts.
	Pending, Available, InPayout, Paid affiliate.Money
}

// MonthFigures are one month's counts and flows.
type MonthFigures struct {
	Period      affiliate.Period
	Touches     int64
	Signups     int64
	Conversions int64
	Spent       []affiliate.Money // per currency, by currency
	Earned      []affiliate.Money // per currency, by currency
}

// Text renders the dashboard for people.
func (d Dashboard) Text() string {
	var b strings.Builder
	who := "program"
	if d.Affiliate != "" {
		who = string(d.Affiliate)
	}
	fmt.Fprintf(&b, "Dashboard for %s, %s to %s\n", who, d.From, d.To)
	fmt.Fprintf(&b, "  Touches %d, signups %d (%s), conversions %d (%s)\n",
		d.Touches, d.Signups, d.TouchToSignup, d.Conversions, d.SignupToPaid)
	for _, n := range d.Notes {
		fmt.Fprintf(&b, "  Note: %s\n", n)
	}
	for _, c := range d.Currencies {
		fmt.Fprintf(&b, "  %s: spent %s, earned %s (%s per touch)\n", c.Currency,
			c.Spent.AmountString(), c.Earned.AmountString(), c.EarningsPerTouch)
		fmt.Fprintf(&b, "  %s: pending %s, available %s, in payout %s, paid %s\n", c.Currency,
			c.Pending.AmountString(), c.Available.AmountString(), c.InPayout.AmountString(), c.Paid.AmountString())
	}
	for _, p := range d.Payouts {
		fmt.Fprintf(&b, "  Payout %s: %s, %s\n", p.Period, p.Amount, p.Status)
	}
	for _, t := range d.PayoutTotals {
		fmt.Fprintf(&b, "  Payouts %s: %d %s, %s\n", t.Period, t.Count, t.Status, t.Amount)
	}
	return b.String()
}

type monthJSON struct {
	Period      string            `json:"period"`
	Touches     int64             `json:"touches"`
	Signups     int64             `json:"signups"`
	Conversions int64             `json:"conversions"`
	Spent       []affiliate.Money `json:"spent"`
	Earned      []affiliate.Money `json:"earned"`
}

type currencyJSON struct {
	Currency         affiliate.Currency `json:"currency"`
	Spent            affiliate.Money    `json:"spent"`
	Earned           affiliate.Money    `json:"earned"`
	EarningsPerTouch Average            `json:"earnings_per_touch"`
	Pending          affiliate.Money    `json:"pending"`
	Available        affiliate.Money    `json:"available"`
	InPayout         affiliate.Money    `json:"in_payout"`
	Paid             affiliate.Money    `json:"paid"`
}

type payoutJSON struct {
	ID        affiliate.PayoutID     `json:"id"`
	Period    string                 `json:"period"`
	Amount    affiliate.Money        `json:"amount"`
	Status    affiliate.PayoutStatus `json:"status"`
	CreatedAt time.Time              `json:"created_at"`
	Reference string                 `json:"reference,omitempty"`
}

type totalJSON struct {
	Period string                 `json:"period"`
	Status affiliate.PayoutStatus `json:"status"`
	Amount affiliate.Money        `json:"amount"`
	Count  int64                  `json:"count"`
}

// MarshalJSON writes the dashboard with snake_case keys, periods as
// "2026-01" and amounts as Money writes them. Lists are never null.
func (d Dashboard) MarshalJSON() ([]byte, error) {
	out := struct {
		Affiliate     affiliate.AffiliateID `json:"affiliate,omitempty"`
		From          string                `json:"from"`
		To            string                `json:"to"`
		AsOf          time.Time             `json:"as_of"`
		Touches       int64                 `json:"touches"`
		Signups       int64                 `json:"signups"`
		Conversions   int64                 `json:"conversions"`
		TouchToSignup Ratio                 `json:"touch_to_signup"`
		SignupToPaid  Ratio                 `json:"signup_to_paid"`
		Notes         []string              `json:"notes"`
		Currencies    []currencyJSON        `json:"currencies"`
		Months        []monthJSON           `json:"months"`
		Payouts       []payoutJSON          `json:"payouts"`
		PayoutTotals  []totalJSON           `json:"payout_totals"`
	}{
		Affiliate: d.Affiliate, From: d.From.String(), To: d.To.String(), AsOf: d.AsOf.UTC(),
		Touches: d.Touches, Signups: d.Signups, Conversions: d.Conversions,
		TouchToSignup: d.TouchToSignup, SignupToPaid: d.SignupToPaid, Notes: append([]string{}, d.Notes...),
		Currencies: []currencyJSON{}, Months: []monthJSON{}, Payouts: []payoutJSON{}, PayoutTotals: []totalJSON{},
	}
	for _, c := range d.Currencies {
		out.Currencies = append(out.Currencies, currencyJSON(c))
	}
	for _, m := range d.Months {
		out.Months = append(out.Months, monthJSON{
			Period: m.Period.String(), Touches: m.Touches, Signups: m.Signups, Conversions: m.Conversions,
			Spent: nonNil(m.Spent), Earned: nonNil(m.Earned),
		})
	}
	for _, p := range d.Payouts {
		out.Payouts = append(out.Payouts, payoutJSON{ID: p.ID, Period: p.Period.String(), Amount: p.Amount, Status: p.Status, CreatedAt: p.CreatedAt.UTC(), Reference: p.Reference})
	}
	for _, t := range d.PayoutTotals {
		out.PayoutTotals = append(out.PayoutTotals, totalJSON{Period: t.Period.String(), Status: t.Status, Amount: t.Amount, Count: t.Count})
	}
	return json.Marshal(out)
}

func nonNil(m []affiliate.Money) []affiliate.Money {
	if m == nil {
		return []affiliate.Money{}
	}
	return m
}
