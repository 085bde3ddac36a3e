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
//	the bank's or provider's report, transcribed as a result file
//	  → ParseResult → Apply → storage.Payouts.SettlePayout per payout
//
// Every file carries the run's BatchID and, for each payout, its payout
// ID (SEPA EndToEndId, PayPal customer ID, Wise payment reference), so a
// result names the payouts it settles. Amounts are written at the
// currency's minor unit with a decimal point, one line per payout, in
// payout ID order; SEPA files carry the number of transfers and the
// control sum. The writers read no clock: the same run gives
// byte-identical files.
//
// Apply is all or nothing: it checks every line against the stored run
// (the right run, a known payout, not already settled otherwise) before
// it writes any, and a refused file changes nothing. A line that repeats
// what is stored is a replay, so a file can be applied again.
package payfile
