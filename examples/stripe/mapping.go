package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
)

// The Stripe event types the mapping handles.
const (
	InvoicePaid          = "invoice.paid"
	ChargeRefunded       = "charge.refunded"
	ChargeDisputeCreated = "charge.dispute.created"
)

// KindMetadataKey is the metadata key that sets a line's kind explicitly,
// on the invoice line or on its price: "add_on", "credits", "setup_fee",
// "usage", "one_time", "subscription" or "shipping". Stripe has no notion
// of an add-on or a credit pack, so a program that pays differently on
// them tags their prices.
const KindMetadataKey = "affiliate_line_kind"

var (
	// ErrUnknownCharge reports a refund or dispute of a charge whose
	// invoice is not known yet: its invoice.paid has not arrived, and the
	// charge does not name its invoice (API versions from 2025-03-31 do
	// not). The handler answers 503 so that Stripe delivers it again.
	ErrUnknownCharge = errors.New("stripe: charge not linked to a known invoice yet")
	// ErrIncompleteInvoice reports an invoice whose event does not carry
	// all its lines (lines.has_more): the base cannot be computed from the
	// event alone. It matches affiliate.ErrInvalid.
	ErrIncompleteInvoice = fmt.Errorf("%w: invoice lines truncated in the event", affiliate.ErrInvalid)
	// ErrUnbalancedInvoice reports an invoice whose mapped lines do not
	// add up to its total: the mapping would pay commission on the wrong
	// base, so it refuses. It matches affiliate.ErrInvalid.
	ErrUnbalancedInvoice = fmt.Errorf("%w: invoice lines do not add up to its total", affiliate.ErrInvalid)
)

// Outcome is what one Stripe event maps to: a library event to record, or
// the reason there is none.
type Outcome struct {
	Event   affiliate.Event // nil when skipped
	Skipped string          // why nothing is recorded: an ignored type, a $0 invoice…
}

// Mapper maps Stripe events to library events. The zero value is not
// ready: Links is required.
type Mapper struct {
	Links Links
}

// Map maps ev: invoice.paid to a Payment, charge.refunded to a Refund and
// charge.dispute.created to a chargeback. Other types are skipped, not
// refused: an endpoint receives whatever it subscribed to.
func (m *Mapper) Map(ctx context.Context, ev Event) (Outcome, error) {
	if m.Links == nil {
		return Outcome{}, errors.New("stripe: Mapper.Links is required")
	}
	switch ev.Type {
	case InvoicePaid:
		return m.invoicePaid(ctx, ev)
	case ChargeRefunded:
		return m.chargeRefunded(ctx, ev)
	case ChargeDisputeCreated:
		return m.disputeCreated(ctx, ev)
	}
	return Outcome{Skipped: "event type " + ev.Type + " is not mapped"}, nil
}

