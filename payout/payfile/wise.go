package payfile

import (
	"encoding/csv"
	"io"

	"github.com/openaffiliate/affiliate"
)

// WiseHeader is the header row WriteWise writes: the columns of Wise's
// "send to saved recipients" batch template that a payout fills.
var WiseHeader = []string{"recipientId", "name", "recipientEmail", "paymentReference", "amountCurrency", "amount", "sourceCurrency", "targetCurrency"}

// WriteWise writes b as a Wise batch payments file for saved recipients:
// WiseHeader, then one row per payout. Each is a fixed target payment
// (amountCurrency "target"): the affiliate gets the exact amount in its
// currency and the fees fall on the payer, who pays from source (the
// Wise balance's currency; "" means each payout's own currency). The
// payment reference is the payout ID, so Wise's report names it.
//
// Returns a *affiliate.FieldError (ErrInvalid) for a batch that is not
// Wise or is empty, or an unknown source currency.
func WriteWise(w io.Writer, b Batch, source affiliate.Currency) error {
	if b.Method != affiliate.MethodWise {
		return &affiliate.FieldError{Field: "Batch.Method", Reason: string(b.Method) + " is not " + string(affiliate.MethodWise)}
	}
	if len(b.Lines) == 0 {
		return &affiliate.FieldError{Field: "Batch.Lines", Reason: "no payout to write"}
	}
	if source != "" {
		if err := source.Validate(); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(WiseHeader); err != nil {
		return err
	}
	for _, l := range b.Lines {
		a := l.Payout.Amount
		from := source
		if from == "" {
			from = a.Currency()
		}
		if err := cw.Write([]string{l.Payee.WiseRecipientID, l.Payee.AccountHolder, l.Payee.Email, string(l.Payout.ID),
			"target", a.AmountString(), string(from), string(a.Currency())}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
