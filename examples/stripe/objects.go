package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/openaffiliate/affiliate"
)

// The types below hold only the fields of Stripe's objects the mapping
// reads. Field names follow Stripe's API reference; where API versions
// differ (the 2025-03-31 "basil" release moved prices under pricing,
// taxes under taxes and discounts under pretax_credit_amounts, and took
// charge.invoice away), both shapes are read.

// Event is Stripe's event envelope.
type Event struct {
	ID         string `json:"id"`
	Object     string `json:"object"`
	Type       string `json:"type"`
	Created    int64  `json:"created"`
	APIVersion string `json:"api_version"`
	Livemode   bool   `json:"livemode"`
	Data       struct {
		Object             json.RawMessage `json:"object"`
		PreviousAttributes json.RawMessage `json:"previous_attributes"`
	} `json:"data"`
}

// ErrPayload marks a webhook body the mapping cannot read. It matches
// affiliate.ErrInvalid; the typed form is *PayloadError.
var ErrPayload = fmt.Errorf("%w: stripe payload", affiliate.ErrInvalid)

// PayloadError names the field of a Stripe payload that is missing or
// malformed.
type PayloadError struct {
	Field  string // JSON path, for example "data.object.lines.data[2].amount"
	Reason string
}

func (e *PayloadError) Error() string {
	return fmt.Sprintf("stripe: payload field %s: %s", e.Field, e.Reason)
}

// Unwrap returns ErrPayload.
func (e *PayloadError) Unwrap() error { return ErrPayload }

// maxPayload bounds a webhook body. Stripe's events are far smaller; an
// invoice with its lines (at most ten in an event) is a few tens of KB.
const maxPayload = 1 << 20

// ParseEvent reads a Stripe event envelope. It returns a *PayloadError
// for a body that is not a JSON object with an id, a type and a
// data.object.
func ParseEvent(payload []byte) (Event, error) {
	if len(payload) > maxPayload {
		return Event{}, &PayloadError{Field: "(body)", Reason: fmt.Sprintf("larger than %d bytes", maxPayload)}
	}
	var ev Event
	if err := json.Unmarshal(payload, &ev); err != nil {
		return Event{}, &PayloadError{Field: "(body)", Reason: "not a Stripe event: " + jsonReason(err)}
	}
	switch {
	case ev.Object != "" && ev.Object != "event":
		return Event{}, &PayloadError{Field: "object", Reason: fmt.Sprintf("%q is not \"event\"", ev.Object)}
	case ev.ID == "":
		return Event{}, &PayloadError{Field: "id", Reason: "missing"}
	case ev.Type == "":
		return Event{}, &PayloadError{Field: "type", Reason: "missing"}
	case len(bytes.TrimSpace(ev.Data.Object)) == 0 || bytes.Equal(bytes.TrimSpace(ev.Data.Object), []byte("null")):
		return Event{}, &PayloadError{Field: "data.object", Reason: "missing"}
	}
	return ev, nil
}

func jsonReason(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("invalid JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("field %s holds a JSON %s, not a %s", typ.Field, typ.Value, typ.Type)
	}
	return err.Error()
}

// decodeObject reads ev.Data.Object into v, naming the object on error.
func decodeObject(ev Event, v any) error {
	if err := json.Unmarshal(ev.Data.Object, v); err != nil {
		return &PayloadError{Field: "data.object", Reason: jsonReason(err)}
	}
	return nil
}

// ref is an expandable reference: Stripe sends either the ID as a string
// or, when expanded, the object with its id; null when absent.
type ref struct {
	ID string
	// Present reports that the field was in the JSON, as opposed to a
	// field this API version does not send; Null that it was an explicit
	// null, which Stripe sends for a field that exists but is empty
	// (charge.invoice on a charge no invoice made).
	Present, Null bool
}

// UnmarshalJSON reads an ID, an expanded object or null. encoding/json
// calls it for null too, which is how Present and Null are told apart.
func (r *ref) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*r = ref{Present: true}
	switch {
	case bytes.Equal(b, []byte("null")):
		r.Null = true
		return nil
	case len(b) > 0 && b[0] == '"':
		return json.Unmarshal(b, &r.ID)
	}
	var obj struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	r.ID = obj.ID
	return nil
}

