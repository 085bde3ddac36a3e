package stripesync

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/stripe/stripe-go/v85"
)

// payment maps a paid invoice to a Payment whose ID is the invoice's.
// raw is the invoice as the event carried it (for the fields of older API
// versions), or nil for an invoice fetched from the API. It returns a
// reason instead of a payment for an invoice that is not paid yet or
// charged nothing.
//
// The payment is built from the invoice alone, never from the event that
// carried it, so invoice.paid, invoice_payment.paid and Reconcile give the
// same payload and the engine's idempotency sees one payment.
func (s *Sync) payment(ctx context.Context, inv *stripe.Invoice, raw json.RawMessage) (affiliate.Payment, string, error) {
	switch {
	case inv.ID == "":
		return affiliate.Payment{}, "", &PayloadError{Field: "invoice.id", Reason: "missing"}
	case inv.Customer == nil || inv.Customer.ID == "":
		return affiliate.Payment{}, "", &PayloadError{Field: "invoice.customer", Reason: "missing"}
	case inv.Status != stripe.InvoiceStatusPaid:
		return affiliate.Payment{}, fmt.Sprintf("invoice %s is %q, not paid: it is recorded by its invoice.paid", inv.ID, inv.Status), nil
	}
	due, err := toMoney(inv.AmountDue, inv.Currency, "invoice.amount_due")
	if err != nil {
		return affiliate.Payment{}, "", err
	}
	if due.Sign() <= 0 {
		return affiliate.Payment{}, fmt.Sprintf("invoice %s: %s due, nothing was paid (a trial, or paid by credit)", inv.ID, due), nil
	}
	lines, err := s.lines(ctx, inv, raw)
	if err != nil {
		return affiliate.Payment{}, "", err
	}
	p := affiliate.Payment{
		ID:       affiliate.EventID(inv.ID),
		Customer: affiliate.CustomerID(inv.Customer.ID),
		PaidAt:   time.Unix(paidAt(inv), 0).UTC(),
		Currency: due.Currency(),
	}
	if inv.CustomerAddress != nil {
		p.Country = inv.CustomerAddress.Country
	}
	b := builder{currency: inv.Currency}
	for i, l := range lines {
		b.line(l, fmt.Sprintf("invoice.lines.data[%d]", i))
	}
	if sc := inv.ShippingCost; sc != nil && sc.AmountSubtotal != 0 {
		b.add(affiliate.LineShipping, sc.AmountSubtotal, "invoice.shipping_cost", info{desc: "shipping"})
		b.tax += sc.AmountTax
	}
	b.add(affiliate.LineTax, b.tax, "invoice.taxes", info{desc: "tax"})
	if b.err != nil {
		return affiliate.Payment{}, "", b.err
	}
	p.Lines = b.lines
	sum, err := p.Total()
	if err != nil {
		return affiliate.Payment{}, "", err
	}
	total, err := toMoney(inv.Total, inv.Currency, "invoice.total")
	if err != nil {
		return affiliate.Payment{}, "", err
	}
	if sum != total {
		return affiliate.Payment{}, "", fmt.Errorf("%w: invoice %s: its lines, discounts and taxes make %s, its total is %s", ErrUnbalancedInvoice, inv.ID, sum, total)
	}
	// The credit balance rule: the base is what the invoice asked the
	// customer to pay (amount_due). Credit from the customer's balance or
	// a pre-payment credit note comes off as a discount: it was either
	// paid and commissioned before (a downgrade's proration) or never
	// paid (a goodwill credit). A debt carried from before adds a
	// one-time line: it is paid now.
	b.add(affiliate.LineDiscount, inv.Total-inv.AmountDue, "invoice.amount_due", info{desc: "customer credit balance or credit note applied"})
	b.add(affiliate.LineOneTime, inv.AmountDue-inv.Total, "invoice.amount_due", info{desc: "customer balance carried from earlier invoices"})
	if b.err != nil {
		return affiliate.Payment{}, "", b.err
	}
	p.Lines = b.lines
	if err := p.Validate(); err != nil {
		return affiliate.Payment{}, "", err
	}
	return p, "", nil
}

