package stripesync

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/stripe/stripe-go/v85"
)

// Binder binds a customer to the affiliate a signup names, with all the
// checks of attribution: *attribution.Tracker is one.
type Binder interface {
	// ResolveCode tells an affiliate code from any other string.
	ResolveCode(ctx context.Context, code string) (affiliate.Affiliate, error)
	Bind(ctx context.Context, s attribution.Signup) (affiliate.Binding, error)
}

// Metadata keys a host sets on a Checkout session (or its customer's
// signup form) to carry the referral into Stripe.
const (
	CodeMetadataKey    = "affiliate_code"    // an affiliate code
	VisitorMetadataKey = "affiliate_visitor" // the visitor ID of the referral cookie
)

// checkoutSignups maps checkout.session.completed to the signups to try,
// in order: metadata affiliate_code, then client_reference_id, then the
// promotion codes applied, each read as an affiliate code; the visitor of
// metadata affiliate_visitor rides along, so touches count too. A session
// without a customer (a guest payment) binds nobody.
func (s *Sync) checkoutSignups(ctx context.Context, cs *stripe.CheckoutSession) ([]attribution.Signup, string, error) {
	if cs.Customer == nil || cs.Customer.ID == "" {
		return nil, fmt.Sprintf("checkout session %s has no customer", cs.ID), nil
	}
	base := attribution.Signup{
		Customer: affiliate.CustomerID(cs.Customer.ID),
		At:       time.Unix(cs.Created, 0).UTC(),
		Visitor:  affiliate.VisitorID(cs.Metadata[VisitorMetadataKey]),
	}
	if cs.CustomerDetails != nil {
		base.Email = cs.CustomerDetails.Email
	}
	codes := []string{cs.Metadata[CodeMetadataKey], cs.ClientReferenceID}
	for _, d := range cs.Discounts {
		if d == nil || d.PromotionCode == nil {
			continue
		}
		code, err := s.lookup.promotionCode(ctx, d.PromotionCode)
		if err != nil {
			return nil, "", err
		}
		codes = append(codes, code)
	}
	var out []attribution.Signup
	for _, c := range codes {
		if c != "" {
			su := base
			su.Code = c
			out = append(out, su)
		}
	}
	if base.Visitor != "" {
		out = append(out, base)
	}
	if len(out) == 0 {
		return nil, fmt.Sprintf("checkout session %s carries no affiliate code or visitor", cs.ID), nil
	}
	return out, "", nil
}

// discountSignups maps customer.discount.created: a promotion code equal
// to an affiliate code binds the customer.
func (s *Sync) discountSignups(ctx context.Context, d *stripe.Discount) ([]attribution.Signup, string, error) {
	if d.Customer == nil || d.Customer.ID == "" || d.PromotionCode == nil {
		return nil, fmt.Sprintf("discount %s has no customer or no promotion code", d.ID), nil
	}
	code, err := s.lookup.promotionCode(ctx, d.PromotionCode)
	if err != nil {
		return nil, "", err
	}
	return []attribution.Signup{{
		Customer: affiliate.CustomerID(d.Customer.ID),
		At:       time.Unix(d.Start, 0).UTC(),
		Code:     code,
	}}, "", nil
}

// bind binds the first signup whose code is an affiliate's (a promotion
// code for a plain coupon, or a client_reference_id holding something
// else, is not), or that carries only a visitor. The binding's own checks
// decide; a customer already bound stays bound, a binding never moves.
func (s *Sync) bind(ctx context.Context, signups []attribution.Signup, out *Outcome) error {
	out.Result, out.Reason = "not_bound", "no affiliate code among the session's codes"
	for _, su := range signups {
		if su.Code != "" {
			_, err := s.cfg.Binder.ResolveCode(ctx, su.Code)
			if errors.Is(err, attribution.ErrUnknownCode) || errors.Is(err, affiliate.ErrInvalid) && !errors.Is(err, attribution.ErrAffiliateInactive) {
				out.Reason = err.Error()
				continue
			}
		}
		b, err := s.cfg.Binder.Bind(ctx, su)
		switch {
		case err == nil:
			out.Result, out.Reason = "bound", fmt.Sprintf("customer %s bound to %s", b.Customer, b.Affiliate)
		case errors.Is(err, affiliate.ErrAlreadyBound):
			out.Result, out.Reason = "already_bound", fmt.Sprintf("customer %s is bound to %s", b.Customer, b.Affiliate)
		case errors.Is(err, affiliate.ErrInvalid), errors.Is(err, affiliate.ErrNotFound):
			out.Reason = err.Error()
		default:
			return err
		}
		return nil
	}
	return nil
}
