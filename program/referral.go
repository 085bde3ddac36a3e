package program

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
)

// ErrNoCookie reports a cookie operation on a program configured without
// Config.Attribution.Keys. It matches affiliate.ErrInvalid.
var ErrNoCookie = fmt.Errorf("%w: the program has no referral cookie (Config.Attribution.Keys is empty)", affiliate.ErrInvalid)

// Handler wraps next with the referral middleware: a request carrying
// ?ref=CODE records a click and sets the signed referral cookie; every
// request goes on to next. It panics with ErrNoCookie when
// Config.Attribution.Keys is empty, at wiring time, as http.Handle does
// for a nil handler.
func (p *Program) Handler(next http.Handler) http.Handler {
	if p.middleware == nil {
		panic(ErrNoCookie)
	}
	return p.middleware.Handler(next)
}

// Referral returns the referral a request's cookie carries, for
// Signup.Referral. A missing or bad cookie is an error the signup can
// ignore: the customer is then bound by a typed code or a lead, or not
// at all. Returns ErrNoCookie when the program has no cookie keys.
func (p *Program) Referral(r *http.Request) (attribution.Referral, error) {
	if p.middleware == nil {
		return attribution.Referral{}, ErrNoCookie
	}
	return p.middleware.Referral(r)
}

// Click records a referral click (or a code used) that did not come
// through Handler, as a touch a later Signup of the visitor can bind
// through. See attribution.Tracker.RecordTouch for its errors.
func (p *Program) Click(ctx context.Context, in attribution.TouchInput) (affiliate.Touch, error) {
	return p.tracker.RecordTouch(ctx, in)
}

// Bound is what a signup or a lead conversion did: the customer's binding
// and the entries its payments recorded before the binding earned.
type Bound struct {
	affiliate.Binding
	Entries []affiliate.Entry
}

// Signup binds a new customer to the affiliate its evidence points to
// (code, lead, clicks, cookie; see attribution.Tracker.Bind) and re-prices
// the customer's payments recorded before, so they earn as if the binding
// had come first. Nothing else needs calling: a billing webhook that ran
// ahead of the signup loses nothing.
//
// It is safe to retry. When the customer is bound already, Signup still
// re-prices (completing a call that stored the binding and then failed)
// and returns the standing binding with an error matching
// affiliate.ErrAlreadyBound: a binding never moves. ErrNoReferral and a
// *attribution.IneligibleError mean "referred by nobody": the host goes on
// with its signup. A malformed signup is a *affiliate.FieldError and
// stores nothing.
func (p *Program) Signup(ctx context.Context, s attribution.Signup) (Bound, error) {
	b, err := p.tracker.Bind(ctx, s)
	return p.recompute(ctx, s.Customer, b, err)
}

// Bind is Signup for callers that want the binding alone, such as
// stripesync (a *Program is a stripesync.Binder): the customer's earlier
// payments are re-priced all the same.
func (p *Program) Bind(ctx context.Context, s attribution.Signup) (affiliate.Binding, error) {
	b, err := p.Signup(ctx, s)
	return b.Binding, err
}

// ResolveCode returns the active affiliate whose code is code; see
// attribution.Tracker.ResolveCode.
func (p *Program) ResolveCode(ctx context.Context, code string) (affiliate.Affiliate, error) {
	return p.tracker.ResolveCode(ctx, code)
}

// BindManually binds a customer to an affiliate on the host's word (a
// customer referred before tracking began, a support decision), through
// the same checks as any binding, and re-prices the customer's earlier
// payments as Signup does. It is safe to retry; see
// attribution.Tracker.BindManually for its errors.
func (p *Program) BindManually(ctx context.Context, m attribution.ManualBinding) (Bound, error) {
	b, err := p.tracker.BindManually(ctx, m)
	return p.recompute(ctx, m.Customer, b, err)
}

// SubmitLead judges a partner's lead with the lead checks and stores it,
// accepted or refused with its reasons (a refusal is a result, not an
// error). See attribution.Tracker.SubmitLead.
func (p *Program) SubmitLead(ctx context.Context, in attribution.LeadInput) (affiliate.Lead, error) {
	return p.tracker.SubmitLead(ctx, in)
}

// RefuseLead refuses an accepted lead after the fact, with reasons for
// the partner. See attribution.Tracker.RefuseLead.
func (p *Program) RefuseLead(ctx context.Context, id affiliate.LeadID, reasons ...attribution.Reason) (affiliate.Lead, error) {
	return p.tracker.RefuseLead(ctx, id, reasons...)
}

// ConvertLead records that an accepted lead became the customer
// s.Customer: it binds the customer to the lead's partner, marks the lead
// converted, and re-prices the customer's payments recorded before, as
// Signup does. It is safe to retry; see attribution.Tracker.ConvertLead
// for its errors.
func (p *Program) ConvertLead(ctx context.Context, id affiliate.LeadID, s attribution.Signup) (Bound, error) {
	b, err := p.tracker.ConvertLead(ctx, id, s)
	return p.recompute(ctx, s.Customer, b, err)
}

// CheckPartner judges a partner application and stores nothing: no reasons
// means the partner may join.
func (p *Program) CheckPartner(ctx context.Context, app attribution.PartnerApplication) ([]attribution.Reason, error) {
	return p.tracker.CheckPartner(ctx, app)
}

// recompute brings customer c's ledger to what its binding gives, after a
// bind that returned b and bindErr: when the customer is bound (now, or
// already), its earlier payments are re-priced. The bind's error, if any,
// is returned after.
func (p *Program) recompute(ctx context.Context, c affiliate.CustomerID, b affiliate.Binding, bindErr error) (Bound, error) {
	out := Bound{Binding: b}
	if bindErr != nil && !errors.Is(bindErr, affiliate.ErrAlreadyBound) {
		return out, bindErr
	}
	res, err := p.engine.Bound(ctx, c)
	if err != nil {
		return out, err
	}
	out.Entries = res.Entries
	return out, bindErr
}
