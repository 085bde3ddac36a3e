package commission

import (
	"bytes"
	"context"
	"errors"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// Recompute brings the customer's ledger to what its recorded events give
// under the current facts: the binding, the beneficiary chain and its
// statuses, the tiers the tier source reports, and the terms. Call it
// after something the engine does not see changes one of them: a binding
// made after the customer's first payments were recorded (they earned
// nothing; now they earn), a tier decided retroactively, an affiliate
// moved under another parent. Recorded events are not moved; the
// entries are, and so are the revenue and count aggregates of payments
// recorded before the customer's binding, which count for the bound
// affiliate from then on. A customer moved to another affiliate (a
// rebinding) keeps each payment of a paid-out month (one with a payout
// run) priced under the affiliate it counted for: what was paid stays
// with whom it was paid to; the other payments follow the binding.
//
// It appends adjustments and reversals, never edits, and writes nothing
// when the ledger already agrees. Entries it appends have no Event; their
// At is the engine's clock (Config.Now). It is safe to call at any time,
// concurrently with Record.
func (e *Engine) Recompute(ctx context.Context, c affiliate.CustomerID) (Result, error) {
	return e.restate(ctx, c, nil)
}

// Reprice moves the customer to terms version and re-prices every
// recorded payment under it, appending adjustment entries; the
// customer's later payments are priced under version too, until the next
// Reprice. Version "" returns the customer to the schedule (each payment
// under the version in effect at its time). It returns an error matching
// ErrUnknownTerms for a version not in the schedule.
//
// This is the explicit way to apply new terms to past events: adding a
// version to the schedule changes only payments made from its From on.
func (e *Engine) Reprice(ctx context.Context, c affiliate.CustomerID, version string) (Result, error) {
	if version != "" {
		if !e.hasVersion(version) {
			return Result{}, &affiliate.FieldError{Field: "version", Reason: quote(version) + " is not in the terms schedule", Err: ErrUnknownTerms}
		}
	}
	return e.restate(ctx, c, &version)
}

func (e *Engine) hasVersion(v string) bool {
	for _, t := range e.terms {
		if t.Version == v {
			return true
		}
	}
	return false
}

func (e *Engine) restate(ctx context.Context, id affiliate.CustomerID, pin *string) (Result, error) {
	if err := affiliate.ValidateID("customer", id); err != nil {
		return Result{}, err
	}
	e.remembered.forget(id) // its state moves on
	var last error
	for attempt := range e.maxAttempts {
		if err := backoff(ctx, attempt); err != nil {
			return Result{}, err
		}
		st, err := e.store.CustomerState(ctx, id)
		if err != nil {
			return Result{}, err
		}
		s, err := decodeSummary(st.Data)
		if err != nil {
			return Result{}, err
		}
		hash := "recompute"
		if pin != nil {
			s.Pinned = *pin
			hash = "reprice:" + *pin
		}
		c, err := e.loadCustomer(ctx, id)
		if err != nil {
			return Result{}, err
		}
		b := e.newBatch(statePrefix(id, st.Version+1), "", id)
		pl, err := e.planReplay(ctx, c, &s, nil, "", b)
		if err != nil {
			if e.moved(ctx, id, st.Version) {
				last = err
				continue
			}
			return Result{}, err
		}
		data := appendSummary(nil, pl.sum)
		// A customer never seen is written only once bound (see Bound).
		if len(pl.batch.entries) == 0 && (bytes.Equal(data, st.Data) || st.Version == 0 && pin == nil && pl.sum.BoundTo == "") {
			return Result{}, nil
		}
		cr, err := e.store.Commit(ctx, storage.Commit{
			Key:     "state:" + string(id) + ":" + itoa(int(st.Version+1)),
			Hash:    hash,
			State:   storage.CustomerState{Customer: id, Version: st.Version + 1, Data: data},
			Entries: pl.batch.entries,
			Deltas:  pl.deltas.list,
		})
		if errors.Is(err, affiliate.ErrConflict) {
			last = err
			continue
		}
		if err != nil {
			return Result{}, err
		}
		return Result{Entries: cr.Entries}, nil
	}
	return Result{}, &ContentionError{Customer: id, Attempts: e.maxAttempts, Last: last}
}

// Bound brings the ledger of customer c up to its binding: call it right
// after binding c (attribution's signup or lead acceptance). Payments
// recorded before the binding earned nothing; they now earn what they
// would have had the binding come first. It reads the customer's state
// and binding, and writes nothing when the state already names this
// binding (or c has none); otherwise it recomputes the customer (see
// Recompute). Without the call, the customer's next event finds the
// binding and recomputes it then.
//
// It writes the state of a customer with no payment yet too: a Record
// that read c unbound before the binding and has not committed yet then
// fails its commit and runs again, bound. Were nothing written, that
// payment would stay unpriced until c's next event.
func (e *Engine) Bound(ctx context.Context, c affiliate.CustomerID) (Result, error) {
	if err := affiliate.ValidateID("customer", c); err != nil {
		return Result{}, err
	}
	st, err := e.store.CustomerState(ctx, c)
	if err != nil {
		return Result{}, err
	}
	s, err := decodeSummary(st.Data)
	if err != nil {
		return Result{}, err
	}
	bound, err := e.boundTo(ctx, c)
	if err != nil {
		return Result{}, err
	}
	if s.BoundTo == bound && !s.stale {
		return Result{}, nil
	}
	return e.Recompute(ctx, c)
}

// boundTo returns the affiliate customer c is bound to, "" when unbound.
func (e *Engine) boundTo(ctx context.Context, c affiliate.CustomerID) (affiliate.AffiliateID, error) {
	b, err := e.store.Binding(ctx, c)
	switch {
	case errors.Is(err, affiliate.ErrNotFound):
		return "", nil
	case err != nil:
		return "", err
	}
	return b.Affiliate, nil
}
