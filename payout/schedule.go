package payout

import (
	"context"
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
)

// Schedule says when a period's run may pay. The zero Schedule pays as
// soon as the period has ended.
type Schedule struct {
	// NetDays is NET-N: the run for a month pays N days after the month's
	// end, so refunds and disputes in those days net against it first.
	NetDays int
}

// DueAt returns when period's run may pay: its end plus NetDays days,
// counted in the period's location.
func (s Schedule) DueAt(period affiliate.Period) time.Time {
	return period.End().AddDate(0, 0, s.NetDays)
}

// Validate returns a *affiliate.FieldError (ErrInvalid) for negative
// NetDays.
func (s Schedule) Validate() error {
	if s.NetDays < 0 {
		return &affiliate.FieldError{Field: "Schedule.NetDays", Reason: "negative"}
	}
	return nil
}

// NotDueError reports a run before its schedule's due time. It matches
// affiliate.ErrPeriodOpen (and so affiliate.ErrInvalid).
type NotDueError struct {
	Period affiliate.Period
	Due    time.Time
	AsOf   time.Time
}

func (e *NotDueError) Error() string {
	return fmt.Sprintf("payout: the run for %s is due at %s (NET terms), after the as-of time %s",
		e.Period, e.Due.Format(time.RFC3339), e.AsOf.Format(time.RFC3339))
}

// Unwrap returns affiliate.ErrPeriodOpen.
func (e *NotDueError) Unwrap() error { return affiliate.ErrPeriodOpen }

// DueAt returns when the run for period may pay under Config.Schedule.
func (r *Runner) DueAt(period affiliate.Period) time.Time { return r.cfg.Schedule.DueAt(period) }

// RequestProgram is the run key namespace of the payouts affiliate a
// requests under program: each affiliate's requests are runs of their
// own, one per period, so they never take the key of the monthly run.
func RequestProgram(program string, a affiliate.AffiliateID) string {
	return program + "/request/" + string(a)
}

// Request pays affiliate a on its own request: a run, keyed
// (RequestProgram(Program, a), period), over a's open entries earned
// before period's end and past their hold at asOf (zero means Now). The
// minimum, the checks and the caps apply as in Run; the NET schedule does
// not, since the affiliate asked now. A second request for the same
// period replays the first. Entries a request pays are not in any later
// run, and Statement shows the request's payouts.
//
// Returns the errors of Run, and a *affiliate.FieldError (ErrInvalid)
// for a bad affiliate ID.
func (r *Runner) Request(ctx context.Context, a affiliate.AffiliateID, period affiliate.Period, asOf time.Time) (Result, error) {
	if err := affiliate.ValidateID("affiliate", a); err != nil {
		return Result{}, err
	}
	sub := &Runner{cfg: r.cfg, only: a}
	sub.cfg.Program = RequestProgram(r.cfg.Program, a)
	sub.cfg.Schedule = Schedule{}
	return sub.Run(ctx, period, asOf)
}
