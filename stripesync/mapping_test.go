package stripesync_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/stripesync"
	"github.com/stripe/stripe-go/v85"
)

// subLine is a basil subscription line of amount with its taxes.
func subLine(amount int64, taxes ...map[string]any) map[string]any {
	return map[string]any{
		"id": "il_sub", "object": "line_item", "amount": amount, "currency": "usd", "description": "Pro",
		"taxes":  taxes,
		"parent": map[string]any{"type": "subscription_item_details", "subscription_item_details": map[string]any{"proration": false}},
	}
}

func tax(amount int64, behavior string) map[string]any {
	return map[string]any{"amount": amount, "tax_behavior": behavior, "type": "tax_rate_details"}
}

// paidInvoice is a basil invoice.paid object.
func paidInvoice(currency string, total, due int64, lines ...map[string]any) map[string]any {
	data := make([]any, len(lines))
	for i, l := range lines {
		l["currency"] = currency
		data[i] = l
	}
	return map[string]any{
		"id": "in_t", "object": "invoice", "customer": "cus_ann_1", "status": "paid", "currency": currency,
		"total": total, "amount_due": due, "amount_paid": due, "status_transitions": map[string]any{"paid_at": 1772359200},
		"lines": list("/v1/invoices/in_t/lines", false, data...),
	}
}

func with(m map[string]any, kv ...any) map[string]any {
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

// mapEvent maps one event object through Sync.Map.
func mapEvent(t *testing.T, s *stripesync.Sync, typ stripe.EventType, apiVersion string, obj any) (stripesync.Mapped, error) {
	t.Helper()
	var ev stripe.Event
	if err := json.Unmarshal(event(t, "evt_t", typ, apiVersion, obj), &ev); err != nil {
		t.Fatal(err)
	}
	return s.Map(context.Background(), ev)
}

// lines renders a mapped payment as "kind amount currency" per line.
func lines(m stripesync.Mapped) string {
	if len(m.Events) != 1 {
		return fmt.Sprintf("%d events, skipped %q", len(m.Events), m.Skipped)
	}
	p, ok := m.Events[0].(affiliate.Payment)
	if !ok {
		return fmt.Sprintf("%T", m.Events[0])
	}
	var out []string
	for _, l := range p.Lines {
		out = append(out, string(l.Kind)+" "+l.Amount.String())
	}
	return strings.Join(out, ", ")
}

func TestInvoiceMapping(t *testing.T) {
	const basil, old = "2025-03-31.basil", "2022-08-01"
	metered := map[string]any{"id": "price_api", "object": "price", "type": "recurring", "recurring": map[string]any{"usage_type": "metered"}}
	oneTime := map[string]any{"id": "price_setup", "object": "price", "type": "one_time"}
	withPrice := func(l map[string]any, price map[string]any) map[string]any {
		l["pricing"] = map[string]any{"type": "price_details", "price_details": map[string]any{"price": price, "product": "prod_x"}}
		return l
	}
	cases := []struct {
		name, version string
		invoice       map[string]any
		want          string
	}{
		{"subscription, exclusive tax", basil, paidInvoice("usd", 1100, 1100, subLine(1000, tax(100, "exclusive"))),
			"subscription 10.00 USD, tax 1.00 USD"},
		{"inclusive tax comes out of the line", basil, paidInvoice("usd", 1100, 1100, subLine(1100, tax(100, "inclusive"))),
			"subscription 10.00 USD, tax 1.00 USD"},
		{"add-on by metadata", basil, paidInvoice("usd", 20000, 20000, with(subLine(20000), "metadata", map[string]string{"affiliate_line_kind": "add_on"})),
			"add_on 200.00 USD"},
		{"usage: metered price", basil, paidInvoice("usd", 500, 500, withPrice(subLine(500), metered)),
			"usage 5.00 USD"},
		{"one-time invoice item", basil, paidInvoice("usd", 900, 900, withPrice(with(subLine(900), "parent", map[string]any{"type": "invoice_item_details", "invoice_item_details": map[string]any{"proration": false}}), oneTime)),
			"one_time 9.00 USD"},
		{"discount and credit grant", basil, paidInvoice("usd", 700, 700, with(subLine(1000), "pretax_credit_amounts", []any{
			map[string]any{"amount": 200, "type": "discount"}, map[string]any{"amount": 100, "type": "credit_balance_transaction"},
		}, "discount_amounts", []any{map[string]any{"amount": 200}})),
			"subscription 10.00 USD, discount 3.00 USD"},
		{"proration credit with negative tax", basil, paidInvoice("usd", 1100, 1100,
			with(subLine(2000, tax(200, "exclusive")), "parent", map[string]any{"type": "subscription_item_details", "subscription_item_details": map[string]any{"proration": true}}),
			with(subLine(-1000, tax(-100, "exclusive")), "description", "Unused time on Pro", "parent", map[string]any{"type": "subscription_item_details", "subscription_item_details": map[string]any{"proration": true}})),
			"subscription 20.00 USD, discount 10.00 USD, tax 1.00 USD"},
		{"credit balance applied", basil, with(paidInvoice("usd", 2200, 1200, subLine(2000, tax(200, "exclusive"))), "starting_balance", -1000),
			"subscription 20.00 USD, tax 2.00 USD, discount 10.00 USD"},
		{"credit balance paid it all", basil, paidInvoice("usd", 2200, 0, subLine(2000, tax(200, "exclusive"))),
			`0 events, skipped "invoice in_t: 0.00 USD due, nothing was paid (a trial, or paid by credit)"`},
		{"debt carried from before", basil, paidInvoice("usd", 1000, 1500, subLine(1000)),
			"subscription 10.00 USD, one_time 5.00 USD"},
		{"not paid yet", basil, with(paidInvoice("usd", 1000, 1000, subLine(1000)), "status", "open"),
			`0 events, skipped "invoice in_t is \"open\", not paid: it is recorded by its invoice.paid"`},
		{"pre-basil: embedded price, tax_amounts", old, paidInvoice("usd", 1100, 1100, map[string]any{
			"id": "il_old", "object": "line_item", "amount": 1100, "type": "subscription",
			"price":       map[string]any{"id": "price_pro", "object": "price", "type": "recurring", "lookup_key": "pro_monthly"},
			"tax_amounts": []any{map[string]any{"amount": 100, "inclusive": true}},
		}), "subscription 10.00 USD, tax 1.00 USD"},
		{"ISK: Stripe keeps two decimals", basil, paidInvoice("isk", 150000, 150000, subLine(150000)), "subscription 1500 ISK"},
		{"HUF: two decimals, as ISO", basil, paidInvoice("huf", 150000, 150000, subLine(150000)), "subscription 1500.00 HUF"},
		{"TWD: two decimals, as ISO", basil, paidInvoice("twd", 30000, 30000, subLine(30000)), "subscription 300.00 TWD"},
		{"UGX: zero-decimal, as ISO", basil, paidInvoice("ugx", 37000, 37000, subLine(37000)), "subscription 37000 UGX"},
		{"MGA: Stripe zero-decimal, ISO two", basil, paidInvoice("mga", 5000, 5000, subLine(5000)), "subscription 5000.00 MGA"},
		{"JPY: zero-decimal", basil, paidInvoice("jpy", 2000, 2000, subLine(2000)), "subscription 2000 JPY"},
	}
	h := newHarness(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := mapEvent(t, h.sync, stripe.EventTypeInvoicePaid, c.version, c.invoice)
			if err != nil {
				t.Fatal(err)
			}
			if got := lines(m); got != c.want {
				t.Errorf("lines = %s\nwant    %s", got, c.want)
			}
		})
	}
}

