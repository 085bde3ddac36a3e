// Package program runs a whole affiliate program over one store and one
// configuration. It holds the library's shells (the attribution tracker,
// the commission engine, the tier close, the payout runner and the
// reporter) and gives the host one method per moment of its day:
//
//	HTTP request ──► Handler / Click          touch + signed referral cookie
//	signup ────────► Signup / ConvertLead     binding, and earlier payments re-priced
//	               ► BindManually             the host's own binding, re-priced alike
//	lead ──────────► SubmitLead / RefuseLead  judged and stored, with reasons
//	billing event ─► Record                   ledger entries (Explain says why)
//	review ────────► Pending, Approve, Reject approvals as records, rejections as linked reversals
//	               ► Hold, Adjust, MoveCustomer  holds, manual entries, a customer moved
//	month end ─────► CloseMonth               tier decisions; the ledger follows
//	               ► RunPayouts, SettlePayout payouts ≥ minimum, the rest carried
//	               ► WritePayoutFile          SEPA / PayPal / Wise file for the run
//	bank result ───► ImportPayoutResult       payouts paid or failed, all or nothing
//	affiliate asks ► PutPayeeProfile, RequestPayout  its own run; PayoutFile.Requested, ImportRequest*
//	year end ──────► PayoutYear               per-currency totals for tax forms
//	any time ──────► Statement, Dashboard, ProgramDashboard, Earned, Balance
//
// What flows in is the host's data: affiliates put in the store, clicks,
// signups, leads, and billing events carrying the host's IDs and times.
// What flows out is an append-only ledger and what is read from it:
// statements, dashboards, balances and payouts for the host to send.
//
// New validates Config and returns a *affiliate.FieldError naming the
// field at fault ("Config.Tiers.KeepFor"). Record, Signup, ConvertLead,
// CloseMonth and RunPayouts are safe to retry: events are keyed by ID,
// closes and runs by period, bindings by customer. A binding made after
// some of the customer's payments were recorded re-prices them at once.
//
//	p, err := program.New(program.Config{Store: memstore.New(), Currency: "USD",
//		Terms: []commission.TermsVersion{{Version: "v1", Rule: rules.Percent{Rate: affiliate.MustPercent("30")}}}})
//	p.Signup(ctx, attribution.Signup{Customer: "acme", Code: "ann"})
//	p.Record(ctx, payment)              // ann earns 30% of it
//	p.RunPayouts(ctx, p.Month(2026, time.March))
//
// The packages attribution, commission, tiers, payout and report stay
// usable alone; the accessors (Tracker, Engine, Tiers, Payouts, Reports)
// reach the shells this program built, over the same store and clock.
package program
