// Package stripesync connects Stripe billing to the library, on Stripe's
// own Go client (github.com/stripe/stripe-go/v85). A *Sync is the webhook
// endpoint (an http.Handler), the replay of refused events, and
// Reconcile, which compares Stripe with the ledger for a period.
//
// In: signed webhook requests (secrets from Config.Secrets, several while
// rolling; stripe-go checks the signature, the tolerance applies both
// ways), and the host's *stripe.Client for what events hold only as IDs
// or first pages. Out: events for a Recorder (*commission.Engine), signups
// for a Binder (*attribution.Tracker), dead letters, and a JSON Outcome.
//
//	invoice.paid, invoice_payment.paid   → Payment, ID = invoice ID
//	charge.refunded, refund.created/…    → Refund per succeeded Stripe refund, ID = re_…
//	charge.dispute.created/closed        → chargeback Refund, ID = du_…; won → Reinstatement
//	checkout.session.completed           → Bind: metadata affiliate_code, client_reference_id,
//	customer.discount.created               promotion codes (each an affiliate code), affiliate_visitor
//
// Both the shapes of API versions before 2025-03-31 and the current ones
// are read. A payment is built from the invoice alone, so every path to
// it gives one payload: lines by kind (KindMetadataKey, else metered →
// usage, recurring → subscription, else one-time), tax included in a
// price taken out of its line and all tax on one tax line, discounts and
// credit grants and proration credits as discount lines, and the credit
// balance rule: the base is amount_due, so customer balance spent is a
// discount. Amounts are converted to ISO minor units (Stripe's MGA and
// ISK differ). Lines past the first page, prices sent as IDs and a basil
// charge's invoice are fetched through the client.
//
// # HTTP statuses and Stripe's retries
//
// Stripe retries every response but 2xx, for up to three days in live mode
// (a few hours in test mode); what it gives up on, Reconcile recovers.
//
//	200  recorded, replayed, parked, unbound, skipped, bound, already_bound, not_bound
//	202  dead_lettered: authentic but refused for good (bad amounts, the same
//	     event ID with another payload, a lookup that cannot succeed); kept in
//	     DeadLetters for the host to list and Replay, and Stripe stops retrying
//	400  no, a bad or an out-of-tolerance signature, or a body that is no event:
//	     nothing is kept; Stripe retries, which passes once a wrong secret is fixed
//	405, 413  not a POST, or a body over MaxPayload; Stripe retries in vain
//	500  the store or the dead-letter store failed; Stripe retries
//	503  Stripe's API unavailable or a write contended; Stripe retries on its
//	     own schedule (it ignores Retry-After)
//
// A refused event changes nothing: it is mapped in full before anything
// is recorded, and the package keeps no state of its own (no charge →
// invoice links: the API answers those). An event that maps to several
// library events (a charge's refunds, a won dispute) records them in
// order, each whole or not at all; a Replay resumes where it stopped.
package stripesync
