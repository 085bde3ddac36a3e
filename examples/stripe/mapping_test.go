package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func event(t testing.TB, name string) Event {
	t.Helper()
	ev, err := ParseEvent(fixture(t, name))
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// patched returns the fixture with data.object changed by fn, as a
// generic JSON tree.
func patched(t testing.TB, name string, fn func(obj map[string]any)) Event {
	t.Helper()
	var raw map[string]any
	if err := json.Unmarshal(fixture(t, name), &raw); err != nil {
		t.Fatal(err)
	}
	fn(raw["data"].(map[string]any)["object"].(map[string]any))
	b, err := json.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := ParseEvent(b)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func usd(minor int64) affiliate.Money { return affiliate.MustMoney(minor, "USD") }

func TestMapInvoicePaid(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		fixture string
		want    affiliate.Payment
	}{
		{"invoice_paid_jan.json", affiliate.Payment{
			ID: "in_jan", Customer: "cus_ann_1", PaidAt: time.Date(2026, time.January, 1, 10, 0, 0, 0, time.UTC), Currency: "USD", Country: "US",
			Lines: []affiliate.Line{
				{Kind: affiliate.LineSubscription, Amount: usd(2000), Plan: "pro_monthly", SKU: "prod_pro", Description: "1 × Pro (at $20.00 / month)"},
				{Kind: affiliate.LineTax, Amount: usd(200), Plan: "pro_monthly", SKU: "prod_pro", Description: "tax on 1 × Pro (at $20.00 / month)"},
				{Kind: affiliate.LineAddOn, Amount: usd(20000), Plan: "price_whitelabel", SKU: "prod_whitelabel", Description: "1 × Whitelabel (at $200.00 / month)"},
				{Kind: affiliate.LineTax, Amount: usd(2000), Plan: "price_whitelabel", SKU: "prod_whitelabel", Description: "tax on 1 × Whitelabel (at $200.00 / month)"},
			},
		}},
		{"invoice_paid_feb.json", affiliate.Payment{
			ID: "in_feb", Customer: "cus_ann_1", PaidAt: time.Date(2026, time.February, 1, 10, 0, 0, 0, time.UTC), Currency: "USD", Country: "US",
			Lines: []affiliate.Line{
				{Kind: affiliate.LineSubscription, Amount: usd(2000), Plan: "pro_monthly", SKU: "prod_pro", Description: "1 × Pro (at $20.00 / month)"},
				{Kind: affiliate.LineDiscount, Amount: usd(500), Plan: "pro_monthly", SKU: "prod_pro", Description: "discount on 1 × Pro (at $20.00 / month)"},
				{Kind: affiliate.LineTax, Amount: usd(150), Plan: "pro_monthly", SKU: "prod_pro", Description: "tax on 1 × Pro (at $20.00 / month)"},
				{Kind: affiliate.LineAddOn, Amount: usd(20000), Plan: "price_whitelabel", SKU: "prod_whitelabel", Description: "1 × Whitelabel (at $200.00 / month)"},
				{Kind: affiliate.LineTax, Amount: usd(2000), Plan: "price_whitelabel", SKU: "prod_whitelabel", Description: "tax on 1 × Whitelabel (at $200.00 / month)"},
				{Kind: affiliate.LineCredits, Amount: usd(5000), Plan: "price_credits_5k", SKU: "prod_credits", Description: "5,000 credits"},
				{Kind: affiliate.LineTax, Amount: usd(500), Plan: "price_credits_5k", SKU: "prod_credits", Description: "tax on 5,000 credits"},
			},
		}},
		{"invoice_paid_mar_basil.json", affiliate.Payment{
			ID: "in_mar", Customer: "cus_ann_1", PaidAt: time.Date(2026, time.March, 1, 10, 0, 0, 0, time.UTC), Currency: "USD", Country: "US",
			Lines: []affiliate.Line{
				{Kind: affiliate.LineSubscription, Amount: usd(2000), Plan: "price_pro_monthly", SKU: "prod_pro", Description: "1 × Pro (at $20.00 / month)"},
				{Kind: affiliate.LineTax, Amount: usd(200), Plan: "price_pro_monthly", SKU: "prod_pro", Description: "tax on 1 × Pro (at $20.00 / month)"},
				{Kind: affiliate.LineAddOn, Amount: usd(20000), Plan: "price_whitelabel", SKU: "prod_whitelabel", Description: "1 × Whitelabel (at $200.00 / month)"},
				{Kind: affiliate.LineTax, Amount: usd(2000), Plan: "price_whitelabel", SKU: "prod_whitelabel", Description: "tax on 1 × Whitelabel (at $200.00 / month)"},
			},
		}},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			m := &Mapper{Links: &MemoryLinks{}}
			out, err := m.Map(ctx, event(t, tc.fixture))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, out.Event, affiliatetest.CmpOptions()); diff != "" {
				t.Errorf("payment (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMapInvoiceLineShapes(t *testing.T) {
	ctx := context.Background()
	lines := func(ev Event) []affiliate.Line {
		t.Helper()
		out, err := (&Mapper{Links: &MemoryLinks{}}).Map(ctx, ev)
		if err != nil {
			t.Fatal(err)
		}
		return out.Event.(affiliate.Payment).Lines
	}
	setLine := func(obj map[string]any, fn func(l map[string]any)) {
		fn(obj["lines"].(map[string]any)["data"].([]any)[0].(map[string]any))
	}
	t.Run("metered price is usage", func(t *testing.T) {
		ev := patched(t, "invoice_paid_jan.json", func(obj map[string]any) {
			setLine(obj, func(l map[string]any) {
				l["price"].(map[string]any)["recurring"].(map[string]any)["usage_type"] = "metered"
			})
		})
		if k := lines(ev)[0].Kind; k != affiliate.LineUsage {
			t.Errorf("kind %s, want usage", k)
		}
	})
	t.Run("one-time invoice item", func(t *testing.T) {
		ev := patched(t, "invoice_paid_jan.json", func(obj map[string]any) {
			setLine(obj, func(l map[string]any) {
				l["price"].(map[string]any)["type"] = "one_time"
				l["type"] = "invoiceitem"
			})
		})
		if k := lines(ev)[0].Kind; k != affiliate.LineOneTime {
			t.Errorf("kind %s, want one_time", k)
		}
	})
	t.Run("setup fee from line metadata", func(t *testing.T) {
		ev := patched(t, "invoice_paid_jan.json", func(obj map[string]any) {
			setLine(obj, func(l map[string]any) { l["metadata"] = map[string]any{KindMetadataKey: "setup_fee"} })
		})
		if k := lines(ev)[0].Kind; k != affiliate.LineSetupFee {
			t.Errorf("kind %s, want setup_fee", k)
		}
	})
	t.Run("tax included in the price", func(t *testing.T) {
		ev := patched(t, "invoice_paid_jan.json", func(obj map[string]any) {
			setLine(obj, func(l map[string]any) {
				l["tax_amounts"] = []any{map[string]any{"amount": 200, "inclusive": true}}
			})
			obj["total"] = 24000 // the $20 line now holds its $2 of tax
		})
		got := lines(ev)
		if got[0].Amount != usd(1800) || got[1].Kind != affiliate.LineTax || got[1].Amount != usd(200) {
			t.Errorf("lines %v, want 18.00 subscription and 2.00 tax", got[:2])
		}
	})
	t.Run("proration credit is a discount", func(t *testing.T) {
		ev := patched(t, "invoice_paid_jan.json", func(obj map[string]any) {
			setLine(obj, func(l map[string]any) {
				l["amount"] = -500
				l["tax_amounts"] = []any{}
			})
			obj["total"] = 21500
		})
		if got := lines(ev)[0]; got.Kind != affiliate.LineDiscount || got.Amount != usd(500) || !strings.HasPrefix(got.Description, "credit: ") {
			t.Errorf("line %+v, want a 5.00 credit", got)
		}
	})
	t.Run("shipping and its tax", func(t *testing.T) {
		ev := patched(t, "invoice_paid_jan.json", func(obj map[string]any) {
			obj["amount_shipping"] = 500
			obj["shipping_cost"] = map[string]any{"amount_subtotal": 500, "amount_tax": 50, "amount_total": 550}
			obj["total"] = 24750
		})
		got := lines(ev)
		n := len(got)
		if got[n-2].Kind != affiliate.LineShipping || got[n-2].Amount != usd(500) || got[n-1].Kind != affiliate.LineTax || got[n-1].Amount != usd(50) {
			t.Errorf("last lines %v, want 5.00 shipping and 0.50 tax", got[n-2:])
		}
	})
	t.Run("customer expanded as an object", func(t *testing.T) {
		ev := patched(t, "invoice_paid_jan.json", func(obj map[string]any) {
			obj["customer"] = map[string]any{"id": "cus_ann_1", "object": "customer"}
		})
		out, err := (&Mapper{Links: &MemoryLinks{}}).Map(ctx, ev)
		if err != nil || out.Event.EventCustomer() != "cus_ann_1" {
			t.Errorf("Map = %v, %v", out.Event, err)
		}
	})
	t.Run("zero-decimal currency", func(t *testing.T) {
		ev := patched(t, "invoice_paid_trial.json", func(obj map[string]any) {
			obj["currency"] = "jpy"
			obj["total"] = 3000
			setLine(obj, func(l map[string]any) { l["amount"] = 3000; l["currency"] = "jpy" })
		})
		got := lines(ev)
		if got[0].Amount != affiliate.MustMoney(3000, "JPY") || got[0].Amount.String() != "3000 JPY" {
			t.Errorf("line %v, want 3000 JPY", got[0])
		}
	})
}

func TestMapInvoiceRefusals(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		patch func(obj map[string]any)
		want  error
		says  string
	}{
		{"lines cut off", func(obj map[string]any) { obj["lines"].(map[string]any)["has_more"] = true }, ErrIncompleteInvoice, "fetch them from the API"},
		{"lines that do not add up", func(obj map[string]any) { obj["total"] = 25000 }, ErrUnbalancedInvoice, "make 242.00 USD, its total is 250.00 USD"},
		{"unknown line kind", func(obj map[string]any) {
			obj["lines"].(map[string]any)["data"].([]any)[0].(map[string]any)["metadata"] = map[string]any{KindMetadataKey: "tax"}
		}, ErrPayload, `"tax" is not a line kind a price can have`},
		{"no customer", func(obj map[string]any) { obj["customer"] = nil }, ErrPayload, "data.object.customer: missing"},
		{"unknown currency", func(obj map[string]any) { obj["currency"] = "xyz" }, affiliate.ErrUnknownCurrency, `"XYZ" is not a known ISO 4217 code`},
		{"a float amount", func(obj map[string]any) { obj["total"] = 242.5 }, ErrPayload, "holds a JSON number"},
		{"a line in another currency", func(obj map[string]any) {
			obj["lines"].(map[string]any)["data"].([]any)[0].(map[string]any)["currency"] = "eur"
		}, ErrPayload, `"eur" differs from the invoice's "usd"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			links := &MemoryLinks{}
			_, err := (&Mapper{Links: links}).Map(ctx, patched(t, "invoice_paid_jan.json", tc.patch))
			if !errors.Is(err, tc.want) || !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("Map = %v, want %v (and ErrInvalid)", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("the error does not say %q: %v", tc.says, err)
			}
			if _, ok, _ := links.Link(ctx, "ch_jan"); ok {
				t.Error("a refused invoice left a link behind")
			}
		})
	}
}

func TestMapRefundsAndDisputes(t *testing.T) {
	ctx := context.Background()
	m := &Mapper{Links: &MemoryLinks{}}
	refundedAt := func(name string) time.Time { return time.Unix(event(t, name).Created, 0).UTC() }

	// Before basil the charge names its invoice: no invoice.paid needed.
	out, err := m.Map(ctx, event(t, "charge_refunded_jan_half.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := affiliate.Refund{ID: "evt_charge_refunded_jan_1", Payment: "in_jan", Customer: "cus_ann_1", RefundedAt: refundedAt("charge_refunded_jan_half.json"), Kind: affiliate.KindRefund, Amount: usd(12100)}
	if diff := cmp.Diff(want, out.Event, affiliatetest.CmpOptions()); diff != "" {
		t.Errorf("first half (-want +got):\n%s", diff)
	}
	out, err = m.Map(ctx, event(t, "charge_refunded_jan_rest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if r := out.Event.(affiliate.Refund); r.Full || r.Amount != usd(12100) {
		t.Errorf("second half = %+v, want a partial refund of the 121.00 delta", r)
	}

	// A full refund at once.
	out, err = m.Map(ctx, patchedEvent(t, "charge_refunded_jan_half.json", func(obj map[string]any) {
		obj["amount_refunded"], obj["refunded"] = 24200, true
	}))
	if err != nil {
		t.Fatal(err)
	}
	if r := out.Event.(affiliate.Refund); !r.Full {
		t.Errorf("refunded at once = %+v, want Full", r)
	}

	// Basil: the charge names no invoice, so the invoice.paid must come first.
	if _, err := m.Map(ctx, event(t, "charge_refunded_mar_basil.json")); !errors.Is(err, ErrUnknownCharge) {
		t.Fatalf("basil refund before its invoice = %v, want ErrUnknownCharge", err)
	}
	if _, err := m.Map(ctx, event(t, "invoice_paid_mar_basil.json")); err != nil {
		t.Fatal(err)
	}
	out, err = m.Map(ctx, event(t, "charge_refunded_mar_basil.json"))
	if err != nil {
		t.Fatal(err)
	}
	if r := out.Event.(affiliate.Refund); r.Payment != "in_mar" || r.Customer != "cus_ann_1" || r.Amount != usd(2420) {
		t.Errorf("basil refund = %+v, want 24.20 of in_mar", r)
	}

	// A charge no invoice made.
	out, err = m.Map(ctx, patchedEvent(t, "charge_refunded_jan_half.json", func(obj map[string]any) {
		obj["id"], obj["invoice"], obj["payment_intent"] = "ch_shop", nil, "pi_shop"
	}))
	if err != nil || out.Event != nil || !strings.Contains(out.Skipped, "not made by an invoice") {
		t.Errorf("a charge without invoice = %+v, %v; want skipped", out, err)
	}

	// A dispute before its invoice, then of the whole invoice, then of part of it.
	if _, err := (&Mapper{Links: &MemoryLinks{}}).Map(ctx, event(t, "dispute_created_feb.json")); !errors.Is(err, ErrUnknownCharge) {
		t.Fatalf("dispute before its invoice = %v, want ErrUnknownCharge", err)
	}
	if _, err := m.Map(ctx, event(t, "invoice_paid_feb.json")); err != nil {
		t.Fatal(err)
	}
	out, err = m.Map(ctx, event(t, "dispute_created_feb.json"))
	if err != nil {
		t.Fatal(err)
	}
	if r := out.Event.(affiliate.Refund); r.ID != "dp_feb" || r.Kind != affiliate.KindChargeback || !r.Full || r.Payment != "in_feb" {
		t.Errorf("dispute = %+v, want a full chargeback of in_feb", r)
	}
	out, err = m.Map(ctx, patchedEvent(t, "dispute_created_feb.json", func(obj map[string]any) { obj["amount"] = 10000 }))
	if err != nil {
		t.Fatal(err)
	}
	if r := out.Event.(affiliate.Refund); r.Full || r.Amount != usd(10000) {
		t.Errorf("partial dispute = %+v, want 100.00", r)
	}
}

func patchedEvent(t testing.TB, name string, fn func(obj map[string]any)) Event {
	t.Helper()
	return patched(t, name, fn)
}

func TestMoneyExponents(t *testing.T) {
	for _, tc := range []struct {
		amount int64
		code   string
		want   string // Money.String, or the error's text
	}{
		{2000, "usd", "20.00 USD"},
		{2000, "EUR", "20.00 EUR"},
		{500, "jpy", "500 JPY"},
		{5120, "kwd", "5.120 KWD"},
		{1000, "mga", "1000.00 MGA"}, // Stripe: zero-decimal; ISO: 2
		{500, "isk", "5 ISK"},        // Stripe: two decimals; ISO: 0
		{550, "isk", "550 isk is not a whole number of ISK minor units"},
		{1 << 62, "mga", "out of range"},
		{100, "xyz", "is not a known ISO 4217 code"},
	} {
		m, err := money(tc.amount, tc.code, "amount")
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			got = m.String()
		}
		if !strings.Contains(got, tc.want) {
			t.Errorf("money(%d, %q) = %q, want %q", tc.amount, tc.code, got, tc.want)
		}
	}
}

func TestParseEventRefusals(t *testing.T) {
	for _, tc := range []struct{ name, body, says string }{
		{"not JSON", `{"id":`, "invalid JSON"},
		{"not an event", `{"id":"ch_1","object":"charge","type":"x","data":{"object":{}}}`, `"charge" is not "event"`},
		{"no id", `{"object":"event","type":"invoice.paid","data":{"object":{}}}`, "id: missing"},
		{"no type", `{"id":"evt_1","data":{"object":{}}}`, "type: missing"},
		{"no object", `{"id":"evt_1","type":"invoice.paid","data":{}}`, "data.object: missing"},
		{"null object", `{"id":"evt_1","type":"invoice.paid","data":{"object":null}}`, "data.object: missing"},
		{"an array", `[]`, "not a Stripe event"},
	} {
		_, err := ParseEvent([]byte(tc.body))
		var pe *PayloadError
		if !errors.As(err, &pe) || !errors.Is(err, affiliate.ErrInvalid) || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: ParseEvent = %v, want a *PayloadError saying %q", tc.name, err, tc.says)
		}
	}
}