// paidAt is when the invoice was paid, from the invoice itself.
func paidAt(inv *stripe.Invoice) int64 {
	if t := inv.StatusTransitions; t != nil && t.PaidAt > 0 {
		return t.PaidAt
	}
	if inv.EffectiveAt > 0 {
		return inv.EffectiveAt
	}
	return inv.Created
}

// lines returns the invoice's lines: those the event carried when they
// are all there with their prices, else all of them from the API.
func (s *Sync) lines(ctx context.Context, inv *stripe.Invoice, raw json.RawMessage) ([]line, error) {
	var legacy struct {
		Lines struct {
			Data []legacyLine `json:"data"`
		} `json:"lines"`
	}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &legacy); err != nil {
			return nil, &PayloadError{Field: "invoice.lines", Reason: "not an invoice line list", Err: err}
		}
	}
	var out []line
	complete := inv.Lines != nil && !inv.Lines.HasMore
	if complete {
		for i, l := range inv.Lines.Data {
			if l == nil {
				return nil, &PayloadError{Field: fmt.Sprintf("invoice.lines.data[%d]", i), Reason: "null"}
			}
			ln := line{InvoiceLineItem: l}
			if i < len(legacy.Lines.Data) {
				ln.legacy = legacy.Lines.Data[i]
			}
			// A price sent as a bare ID hides whether it is metered:
			// fetch the lines with their prices when the host can.
			if !ln.priceKnown() && s.lookup.c != nil {
				complete = false
			}
			out = append(out, ln)
		}
	}
	if complete {
		return out, nil
	}
	fetched, err := s.lookup.invoiceLines(ctx, inv.ID)
	if err != nil {
		return nil, err
	}
	out = out[:0]
	for _, l := range fetched {
		out = append(out, line{InvoiceLineItem: l})
	}
	return out, nil
}

// info is what a library line keeps of its Stripe line besides the amount.
type info struct{ plan, sku, desc string }

func (i info) with(desc string) info { i.desc = desc; return i }

// builder collects an invoice's library lines, keeping the first error.
type builder struct {
	currency stripe.Currency
	lines    []affiliate.Line
	tax      int64 // the invoice's tax, summed over its lines, signed
	err      error
}

// line adds a Stripe line: the line at its kind net of any tax included
// in its price, then its discounts as one discount line. A negative line,
// a proration credit for unused time, becomes a discount; its tax, often
// negative too, is netted into the invoice's tax line.
func (b *builder) line(l line, field string) {
	if b.err != nil {
		return
	}
	if l.Currency != "" && l.Currency != b.currency {
		b.err = &PayloadError{Field: field + ".currency", Reason: fmt.Sprintf("%q differs from the invoice's %q", l.Currency, b.currency)}
		return
	}
	k, err := l.kind(field)
	if err != nil {
		b.err = err
		return
	}
	in := info{desc: l.Description}
	in.plan, in.sku = l.planAndSKU()
	inclusive, exclusive := l.taxes()
	b.tax += inclusive + exclusive
	net := l.Amount - inclusive
	if net >= 0 {
		b.add(k, net, field+".amount", in)
	} else {
		what := "credit: "
		if l.proration() {
			what = "proration credit: "
		}
		b.add(affiliate.LineDiscount, -net, field+".amount", in.with(what+l.Description))
	}
	b.add(affiliate.LineDiscount, l.credits(), field+".pretax_credit_amounts", in.with("discount on "+l.Description))
}

// add appends a line of amount Stripe units. Zero lines are dropped. A
// negative tax becomes a discount ("tax credit"); any other negative
// amount is dropped, because the opposite line of its pair carries it (a
// negative net is added as a credit, a balance applied as a discount).
func (b *builder) add(k affiliate.LineKind, amount int64, field string, in info) {
	if b.err != nil || amount == 0 {
		return
	}
	if amount < 0 {
		if k != affiliate.LineTax {
			return
		}
		k, amount, in = affiliate.LineDiscount, -amount, in.with("tax credit")
	}
	m, err := toMoney(amount, b.currency, field)
	if err != nil {
		b.err = err
		return
	}
	b.lines = append(b.lines, affiliate.Line{Kind: k, Amount: m, Plan: in.plan, SKU: in.sku, Description: in.desc})
}
