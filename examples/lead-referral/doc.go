// Command lead-referral runs seed 002, a partner program with leads and a
// deferred reward: a partner submits the companies it refers, each lead is
// validated against the program's criteria, and when a lead becomes a
// paying customer the partner earns 50% of its first two months paid,
// once the second month is paid, in the currency of the lead's invoice.
//
//	go run ./examples/lead-referral
//
// Three would-be partners apply; one is refused. The partners submit six
// leads: three are refused, each with every reason. Of the three accepted,
// a EUR customer and a GBP customer pay two months and earn the partner
// its reward, in euros and pounds; the third pays one month, leaves, and
// earns nothing. The partner is told at every step: the store writes an
// outbox event with every change, and a consumer of the outbox (notices,
// in mail.go) hands the ones a partner hears of to a Notifier, the
// interface the host implements (here, printing the e-mails).
//
// # The program as configured
//
//   - Partners (program.Program.CheckPartner, the default partner
//     checks): a professional e-mail address and a website; freelancers
//     are welcome.
//   - Leads (attribution.DefaultLeadChecks): a professional e-mail,
//     a company website and a LinkedIn page (the digital footprint), not
//     already a lead or a customer (the host's Directory answers for its
//     customers), and not a freelancer. A refused lead is stored with every
//     reason, and the partner is told them all.
//   - Reward: rules.Deferred at 50% of each of the first two paid
//     payments, earned when the second is paid; each share is in its
//     payment's currency, never converted.
//   - Payout: a monthly run pays what was earned in the month, with no
//     minimum (the document names none), per currency, to partners whose
//     transfer details are on file (payout.PayoutMethodOnFile): the
//     program asks for them when the first reward is earned.
//
// # Decisions where the document is silent
//
//   - "The first two months paid" are the customer's first two paid
//     invoices; their base is what the customer pays for the service, less
//     discounts and without VAT, which is not the program's revenue.
//   - A lead is converted (program.Program.ConvertLead) when it pays
//     its first invoice: that is when it "adopted the product as a paying
//     customer", and when the partner is told.
//   - Rewards are earned, and paid in the month's run, at once: the
//     document pays "at the end of the second paying month" and names no
//     hold.
package main