// Payloads the mapping refuses, each with a typed error that matches
// affiliate.ErrInvalid.
func TestInvoiceRefusals(t *testing.T) {
	cases := map[string]map[string]any{
		"fractional ISK":           paidInvoice("isk", 150050, 150050, subLine(150050)),
		"unknown line kind":        paidInvoice("usd", 1000, 1000, with(subLine(1000), "metadata", map[string]string{"affiliate_line_kind": "tax"})),
		"line in another currency": paidInvoice("usd", 1000, 1000, with(subLine(1000), "currency", "eur")),
		"no customer":              with(paidInvoice("usd", 1000, 1000, subLine(1000)), "customer", nil),
		"lines short of total":     paidInvoice("usd", 2000, 2000, subLine(1000)),
	}
	cases["line in another currency"]["lines"].(map[string]any)["data"].([]any)[0].(map[string]any)["currency"] = "eur"
	h := newHarness(t)
	for name, inv := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := mapEvent(t, h.sync, stripe.EventTypeInvoicePaid, "2025-03-31.basil", inv)
			if !errors.Is(err, affiliate.ErrInvalid) {
				t.Errorf("err = %v, want one matching affiliate.ErrInvalid", err)
			}
		})
	}
}

// An invoice with more lines than the event holds is read in full
// through the client, page after page.
func TestInvoiceLinesPaginated(t *testing.T) {
	var pages []string
	page := func(from, to int, more bool) []any {
		var out []any
		for i := from; i < to; i++ {
			l := subLine(100)
			l["id"] = fmt.Sprintf("il_%02d", i)
			out = append(out, l)
		}
		return out
	}
	client := fakeStripe(t, map[string]func(*http.Request) any{
		"/v1/invoices/in_t/lines": func(r *http.Request) any {
			after := r.URL.Query().Get("starting_after")
			pages = append(pages, after)
			if after == "" {
				return list("/v1/invoices/in_t/lines", true, page(0, 10, true)...)
			}
			return list("/v1/invoices/in_t/lines", false, page(10, 12, false)...)
		},
	})
	h := newHarness(t, func(c *stripesync.Config) { c.Client = client })
	inv := paidInvoice("usd", 1200, 1200)
	inv["lines"] = list("/v1/invoices/in_t/lines", true, page(0, 10, true)...)
	m, err := mapEvent(t, h.sync, stripe.EventTypeInvoicePaid, "2025-03-31.basil", inv)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(lines(m), "subscription 1.00 USD"); got != 12 {
		t.Errorf("%d lines of 1.00, want 12: %s", got, lines(m))
	}
	if want := []string{"", "il_09"}; fmt.Sprint(pages) != fmt.Sprint(want) {
		t.Errorf("pages requested after %q, want %q", pages, want)
	}

	// Without a client the same event cannot be priced: a dead letter.
	h = newHarness(t)
	if _, err := mapEvent(t, h.sync, stripe.EventTypeInvoicePaid, "2025-03-31.basil", inv); !errors.Is(err, stripesync.ErrLookupImpossible) {
		t.Errorf("without a client: %v, want ErrLookupImpossible", err)
	}
}
