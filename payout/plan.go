package payout

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
)

// Reasons a balance is carried, as stored in affiliate.CarriedBalance.Reason.
const (
	ReasonNotPositive  = "not_positive"  // zero or negative: nothing is paid
	ReasonBelowMinimum = "below_minimum" // positive, under the minimum
	ReasonIneligible   = "ineligible"    // an eligibility check refused it
)

// Key names one balance: an affiliate in a currency.
type Key struct {
	Affiliate affiliate.AffiliateID
	Currency  affiliate.Currency
}

// Input is everything a plan depends on. NewPlan is a pure function of it.
type Input struct {
	Program string // the run key's namespace; required
	Period  affiliate.Period
	AsOf    time.Time
	Policy  Policy
	// Entries are the open entries: in no created or paid payout. NewPlan
	// keeps those earned before the period's end and available at AsOf,
	// whatever else is passed, so a shell may over-fetch.
	Entries []affiliate.Entry
	// Ineligible holds, for balances that reach their minimum, the reason
	// an eligibility check refused them. Such balances are carried.
	Ineligible map[Key]string
	// Caps limit what the run pays; the excess is carried.
	Caps Caps
}

// Plan is what a run decides: a payout for every balance that reaches its
// minimum and passes the checks, and a carried balance for every other
// one. Per currency, the payouts plus the carried balances add up to the
// available entries (invariant I6).
type Plan struct {
	Program string
	Period  affiliate.Period
	AsOf    time.Time
	// Hash identifies the run's payload (program, period, policy); a
	// rerun with another policy is refused with ErrIdempotencyMismatch.
	Hash string
	// Payouts are ordered by affiliate, then currency; each lists its
	// entries ordered by At, then ID.
	Payouts []affiliate.Payout
	// Carried are ordered by affiliate, then currency.
	Carried []affiliate.CarriedBalance
}

// Due is a balance that reaches its minimum: it is paid unless an
// eligibility check refuses it.
type Due struct {
	Key
	Amount  affiliate.Money
	Minimum affiliate.Money
}

// NewPlan plans a run. It reads no clock and does no I/O.
//
// Returns a *PeriodOpenError when Period has not ended at AsOf, a
// *MinimumError for a bad policy, a *affiliate.FieldError (ErrInvalid)
// for a missing program or as-of time, a bad period or an entry listed
// twice, and ErrOverflow when a balance leaves the Money range.
func NewPlan(in Input) (Plan, error) {
	groups, err := group(in)
	if err != nil {
		return Plan{}, err
	}
	hash, err := runHash(in.Program, in.Period, in.Policy, in.Caps)
	if err != nil {
		return Plan{}, err
	}
	plan := Plan{Program: in.Program, Period: in.Period, AsOf: in.AsOf, Hash: hash}
	budget := newBudget(in.Caps)
	for _, g := range groups {
		reason, note := decide(g, in)
		if reason != "" {
			plan.Carried = append(plan.Carried, affiliate.CarriedBalance{
				Affiliate: g.key.Affiliate, Amount: g.amount, Reason: reason, Note: note,
			})
			continue
		}
		g, held := budget.take(g)
		if held != nil {
			plan.Carried = append(plan.Carried, *held)
		}
		if len(g.entries) == 0 {
			continue
		}
		ids := make([]affiliate.EntryID, len(g.entries))
		for i, e := range g.entries {
			ids[i] = e.ID
		}
		plan.Payouts = append(plan.Payouts, affiliate.Payout{
			ID:        PayoutID(in.Program, in.Period, g.key.Affiliate, g.key.Currency),
			Affiliate: g.key.Affiliate,
			Period:    in.Period,
			Amount:    g.amount,
			Entries:   ids,
			Status:    affiliate.PayoutCreated,
			CreatedAt: in.AsOf,
		})
	}
	return plan, nil
}

// DueBalances returns the balances of in that reach their minimum, before
// any eligibility check: the ones a shell runs its checks on.
// in.Ineligible is ignored. It returns the errors of NewPlan.
func DueBalances(in Input) ([]Due, error) {
	groups, err := group(in)
	if err != nil {
		return nil, err
	}
	var out []Due
	for _, g := range groups {
		if g.amount.Sign() > 0 && !g.below() {
			out = append(out, Due{Key: g.key, Amount: g.amount, Minimum: g.minimum})
		}
	}
	return out, nil
}