func (m *Mapper) invoicePaid(ctx context.Context, ev Event) (Outcome, error) {
	var inv invoice
	if err := decodeObject(ev, &inv); err != nil {
		return Outcome{}, err
	}
	switch {
	case inv.ID == "":
		return Outcome{}, &PayloadError{Field: "data.object.id", Reason: "missing"}
	case inv.Customer.ID == "":
		return Outcome{}, &PayloadError{Field: "data.object.customer", Reason: "missing"}
	case inv.Lines.HasMore:
		return Outcome{}, fmt.Errorf("%w: invoice %s has more lines than the event holds; fetch them from the API", ErrIncompleteInvoice, inv.ID)
	}
	total, err := money(inv.Total, inv.Currency, "data.object.total")
	if err != nil {
		return Outcome{}, err
	}
	if total.Sign() <= 0 {
		return Outcome{Skipped: fmt.Sprintf("invoice %s totals %s: nothing was paid (a trial or a credit)", inv.ID, total)}, nil
	}
	paidAt := ev.Created
	if inv.StatusTransitions.PaidAt != nil && *inv.StatusTransitions.PaidAt > 0 {
		paidAt = *inv.StatusTransitions.PaidAt
	}
	p := affiliate.Payment{
		ID:       affiliate.EventID(inv.ID),
		Customer: affiliate.CustomerID(inv.Customer.ID),
		PaidAt:   time.Unix(paidAt, 0).UTC(),
		Currency: total.Currency(),
	}
	if inv.CustomerAddress != nil && inv.CustomerAddress.Country != nil {
		p.Country = *inv.CustomerAddress.Country
	}
	for i, l := range inv.Lines.Data {
		lines, err := mapLine(l, inv.Currency, fmt.Sprintf("data.object.lines.data[%d]", i))
		if err != nil {
			return Outcome{}, err
		}
		p.Lines = append(p.Lines, lines...)
	}
	if inv.AmountShipping > 0 {
		shipping, tax := inv.AmountShipping, int64(0)
		if inv.ShippingCost != nil {
			shipping, tax = inv.ShippingCost.AmountSubtotal, inv.ShippingCost.AmountTax
		}
		if p.Lines, err = appendLine(p.Lines, affiliate.LineShipping, shipping, inv.Currency, "data.object.shipping_cost", lineInfo{desc: "shipping"}); err != nil {
			return Outcome{}, err
		}
		if p.Lines, err = appendLine(p.Lines, affiliate.LineTax, tax, inv.Currency, "data.object.shipping_cost", lineInfo{desc: "tax on shipping"}); err != nil {
			return Outcome{}, err
		}
	}
	sum, err := p.Total()
	if err != nil {
		return Outcome{}, err
	}
	if sum != total {
		return Outcome{}, fmt.Errorf("%w: invoice %s: its lines, discounts and taxes make %s, its total is %s", ErrUnbalancedInvoice, inv.ID, sum, total)
	}
	if err := p.Validate(); err != nil {
		return Outcome{}, err
	}
	// Remember which charge or payment intent paid the invoice, so that a
	// refund or dispute of it finds the payment.
	keys := []string{inv.Charge.ID, inv.PaymentIntent.ID}
	if inv.Payments != nil {
		for _, x := range inv.Payments.Data {
			keys = append(keys, x.Payment.Charge.ID, x.Payment.PaymentIntent.ID)
		}
	}
	if err := m.Links.PutLink(ctx, Link{Invoice: p.ID, Customer: p.Customer, Total: total}, keys...); err != nil {
		return Outcome{}, err
	}
	return Outcome{Event: p}, nil
}

// mapLine turns one Stripe invoice line into library lines: the line
// itself at its kind (net of any tax included in its price), then its
// discounts as one discount line, then its taxes as one tax line. A
// negative line, a proration credit for unused time, becomes a discount.
func mapLine(l invoiceLine, currency, field string) ([]affiliate.Line, error) {
	kind, err := lineKind(l, field)
	if err != nil {
		return nil, err
	}
	c, err := affiliate.ParseCurrency(currency)
	if err != nil {
		return nil, fmt.Errorf("stripe: field %s: %w", field, err)
	}
	if l.Currency != "" && !sameCurrency(l.Currency, c) {
		return nil, &PayloadError{Field: field + ".currency", Reason: fmt.Sprintf("%q differs from the invoice's %q", l.Currency, currency)}
	}
	var discount, taxIncluded, taxAdded int64
	credits := l.DiscountAmounts
	if l.PretaxCreditAmounts != nil {
		credits = l.PretaxCreditAmounts
	}
	for _, d := range credits {
		discount += d.Amount
	}
	if l.Taxes != nil {
		for _, t := range l.Taxes {
			if t.TaxBehavior == "inclusive" {
				taxIncluded += t.Amount
			} else {
				taxAdded += t.Amount
			}
		}
	} else {
		for _, t := range l.TaxAmounts {
			if t.Inclusive {
				taxIncluded += t.Amount
			} else {
				taxAdded += t.Amount
			}
		}
	}
	info := lineInfo{desc: ""}
	info.plan, info.sku = planAndSKU(l)
	if l.Description != nil {
		info.desc = *l.Description
	}
	var out []affiliate.Line
	net := l.Amount - taxIncluded
	if net >= 0 {
		out, err = appendLine(out, kind, net, currency, field+".amount", info)
	} else {
		out, err = appendLine(out, affiliate.LineDiscount, -net, currency, field+".amount", info.with("credit: "+info.desc))
	}
	if err != nil {
		return nil, err
	}
	if out, err = appendLine(out, affiliate.LineDiscount, discount, currency, field+".discount_amounts", info.with("discount on "+info.desc)); err != nil {
		return nil, err
	}
	return appendLine(out, affiliate.LineTax, taxIncluded+taxAdded, currency, field+".taxes", info.with("tax on "+info.desc))
}

// lineInfo is what a library line keeps of its Stripe line besides the
// amount.
type lineInfo struct{ plan, sku, desc string }

