package stripesync_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/stripe/stripe-go/v85"
	"pgregory.net/rapid"
)

// For any invoice whose numbers are consistent, the mapping either skips
// it (nothing due), or gives a valid Payment whose lines are never
// negative and add up to exactly amount_due, the same on every run; it
// never fails on consistent numbers.
func TestPropertyInvoiceAddsUp(t *testing.T) {
	h := newHarness(t)
	rapid.Check(t, func(rt *rapid.T) {
		cur := rapid.SampledFrom([]string{"usd", "jpy", "isk", "mga", "huf", "ugx"}).Draw(rt, "currency")
		unit := int64(1)
		if cur == "isk" {
			unit = 100 // Stripe's ISK amounts are whole krónur
		}
		n := rapid.IntRange(1, 12).Draw(rt, "lines")
		var ls []map[string]any
		var total int64
		for i := range n {
			amount := unit * rapid.Int64Range(-500, 20000).Draw(rt, fmt.Sprintf("amount%d", i))
			taxAmount := unit * rapid.Int64Range(-50, 2000).Draw(rt, fmt.Sprintf("tax%d", i))
			behavior := rapid.SampledFrom([]string{"inclusive", "exclusive"}).Draw(rt, fmt.Sprintf("behavior%d", i))
			credit := int64(0)
			if amount > 0 {
				credit = unit * rapid.Int64Range(0, amount/unit).Draw(rt, fmt.Sprintf("credit%d", i))
			}
			l := subLine(amount, tax(taxAmount, behavior))
			l["pretax_credit_amounts"] = []any{map[string]any{"amount": credit, "type": "discount"}}
			if rapid.Bool().Draw(rt, fmt.Sprintf("addon%d", i)) {
				l["metadata"] = map[string]string{"affiliate_line_kind": "add_on"}
			}
			ls = append(ls, l)
			total += amount - credit
			if behavior == "exclusive" {
				total += taxAmount
			}
		}
		due := total
		if total > 0 {
			due = total - unit*rapid.Int64Range(0, total/unit).Draw(rt, "balance")
		}
		inv := paidInvoice(cur, total, due, ls...)
		m1, err1 := mapEvent(t, h.sync, stripe.EventTypeInvoicePaid, "2025-03-31.basil", inv)
		m2, err2 := mapEvent(t, h.sync, stripe.EventTypeInvoicePaid, "2025-03-31.basil", inv)
		if err1 != nil || err2 != nil {
			rt.Fatalf("consistent invoice refused: %v / %v", err1, err2)
		}
		if lines(m1) != lines(m2) {
			rt.Fatalf("two runs differ: %s / %s", lines(m1), lines(m2))
		}
		if due <= 0 {
			if len(m1.Events) != 0 {
				rt.Fatalf("nothing due, yet mapped to %s", lines(m1))
			}
			return
		}
		p := m1.Events[0].(affiliate.Payment)
		if err := p.Validate(); err != nil {
			rt.Fatal(err)
		}
		got, err := p.Total()
		if err != nil {
			rt.Fatal(err)
		}
		if want := stripeMoney(rt, due, cur); got != want {
			rt.Fatalf("lines make %s, amount_due is %s: %s", got, want, lines(m1))
		}
	})
}

// stripeMoney is the independent model of Stripe's units.
func stripeMoney(t *rapid.T, amount int64, cur string) affiliate.Money {
	c := affiliate.Currency(map[string]string{"usd": "USD", "jpy": "JPY", "isk": "ISK", "mga": "MGA", "huf": "HUF", "ugx": "UGX"}[cur])
	switch cur {
	case "isk":
		amount /= 100
	case "mga":
		amount *= 100
	}
	m, err := affiliate.NewMoney(amount, c)
	if err != nil && !errors.Is(err, affiliate.ErrInvalid) {
		t.Fatal(err)
	}
	return m
}
