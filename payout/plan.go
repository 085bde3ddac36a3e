package payout

import (
	"crypto/sha256"
	"encoding/hex"
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
	// Through is 0, or the watermark of the open balances the run was
	// planned from (a store that is a storage.BalanceReader, a run with
	// no caps and no review): the payouts settle by it, and list their
	// entries once written.
	Through uint64
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
	if err := distinct(in); err != nil {
		return Plan{}, err
	}
	hash, err := runHash(in.Program, in.Period, in.Policy, in.Caps)
	if err != nil {
		return Plan{}, err
	}
	return planGroups(in, groups, hash, 0), nil
}

// planGroups decides every balance of groups (as group returns them) and
// lists the payouts and carried balances. The payouts' entry lists share
// one array. With a watermark (through > 0) the groups hold sums only and
// the payouts list no entries: the store claims them by watermark.
func planGroups(in Input, groups []balance, hash string, through uint64) Plan {
	plan := Plan{Program: in.Program, Period: in.Period, AsOf: in.AsOf, Hash: hash, Through: through, Payouts: make([]affiliate.Payout, 0, len(groups))}
	budget := newBudget(in.Caps)
	n := 0
	for _, g := range groups {
		n += len(g.entries)
	}
	ids := make([]affiliate.EntryID, 0, n)
	pid := newPayoutIDs(in.Program, in.Period)
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
		if len(g.entries) == 0 && through == 0 {
			continue
		}
		start := len(ids)
		for _, e := range g.entries {
			ids = append(ids, e.ID)
		}
		var listed []affiliate.EntryID
		if through == 0 {
			listed = ids[start:len(ids):len(ids)]
		}
		plan.Payouts = append(plan.Payouts, affiliate.Payout{
			ID:        pid.id(g.key.Affiliate, g.key.Currency),
			Affiliate: g.key.Affiliate,
			Period:    in.Period,
			Amount:    g.amount,
			Entries:   listed,
			Status:    affiliate.PayoutCreated,
			CreatedAt: in.AsOf,
		})
	}
	return plan
}

// DueBalances returns the balances of in that reach their minimum, before
// any eligibility check: the ones a shell runs its checks on.
// in.Ineligible is ignored. It returns the errors of NewPlan.
func DueBalances(in Input) ([]Due, error) {
	groups, err := group(in)
	if err != nil {
		return nil, err
	}
	if err := distinct(in); err != nil {
		return nil, err
	}
	return dueOf(groups), nil
}

func dueOf(groups []balance) []Due {
	var out []Due
	for _, g := range groups {
		if g.amount.Sign() > 0 && !g.below() {
			out = append(out, Due{Key: g.key, Amount: g.amount, Minimum: g.minimum})
		}
	}
	return out
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

// distinct refuses an entry listed twice among the payable entries of in,
// wherever the copies sit (another time, another beneficiary): paying it
// twice would break I6. A run skips it: the store keeps entry IDs unique
// (storagetest checks it, and that CreatePayoutRun refuses an entry
// twice), and this map is the costliest part of planning.
func distinct(in Input) error {
	end := in.Period.End()
	seen := make(map[affiliate.EntryID]struct{}, len(in.Entries))
	for i := range in.Entries {
		e := &in.Entries[i]
		if !e.At.Before(end) || !e.Available(in.AsOf) {
			continue
		}
		if _, dup := seen[e.ID]; dup {
			return fieldErr("Input.Entries", "entry "+string(e.ID)+" is listed twice")
		}
		seen[e.ID] = struct{}{}
	}
	return nil
}

// group validates in and sums its payable entries per affiliate and
// currency, in key order, each group's entries ordered by At, then ID.
// It assumes entry IDs distinct (see distinct).
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
	// First pass: the group of every payable entry (-1 for the others)
	// and each group's size, so the groups' entry lists can share one
	// array, filled in the second pass in input order.
	of := make([]int32, len(in.Entries))
	// first is each beneficiary's first group; its other currencies'
	// groups follow through next: one string hashed per entry.
	first := make(map[affiliate.AffiliateID]int32)
	var groups []balance
	var sizes []int
	var next []int32
	payable := 0
	for i := range in.Entries {
		e := &in.Entries[i]
		of[i] = -1
		if !e.At.Before(end) || !e.Available(in.AsOf) {
			continue
		}
		cur := e.Amount.Currency()
		j, ok := first[e.Beneficiary]
		for ok && groups[j].key.Currency != cur {
			j, ok = next[j], next[j] >= 0
		}
		if !ok {
			k := int32(len(groups))
			if head, known := first[e.Beneficiary]; known {
				tail := head
				for next[tail] >= 0 {
					tail = next[tail]
				}
				next[tail] = k
			} else {
				first[e.Beneficiary] = k
			}
			groups = append(groups, balance{key: Key{e.Beneficiary, cur}})
			sizes = append(sizes, 0)
			next = append(next, -1)
			j = k
		}
		of[i] = j
		sizes[j]++
		payable++
	}
	shared := make([]*affiliate.Entry, 0, payable)
	for gi := range groups {
		n := len(shared)
		shared = shared[:n+sizes[gi]]
		groups[gi].entries = shared[n:n:len(shared)]
	}
	for i, j := range of {
		if j >= 0 {
			groups[j].entries = append(groups[j].entries, &in.Entries[i])
		}
	}
	slices.SortFunc(groups, func(a, b balance) int {
		if c := strings.Compare(string(a.key.Affiliate), string(b.key.Affiliate)); c != 0 {
			return c
		}
		return strings.Compare(string(a.key.Currency), string(b.key.Currency))
	})
	for gi := range groups {
		g := &groups[gi]
		// A store lists entries by At, then ID already: sorting is then
		// a check.
		if !slices.IsSortedFunc(g.entries, compareEntries) {
			slices.SortFunc(g.entries, compareEntries)
		}
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

func compareEntries(a, b *affiliate.Entry) int {
	if c := a.At.Compare(b.At); c != 0 {
		return c
	}
	return strings.Compare(string(a.ID), string(b.ID))
}

// PayoutID returns the ID of the payout of program's run for period to
// affiliate a in currency c: "po_2026-01_" and 24 hex digits of a SHA-256
// over the four, so the same run always names its payouts alike (I8) and
// the ID stays short whatever the affiliate ID's length.
func PayoutID(program string, period affiliate.Period, a affiliate.AffiliateID, c affiliate.Currency) affiliate.PayoutID {
	p := newPayoutIDs(program, period)
	return p.id(a, c)
}

// payoutIDs names the payouts of one run, reusing its buffer: a run
// names thousands.
type payoutIDs struct {
	program, period, location string
	buf                       []byte
}

func newPayoutIDs(program string, period affiliate.Period) payoutIDs {
	return payoutIDs{program: program, period: period.String(), location: locationName(period)}
}

func (p *payoutIDs) id(a affiliate.AffiliateID, c affiliate.Currency) affiliate.PayoutID {
	b := p.buf[:0]
	for _, s := range []string{"payout/v1", p.program, p.period, p.location, string(a), string(c)} {
		b = strconv.AppendInt(b, int64(len(s)), 10)
		b = append(b, ':')
		b = append(b, s...)
	}
	sum := sha256.Sum256(b)
	b = append(b[:0], "po_"...)
	b = append(b, p.period...)
	b = append(b, '_')
	b = hex.AppendEncode(b, sum[:12])
	p.buf = b
	return affiliate.PayoutID(b)
}