func (i lineInfo) with(desc string) lineInfo { i.desc = desc; return i }

// appendLine appends a line of stripeMinor Stripe units in currency,
// converted to the library's minor units, unless it is a zero discount,
// tax or shipping line, which would only clutter the payment.
func appendLine(ls []affiliate.Line, k affiliate.LineKind, stripeMinor int64, currency, field string, info lineInfo) ([]affiliate.Line, error) {
	if stripeMinor == 0 && (k == affiliate.LineDiscount || k == affiliate.LineTax || k == affiliate.LineShipping) {
		return ls, nil
	}
	if stripeMinor < 0 {
		return nil, &PayloadError{Field: field, Reason: fmt.Sprintf("negative %s amount %d", k, stripeMinor)}
	}
	m, err := money(stripeMinor, currency, field)
	if err != nil {
		return nil, err
	}
	return append(ls, affiliate.Line{Kind: k, Amount: m, Plan: info.plan, SKU: info.sku, Description: info.desc}), nil
}

func sameCurrency(code string, c affiliate.Currency) bool {
	lc, err := affiliate.ParseCurrency(code)
	return err == nil && lc == c
}

// lineKind decides a line's kind: explicit metadata first (on the line,
// then on its price), then a metered price (usage), then a recurring price
// or a subscription line (subscription); anything else is a one-time
// charge.
func lineKind(l invoiceLine, field string) (affiliate.LineKind, error) {
	for _, md := range []map[string]string{l.Metadata, priceMetadata(l)} {
		v, ok := md[KindMetadataKey]
		if !ok {
			continue
		}
		k := affiliate.LineKind(v)
		switch k {
		case affiliate.LineSubscription, affiliate.LineAddOn, affiliate.LineCredits, affiliate.LineUsage,
			affiliate.LineOneTime, affiliate.LineSetupFee, affiliate.LineShipping:
			return k, nil
		}
		return "", &PayloadError{Field: field + ".metadata." + KindMetadataKey, Reason: fmt.Sprintf("%q is not a line kind a price can have", v)}
	}
	if l.Price != nil && l.Price.Recurring != nil && l.Price.Recurring.UsageType == "metered" {
		return affiliate.LineUsage, nil
	}
	if (l.Price != nil && l.Price.Type == "recurring") || l.Type == "subscription" ||
		(l.Parent != nil && l.Parent.Type == "subscription_item_details") {
		return affiliate.LineSubscription, nil
	}
	return affiliate.LineOneTime, nil
}

func priceMetadata(l invoiceLine) map[string]string {
	if l.Price == nil {
		return nil
	}
	return l.Price.Metadata
}

// planAndSKU names the price (its lookup key when it has one, else its ID)
// and the product, for rule conditions.
func planAndSKU(l invoiceLine) (plan, sku string) {
	switch {
	case l.Price != nil:
		plan = l.Price.ID
		if l.Price.LookupKey != nil && *l.Price.LookupKey != "" {
			plan = *l.Price.LookupKey
		}
		sku = l.Price.Product.ID
	case l.Pricing != nil && l.Pricing.PriceDetails != nil:
		plan, sku = l.Pricing.PriceDetails.Price.ID, l.Pricing.PriceDetails.Product
	}
	return plan, sku
}

