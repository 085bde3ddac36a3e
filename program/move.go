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
// Bound): later entries follow the new binding; a payment of a month that
// is not paid out yet (no payout run) moves: the entries the old
// affiliate (and its parents) earned on it are brought to zero by linked
// adjustments, and the new affiliate accrues what it earns under the new
// binding.
//
// A payment of a paid-out month stays with the affiliate it was paid
// under: nothing is reversed, a later refund of it is taken back from
// that affiliate, and its revenue keeps counting for them. A payment
// recorded after the move is the new affiliate's, whatever its date.
//
// The entries the move appends are dated as every re-pricing is: in
// the payment's month, so a move made after a month ended and before its
// run moves that month's entries.
//
// The move is recorded in the review trail (a ReviewMove record with the
// reason and actor). The new binding starts unheld; a hold on the old
// binding keeps the old affiliate's entries pending until a reviewer
// decides them. It is
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
