package commission

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// AdjustmentKind says what a manual adjustment is for, and so the sign
// its amount must have.
type AdjustmentKind string

const (
	AdjustBonus      AdjustmentKind = "bonus"      // a positive amount
	AdjustCorrection AdjustmentKind = "correction" // either sign, not zero
	AdjustClawback   AdjustmentKind = "clawback"   // a negative amount
)

// Adjustment is a manual ledger entry a person makes: a bonus, a
// correction or a clawback, with the reason and who made it.
type Adjustment struct {
	Key       string // idempotency key; required
	Kind      AdjustmentKind
	Affiliate affiliate.AffiliateID // the beneficiary; must be stored
	Amount    affiliate.Money
	// Customer and Corrects are optional: the customer it is about, and
	// the entry of Affiliate it corrects (which sets Customer when empty).
	Customer affiliate.CustomerID
	Corrects affiliate.EntryID
	Reason   string // required
	Actor    string // required
	// At is when it counts; zero means the engine's clock. A time in a
	// month with a payout run counts at the start of the first month
	// after it without one, and the explanation names the month.
	At time.Time
}

// Adjust writes a manual adjustment through the engine's commit: one
// entry of kind adjustment whose Rule is "manual/<kind>" and whose
// Explanation names the actor and the reason, so Explain renders it like
// any other. The engine does not re-price manual entries, and a reviewer
// reviews each on its own (see affiliate.Standings).
//
// It is idempotent by a.Key: a replay returns the first call's entry;
// the key with another payload returns ErrIdempotencyMismatch. Returns a
// *affiliate.FieldError for a missing key, reason or actor, an unknown
// kind, a zero amount or one of the wrong sign for its kind; ErrNotFound
// for an affiliate that is not stored, or a Corrects that is not one of
// its entries. Nothing is written then.
func (e *Engine) Adjust(ctx context.Context, a Adjustment) (affiliate.Entry, error) {
	if err := a.validate(); err != nil {
		return affiliate.Entry{}, err
	}
	if _, err := e.store.Affiliate(ctx, a.Affiliate); err != nil {
		if errors.Is(err, affiliate.ErrNotFound) {
			return affiliate.Entry{}, fmt.Errorf("commission: adjustment for affiliate %s: %w", a.Affiliate, affiliate.ErrNotFound)
		}
		return affiliate.Entry{}, err
	}
	if a.Corrects != "" && a.Customer == "" {
		c, err := e.customerOf(ctx, a.Affiliate, a.Corrects)
		if err != nil {
			return affiliate.Entry{}, err
		}
		a.Customer = c
	}
	hash, err := affiliate.Hash(a)
	if err != nil {
		return affiliate.Entry{}, err
	}
	id := affiliate.EntryID(fitPrefix(affiliate.AdjustIDPrefix+a.Key) + "/1")
	return e.commitManual(ctx, manualOwner(a.Customer, a.Affiliate), "adjust:"+a.Key, hash, id, func(entries []affiliate.Entry, _ map[affiliate.EntryID]bool, now time.Time) (affiliate.Entry, error) {
		var corrected affiliate.Entry
		if a.Corrects != "" {
			i := -1
			for j, x := range entries {
				if x.ID == a.Corrects && x.Beneficiary == a.Affiliate {
					i = j
				}
			}
			if i < 0 {
				return affiliate.Entry{}, fmt.Errorf("commission: adjustment corrects entry %s, not one of %s's: %w", a.Corrects, a.Affiliate, affiliate.ErrNotFound)
			}
			corrected = entries[i]
		}
		at := a.At
		if at.IsZero() {
			at = now
		}
		// As the engine's corrections: nothing is dated in a paid-out month.
		open, month, err := (&months{e: e}).openFrom(ctx, at)
		if err != nil {
			return affiliate.Entry{}, err
		}
		why := "manual " + string(a.Kind) + " by " + a.Actor + ": " + a.Reason
		if !open.Equal(month) {
			at = open.Start()
			why += " (for " + month.String() + ", paid out before it was known)"
		}
		return affiliate.Entry{
			Beneficiary: a.Affiliate,
			Payment:     corrected.Payment,
			Customer:    a.Customer,
			Kind:        affiliate.KindAdjustment,
			Amount:      a.Amount,
			Rule:        affiliate.RuleManual + "/" + string(a.Kind),
			At:          at.UTC(),
			AvailableAt: at.UTC(),
			Corrects:    a.Corrects,
			Explanation: why,
		}, nil
	})
}

func (a Adjustment) validate() error {
	for _, f := range []struct{ name, v string }{{"Adjustment.Key", a.Key}, {"Adjustment.Affiliate", string(a.Affiliate)}, {"Adjustment.Reason", a.Reason}, {"Adjustment.Actor", a.Actor}} {
		if err := affiliate.ValidateID(f.name, f.v); err != nil {
			return err
		}
	}
	if err := a.Amount.Validate(); err != nil {
		return &affiliate.FieldError{Field: "Adjustment.Amount", Reason: "needs a known currency", Err: affiliate.ErrUnknownCurrency}
	}
	sign := a.Amount.Sign()
	switch {
	case a.Kind != AdjustBonus && a.Kind != AdjustCorrection && a.Kind != AdjustClawback:
		return fieldErr("Adjustment.Kind", quote(string(a.Kind))+" is not bonus, correction or clawback")
	case sign == 0:
		return fieldErr("Adjustment.Amount", "zero")
	case a.Kind == AdjustBonus && sign < 0:
		return fieldErr("Adjustment.Amount", "a bonus is positive")
	case a.Kind == AdjustClawback && sign > 0:
		return fieldErr("Adjustment.Amount", "a clawback is negative")
	}
	if !a.At.IsZero() {
		return checkYear("Adjustment.At", a.At.UTC())
	}
	return nil
}

// customerOf returns the customer of affiliate a's entry id.
func (e *Engine) customerOf(ctx context.Context, a affiliate.AffiliateID, id affiliate.EntryID) (affiliate.CustomerID, error) {
	entries, err := e.store.Entries(ctx, storage.EntryQuery{Beneficiary: a})
	if err != nil {
		return "", err
	}
	for _, x := range entries {
		if x.ID == id {
			return x.Customer, nil
		}
	}
	return "", fmt.Errorf("commission: adjustment corrects entry %s, not one of %s's: %w", id, a, affiliate.ErrNotFound)
}