// invoice is Stripe's Invoice object.
type invoice struct {
	ID                string `json:"id"`
	Customer          ref    `json:"customer"`
	Currency          string `json:"currency"`
	Status            string `json:"status"`
	Total             int64  `json:"total"`
	AmountPaid        int64  `json:"amount_paid"`
	AmountShipping    int64  `json:"amount_shipping"`
	Created           int64  `json:"created"`
	StatusTransitions struct {
		PaidAt *int64 `json:"paid_at"`
	} `json:"status_transitions"`
	CustomerAddress *struct {
		Country *string `json:"country"`
	} `json:"customer_address"`
	ShippingCost *struct {
		AmountSubtotal int64 `json:"amount_subtotal"`
		AmountTax      int64 `json:"amount_tax"`
	} `json:"shipping_cost"`
	Lines struct {
		Data    []invoiceLine `json:"data"`
		HasMore bool          `json:"has_more"`
	} `json:"lines"`
	// Before basil: the charge and payment intent that paid the invoice.
	Charge        ref `json:"charge"`
	PaymentIntent ref `json:"payment_intent"`
	// From basil: the invoice's payments, when the event carries them.
	Payments *struct {
		Data []struct {
			Payment struct {
				Type          string `json:"type"`
				Charge        ref    `json:"charge"`
				PaymentIntent ref    `json:"payment_intent"`
			} `json:"payment"`
		} `json:"data"`
	} `json:"payments"`
}

// invoiceLine is Stripe's InvoiceLineItem.
type invoiceLine struct {
	ID          string            `json:"id"`
	Amount      int64             `json:"amount"`
	Currency    string            `json:"currency"`
	Description *string           `json:"description"`
	Metadata    map[string]string `json:"metadata"`
	// Discounts: discount_amounts in every version; from basil,
	// pretax_credit_amounts lists the same discounts plus billing credits,
	// so it wins when present.
	DiscountAmounts     []amountOnly `json:"discount_amounts"`
	PretaxCreditAmounts []amountOnly `json:"pretax_credit_amounts"`
	// Taxes: tax_amounts before basil, taxes from basil.
	TaxAmounts []struct {
		Amount    int64 `json:"amount"`
		Inclusive bool  `json:"inclusive"`
	} `json:"tax_amounts"`
	Taxes []struct {
		Amount      int64  `json:"amount"`
		TaxBehavior string `json:"tax_behavior"`
	} `json:"taxes"`
	// The price: an embedded Price before basil, pricing.price_details
	// (IDs only) from basil.
	Type    string `json:"type"` // before basil: "subscription" or "invoiceitem"
	Price   *price `json:"price"`
	Pricing *struct {
		PriceDetails *struct {
			Price   ref    `json:"price"`
			Product string `json:"product"`
		} `json:"price_details"`
	} `json:"pricing"`
	Parent *struct {
		Type string `json:"type"` // "subscription_item_details" or "invoice_item_details"
	} `json:"parent"`
}

type amountOnly struct {
	Amount int64 `json:"amount"`
}

// price is Stripe's Price object.
type price struct {
	ID        string            `json:"id"`
	Type      string            `json:"type"` // "recurring" or "one_time"
	LookupKey *string           `json:"lookup_key"`
	Metadata  map[string]string `json:"metadata"`
	Product   ref               `json:"product"`
	Recurring *struct {
		UsageType string `json:"usage_type"` // "licensed" or "metered"
	} `json:"recurring"`
}

// charge is Stripe's Charge object.
type charge struct {
	ID             string `json:"id"`
	Amount         int64  `json:"amount"`
	AmountRefunded int64  `json:"amount_refunded"`
	Refunded       bool   `json:"refunded"`
	Currency       string `json:"currency"`
	Customer       ref    `json:"customer"`
	// Invoice is sent before basil only: absent from basil on.
	Invoice       ref   `json:"invoice"`
	PaymentIntent ref   `json:"payment_intent"`
	Created       int64 `json:"created"`
	Refunds       *struct {
		Data []struct {
			ID      string `json:"id"`
			Amount  int64  `json:"amount"`
			Created int64  `json:"created"`
		} `json:"data"`
	} `json:"refunds"`
}

// dispute is Stripe's Dispute object.
type dispute struct {
	ID            string `json:"id"`
	Amount        int64  `json:"amount"`
	Charge        ref    `json:"charge"`
	Currency      string `json:"currency"`
	PaymentIntent ref    `json:"payment_intent"`
	Created       int64  `json:"created"`
	Reason        string `json:"reason"`
}
