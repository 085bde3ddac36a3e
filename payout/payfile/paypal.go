package payfile

import (
	"encoding/csv"
	"io"

	"github.com/openaffiliate/affiliate"
)

// WritePayPal writes b as a PayPal Payouts batch file (the CSV that
// Payouts Web takes): no header row, one row per payout with the
// recipient's PayPal e-mail, the amount at the currency's scale with a
// decimal point, the currency, the payout ID as the customer ID (PayPal's
// sender_item_id, which its results report back), a note, and the wallet
// PAYPAL.
//
// Returns a *affiliate.FieldError (ErrInvalid) for a batch that is not
// PayPal or is empty, and an error matching ErrCurrencyMismatch when the
// batch mixes currencies: PayPal takes one currency per file.
func WritePayPal(w io.Writer, b Batch) error {
	if b.Method != affiliate.MethodPayPal {
		return &affiliate.FieldError{Field: "Batch.Method", Reason: string(b.Method) + " is not " + string(affiliate.MethodPayPal)}
	}
	if _, err := b.total(); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	for _, l := range b.Lines {
		a := l.Payout.Amount
		if err := cw.Write([]string{l.Payee.Email, a.AmountString(), string(a.Currency()), string(l.Payout.ID), remittance(l), "PAYPAL"}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
