package sqlstore

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
)

// An event's payment, refund or reinstatement is stored in
// affiliate_events.body as the canonical JSON (affiliate.Canonical) of
// eventBody: the encoding the commission engine hashes, so every field of
// an event is stored without this file listing it. Amounts are exact
// strings with their currency, times are UTC with nanoseconds.
//
// Bodies written before migration 0005 have a shape of their own (the
// legacy documents below: lower-case keys, integer minor units); they are
// never rewritten (events are append-only) and read as they are.

type eventBody struct {
	Payment       *affiliate.Payment
	Refund        *affiliate.Refund
	Reinstatement *affiliate.Reinstatement
}

// encodeEventBody returns the body for ev's payment, refund or
// reinstatement, or affiliate.Canonical's *FieldError for what it cannot
// encode exactly.
func encodeEventBody(ev *affiliate.EventRecord) (string, error) {
	b, err := affiliate.Canonical(eventBody{ev.Payment, ev.Refund, ev.Reinstatement})
	return string(b), err
}

func decodeEventBody(body string, rec *affiliate.EventRecord) error {
	if strings.HasPrefix(body, `{"payment"`) || strings.HasPrefix(body, `{"refund"`) || body == "{}" {
		return decodeLegacyEventBody(body, rec)
	}
	var b eventBody
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		return err
	}
	rec.Payment, rec.Refund, rec.Reinstatement = b.Payment, b.Refund, b.Reinstatement
	return nil
}

// The legacy documents, as versions before 0005 wrote them.

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

type eventDoc struct {
	Payment *paymentDoc `json:"payment,omitempty"`
	Refund  *refundDoc  `json:"refund,omitempty"`
}

func decodeLegacyEventBody(body string, rec *affiliate.EventRecord) error {
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
