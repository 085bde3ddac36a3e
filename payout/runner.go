package payout

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// DefaultProgram is the run key's namespace when Config.Program is empty.
const DefaultProgram = "default"

// maxAttempts bounds how often Run plans again after another run claimed
// one of its entries first.
const maxAttempts = 3

// Store is what a Runner reads and writes: the open entries, the payout
// runs and their lifecycle, each affiliate's runs for statements, and the
// accounts and paying-customer counts the eligibility checks read.
// memstore.Store and sqlstore.Store implement it.
type Store interface {
	storage.Ledger
	storage.Payouts
	AffiliateRuns(ctx context.Context, program string, a affiliate.AffiliateID, from, to affiliate.Period) ([]affiliate.AffiliateRun, error)
	Affiliate(ctx context.Context, id affiliate.AffiliateID) (affiliate.Affiliate, error)
	AffiliateAggregates(ctx context.Context, a affiliate.AffiliateID, metric affiliate.Metric, from, to affiliate.Period) ([]storage.Aggregate, error)
}

// Config configures a Runner. Store is required.
type Config struct {
	// Program namespaces the run keys (Program, Period); "" means
	// DefaultProgram. A ledger is paid out under one program.
	Program string
	// Policy holds the minimums. A negative one makes New fail.
	Policy Policy
	// Caps limit what a run pays per affiliate and per run; the excess
	// is carried with ReasonCapped. The zero Caps limits nothing.
	Caps Caps
	// Schedule delays runs (NET-N); the zero Schedule runs as soon as
	// the period ends.
	Schedule Schedule
	// Checks run, in order, on every balance that reaches its minimum.
	// Every refusal reason is kept, not only the first.
	Checks []Check
	// Approval leaves unapproved entries out of runs; the zero value
	// pays every available entry.
	Approval Approval

	Store Store

	// Now is the clock for settlement times and default as-of times; nil
	// means time.Now.
	Now func() time.Time
}

// Runner runs payouts for periods, moves payouts through their lifecycle
// and writes statements. It is safe for concurrent use.
type Runner struct {
	cfg Config
	// only restricts a run to one affiliate's entries (Request).
	only affiliate.AffiliateID
}

