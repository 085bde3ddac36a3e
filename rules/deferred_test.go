package rules_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
)

// invoice is a paid subscription invoice of amount EUR at t.
func invoice(id string, t time.Time, amount string) affiliate.Payment {
	return affiliate.Payment{ID: affiliate.EventID(id), Customer: "c", PaidAt: t, Currency: "EUR",
		Lines: []affiliate.Line{ln(affiliate.LineSubscription, amount)}}
}

// pricing is the facts for pricing p after the earlier paid payments, as
// the engine gives them: all of them, oldest first.
func pricing(p affiliate.Payment, earlier ...affiliate.Payment) rules.Facts {
	f := facts()
	f.Payment = p
	f.PaidIndex, f.Index = len(earlier), len(earlier)
	for _, e := range earlier {
		f.History.Earlier = append(f.History.Earlier, rules.PaymentFact{ID: e.ID, PaidAt: e.PaidAt, Payment: e, Refunded: affiliate.Zero("EUR")})
	}
	f.History.Count = len(earlier)
	return f
}

func day(month time.Month, d int) time.Time { return time.Date(2026, month, d, 12, 0, 0, 0, time.UTC) }

// TestDeferredCountsMonths pins seed 002, "50% of the first two months",
// one sentence of issue 12 per case.
func TestDeferredCountsMonths(t *testing.T) {
	half := affiliate.MustPercent("50")
	seed002 := rules.Deferred{Name: "lead_reward", Rate: half, Months: 2}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	jan5, jan20 := invoice("jan5", day(time.January, 5), "100"), invoice("jan20", day(time.January, 20), "50")
	feb3, feb20 := invoice("feb3", day(time.February, 3), "80"), invoice("feb20", day(time.February, 20), "60")
	mar2 := invoice("mar2", day(time.March, 2), "70")
	trialFeb := invoice("trial", day(time.February, 10), "0")
	// 23:30 UTC on Jan 31 is 00:30 on Feb 1 in Paris.
	lateJan := invoice("late", time.Date(2026, time.January, 31, 23, 30, 0, 0, time.UTC), "40")
	tests := []struct {
		name  string
		rule  rules.Deferred
		facts rules.Facts
		want  string
	}{
		{"a second invoice in month 1 earns nothing: months, not invoices",
			seed002, pricing(jan20, jan5), ""},
		{"the invoice-count variant, asked for explicitly, pays at the second invoice",
			rules.Deferred{Rate: half, Payments: 2}, pricing(jan20, jan5), "a commission 50.00 EUR @50% of 100.00 EUR on jan5; a commission 25.00 EUR @50% of 50.00 EUR on jan20"},
		{"a customer who pays in one month only earns nothing",
			seed002, pricing(jan5), ""},
		{"the first payment of month 2 earns 50% of everything paid in months 1 and 2",
			seed002, pricing(feb3, jan5, jan20), "a commission 50.00 EUR @50% of 100.00 EUR on jan5; a commission 25.00 EUR @50% of 50.00 EUR on jan20; a commission 40.00 EUR @50% of 80.00 EUR on feb3"},
		{"a later payment of month 2 earns its own share",
			seed002, pricing(feb20, jan5, jan20, feb3), "a commission 30.00 EUR @50% of 60.00 EUR on feb20"},
		{"a third month earns nothing",
			seed002, pricing(mar2, jan5, jan20, feb3, feb20), ""},
		{"a month with only a zero invoice is not a paying month",
			seed002, pricing(trialFeb, jan5), ""},
		{"so the next paid month is month 2",
			seed002, pricing(mar2, jan5), "a commission 50.00 EUR @50% of 100.00 EUR on jan5; a commission 35.00 EUR @50% of 70.00 EUR on mar2"},
		{"months are calendar months in the rule's location: Jan 31 23:30 UTC is February in Paris",
			rules.Deferred{Rate: half, Months: 2, Location: paris}, pricing(lateJan, jan5), "a commission 50.00 EUR @50% of 100.00 EUR on jan5; a commission 20.00 EUR @50% of 40.00 EUR on late"},
		{"and January in UTC",
			seed002, pricing(lateJan, jan5), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			accs, err := tt.rule.Accrue(tt.facts)
			if err != nil {
				t.Fatal(err)
			}
			if got := render(accs); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestDeferredIsAvailableOnceMonth2HasEnded: every share, whenever it is
// earned, is held until the first instant after the last counted month.
func TestDeferredIsAvailableOnceMonth2HasEnded(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	rule := rules.Deferred{Rate: affiliate.MustPercent("50"), Months: 2, Location: paris}
	jan5 := invoice("jan5", day(time.January, 5), "100")
	for _, p := range []affiliate.Payment{invoice("feb3", day(time.February, 3), "80"), invoice("feb28", time.Date(2026, time.February, 28, 22, 59, 0, 0, time.UTC), "10")} {
		accs, err := rule.Accrue(pricing(p, jan5))
		if err != nil || len(accs) != 2 {
			t.Fatalf("%s: %v, %v", p.ID, render(accs), err)
		}
		endOfFeb := time.Date(2026, time.March, 1, 0, 0, 0, 0, paris)
		for _, a := range accs {
			if got := p.PaidAt.Add(a.Hold); !got.Equal(endOfFeb) {
				t.Errorf("%s: the share on %s is available at %s, want %s", p.ID, a.Payment, got, endOfFeb)
			}
		}
	}
}

// TestDeferredSharesAreAboutTheirPayments: each share names the payment it
// is about, so a refund of that payment takes back that share only (the
// engine reverses entries by payment; see package commission).
func TestDeferredSharesAreAboutTheirPayments(t *testing.T) {
	jan5, feb3 := invoice("jan5", day(time.January, 5), "100"), invoice("feb3", day(time.February, 3), "80")
	accs, err := rules.Deferred{Rate: affiliate.MustPercent("50"), Months: 2}.Accrue(pricing(feb3, jan5))
	if err != nil || len(accs) != 2 {
		t.Fatalf("%s, %v", render(accs), err)
	}
	if accs[0].Payment != "jan5" || accs[1].Payment != "feb3" {
		t.Errorf("shares are about %q and %q, want jan5 and feb3", accs[0].Payment, accs[1].Payment)
	}
}

// TestDeferredBeyondPerMonth: with more paid payments in the counted
// months than the history it asked for, the rule cannot know the months
// and says so (an error matching affiliate.ErrInvalid) rather than pay a
// wrong amount; once the facts show the counted months are over, it
// knows nothing is due.
func TestDeferredBeyondPerMonth(t *testing.T) {
	rule := rules.Deferred{Rate: affiliate.MustPercent("50"), Months: 2, PerMonth: 1} // asks for 1 earlier payment
	jan5, jan20 := invoice("jan5", day(time.January, 5), "100"), invoice("jan20", day(time.January, 20), "50")
	f := pricing(invoice("feb3", day(time.February, 3), "80"), jan5)
	f.PaidIndex = 2 // jan20 was paid too, but the engine gave only jan5
	_, err := rule.Accrue(f)
	var ce *rules.ConfigError
	if !errors.As(err, &ce) || ce.Field != "PerMonth" || !errors.Is(err, affiliate.ErrInvalid) {
		t.Fatalf("err = %v, want a *ConfigError on PerMonth", err)
	}
	f = pricing(invoice("apr3", day(time.April, 3), "80"), jan20, invoice("feb3", day(time.February, 3), "80"), invoice("mar3", day(time.March, 3), "80"))
	f.PaidIndex = 7
	if accs, err := rule.Accrue(f); err != nil || accs != nil {
		t.Errorf("after the counted months: %s, %v; want nothing", render(accs), err)
	}
}

func TestDeferredValidate(t *testing.T) {
	half := affiliate.MustPercent("50")
	for _, tt := range []struct {
		name  string
		rule  rules.Deferred
		field string
	}{
		{"neither months nor payments", rules.Deferred{Rate: half}, "Months"},
		{"both", rules.Deferred{Rate: half, Months: 2, Payments: 2}, "Payments"},
		{"negative months", rules.Deferred{Rate: half, Months: -1}, "Months/Payments/PerMonth"},
		{"per month with payments", rules.Deferred{Rate: half, Payments: 2, PerMonth: 3}, "PerMonth/Location"},
		{"no rate", rules.Deferred{Months: 2}, "Rate"},
	} {
		var ce *rules.ConfigError
		if err := tt.rule.Validate(); !errors.As(err, &ce) || ce.Field != tt.field {
			t.Errorf("%s: %v, want a *ConfigError on %s", tt.name, err, tt.field)
		}
	}
	if err := (rules.Deferred{Rate: half, Months: 2}).Validate(); err != nil {
		t.Errorf("seed 002: %v", err)
	}
}

// TestPropertyDeferredMonths replays a random customer's paid payments
// through the rule, each priced with all earlier ones as the engine gives
// them: every payment of the first two paying months gets exactly one
// share of 50% (unless it rounds to nothing), none other does, and nothing is due to a customer with a
// single paying month.
func TestPropertyDeferredMonths(t *testing.T) {
	rule := rules.Deferred{Rate: affiliate.MustPercent("50"), Months: 2}
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 2*8).Draw(t, "payments")
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		var paid []affiliate.Payment
		shares := map[affiliate.EventID]int{}
		total := int64(0)
		for i := range n {
			at = at.Add(time.Duration(rapid.Int64Range(1, 50*24*3600).Draw(t, "seconds after the last")) * time.Second)
			minor := rapid.Int64Range(1, 1_000_000).Draw(t, "cents")
			p := invoice(fmt.Sprintf("p%02d", i), at, affiliate.MustMoney(minor, "EUR").AmountString())
			accs, err := rule.Accrue(pricing(p, paid...))
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range accs {
				shares[a.Payment]++
				total += a.Amount.Minor()
			}
			paid = append(paid, p)
		}
		months := []affiliate.Period{}
		for _, p := range paid {
			if m := affiliate.PeriodOf(p.PaidAt, nil); !slices.Contains(months, m) {
				months = append(months, m)
			}
		}
		want := int64(0)
		for _, p := range paid {
			counted := len(months) >= 2 && slices.Index(months, affiliate.PeriodOf(p.PaidAt, nil)) < 2
			half, _ := p.Lines[0].Amount.MulRate(rule.Rate, affiliate.HalfEven)
			wantShares := 0
			if counted && half.Sign() > 0 { // a share that rounds to nothing is left out
				wantShares = 1
				want += half.Minor()
			}
			if got := shares[p.ID]; got != wantShares {
				t.Fatalf("payment %s of %s at %s (counted %v) has %d shares, want %d", p.ID, p.Lines[0].Amount, p.PaidAt, counted, got, wantShares)
			}
		}
		if total != want {
			t.Fatalf("the reward totals %d cents, want %d (50%% of months %v)", total, want, months[:min(2, len(months))])
		}
	})
}
