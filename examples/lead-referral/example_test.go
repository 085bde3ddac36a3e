package main

// The story, with the partner e-mails the outbox consumer sends: each
// line marked ✉ is a notice the store wrote with the change it reports.
func Example() {
	main()
	// Output:
	// Seed 002: partners earn 50% of a referred lead's first 2 months paid, once month 2 is paid.
	//
	// Partner applications (a professional e-mail and a website; freelancers welcome):
	//   pia (pia@langconsulting.eu) joins the program
	//   otto (otto@otto-it.de) joins the program
	//   sam (sam.sells@gmail.com) is refused: free_mail: gmail.com is a free-mail provider; no_website: no website
	//
	// 2026-01-12  leads submitted, and validated against the criteria:
	//     ✉ to pia: we received Northwind GmbH and validated it; an account manager will contact them.
	//     ✉ to pia: we received Acme Ltd and validated it; an account manager will contact them.
	//     ✉ to pia: we received Blue Fjord AS and validated it; an account manager will contact them.
	//     ✉ to pia: we received Jo Design but cannot accept it: free_mail: gmail.com is a free-mail provider; no_website: no website; no_linkedin: no LinkedIn reference; freelancer: flagged as a freelancer or independent worker.
	//     ✉ to otto: we received Northwind GmbH but cannot accept it: already_lead: northwind.de is lead lead-northwind.
	//     ✉ to otto: we received Globex Corporation but cannot accept it: no_linkedin: no LinkedIn reference; already_customer: globex.com is a customer.
	//
	// 2026-02
	//   2026-02-02  Northwind GmbH pays 476.00 EUR
	//     ✉ to pia: Northwind GmbH is now a paying customer.
	//   2026-02-10  Acme Ltd pays 300.00 GBP
	//     ✉ to pia: Acme Ltd is now a paying customer.
	//   2026-02-15  Blue Fjord AS pays 375.00 EUR
	//     ✉ to pia: Blue Fjord AS is now a paying customer.
	//   Payout run for 2026-02: 0 transfers
	//
	// 2026-03
	//   2026-03-02  Northwind GmbH pays 476.00 EUR
	//     pia earns 200.00 EUR (commission) on payment in_nw_1 of customer cus_northwind: rule "lead_reward", terms "2026-01", 50% of 400.00 EUR [subscription], chain pia — deferred reward: 50% of 400.00 EUR (subscription), paid in 2026-02, paying month 1 of 2, available once 2026-03 has ended
	//     pia earns 200.00 EUR (commission) on payment in_nw_2 of customer cus_northwind: rule "lead_reward", terms "2026-01", 50% of 400.00 EUR [subscription], chain pia — deferred reward: 50% of 400.00 EUR (subscription), paid in 2026-03, paying month 2 of 2, available once 2026-03 has ended
	//     ✉ to pia: Northwind GmbH paid its second month: you earned 400.00 EUR. Please send us your bank details for the transfer.
	//   2026-03-10  Acme Ltd pays 300.00 GBP
	//     pia earns 125.00 GBP (commission) on payment in_acme_1 of customer cus_acme: rule "lead_reward", terms "2026-01", 50% of 250.00 GBP [subscription], chain pia — deferred reward: 50% of 250.00 GBP (subscription), paid in 2026-02, paying month 1 of 2, available once 2026-03 has ended
	//     pia earns 125.00 GBP (commission) on payment in_acme_2 of customer cus_acme: rule "lead_reward", terms "2026-01", 50% of 250.00 GBP [subscription], chain pia — deferred reward: 50% of 250.00 GBP (subscription), paid in 2026-03, paying month 2 of 2, available once 2026-03 has ended
	//     ✉ to pia: Acme Ltd paid its second month: you earned 250.00 GBP.
	//   Payout run for 2026-03: 2 transfers
	//     ✉ to pia: we transferred your reward of 400.00 EUR.
	//     ✉ to pia: we transferred your reward of 250.00 GBP.
	//
	// 2026-04
	//   2026-04-02  Northwind GmbH pays 476.00 EUR
	//   Payout run for 2026-04: 0 transfers
	//
	// Where each lead ended:
	//   Northwind GmbH     from pia   converted, 3 months paid, a reward of 400.00 EUR on the first two
	//   Acme Ltd           from pia   converted, 2 months paid, a reward of 250.00 GBP on the first two
	//   Blue Fjord AS      from pia   converted, 1 month paid, no reward: it is earned when a second month is paid
	//   Jo Design          from pia   refused: free_mail: gmail.com is a free-mail provider; no_website: no website; no_linkedin: no LinkedIn reference; freelancer: flagged as a freelancer or independent worker
	//   Northwind GmbH     from otto  refused: already_lead: northwind.de is lead lead-northwind
	//   Globex Corporation from otto  refused: no_linkedin: no LinkedIn reference; already_customer: globex.com is a customer
}
