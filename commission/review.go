package commission

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// Errors of Reject and Adjust. Both match affiliate.ErrConflict: the
// stored state does not allow the call.
var (
	// ErrRejected reports an entry that a reviewer rejected already.
	ErrRejected = fmt.Errorf("%w: entry already rejected", affiliate.ErrConflict)
	// ErrSettled reports an entry (or one correcting it) that is in a
	// created or paid payout: what is paid stays paid.
	ErrSettled = fmt.Errorf("%w: entry is in a payout", affiliate.ErrConflict)
)

// Rejection is a reviewer's decision to take back one entry.
type Rejection struct {
	Entry affiliate.EntryID
	// Customer is the entry's customer; for an entry about no customer (a
	// manual bonus), Affiliate is its beneficiary instead.
	Customer  affiliate.CustomerID
	Affiliate affiliate.AffiliateID
	Key       string // idempotency key; required
	Reason    string // required
	Actor     string // the reviewer; required
}

// Reject takes back what entry r.Entry and the entries correcting it
// net to, with one reversal entry (Rule affiliate.RuleRejection,
// Corrects r.Entry) written through the engine's commit, and closes the
// entry's key: the engine appends nothing more to it, whatever events
// come later. It returns the reversal.
//
// It is idempotent by r.Key: a replay returns the first call's reversal.
// Returns a *affiliate.FieldError for a missing key, reason or actor;
// ErrNotFound when r.Customer (or r.Affiliate) has no entry r.Entry; ErrRejected when it
// was rejected already; ErrSettled when it, or an entry correcting it, is
// in a created or paid payout. Nothing is written then.
func (e *Engine) Reject(ctx context.Context, r Rejection) (affiliate.Entry, error) {
	for _, f := range []struct{ name, v string }{{"Rejection.Key", r.Key}, {"Rejection.Reason", r.Reason}, {"Rejection.Actor", r.Actor}} {
		if err := affiliate.ValidateID(f.name, f.v); err != nil {
			return affiliate.Entry{}, err
		}
	}
	hash, err := affiliate.Hash(r)
	if err != nil {
		return affiliate.Entry{}, err
	}
	if r.Customer == "" && r.Affiliate == "" {
		return affiliate.Entry{}, fieldErr("Rejection.Customer", "the entry's customer, or its affiliate, is required")
	}
	owner := manualOwner(r.Customer, r.Affiliate)
	id := affiliate.EntryID(fitPrefix(affiliate.ReviewIDPrefix+r.Key) + "/1")
	return e.commitManual(ctx, owner, "review:"+r.Key, hash, id, func(entries []affiliate.Entry, open map[affiliate.EntryID]bool, now time.Time) (affiliate.Entry, error) {
		root, net, err := rejectable(entries, open, r.Entry)
		if err != nil {
			return affiliate.Entry{}, err
		}
		return affiliate.Entry{
			Beneficiary: root.Beneficiary,
			Payment:     root.Payment,
			Customer:    root.Customer,
			Kind:        affiliate.KindReversal,
			Amount:      mustMoney(-net, root.Amount.Currency()),
			Rule:        affiliate.RuleRejection,
			Terms:       root.Terms,
			Tier:        root.Tier,
			Chain:       root.Chain,
			At:          now,
			AvailableAt: now,
			Corrects:    root.ID,
			Explanation: "rejected by " + r.Actor + ": " + r.Reason + "; takes back " + mustMoney(net, root.Amount.Currency()).String(),
		}, nil
	})
}

