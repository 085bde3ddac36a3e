package stripesync

import (
	"github.com/openaffiliate/affiliate"
	"github.com/stripe/stripe-go/v85"
)

// KindMetadataKey is the metadata key that sets a line's kind explicitly,
// on the invoice line or on its price: "add_on", "credits", "setup_fee",
// "usage", "one_time", "subscription" or "shipping". Stripe has no notion
// of an add-on or a credit pack, so a program that pays differently on
// them tags their prices.
const KindMetadataKey = "affiliate_line_kind"

// legacyLine holds the fields of an invoice line that API versions before
// 2025-03-31 ("basil") send and stripe-go no longer models.
type legacyLine struct {
	Price      *stripe.Price `json:"price"`
	TaxAmounts []struct {
		Amount    int64 `json:"amount"`
		Inclusive bool  `json:"inclusive"`
	} `json:"tax_amounts"`
	Type      string `json:"type"` // "subscription" or "invoiceitem"
	Proration bool   `json:"proration"`
}

// line is one invoice line as the mapping reads it, on any API version.
type line struct {
	*stripe.InvoiceLineItem
	legacy legacyLine
}

// price returns the line's price: the one under pricing (basil on), else
// the embedded one of older versions; nil when the line has none.
func (l line) price() *stripe.Price {
	if l.Pricing != nil && l.Pricing.PriceDetails != nil && l.Pricing.PriceDetails.Price != nil {
		return l.Pricing.PriceDetails.Price
	}
	return l.legacy.Price
}

// priceKnown reports whether the line's price, if any, came in full
// rather than as an ID: its kind may depend on it.
func (l line) priceKnown() bool {
	p := l.price()
	return p == nil || p.Object != "" || p.Type != ""
}

func (l line) proration() bool {
	if p := l.Parent; p != nil {
		if p.SubscriptionItemDetails != nil && p.SubscriptionItemDetails.Proration {
			return true
		}
		if p.InvoiceItemDetails != nil && p.InvoiceItemDetails.Proration {
			return true
		}
	}
	return l.legacy.Proration
}

// kind decides the line's kind: explicit metadata first (on the line,
// then on its price), then a metered price (usage), then a recurring
// price or a subscription line (subscription); anything else is a one-time
// charge.
func (l line) kind(field string) (affiliate.LineKind, error) {
	p := l.price()
	mds := []map[string]string{l.Metadata}
	if p != nil {
		mds = append(mds, p.Metadata)
	}
	for _, md := range mds {
		v, ok := md[KindMetadataKey]
		if !ok {
			continue
		}
		switch k := affiliate.LineKind(v); k {
		case affiliate.LineSubscription, affiliate.LineAddOn, affiliate.LineCredits, affiliate.LineUsage,
			affiliate.LineOneTime, affiliate.LineSetupFee, affiliate.LineShipping:
			return k, nil
		}
		return "", &PayloadError{Field: field + ".metadata." + KindMetadataKey, Reason: "\"" + v + "\" is not a line kind a price can have"}
	}
	if p != nil && p.Recurring != nil && (p.Recurring.UsageType == stripe.PriceRecurringUsageTypeMetered || p.Recurring.Meter != "") {
		return affiliate.LineUsage, nil
	}
	if (p != nil && p.Type == stripe.PriceTypeRecurring) || l.legacy.Type == "subscription" ||
		(l.Parent != nil && l.Parent.Type == stripe.InvoiceLineItemParentTypeSubscriptionItemDetails) {
		return affiliate.LineSubscription, nil
	}
	return affiliate.LineOneTime, nil
}

// taxes returns the tax included in the line's amount and the tax added
// on top of it.
func (l line) taxes() (inclusive, exclusive int64) {
	if l.Taxes != nil {
		for _, t := range l.Taxes {
			if t.TaxBehavior == stripe.InvoiceLineItemTaxTaxBehaviorInclusive {
				inclusive += t.Amount
			} else {
				exclusive += t.Amount
			}
		}
		return inclusive, exclusive
	}
	for _, t := range l.legacy.TaxAmounts {
		if t.Inclusive {
			inclusive += t.Amount
		} else {
			exclusive += t.Amount
		}
	}
	return inclusive, exclusive
}

// credits returns what discounts and billing credits took off the line:
// pretax_credit_amounts from basil on (discounts and credit grants), else
// discount_amounts (which basil still sends, duplicating the discounts).
func (l line) credits() int64 {
	var sum int64
	if l.PretaxCreditAmounts != nil {
		for _, c := range l.PretaxCreditAmounts {
			sum += c.Amount
		}
		return sum
	}
	for _, d := range l.DiscountAmounts {
		sum += d.Amount
	}
	return sum
}

// planAndSKU names the price (its lookup key when it has one, else its
// ID) and the product, for rule conditions.
func (l line) planAndSKU() (plan, sku string) {
	if p := l.price(); p != nil {
		plan = p.ID
		if p.LookupKey != "" {
			plan = p.LookupKey
		}
		if p.Product != nil {
			sku = p.Product.ID
		}
	}
	if sku == "" && l.Pricing != nil && l.Pricing.PriceDetails != nil {
		sku = l.Pricing.PriceDetails.Product
	}
	return plan, sku
}
