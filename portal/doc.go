// Package portal is the affiliate portal a host mounts on its own mux:
// the pages the seed programs promise affiliates and program managers,
// server-rendered with html/template, and a JSON API behind the same
// handler for hosts that build their own front end.
//
//	h, err := portal.New(portal.Config{
//		Program:   p,                   // a *program.Program
//		Affiliate: signedInAffiliate,   // func(*http.Request) (affiliate.AffiliateID, bool)
//		Manager:   signedInManager,     // optional: manager pages
//		Secret:    csrfKey,             // 32+ random bytes
//		Prefix:    "/partners",
//	})
//	mux.Handle("/partners/", h)
//
// What flows in: requests, authenticated by the host's functions (the
// portal has no login of its own), and the program they act on. What
// flows out: pages and JSON read from the program's store, and the few
// writes a person makes (submit a lead; as a manager refuse a lead, run
// and mark payouts paid, approve or reject held entries through
// Config.Reviewer).
//
// Affiliate pages under Prefix: / (dashboard: links with copy buttons,
// funnel, money by balance, tier, an SVG chart, payout history),
// /referrals, /statements (and /statements/2026-01.csv), /payouts (and
// /payouts.csv, /payouts/{id}), /leads (form and list, /leads/{id} with
// every refusal reason). Manager pages under /manage/. The API mirrors
// them under /api/ and /api/manage/; /api/session hands out the CSRF
// token writes carry in X-CSRF-Token.
//
// The affiliate always comes from Config.Affiliate, never from the URL;
// a payout or lead of another affiliate is 404, as an unknown one is.
// Every write checks Sec-Fetch-Site/Origin and an HMAC token; every
// response sets a strict Content-Security-Policy (no inline script or
// style), X-Content-Type-Options and frame denial. Money is formatted
// from minor units in the request's Locale; times in the program's
// location. The referrals page and lead lists need the store's optional
// storage.BindingLister and storage.LeadLister (memstore and sqlstore
// have both). See docs/decisions for why.
package portal
