// Command lifetime-revshare runs seed 001, a lifetime revenue share: an
// affiliate earns 30% of every payment the users it referred make, for as
// long as they pay, and is paid monthly once its balance reaches a minimum.
//
//	go run ./examples/lifetime-revshare
//
// Two affiliates refer four users through their links over three months
// of 2026. The users pay a $20 Pay-as-you-go subscription ($6 to the
// affiliate), buy the $200 Whitelabel add-on ($60), buy credits and move to
// an Enterprise plan. Every entry is printed with commission.Explain, every
// payout run with what it paid and carried, and at the end each
// affiliate's stats as the program's dashboard shows them: users referred,
// conversions, money spent by referrals and the payout total.
//
// # The program as configured
//
//   - Commission: rules.Percent at 30% with the default base, so
//     subscriptions, add-ons, credits, usage and one-time charges all count
//     ("every purchase"), discounts are subtracted, and tax is not: it is
//     not the platform's revenue. Nothing limits it in time (lifetime).
//   - Payouts: monthly, once the balance reaches the minimum. The document
//     names no amount; this example uses USD 50, stated in the output.
//     A balance below it is carried to the next month.
//
// # Decisions where the document is silent
//
//   - No hold: an entry may be paid in the run of the month it was earned.
//     A refund after a payout would be a reversal netted against the next
//     one.
//   - Referral links are tracked with attribution's defaults: first-click,
//     and a touch counts for 90 days before the signup.
//   - "Total money payout amount" is shown as what was paid out, beside
//     what was earned: the two differ by the carried balance.
package main
