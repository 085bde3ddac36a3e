// Package attribution decides which affiliate a customer belongs to: it
// records referral clicks, carries them in a signed first-party cookie,
// judges partner-submitted leads, and binds each customer to exactly one
// affiliate, once.
//
// # Data flow
//
//	click   ──► Middleware.Handler ─► Tracker.RecordTouch ─► storage.Touches
//	                              └─► Set-Cookie (Codec: signed Referral)
//	signup  ──► Middleware.Referral(r) + typed code + e-mail
//	        ──► Tracker.Bind: candidates (code, accepted leads, touches, cookie)
//	                  ─► Decide (BaseChecks + Config.Checks, Policy) ─► storage.Bindings.Bind
//	lead    ──► Tracker.SubmitLead ─► EvaluateProspect (lead checks) ─► storage.Leads.AddLead
//	        ──► Tracker.ConvertLead ─► Decide ─► Bindings.Bind ─► Leads.UpdateLead
//	each stored write ─► Observer (touch recorded, lead accepted/refused,
//	                              customer bound, lead converted)
//
// The core is pure: Rank and Choose order candidates, the checks judge an
// Attempt (a plain value holding the signup, the candidate and the facts
// the shell loaded), Decide combines them, EvaluateProspect judges a lead
// or a partner. None of them does I/O or reads a clock, except the
// NotKnown check, which must ask the lead store and the host's Directory.
// The Tracker is the thin shell: it validates input, loads what storage
// knows, calls the core and writes the result in one call. Where it needs
// "now" it calls Config.Now.
//
// # Decisions
//
// Where the issue and the design were silent, the package decided:
//
//   - Precedence is by source, then the model picks within the source: with
//     the default precedence a code typed at signup beats an earlier link
//     click even under first-click. A source left out of Policy.Precedence
//     is never used.
//   - Candidates are filtered by the checks before the model chooses: under
//     first-click, a first touch that is outside the window, from a
//     suspended affiliate or a self-referral gives way to the next touch.
//     The binding is never moved afterwards: later touches cannot change
//     it because it is stored once.
//   - Ties on equal times go to the smallest touch ID, then lead ID, then
//     code, then affiliate ID, under both models.
//   - The window is half-open and the same for touches and cookies: a touch
//     at T counts for a signup at S when T ≤ S < T+window; the cookie
//     expires at T+window. A touch after the signup never counts. Only
//     touches have a window: a typed code is at the signup, and a lead is
//     governed by its lifecycle (a host retires stale leads with
//     RefuseLead).
//   - A pre-signup touch made by typing a code (affiliate.TouchCode) is a
//     touch candidate; its binding has Source code and the touch set. A code
//     typed at signup is not recorded as a touch; its binding has the code
//     and TouchedAt equal to the signup.
//   - The base checks (self-referral, already bound or existed, active
//     affiliate, window) always run and cannot be configured away: they
//     carry invariant I9. Config.Checks only adds.
//   - Self-referral compares IDs (the customer ID equal to the affiliate ID,
//     or Signup.Affiliate), mailboxes folded for case, "+tags" and Gmail
//     dots, and e-mail domains unless free-mail. Subdomains are different
//     domains.
//   - An unknown typed code at signup is a refused candidate
//     (ReasonUnknownAffiliate), not an error: the signup may still be
//     attributed by a touch. A malformed one is a *affiliate.FieldError.
//     Tracker.ResolveCode lets a form check a code before submitting.
//   - Bind returns ErrNoReferral when there is nothing to judge and a
//     *IneligibleError with every candidate's every reason when all were
//     refused; both mean "not referred" and hosts carry on with the signup.
//     ErrIneligible wraps affiliate.ErrInvalid.
//   - The cookie carries the touch ID as well as the affiliate, visitor and
//     touch time, so a binding through the cookie names its touch. The
//     format is v1.<key ID>.<payload>.<HMAC-SHA256>, base64url without
//     padding; the MAC covers the version and key ID; the payload is binary
//     and parsed only after the MAC verifies. Secrets are at least 32
//     bytes; key IDs are named in the cookie so retired keys are refused as
//     unknown rather than tampered. A signed cookie stands even when its
//     touch is not in the store (another visitor ID, a purge).
//   - The middleware never answers a request: a bad or unknown code, a
//     suspended affiliate or a store failure goes to
//     MiddlewareConfig.OnError and the request goes on. Under first-click a
//     valid cookie is kept (the click is still recorded for the
//     dashboard's clicks); a cookie that is missing, expired or does not
//     verify is replaced with a new visitor ID. The referral is also put
//     in the request's context, so a signup on the very click request sees
//     it. HttpOnly is always set: nothing in a page needs the signed value.
//     Request details longer than 2,048 bytes are truncated, not refused.
//   - IDs the caller does not give are "t_", "v_" or "l_" plus 26 random
//     base32 characters (crypto/rand); Config.NewID replaces the scheme.
//   - A lead is decided as it is submitted: the checks are synchronous, so
//     the stored lead is accepted or refused from its first write, and the
//     checks see it with status submitted. A refused lead is a stored
//     result, not an error; affiliate.Lead.Reasons holds "code: detail"
//     strings that LeadReasons types again.
//   - What is malformed in a lead (no company, no e-mail address, an
//     unknown or suspended partner, over-long fields) is an error and
//     nothing is stored; what makes it a poor lead (free-mail, no or bad
//     website, no LinkedIn page, already known, freelancer) is a refusal
//     reason the partner is told about.
//   - "Already a lead or a customer" compares the company's keys: the
//     e-mail domain unless free-mail, and the website's host without
//     "www." (kept when dropping it would leave one label, as in
//     "www.com"). Input that does not parse as an address or a website
//     gives no key. The lead store holds these keys uniquely among leads that are
//     not refused, so two partners who submit one company at once cannot
//     both be accepted; the loser is judged again and refused as already a
//     lead. Refused leads stay on file and release their keys.
//   - The digital-footprint criterion is split: CompanyWebsite checks the
//     website, LinkedInFootprint the LinkedIn page, so a missing website is
//     reported once. A website may be given without a scheme ("acme.com").
//   - An accepted lead is a Bind candidate when the customer's e-mail
//     domain is one of its keys. Binding through it does not convert the
//     lead: the host calls ConvertLead when the lead became a customer in
//     its sense, which then only marks it converted. ConvertLead runs the
//     same base checks, whatever the precedence.
//   - RefuseLead exists for the host's own late refusal of an accepted lead
//     (the programs reserve that right); converted and refused are final.
//   - Partner eligibility (CheckPartner) reuses the prospect checks, with
//     DefaultPartnerChecks (professional e-mail, website; freelancers
//     welcome), and stores nothing.
//   - Observer.Observe is synchronous and has no error: the write already
//     happened. Replays that store nothing are not reported. A host that
//     needs guaranteed delivery keeps an outbox.
//   - Time-boxed bindings (Config.BindingTTL) expire BindingTTL after the
//     signup; the binding itself is still stored once and never replaced.
package attribution