func (m *Mapper) chargeRefunded(ctx context.Context, ev Event) (Outcome, error) {
	var ch charge
	if err := decodeObject(ev, &ch); err != nil {
		return Outcome{}, err
	}
	if ch.ID == "" {
		return Outcome{}, &PayloadError{Field: "data.object.id", Reason: "missing"}
	}
	link, found, err := m.linkFor(ctx, ch.ID, ch.PaymentIntent.ID)
	if err != nil {
		return Outcome{}, err
	}
	if ch.Invoice.ID != "" {
		// Before basil the charge names its invoice: link it, so that a
		// dispute of the charge finds it too.
		link.Invoice = affiliate.EventID(ch.Invoice.ID)
		found = true
		if err := m.Links.PutLink(ctx, Link{Invoice: link.Invoice, Customer: customerOf(ch.Customer, link), Total: link.Total}, ch.ID, ch.PaymentIntent.ID); err != nil {
			return Outcome{}, err
		}
	}
	if !found {
		if ch.Invoice.Null {
			return Outcome{Skipped: fmt.Sprintf("charge %s was not made by an invoice", ch.ID)}, nil
		}
		return Outcome{}, fmt.Errorf("%w: refund of charge %s", ErrUnknownCharge, ch.ID)
	}
	prev, err := previousRefunded(ev, ch)
	if err != nil {
		return Outcome{}, err
	}
	r := affiliate.Refund{
		ID:         affiliate.EventID(ev.ID),
		Payment:    link.Invoice,
		Customer:   customerOf(ch.Customer, link),
		RefundedAt: time.Unix(ev.Created, 0).UTC(),
		Kind:       affiliate.KindRefund,
	}
	delta := ch.AmountRefunded - prev
	switch {
	case ch.Refunded && prev == 0:
		r.Full = true
	case delta <= 0:
		return Outcome{Skipped: fmt.Sprintf("charge %s: nothing more refunded (%d, before %d)", ch.ID, ch.AmountRefunded, prev)}, nil
	default:
		if r.Amount, err = money(delta, ch.Currency, "data.object.amount_refunded"); err != nil {
			return Outcome{}, err
		}
	}
	if err := r.Validate(); err != nil {
		return Outcome{}, err
	}
	return Outcome{Event: r}, nil
}

// previousRefunded returns what the charge had refunded before this
// event: data.previous_attributes.amount_refunded when Stripe sends it,
// else the total less the newest refund when the charge lists its refunds
// (API versions before 2022-11-15), else zero: the refund is taken to be
// the charge's first.
func previousRefunded(ev Event, ch charge) (int64, error) {
	if pa := bytes.TrimSpace(ev.Data.PreviousAttributes); len(pa) > 0 && !bytes.Equal(pa, []byte("null")) {
		var prev struct {
			AmountRefunded *int64 `json:"amount_refunded"`
		}
		if err := json.Unmarshal(pa, &prev); err != nil {
			return 0, &PayloadError{Field: "data.previous_attributes", Reason: jsonReason(err)}
		}
		if prev.AmountRefunded != nil {
			return *prev.AmountRefunded, nil
		}
	}
	if ch.Refunds != nil && len(ch.Refunds.Data) > 0 {
		newest := ch.Refunds.Data[0]
		for _, r := range ch.Refunds.Data[1:] {
			if r.Created > newest.Created {
				newest = r
			}
		}
		return ch.AmountRefunded - newest.Amount, nil
	}
	return 0, nil
}

func (m *Mapper) disputeCreated(ctx context.Context, ev Event) (Outcome, error) {
	var d dispute
	if err := decodeObject(ev, &d); err != nil {
		return Outcome{}, err
	}
	if d.ID == "" {
		return Outcome{}, &PayloadError{Field: "data.object.id", Reason: "missing"}
	}
	link, found, err := m.linkFor(ctx, d.Charge.ID, d.PaymentIntent.ID)
	if err != nil {
		return Outcome{}, err
	}
	if !found {
		return Outcome{}, fmt.Errorf("%w: dispute %s of charge %s", ErrUnknownCharge, d.ID, d.Charge.ID)
	}
	amount, err := money(d.Amount, d.Currency, "data.object.amount")
	if err != nil {
		return Outcome{}, err
	}
	r := affiliate.Refund{
		ID:         affiliate.EventID(d.ID),
		Payment:    link.Invoice,
		Customer:   link.Customer,
		RefundedAt: time.Unix(cmpOr(d.Created, ev.Created), 0).UTC(),
		Kind:       affiliate.KindChargeback,
		Amount:     amount,
	}
	if link.Total.Currency() == amount.Currency() && amount.Minor() >= link.Total.Minor() {
		r.Full, r.Amount = true, affiliate.Money{}
	}
	if err := r.Validate(); err != nil {
		return Outcome{}, err
	}
	return Outcome{Event: r}, nil
}

func (m *Mapper) linkFor(ctx context.Context, keys ...string) (Link, bool, error) {
	for _, k := range keys {
		if k == "" {
			continue
		}
		l, ok, err := m.Links.Link(ctx, k)
		if err != nil || ok {
			return l, ok, err
		}
	}
	return Link{}, false, nil
}

func customerOf(r ref, l Link) affiliate.CustomerID {
	if r.ID != "" {
		return affiliate.CustomerID(r.ID)
	}
	return l.Customer
}

func cmpOr(a, b int64) int64 {
	if a != 0 {
		return a
	}
	return b
}
