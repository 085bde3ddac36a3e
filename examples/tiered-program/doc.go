// Command tiered-program runs seed 000, a tiered affiliate program with
// sub-affiliates, in EUR: affiliates earn 15% (Standard) or 20% (Premium)
// of their own clients' revenue for as long as the clients pay, and a 5%
// bonus on the revenue of their direct sub-affiliates' clients; payouts
// are monthly, from EUR 50.
//
//	go run ./examples/tiered-program
//
// Ann refers two clients, Bob (her sub-affiliate) one, and Cleo (Bob's
// sub-affiliate) one, through referral links and affiliate codes. Over
// three months of 2026 the program records their payments, closes each
// month's tiers, runs the month's payouts, and ends with each affiliate's
// dashboard: touches (clicks and codes), signups, conversions, earnings
// and payout history.
//
// # The program as configured
//
//   - Attribution: referral links and affiliate codes (program.Program.Click and Signup),
//     a 90-day window (the cookie's lifetime) and, in the seed's words,
//     "the first recorded touch": first-click with links and codes on one
//     timeline (attribution.Policy ByTime). A code counts at its time: one
//     entered on the way in when it was entered, one typed at signup at the
//     signup, so an earlier click beats it. A later touch never moves a
//     client.
//   - Commission: rules.TierRate on the client's revenue (every line the
//     client pays for, less discounts, without tax), at the rate of the
//     affiliate's tier: Standard 15%, Premium 20%.
//   - Tiers: decided by the month's revenue of the affiliate's own clients
//     (tiers.Revenue), Premium from EUR 10,000. The document leaves the
//     threshold to "the program terms"; EUR 10,000 a month is this
//     example's value.
//   - Bonus: rules.SubAffiliateBonus, 5% (the parent's tier's bonus rate)
//     of the revenue of its direct sub-affiliates' clients. Only the direct
//     parent earns it: Cleo's clients earn Bob a bonus and Ann nothing.
//   - Payouts: monthly, paid from EUR 50; a smaller balance is carried to
//     the next month.
//
// # Decisions where the document is silent
//
//   - Effect policy: tiers.NextPeriod. "The transition to Premium happens
//     when your monthly generated client revenue reaches the threshold":
//     a month's revenue is known when the month ends, so the month that
//     reaches EUR 10,000 puts the affiliate in Premium for the month after,
//     and a month below it puts the affiliate back in Standard for the next.
//     Nothing paid is revised. (tiers.Retroactive would re-price the month
//     that reached the threshold itself, tiers.Immediate the payments from
//     the one that crosses it.)
//   - A sub-affiliate's clients count toward the sub-affiliate's tier, not
//     the parent's: the parent's threshold is on its own clients.
//   - No hold: commissions may be paid in the run of the month they were
//     earned. The month is closed, then paid, on the 1st of the next.
//   - Touches are recorded with Program.Click, as a link redirector
//     would; examples/quickstart shows the HTTP middleware and its signed
//     cookie.
package main
