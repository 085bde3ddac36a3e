package program

import (
	"context"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// Move is a manager's decision to move a customer to another affiliate.
type Move struct {
	Key      string // idempotency key; required
	Customer affiliate.CustomerID
	To       affiliate.AffiliateID
	Reason   string // required
	Actor    string // required
}

// MoveCustomer moves customer m.Customer to affiliate m.To and re-prices
// the customer's payments under the new binding (commission.Engine.
// Bound): later entries follow the new binding; every entry the old
// affiliate (and its parents) earned on the customer is brought to zero by
// linked adjustments, and the new affiliate accrues what the payments
// earn under it.
//
// The entries the move appends are dated at Config.Now: a move made
// after a month ended and before its run leaves that run paying the old
// affiliate, and the move nets in the next month's run.
//
// Paid entries stay paid: a payout is never edited. Their zeroing
// adjustments net against the old affiliate's later earnings, and a
// negative balance is carried, never paid (I6). Unpaid ones net to zero
// in the old affiliate's balance before any run pays them.
//
// The move is recorded in the review trail (a ReviewMove record with the
// reason and actor; it ends any hold on the old binding). It is
// idempotent by m.Key, and a call that failed midway completes on retry.
// Returns a *affiliate.FieldError (ErrInvalid) for missing fields, a
// suspended target, a target that is the customer, or a store that
// cannot move bindings (storage.Rebinder); ErrNotFound for an unbound
// customer or an unknown target; ErrConflict when a concurrent move won.
func (p *Program) MoveCustomer(ctx context.Context, m Move) (Bound, error) {
	for _, f := range []struct{ name, v string }{{"Move.Key", m.Key}, {"Move.Customer", string(m.Customer)}, {"Move.To", string(m.To)}, {"Move.Reason", m.Reason}, {"Move.Actor", m.Actor}} {
		if err := affiliate.ValidateID(f.name, f.v); err != nil {
			return Bound{}, err
		}
	}
	if string(m.To) == string(m.Customer) {
		return Bound{}, &affiliate.FieldError{Field: "Move.To", Reason: "is the customer: a self-referral"}
	}
	rb, ok := p.cfg.Store.(storage.Rebinder)
	if !ok {
		return Bound{}, &affiliate.FieldError{Field: "Config.Store", Reason: "does not implement storage.Rebinder: bindings cannot move"}
	}
	rs, err := p.reviews()
	if err != nil {
		return Bound{}, err
	}
	to, err := p.cfg.Store.Affiliate(ctx, m.To)
	if err != nil {
		return Bound{}, err
	}
	if to.Status != affiliate.StatusActive {
		return Bound{}, &affiliate.FieldError{Field: "Move.To", Reason: "affiliate " + string(m.To) + " is " + string(to.Status)}
	}
	cur, err := p.cfg.Store.Binding(ctx, m.Customer)
	if err != nil {
		return Bound{}, err
	}
	hash, err := affiliate.Hash(m)
	if err != nil {
		return Bound{}, err
	}
	done, err := rs.Reviews(ctx, storage.ReviewQuery{Key: m.Key})
	if err != nil {
		return Bound{}, err
	}
	if len(done) > 0 { // a replay, or the key reused
		if _, err := rs.AppendReviews(ctx, m.Key, hash, done[:1]); err != nil {
			return Bound{}, err
		}
	} else {
		now := p.cfg.Now().UTC()
		if cur.Affiliate != m.To {
			moved := affiliate.Binding{Customer: m.Customer, Affiliate: m.To, Source: affiliate.BindByManual, BoundAt: now, ExpiresAt: cur.ExpiresAt}
			if cur, err = rb.Rebind(ctx, cur.Affiliate, moved); err != nil {
				return Bound{}, err
			}
		}
		rec := affiliate.Review{Key: m.Key, Action: affiliate.ReviewMove, Customer: m.Customer, Affiliate: m.To, Reason: m.Reason, Actor: m.Actor, At: now}
		if _, err := rs.AppendReviews(ctx, m.Key, hash, []affiliate.Review{rec}); err != nil {
			return Bound{}, err
		}
	}
	res, err := p.engine.Bound(ctx, m.Customer)
	return Bound{Binding: cur, Entries: res.Entries}, err
}
