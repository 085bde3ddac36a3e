// Package attribution decides which affiliate a customer belongs to: it
// records referral clicks and code uses, carries them in a signed
// first-party cookie, judges partner-submitted leads, and binds each
// customer to exactly one affiliate, once.
//
//	click   ──► Middleware.Handler ─► Tracker.RecordTouch ─► Store.AddTouch
//	                              └─► Set-Cookie (Codec: signed Referral)
//	signup  ──► Middleware.Referral(r) + typed code + e-mail
//	        ──► Tracker.Bind: candidates (code, accepted leads, touches, cookie)
//	                  ─► Decide (BaseChecks + Config.Checks, Policy) ─► Store.Bind
//	                     (a typed code that wins is also stored as a touch)
//	by hand ──► Tracker.BindManually (the same checks) ─► Store.Bind
//	        ──► Tracker.Suspend / Reinstate ─► Store.PutAffiliate
//	lead    ──► Tracker.SubmitLead ─► EvaluateProspect (lead checks) ─► LeadStore.AddLead
//	        ──► Tracker.ConvertLead ─► Decide ─► Store.Bind ─► LeadStore.UpdateLead
//	each stored write ─► Observer (an Event per write)
//
// The core is pure: Rank and Choose order candidates under a Policy
// (precedence by source, or one timeline with ByTime; first- or
// last-click), the checks judge an Attempt, Decide combines them, and
// EvaluateProspect judges a lead or a partner (only NotKnown asks storage
// and the host's Directory). The Tracker is the thin
// shell: it validates input, loads what storage knows, calls the core and
// writes the result. Where it needs "now" it calls Config.Now. It takes
// one Config.Store; the lead features need the store to implement the
// optional LeadStore too (memstore and sqlstore do), and return
// ErrNoLeadStore otherwise.
//
// The referral cookie is a bearer token: it is signed (nobody without a
// key forges or edits one) and HttpOnly, but bound to no browser, so a
// copied value claims its referral wherever it is sent until it expires
// or its key is retired. Cookie stuffing — a page that sends visitors
// through a referral link they did not choose — can, under first-click,
// claim visitors who have no referral yet (a pop-under or a redirect; a
// hidden frame or image cannot set the SameSite=Lax cookie). It cannot
// take a visitor who already holds a valid cookie or an earlier touch,
// nor beat a code typed at signup (the default precedence), nor make a
// commission that refunds and chargebacks do not reverse. Each touch
// keeps the referrer, IP and user agent for the host's Checks to judge.
//
// RecordTouch stores a visitor's repeated touches for one affiliate once
// per Config.TouchDedupe (30 minutes by default). That bounds what a
// reloading browser writes; it is no rate limit: a client that makes up a
// new visitor ID per request still writes a row each time. A host
// rate-limits in front of Middleware.Handler, per IP or per network (for
// example with golang.org/x/time/rate), and may drop clicks from known
// bots before they reach it.
//
// Bad input is a *affiliate.FieldError; a refused binding is a
// *IneligibleError listing every candidate's every reason; both match
// affiliate.ErrInvalid and store nothing. The decisions behind the
// package, each with the test that pins it, are in docs/decisions.md.
package attribution
