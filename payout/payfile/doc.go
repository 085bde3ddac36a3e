// Package payfile turns a payout run into the files a finance team
// uploads, and reads back what the bank or provider did with them.
//
// # Data flow
//
//	affiliate.PayoutRun + each affiliate's affiliate.PayeeProfile
//	  → NewBatch (one method: the run's created payouts paid that way)
//	  → WriteSEPA   (bank transfer: ISO 20022 pain.001.001.09 XML)
//	    WritePayPal (PayPal Payouts batch CSV)
//	    WriteWise   (Wise batch payments CSV, saved recipients)
//
//	the bank's status report (ISO 20022 pain.002.001.10)
//	  → ParseStatusReport → StatusReport.Result ─┐
//	a result file the host transcribes (CSV)     │
//	  → ParseResult ─────────────────────────────┴→ Apply
//	  → storage.Payouts.SettlePayout per payout
//
// Every file carries the run's BatchID and, for each payout, its payout
// ID (SEPA EndToEndId as EndToEndID, PayPal customer ID, Wise payment
// reference), so a result names the payouts it settles. Amounts are
// written at the currency's minor unit with a decimal point, one line per
// payout, in payout ID order; SEPA files carry the number of transfers and
// the control sum, and only text of SEPA's Latin character set
// (SEPALatin). The writers read no clock: the same run gives
// byte-identical files.
//
// A status report settles a transfer when the bank completed it (ACSC,
// ACCC: paid under the bank's reference) or refused it (RJCT, CANC:
// failed with the reason codes); a pending or merely accepted transfer
// stays created until a later report.
//
// Apply is all or nothing: it checks every outcome against the stored run
// (the right run, a known payout, not already settled otherwise) before
// it writes any, and a refused file changes nothing. An outcome that
// repeats what is stored is a replay, so a file can be applied again.
package payfile
