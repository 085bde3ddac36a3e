package storage

import (
	"strconv"

	"github.com/openaffiliate/affiliate"
)

// The checks below are what every store does before it writes: they need
// nothing but the value, so memstore, sqlstore and a host's store share
// them, and storagetest expects their errors. A store adds its own limits
// after them (sqlstore refuses text its columns cannot hold).

func invalid(field, reason string) error {
	return &affiliate.FieldError{Field: field, Reason: reason}
}

// ValidateEntries checks each entry (affiliate.Entry.Validate) and that no
// ID appears twice. It returns a *affiliate.FieldError matching ErrInvalid.
func ValidateEntries(entries []affiliate.Entry) error {
	seen := make(map[affiliate.EntryID]bool, len(entries))
	for _, e := range entries {
		if err := e.Validate(); err != nil {
			return err
		}
		if seen[e.ID] {
			return invalid("Entry.ID", "entry "+string(e.ID)+" appears twice in one batch")
		}
		seen[e.ID] = true
	}
	return nil
}

// ValidateDeltas checks that each delta names a period and a metric and
// that its amount, when it has one, is in a known currency.
func ValidateDeltas(deltas []AggregateDelta) error {
	for _, d := range deltas {
		if d.Period.Validate() != nil || d.Metric == "" {
			return invalid("AggregateDelta", "a valid period and a metric are required")
		}
		if d.Amount != (affiliate.Money{}) {
			if err := d.Amount.Validate(); err != nil {
				return err
			}
		}
	}
	return nil
}

// payoutField names payout i of a run in errors. It is called on an error
// only: a run has thousands of payouts.
func payoutField(i int) string { return "PayoutRun.Payouts[" + strconv.Itoa(i) + "]" }

// validPayoutID is affiliate.ValidateID of field suffix of payout i.
func validPayoutID[T ~string](i int, suffix string, id T) error {
	if affiliate.ValidateID(suffix, id) == nil {
		return nil
	}
	return affiliate.ValidateID(payoutField(i)+suffix, id)
}

// ValidatePayoutRun checks a payout run before it is written: key fields, each
// payout new (status created) in the run's period with at least one entry
// (listed, or by the run's watermark), no payout or entry twice, no
// affiliate and currency twice in a run planned by watermark, amounts in
// known currencies. It returns a *affiliate.FieldError matching ErrInvalid
// (or ErrUnknownCurrency).
func ValidatePayoutRun(r affiliate.PayoutRun) error {
	if r.Program == "" || r.Hash == "" {
		return invalid("PayoutRun", "program and hash are required")
	}
	if err := r.Period.Validate(); err != nil {
		return err
	}
	if r.AsOf.IsZero() {
		return invalid("PayoutRun.AsOf", "zero time")
	}
	ids := make(map[affiliate.PayoutID]bool, len(r.Payouts))
	entries := make(map[affiliate.EntryID]bool)
	type key struct {
		affiliate affiliate.AffiliateID
		currency  affiliate.Currency
	}
	var keys map[key]bool
	if r.Through != 0 {
		keys = make(map[key]bool, len(r.Payouts))
	}
	for i, p := range r.Payouts {
		if err := validPayoutID(i, ".ID", p.ID); err != nil {
			return err
		}
		if err := validPayoutID(i, ".Affiliate", p.Affiliate); err != nil {
			return err
		}
		if ids[p.ID] {
			return invalid(payoutField(i)+".ID", "payout "+string(p.ID)+" appears twice in the run")
		}
		ids[p.ID] = true
		if err := p.Amount.Validate(); err != nil {
			return &affiliate.FieldError{Field: payoutField(i) + ".Amount", Reason: "needs a known currency", Err: affiliate.ErrUnknownCurrency}
		}
		if p.Status != affiliate.PayoutCreated {
			return invalid(payoutField(i)+".Status", "a new payout is created, not "+string(p.Status))
		}
		if p.Period.Year != r.Period.Year || p.Period.Month != r.Period.Month {
			return invalid(payoutField(i)+".Period", p.Period.String()+" is not the run's period "+r.Period.String())
		}
		if keys != nil {
			k := key{p.Affiliate, p.Amount.Currency()}
			if keys[k] {
				return invalid(payoutField(i)+".Affiliate", string(p.Affiliate)+" has two payouts in "+string(k.currency)+" in a run planned by watermark")
			}
			keys[k] = true
		}
		if len(p.Entries) == 0 && r.Through == 0 {
			return invalid(payoutField(i)+".Entries", "a payout settles at least one entry, listed or by the run's watermark (Through)")
		}
		for _, e := range p.Entries {
			if entries[e] {
				return invalid(payoutField(i)+".Entries", "entry "+string(e)+" appears twice in the run")
			}
			entries[e] = true
		}
	}
	for i, c := range r.Carried {
		field := "PayoutRun.Carried[" + strconv.Itoa(i) + "]"
		if err := affiliate.ValidateID(field+".Affiliate", c.Affiliate); err != nil {
			return err
		}
		if err := c.Amount.Validate(); err != nil {
			return &affiliate.FieldError{Field: field + ".Amount", Reason: "needs a known currency", Err: affiliate.ErrUnknownCurrency}
		}
	}
	return nil
}

// Validate checks a tier close before it is written: key fields, a
// revision from 1, one snapshot per affiliate naming the close's program,
// period and revision. It returns a
// *affiliate.FieldError matching ErrInvalid.
func (c TierCloseCommit) Validate() error {
	cl := c.Close
	switch {
	case cl.Program == "" || cl.Period.Validate() != nil:
		return invalid("TierCloseCommit.Close", "a program and a valid period are required")
	case c.Hash == "":
		return invalid("TierCloseCommit.Hash", "required")
	case cl.Revision < 1:
		return invalid("TierCloseCommit.Close.Revision", "must be at least 1")
	case cl.AsOf.IsZero():
		return invalid("TierCloseCommit.Close.AsOf", "zero time")
	}
	seen := make(map[affiliate.AffiliateID]bool, len(c.Snapshots))
	for _, s := range c.Snapshots {
		switch {
		case s.Affiliate == "":
			return invalid("TierSnapshot.Affiliate", "missing")
		case s.Tier == "":
			return invalid("TierSnapshot.Tier", "missing for affiliate "+string(s.Affiliate))
		case s.Program != cl.Program || s.Period.String() != cl.Period.String() || s.Revision != cl.Revision:
			return invalid("TierSnapshot", "affiliate "+string(s.Affiliate)+"'s snapshot names another program, period or revision than its close")
		case seen[s.Affiliate]:
			return invalid("TierSnapshot.Affiliate", "affiliate "+string(s.Affiliate)+" has two snapshots in one run")
		}
		if s.Amount != (affiliate.Money{}) {
			if err := s.Amount.Validate(); err != nil {
				return err
			}
		}
		seen[s.Affiliate] = true
	}
	return nil
}

// ValidateRange checks the periods of a from-through-to read: both valid,
// to not before from.
func ValidateRange(from, to affiliate.Period) error {
	if err := from.Validate(); err != nil {
		return err
	}
	if err := to.Validate(); err != nil {
		return err
	}
	if to.Before(from) {
		return invalid("Period", to.String()+" is before "+from.String())
	}
	return nil
}
