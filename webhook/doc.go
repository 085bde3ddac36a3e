// Package webhook sends the outbox to a host's endpoints as signed
// webhooks, and verifies them for receivers, per the Standard Webhooks
// specification (https://www.standardwebhooks.com).
//
// In flow the store's outbox (storage.Outbox): every change the library
// makes is an affiliate.OutboxEvent there, written in the same atomic
// write as the change. A Sender, which the host runs (Run, or Send from
// its own scheduler), reads the events after its consumer's cursor, POSTs
// each as JSON ({"type","timestamp","program","affiliate","data"}, data
// being the event's versioned payload) with the headers webhook-id (the
// event's stable ID, for the receiver to deduplicate), webhook-timestamp
// and webhook-signature ("v1," and the base64 HMAC-SHA256 of
// "id.timestamp.body", once per secret, so a secret rotates by
// configuring the new one beside the old), and acknowledges an event only
// once the endpoint answered 2xx.
//
// Out flow deliveries, at least once and in the outbox's Seq order: 5xx, 408, 429,
// timeouts and garbled answers are retried with a doubling backoff; an
// event still undelivered stops Send with a *DeliveryError (ErrEndpoint,
// ErrRefused for a 4xx, ErrTooLarge), acknowledging nothing past it, so
// the next Send starts with it. Every failed attempt goes to
// Config.OnFailure. A receiver checks a message with Verifier.Verify.
package webhook