type balance struct {
	key     Key
	amount  affiliate.Money
	minimum affiliate.Money
	entries []*affiliate.Entry
}

func (g *balance) below() bool { return g.amount.Minor() < g.minimum.Minor() }

// decide returns "" to pay g, or why it is carried.
func decide(g balance, in Input) (reason, note string) {
	switch {
	case g.amount.Sign() == 0:
		return ReasonNotPositive, "balance is zero: nothing to pay"
	case g.amount.Sign() < 0:
		return ReasonNotPositive, "balance " + g.amount.String() + " is negative: it is carried and nets against later earnings"
	case g.below():
		return ReasonBelowMinimum, "balance " + g.amount.String() + " is below the minimum payout of " + g.minimum.String()
	}
	if why, refused := in.Ineligible[g.key]; refused {
		return ReasonIneligible, "not eligible: " + why
	}
	return "", ""
}

// group validates in and sums its payable entries per affiliate and
// currency, in key order, each group's entries ordered by At, then ID.
func group(in Input) ([]balance, error) {
	if err := affiliate.ValidateID("Input.Program", in.Program); err != nil {
		return nil, err
	}
	if err := in.Period.Validate(); err != nil {
		return nil, err
	}
	if in.AsOf.IsZero() {
		return nil, fieldErr("Input.AsOf", "zero time")
	}
	if !in.Period.Ended(in.AsOf) {
		return nil, &PeriodOpenError{Period: in.Period, AsOf: in.AsOf}
	}
	if err := in.Policy.Validate(); err != nil {
		return nil, err
	}
	if err := in.Caps.Validate(); err != nil {
		return nil, err
	}
	end := in.Period.End()
	index := make(map[Key]int)
	// seen catches an entry listed twice wherever the copies sit (another
	// time, another beneficiary): paying it twice would break I6.
	seen := make(map[affiliate.EntryID]struct{}, len(in.Entries))
	var groups []balance
	for i := range in.Entries {
		e := &in.Entries[i]
		if !e.At.Before(end) || !e.Available(in.AsOf) {
			continue
		}
		if _, dup := seen[e.ID]; dup {
			return nil, fieldErr("Input.Entries", "entry "+string(e.ID)+" is listed twice")
		}
		seen[e.ID] = struct{}{}
		k := Key{e.Beneficiary, e.Amount.Currency()}
		j, ok := index[k]
		if !ok {
			j = len(groups)
			index[k] = j
			groups = append(groups, balance{key: k})
		}
		groups[j].entries = append(groups[j].entries, e)
	}
	slices.SortFunc(groups, func(a, b balance) int {
		if c := strings.Compare(string(a.key.Affiliate), string(b.key.Affiliate)); c != 0 {
			return c
		}
		return strings.Compare(string(a.key.Currency), string(b.key.Currency))
	})
	for gi := range groups {
		g := &groups[gi]
		slices.SortFunc(g.entries, func(a, b *affiliate.Entry) int {
			if c := a.At.Compare(b.At); c != 0 {
				return c
			}
			return strings.Compare(string(a.ID), string(b.ID))
		})
		sum, err := affiliate.NewMoney(0, g.key.Currency)
		if err != nil {
			return nil, err
		}
		for _, e := range g.entries {
			if sum, err = sum.Add(e.Amount); err != nil {
				return nil, err
			}
		}
		g.amount = sum
		g.minimum = in.Policy.Minimum(g.key.Affiliate, g.key.Currency)
	}
	return groups, nil
}

// PayoutID returns the ID of the payout of program's run for period to
// affiliate a in currency c: "po_2026-01_" and 24 hex digits of a SHA-256
// over the four, so the same run always names its payouts alike (I8) and
// the ID stays short whatever the affiliate ID's length.
func PayoutID(program string, period affiliate.Period, a affiliate.AffiliateID, c affiliate.Currency) affiliate.PayoutID {
	h := sha256.New()
	for _, s := range []string{"payout/v1", program, period.String(), locationName(period), string(a), string(c)} {
		io.WriteString(h, strconv.Itoa(len(s))+":"+s)
	}
	return affiliate.PayoutID("po_" + period.String() + "_" + hex.EncodeToString(h.Sum(nil))[:24])
}