// New validates cfg and returns a Runner. It returns a *MinimumError for
// a bad policy and a *affiliate.FieldError (ErrInvalid) for a missing
// store or a check whose store is missing.
func New(cfg Config) (*Runner, error) {
	if cfg.Program == "" {
		cfg.Program = DefaultProgram
	}
	if err := affiliate.ValidateID("Config.Program", cfg.Program); err != nil {
		return nil, err
	}
	if err := cfg.Policy.Validate(); err != nil {
		return nil, err
	}
	if err := cfg.Caps.Validate(); err != nil {
		return nil, err
	}
	if err := cfg.Schedule.Validate(); err != nil {
		return nil, err
	}
	if cfg.Store == nil {
		return nil, fieldErr("Config.Store", "missing")
	}
	for i, c := range cfg.Checks {
		field := fmt.Sprintf("Config.Checks[%d]", i)
		if c == nil {
			return nil, fieldErr(field, "nil check")
		}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Runner{cfg: cfg}, nil
}

// Program returns the run key namespace the runner writes under.
func (r *Runner) Program() string { return r.cfg.Program }

// Result is a run's plan, as written, and whether it was written by an
// earlier call (Replayed). A replay shows the payouts as they stand now.
type Result struct {
	Plan
	Replayed bool
}

// Run plans and writes the payout run for period as of asOf (zero means
// Now): every affiliate's entries earned before the period's end, past
// their hold at asOf and in no created or paid payout, summed per
// currency, paid when the sum reaches its minimum and passes the checks,
// carried otherwise. The run is written in one atomic store call.
//
// Run is idempotent per (Program, period): a second call returns the
// first call's payouts, with Replayed set, whatever asOf it is given. A
// second call with another Policy returns ErrIdempotencyMismatch.
//
// Returns a *PeriodOpenError when period has not ended at asOf, the
// errors of NewPlan, a check's error, and the store's errors.
func (r *Runner) Run(ctx context.Context, period affiliate.Period, asOf time.Time) (Result, error) {
	if asOf.IsZero() {
		asOf = r.cfg.Now()
	}
	in := Input{Program: r.cfg.Program, Period: period, AsOf: asOf, Policy: r.cfg.Policy, Caps: r.cfg.Caps}
	if _, err := DueBalances(in); err != nil { // validates before any read
		return Result{}, err
	}
	if due := r.cfg.Schedule.DueAt(period); asOf.Before(due) {
		return Result{}, &NotDueError{Period: period, Due: due, AsOf: asOf}
	}
	hash, err := runHash(r.cfg.Program, period, r.cfg.Policy, r.cfg.Caps)
	if err != nil {
		return Result{}, err
	}
	if res, done, err := r.replay(ctx, period, hash); done || err != nil {
		return res, err
	}
	var lastErr error
	for range maxAttempts {
		plan, err := r.plan(ctx, in, hash)
		if err != nil {
			return Result{}, err
		}
		written, err := r.cfg.Store.CreatePayoutRun(ctx, toRun(plan))
		if err == nil {
			return fromRun(written.Run, period, written.Replayed), nil
		}
		if !errors.Is(err, affiliate.ErrConflict) {
			return Result{}, err
		}
		// Another run claimed an entry between our read and our write:
		// read the open entries again.
		lastErr = err
	}
	return Result{}, fmt.Errorf("payout: run %s/%s lost %d races for its entries: %w", r.cfg.Program, period, maxAttempts, lastErr)
}

// replay returns the stored run when there is one.
func (r *Runner) replay(ctx context.Context, period affiliate.Period, hash string) (Result, bool, error) {
	run, err := r.cfg.Store.PayoutRun(ctx, r.cfg.Program, period)
	switch {
	case errors.Is(err, affiliate.ErrNotFound):
		return Result{}, false, nil
	case err != nil:
		return Result{}, false, err
	case run.Hash != hash && strings.HasPrefix(run.Hash, affiliate.HashPrefix):
		// A run written before the canonical encoding has a hash nothing
		// can recompute: it is taken as this run.
		return Result{}, false, &affiliate.FieldError{
			Field:  "Config.Policy",
			Reason: "run " + r.cfg.Program + "/" + period.String() + " was made with another policy",
			Err:    affiliate.ErrIdempotencyMismatch,
		}
	}
	return fromRun(run, period, true), true, nil
}

// plan loads the open balances, or the open entries where the run must
// judge entries one by one (caps pay a prefix of them, reviews leave some
// out) or the store keeps no balances; then it runs the checks and plans.
func (r *Runner) plan(ctx context.Context, in Input, hash string) (Plan, error) {
	if br, ok := r.cfg.Store.(storage.BalanceReader); ok && in.Caps.IsZero() && !r.cfg.Approval.active() {
		return r.planBalances(ctx, br, in, hash)
	}
	entries, err := r.cfg.Store.Entries(ctx, storage.EntryQuery{
		Beneficiary: r.only,
		Unsettled:   true,
		AvailableBy: in.AsOf,
		To:          in.Period.End(),
	})
	if err != nil {
		return Plan{}, err
	}
	if entries, err = r.cfg.Approval.approved(ctx, entries, in.AsOf); err != nil {
		return Plan{}, err
	}
	in.Entries = entries
	groups, err := group(in)
	if err != nil {
		return Plan{}, err
	}
	if len(r.cfg.Checks) > 0 {
		if in.Ineligible, err = r.check(ctx, in, dueOf(groups)); err != nil {
			return Plan{}, err
		}
	}
	return planGroups(in, groups, hash, 0), nil
}

// planBalances plans from the store's open balances: one sum per
// affiliate and currency, no entry read. The payouts list no entries:
// they settle by the balances' watermark, and the store lists their
// entries when it writes them.
func (r *Runner) planBalances(ctx context.Context, br storage.BalanceReader, in Input, hash string) (Plan, error) {
	b, err := br.OpenBalances(ctx, storage.BalanceQuery{Beneficiary: r.only, To: in.Period.End(), AvailableBy: in.AsOf})
	if err != nil {
		return Plan{}, err
	}
	groups := make([]balance, len(b.Balances))
	for i, ob := range b.Balances {
		groups[i] = balance{key: Key{ob.Affiliate, ob.Amount.Currency()}, amount: ob.Amount, minimum: in.Policy.Minimum(ob.Affiliate, ob.Amount.Currency())}
	}
	if len(r.cfg.Checks) > 0 {
		if in.Ineligible, err = r.check(ctx, in, dueOf(groups)); err != nil {
			return Plan{}, err
		}
	}
	return planGroups(in, groups, hash, b.Through), nil
}

// check runs every check on every due balance.
func (r *Runner) check(ctx context.Context, in Input, due []Due) (map[Key]string, error) {
	refused := make(map[Key]string)
	accounts := make(map[affiliate.AffiliateID]Candidate)
	need := needs(r.cfg.Checks)
	for _, d := range due {
		c, ok := accounts[d.Affiliate]
		if !ok {
			var err error
			if c, err = r.candidate(ctx, d.Affiliate, in, need); err != nil {
				return nil, err
			}
			accounts[d.Affiliate] = c
		}
		c.Amount = d.Amount
		var reasons []string
		for _, chk := range r.cfg.Checks {
			why, err := chk.Check(ctx, c)
			if err != nil {
				return nil, fmt.Errorf("payout: eligibility check for %s: %w", d.Affiliate, err)
			}
			if why != "" {
				reasons = append(reasons, why)
			}
		}
		if len(reasons) > 0 {
			refused[d.Key] = strings.Join(reasons, "; ")
		}
	}
	return refused, nil
}

// candidate loads the facts in need of affiliate a.
func (r *Runner) candidate(ctx context.Context, a affiliate.AffiliateID, in Input, need facts) (Candidate, error) {
	c := Candidate{Affiliate: affiliate.Affiliate{ID: a}, Period: in.Period, AsOf: in.AsOf}
	if need&factAccount != 0 {
		acct, err := r.cfg.Store.Affiliate(ctx, a)
		switch {
		case err == nil:
			c.Affiliate, c.Known = acct, true
		case !errors.Is(err, affiliate.ErrNotFound):
			return Candidate{}, err
		}
	}
	if need&factCustomers != 0 {
		aggs, err := r.cfg.Store.AffiliateAggregates(ctx, a, affiliate.MetricPayingCustomers, in.Period, in.Period)
		if err != nil {
			return Candidate{}, err
		}
		for _, g := range aggs {
			c.ActiveCustomers += g.Count
		}
	}
	if need&factProfile != 0 {
		if err := r.loadProfile(ctx, &c); err != nil {
			return Candidate{}, err
		}
	}
	return c, nil
}

// loadProfile reads c's payee profile when the store keeps profiles.
func (r *Runner) loadProfile(ctx context.Context, c *Candidate) error {
	profiles, ok := r.cfg.Store.(storage.Profiles)
	if !ok {
		return nil
	}
	p, err := profiles.Profile(ctx, c.Affiliate.ID)
	switch {
	case err == nil:
		c.Profile, c.HasProfile = p, true
	case !errors.Is(err, affiliate.ErrNotFound):
		return err
	}
	return nil
}

func toRun(p Plan) affiliate.PayoutRun {
	return affiliate.PayoutRun{
		Program: p.Program,
		Period:  p.Period,
		Hash:    p.Hash,
		AsOf:    p.AsOf,
		Payouts: p.Payouts,
		Carried: p.Carried,
		Through: p.Through,
	}
}

func fromRun(run affiliate.PayoutRun, period affiliate.Period, replayed bool) Result {
	return Result{
		Plan: Plan{
			Program: run.Program,
			Period:  period,
			AsOf:    run.AsOf,
			Hash:    run.Hash,
			Payouts: run.Payouts,
			Carried: run.Carried,
			Through: run.Through,
		},
		Replayed: replayed,
	}
}

// MarkPaid records that the host sent payout id, under its own transfer
// reference. The library never moves money.
//
// Returns ErrNotFound for an unknown payout; ErrAlreadyPaid (a
// *storage.PayoutStatusError whose Payout holds the stored reference, so
// a host retrying after a lost answer can recognise its own transfer) or
// ErrReleased when the payout is no longer created; ErrInvalid for an
// empty or malformed reference.
func (r *Runner) MarkPaid(ctx context.Context, id affiliate.PayoutID, reference string) (affiliate.Payout, error) {
	if err := affiliate.ValidateID("reference", reference); err != nil {
		return affiliate.Payout{}, err
	}
	return r.settle(ctx, id, affiliate.PayoutPaid, reference, "")
}

// MarkFailed records that the host's transfer failed. The payout's
// entries are released: the next run pays them. Returns the errors of
// MarkPaid, except for the reference.
func (r *Runner) MarkFailed(ctx context.Context, id affiliate.PayoutID, note string) (affiliate.Payout, error) {
	return r.settle(ctx, id, affiliate.PayoutFailed, "", note)
}

// Cancel withdraws a created payout; its entries are released for the
// next run. A paid payout cannot be cancelled (ErrAlreadyPaid): a refund
// after a payout is a reversal entry that nets against the next one.
// Returns the errors of MarkFailed.
func (r *Runner) Cancel(ctx context.Context, id affiliate.PayoutID, note string) (affiliate.Payout, error) {
	return r.settle(ctx, id, affiliate.PayoutCancelled, "", note)
}

func (r *Runner) settle(ctx context.Context, id affiliate.PayoutID, to affiliate.PayoutStatus, reference, note string) (affiliate.Payout, error) {
	if err := affiliate.ValidateID("payout ID", id); err != nil {
		return affiliate.Payout{}, err
	}
	return r.cfg.Store.SettlePayout(ctx, storage.PayoutSettlement{
		ID: id, Status: to, Reference: reference, Note: note, At: r.cfg.Now(),
	})
}