// rejectable finds entry id among entries and returns it with what it and
// its corrections net to.
func rejectable(entries []affiliate.Entry, open map[affiliate.EntryID]bool, id affiliate.EntryID) (affiliate.Entry, int64, error) {
	corrects := make(map[affiliate.EntryID]affiliate.EntryID, len(entries))
	var root *affiliate.Entry
	for i, e := range entries {
		corrects[e.ID] = e.Corrects
		if e.ID == id {
			root = &entries[i]
		}
	}
	if root == nil {
		return affiliate.Entry{}, 0, fmt.Errorf("commission: entry %s: %w", id, affiliate.ErrNotFound)
	}
	// An entry belongs to root when its Corrects chain reaches root
	// before a manual adjustment, which is reviewed on its own.
	belongs := func(e affiliate.Entry) bool {
		for range len(entries) + 1 {
			if e.ID == id {
				return true
			}
			if e.Corrects == "" || manual(e) {
				return false
			}
			e.ID, e.Corrects = e.Corrects, corrects[e.Corrects]
			e.Rule = ""
		}
		return false
	}
	net := int64(0)
	for _, e := range entries {
		if !belongs(e) {
			continue
		}
		switch {
		case e.Rule == affiliate.RuleRejection:
			return affiliate.Entry{}, 0, fmt.Errorf("commission: entry %s: %w", id, ErrRejected)
		case !open[e.ID]:
			return affiliate.Entry{}, 0, fmt.Errorf("commission: entry %s (through %s): %w", id, e.ID, ErrSettled)
		}
		net += e.Amount.Minor()
	}
	return *root, net, nil
}

func manual(e affiliate.Entry) bool { return strings.HasPrefix(e.Rule, affiliate.RuleManual+"/") }

// manualOwner is the customer state a manual write serialises on: the
// customer's, so it races fairly with Record, or the affiliate's own for
// an adjustment about no customer.
func manualOwner(c affiliate.CustomerID, a affiliate.AffiliateID) affiliate.CustomerID {
	if c != "" {
		return c
	}
	return affiliate.CustomerID("manual/" + string(a))
}

// commitManual writes the one entry, with ID id, that build makes from owner's entries (and
// which of them are open: in no created or paid payout) with one engine
// commit under key, retrying when a concurrent commit for owner won.
func (e *Engine) commitManual(ctx context.Context, owner affiliate.CustomerID, key, hash string, id affiliate.EntryID, build func(entries []affiliate.Entry, open map[affiliate.EntryID]bool, now time.Time) (affiliate.Entry, error)) (affiliate.Entry, error) {
	e.remembered.forget(owner) // its state moves on
	var last error
	for attempt := range e.maxAttempts {
		if err := backoff(ctx, attempt); err != nil {
			return affiliate.Entry{}, err
		}
		st, err := e.store.CustomerState(ctx, owner)
		if err != nil {
			return affiliate.Entry{}, err
		}
		q := storage.EntryQuery{Customer: owner}
		if strings.HasPrefix(string(owner), "manual/") {
			q = storage.EntryQuery{Beneficiary: affiliate.AffiliateID(strings.TrimPrefix(string(owner), "manual/"))}
		}
		entries, err := e.store.Entries(ctx, q)
		if err != nil {
			return affiliate.Entry{}, err
		}
		q.Unsettled = true
		unsettled, err := e.store.Entries(ctx, q)
		if err != nil {
			return affiliate.Entry{}, err
		}
		open := make(map[affiliate.EntryID]bool, len(unsettled))
		for _, u := range unsettled {
			open[u.ID] = true
		}
		c := storage.Commit{Key: key, Hash: hash, State: storage.CustomerState{Customer: owner, Version: st.Version + 1, Data: st.Data}}
		if !slices.ContainsFunc(entries, func(x affiliate.Entry) bool { return x.ID == id }) {
			entry, err := build(entries, open, e.now().UTC())
			if err != nil {
				return affiliate.Entry{}, err
			}
			entry.ID = id
			d := deltaSet{loc: e.loc}
			d.earnings([]affiliate.Entry{entry})
			c.Entries, c.Deltas = []affiliate.Entry{entry}, d.list
		}
		// When the entry is stored, the key is too: the commit replays
		// the first call's entry, or refuses another payload.
		cr, err := e.store.Commit(ctx, c)
		switch {
		case err == nil && len(cr.Entries) == 1:
			return cr.Entries[0], nil
		case err == nil:
			return affiliate.Entry{}, fmt.Errorf("commission: commit %s holds %d entries, not 1: %w", key, len(cr.Entries), affiliate.ErrConflict)
		case errors.Is(err, affiliate.ErrConflict) && !errors.Is(err, affiliate.ErrInvalid):
			last = err
			continue
		}
		return affiliate.Entry{}, err
	}
	return affiliate.Entry{}, &ContentionError{Customer: owner, Attempts: e.maxAttempts, Last: last}
}
