// Command stripe maps Stripe webhooks to the library's events, verifies
// their signatures, and records them with the commission engine. It is
// an example to copy into a host's billing code, with nothing but
// encoding/json between Stripe and the library: no Stripe SDK.
//
// Run it without flags for a demo in memory: it signs the Stripe-shaped
// fixtures in testdata with a demo secret, delivers them to the handler
// the way Stripe would (a replay, events out of order, a bad signature
// among them), and prints each answer and the ledger of a 30% lifetime
// revenue share (seed 001). With -listen it serves the endpoint instead:
//
//	STRIPE_WEBHOOK_SECRET=whsec_… go run ./examples/stripe -listen :8080
//
// # How Stripe events map
//
//   - invoice.paid becomes a Payment whose ID is the invoice's ID (so
//     invoice.paid and a re-sent copy are one payment). Each invoice line
//     becomes a line of its kind: the kind in the metadata key
//     affiliate_line_kind of the line or its price when set (Stripe has no
//     notion of an add-on or a credit pack), else usage for a metered
//     price, subscription for a recurring price or a subscription line,
//     one-time otherwise. Discounts (discount_amounts, or
//     pretax_credit_amounts from API version 2025-03-31 on) become one
//     discount line per invoice line, taxes (tax_amounts, or taxes) one tax
//     line, tax included in a price is taken out of the line, and a
//     negative line (a proration credit) becomes a discount. The lines
//     must add up to the invoice's total, or the invoice is refused rather
//     than priced on a wrong base. A $0 invoice (a trial) is skipped.
//   - charge.refunded becomes a Refund of the invoice the charge paid:
//     a full refund when the charge was refunded in full at once, else a
//     partial one of the amount_refunded delta (from
//     data.previous_attributes). Its ID is the Stripe event's ID, which is
//     stable across re-deliveries.
//   - charge.dispute.created becomes a chargeback: full when the disputed
//     amount is the invoice's total, partial otherwise. Its ID is the
//     dispute's ID.
//   - Amounts are Stripe's integers converted to the library's minor
//     units: the same for every currency but MGA (Stripe counts it
//     zero-decimal, ISO 4217 two) and ISK (Stripe keeps two decimals, ISO
//     none). Currencies are Stripe's lower-case codes read with
//     affiliate.ParseCurrency.
//   - Customer IDs are Stripe's ("cus_…"): bind them to affiliates at
//     signup under the same IDs.
//
// # Decisions
//
//   - A refund or dispute names a charge, the payment is the invoice: the
//     handler keeps charge → invoice links (Links) from each invoice.paid
//     (invoice.charge and payment_intent before 2025-03-31, its payments
//     list from then on) and from charge.invoice when Stripe sends it. A
//     refund whose invoice is not known yet gets 503, and Stripe delivers
//     it again later; one that names its invoice is parked by the engine
//     until the payment comes. A charge with "invoice": null was not made
//     by an invoice and is skipped.
//   - The signature's timestamp must be within the tolerance of now in
//     both directions: one from the future is as suspect as an old one.
//   - Every answer is JSON (Reply), so Stripe's dashboard shows why an
//     event was skipped or refused.
package main
