package sqlstore

import (
	"encoding/json"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// An event's payment or refund is stored as one JSON document in
// affiliate_events.body. The document has its own private shape, not the
// root package's JSON: amounts are integer minor units with their
// currency (exact, never a JSON number that a reader could take for a
// float), rates are decimal strings, times are RFC 3339 in UTC with
// nanoseconds, and nil slices stay null. Changing the root types'
// JSON can therefore never change what is stored.

type moneyDoc struct {
	Minor    int64  `json:"minor,string"`
	Currency string `json:"currency,omitempty"`
}

type lineDoc struct {
	Kind        string   `json:"kind"`
	Amount      moneyDoc `json:"amount"`
	Plan        string   `json:"plan,omitempty"`
	SKU         string   `json:"sku,omitempty"`
	Description string   `json:"description,omitempty"`
}

type paymentDoc struct {
	ID             string    `json:"id"`
	Customer       string    `json:"customer"`
	PaidAt         time.Time `json:"paid_at"`
	Currency       string    `json:"currency"`
	Lines          []lineDoc `json:"lines"`
	Country        string    `json:"country,omitempty"`
	ConversionTo   string    `json:"conversion_to,omitempty"`
	ConversionRate string    `json:"conversion_rate,omitempty"`
}

type refundDoc struct {
	ID         string    `json:"id"`
	Payment    string    `json:"payment"`
	Customer   string    `json:"customer"`
	RefundedAt time.Time `json:"refunded_at"`
	Kind       string    `json:"kind"`
	Full       bool      `json:"full"`
	Amount     moneyDoc  `json:"amount"`
}

type reinstatementDoc struct {
	ID           string    `json:"id"`
	Chargeback   string    `json:"chargeback"`
	Customer     string    `json:"customer"`
	ReinstatedAt time.Time `json:"reinstated_at"`
}

type eventDoc struct {
	Payment       *paymentDoc       `json:"payment,omitempty"`
	Refund        *refundDoc        `json:"refund,omitempty"`
	Reinstatement *reinstatementDoc `json:"reinstatement,omitempty"`
}

func moneyToDoc(m affiliate.Money) moneyDoc {
	return moneyDoc{Minor: m.Minor(), Currency: string(m.Currency())}
}

// encodeEventBody returns the document for ev's payment or refund, or a
// *FieldError for text or a time the document cannot hold exactly.
func encodeEventBody(ev *storage.EventRecord) (string, error) {
	var (
		doc eventDoc
		tc  textCheck
	)
	if p := ev.Payment; p != nil {
		d := &paymentDoc{ID: string(p.ID), Customer: string(p.Customer), PaidAt: p.PaidAt.UTC(), Currency: string(p.Currency), Country: p.Country}
		tc.text("Payment.ID", d.ID)
		tc.text("Payment.Customer", d.Customer)
		tc.text("Payment.Currency", d.Currency)
		tc.text("Payment.Country", d.Country)
		if p.Lines != nil {
			d.Lines = make([]lineDoc, len(p.Lines))
		}
		for i, l := range p.Lines {
			d.Lines[i] = lineDoc{Kind: string(l.Kind), Amount: moneyToDoc(l.Amount), Plan: l.Plan, SKU: l.SKU, Description: l.Description}
			tc.text("Payment.Lines.Kind", d.Lines[i].Kind)
			tc.text("Payment.Lines.Plan", l.Plan)
			tc.text("Payment.Lines.SKU", l.SKU)
			tc.text("Payment.Lines.Description", l.Description)
		}
		if p.Conversion != (affiliate.Conversion{}) {
			d.ConversionTo, d.ConversionRate = string(p.Conversion.To), p.Conversion.Rate.String()
			tc.text("Payment.Conversion.To", d.ConversionTo)
		}
		doc.Payment = d
	}
	if r := ev.Refund; r != nil {
		d := &refundDoc{ID: string(r.ID), Payment: string(r.Payment), Customer: string(r.Customer), RefundedAt: r.RefundedAt.UTC(),
			Kind: string(r.Kind), Full: r.Full, Amount: moneyToDoc(r.Amount)}
		tc.text("Refund.ID", d.ID)
		tc.text("Refund.Payment", d.Payment)
		tc.text("Refund.Customer", d.Customer)
		tc.text("Refund.Kind", d.Kind)
		doc.Refund = d
	}
	if r := ev.Reinstatement; r != nil {
		d := &reinstatementDoc{ID: string(r.ID), Chargeback: string(r.Chargeback), Customer: string(r.Customer), ReinstatedAt: r.ReinstatedAt.UTC()}
		tc.text("Reinstatement.ID", d.ID)
		tc.text("Reinstatement.Chargeback", d.Chargeback)
		tc.text("Reinstatement.Customer", d.Customer)
		doc.Reinstatement = d
	}
	if tc.err != nil {
		return "", tc.err
	}
	b, err := json.Marshal(doc)
	if err != nil {
		// time.Time refuses years outside 0–9999.
		return "", invalid("Commit.Event", "a time is outside the years 0–9999: "+err.Error())
	}
	return string(b), nil
}

func decodeEventBody(body string, rec *storage.EventRecord) error {
	var doc eventDoc
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		return err
	}
	if d := doc.Payment; d != nil {
		p := &affiliate.Payment{ID: affiliate.EventID(d.ID), Customer: affiliate.CustomerID(d.Customer), PaidAt: d.PaidAt,
			Currency: affiliate.Currency(d.Currency), Country: d.Country}
		if d.Lines != nil {
			p.Lines = make([]affiliate.Line, len(d.Lines))
		}
		for i, l := range d.Lines {
			amount, err := toMoney(l.Amount.Minor, l.Amount.Currency)
			if err != nil {
				return err
			}
			p.Lines[i] = affiliate.Line{Kind: affiliate.LineKind(l.Kind), Amount: amount, Plan: l.Plan, SKU: l.SKU, Description: l.Description}
		}
		if d.ConversionRate != "" {
			rate, err := affiliate.ParseRate(d.ConversionRate)
			if err != nil {
				return err
			}
			p.Conversion = affiliate.Conversion{To: affiliate.Currency(d.ConversionTo), Rate: rate}
		}
		rec.Payment = p
	}
	if d := doc.Refund; d != nil {
		amount, err := toMoney(d.Amount.Minor, d.Amount.Currency)
		if err != nil {
			return err
		}
		rec.Refund = &affiliate.Refund{ID: affiliate.EventID(d.ID), Payment: affiliate.EventID(d.Payment), Customer: affiliate.CustomerID(d.Customer),
			RefundedAt: d.RefundedAt, Kind: affiliate.RefundKind(d.Kind), Full: d.Full, Amount: amount}
	}
	if d := doc.Reinstatement; d != nil {
		rec.Reinstatement = &affiliate.Reinstatement{ID: affiliate.EventID(d.ID), Chargeback: affiliate.EventID(d.Chargeback),
			Customer: affiliate.CustomerID(d.Customer), ReinstatedAt: d.ReinstatedAt}
	}
	return nil
}

// blobArg passes nil as SQL NULL and any other slice, empty included, as
// a blob, so that nil and empty state data stay apart.
func blobArg(b []byte) any {
	if b == nil {
		return nil
	}
	return b
}
