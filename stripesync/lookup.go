package stripesync

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/stripe/stripe-go/v85"
)

// lookup fetches what an event holds only as an ID or a first page,
// through the API client the host passed in. A nil client makes every
// lookup fail with ErrLookupImpossible, so the event is dead-lettered and
// can be replayed once the host configures one.
type lookup struct{ c *stripe.Client }

// invoiceLines returns every line of the invoice, all pages, with prices
// expanded (a line's kind depends on its price).
func (l lookup) invoiceLines(ctx context.Context, invoice string) ([]*stripe.InvoiceLineItem, error) {
	if l.c == nil {
		return nil, fmt.Errorf("%w: invoice %s: its lines need the API, and Config.Client is nil", ErrLookupImpossible, invoice)
	}
	p := &stripe.InvoiceListLinesParams{Invoice: stripe.String(invoice)}
	p.Limit = stripe.Int64(100)
	p.AddExpand("data.pricing.price_details.price")
	var lines []*stripe.InvoiceLineItem
	for line, err := range l.c.V1Invoices.ListLines(ctx, p).All(ctx) {
		if err != nil {
			return nil, classify(err, "lines of invoice "+invoice)
		}
		lines = append(lines, line)
	}
	return lines, nil
}

// invoice fetches one invoice.
func (l lookup) invoice(ctx context.Context, id string) (*stripe.Invoice, error) {
	if l.c == nil {
		return nil, fmt.Errorf("%w: invoice %s needs the API, and Config.Client is nil", ErrLookupImpossible, id)
	}
	inv, err := l.c.V1Invoices.Retrieve(ctx, id, nil)
	if err != nil {
		return nil, classify(err, "invoice "+id)
	}
	return inv, nil
}

// invoiceOfPayment finds the paid invoice a charge paid, through its
// payment intent (fetched from the charge when the event names none) and
// the invoice payments Stripe keeps from API version 2025-03-31 on. It
// reports false when the charge paid no invoice: invoices have been paid
// through payment intents since 2019.
func (l lookup) invoiceOfPayment(ctx context.Context, charge, paymentIntent string) (*stripe.Invoice, bool, error) {
	if l.c == nil {
		return nil, false, fmt.Errorf("%w: the invoice of charge %s needs the API, and Config.Client is nil", ErrLookupImpossible, charge)
	}
	if paymentIntent == "" {
		ch, err := l.c.V1Charges.Retrieve(ctx, charge, nil)
		if err != nil {
			return nil, false, classify(err, "charge "+charge)
		}
		if ch.PaymentIntent == nil || ch.PaymentIntent.ID == "" {
			return nil, false, nil
		}
		paymentIntent = ch.PaymentIntent.ID
	}
	p := &stripe.InvoicePaymentListParams{Payment: &stripe.InvoicePaymentListPaymentParams{
		Type: stripe.String("payment_intent"), PaymentIntent: stripe.String(paymentIntent),
	}}
	p.AddExpand("data.invoice")
	for ip, err := range l.c.V1InvoicePayments.List(ctx, p).All(ctx) {
		if err != nil {
			return nil, false, classify(err, "invoice payments of payment intent "+paymentIntent)
		}
		if ip.Invoice != nil && ip.Invoice.ID != "" {
			return ip.Invoice, true, nil
		}
	}
	return nil, false, nil
}

// refundsOfCharge lists every refund of a charge.
func (l lookup) refundsOfCharge(ctx context.Context, charge string) ([]*stripe.Refund, error) {
	if l.c == nil {
		return nil, fmt.Errorf("%w: the refunds of charge %s need the API, and Config.Client is nil", ErrLookupImpossible, charge)
	}
	p := &stripe.RefundListParams{Charge: stripe.String(charge)}
	p.Limit = stripe.Int64(100)
	var out []*stripe.Refund
	for r, err := range l.c.V1Refunds.List(ctx, p).All(ctx) {
		if err != nil {
			return nil, classify(err, "refunds of charge "+charge)
		}
		out = append(out, r)
	}
	return out, nil
}

// promotionCode returns the code customers type for a promotion code ID.
func (l lookup) promotionCode(ctx context.Context, pc *stripe.PromotionCode) (string, error) {
	if pc == nil || pc.Code != "" {
		return codeOf(pc), nil
	}
	if l.c == nil {
		return "", fmt.Errorf("%w: promotion code %s needs the API, and Config.Client is nil", ErrLookupImpossible, pc.ID)
	}
	got, err := l.c.V1PromotionCodes.Retrieve(ctx, pc.ID, nil)
	if err != nil {
		return "", classify(err, "promotion code "+pc.ID)
	}
	return got.Code, nil
}

func codeOf(pc *stripe.PromotionCode) string {
	if pc == nil {
		return ""
	}
	return pc.Code
}

// classify sorts a Stripe API error: an object that does not exist or a
// request Stripe refuses (4xx but 401, 403 and 429) cannot succeed later;
// anything else (network, rate limit, 5xx, a key the host may fix) may.
func classify(err error, what string) error {
	var se *stripe.Error
	if errors.As(err, &se) {
		switch {
		case se.HTTPStatusCode == http.StatusUnauthorized, se.HTTPStatusCode == http.StatusForbidden,
			se.HTTPStatusCode == http.StatusTooManyRequests, se.HTTPStatusCode >= 500:
		case se.HTTPStatusCode >= 400:
			return fmt.Errorf("%w: %s: %s", ErrLookupImpossible, what, se.Msg)
		}
	}
	return fmt.Errorf("%w: %s: %w", ErrStripeUnavailable, what, err)
}
