package tiers

import (
	"context"
	"strconv"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// Store is what a Program reads and writes: the aggregates the commission
// engine keeps, the tier closes, and under Immediate the event log, the
// ledger (whether a payment is recorded, and the tier it was priced at)
// and the bindings (an affiliate's own customers' payments from its
// sub-affiliates'). memstore.Store and sqlstore.Store implement it.
type Store interface {
	storage.Aggregates
	storage.Ledger
	storage.TierCloses
	Event(ctx context.Context, id affiliate.EventID) (affiliate.EventRecord, error)
	Binding(ctx context.Context, c affiliate.CustomerID) (affiliate.Binding, error)
}

// MaxKeepFor bounds Config.KeepFor: ten years of months.
const MaxKeepFor = 120

// MaxProgramLen bounds Config.Program, which prefixes the IDs of the
// close's entries.
const MaxProgramLen = 64

// DefaultProgram is the namespace of closes when Config.Program is empty.
const DefaultProgram = "default"

// Config configures a Program. The zero values of Metric (Revenue),
// Policy (NextPeriod), Location (UTC), KeepFor (every month stands alone)
// and Program ("default") are meaningful; Store,
// Schedule, and for Revenue Currency, are required.
type Config struct {
	Store    Store
	Schedule Schedule
	Metric   Metric
	Policy   Policy
	// Currency is the program's currency: the Revenue metric is in it and
	// the schedule's amount thresholds must be too.
	Currency affiliate.Currency
	// Revenue is the program's definition of a payment's revenue; it must
	// be the commission engine's, which files the revenue aggregates the
	// Revenue metric reads. The zero value excludes tax and shipping.
	Revenue affiliate.Revenue
	// Location is where months begin and end. It must be the commission
	// engine's, which files the aggregates by month in its location.
	Location *time.Location
	// KeepFor keeps a reached tier for that many months after the month
	// that reached it, so a month whose own value falls below is still
	// decided at the kept tier. 0 lets each month stand alone.
	KeepFor int
	// Program namespaces the closes in the store.
	Program string
}

// Program runs one tier program: it answers which tier is in effect
// (TierAt, a commission.TierSource), decides tiers (Decide) and closes
// months (Close). It holds no state besides its Config and is safe for
// concurrent use.
type Program struct {
	cfg   Config
	loc   *time.Location
	views closedViews
}

// New validates cfg and returns a Program. Errors are *affiliate.FieldError
// values naming the Config field (matching affiliate.ErrInvalid), or the
// *ScheduleError of an empty schedule.
func New(cfg Config) (*Program, error) {
	if cfg.Store == nil {
		return nil, &affiliate.FieldError{Field: "Config.Store", Reason: "missing"}
	}
	if cfg.Schedule.Len() == 0 {
		return nil, &ScheduleError{Index: -1, Reason: "a schedule needs at least one tier", Err: ErrEmptySchedule}
	}
	if !cfg.Metric.valid() {
		return nil, &affiliate.FieldError{Field: "Config.Metric", Reason: cfg.Metric.String() + " is not a metric"}
	}
	if !cfg.Policy.valid() {
		return nil, &affiliate.FieldError{Field: "Config.Policy", Reason: cfg.Policy.String() + " is not a policy"}
	}
	if err := cfg.Revenue.Validate(); err != nil {
		fe := err.(*affiliate.FieldError)
		return nil, &affiliate.FieldError{Field: "Config." + fe.Field, Reason: fe.Reason}
	}
	if cfg.KeepFor < 0 || cfg.KeepFor > MaxKeepFor {
		return nil, &affiliate.FieldError{Field: "Config.KeepFor", Reason: strconv.Itoa(cfg.KeepFor) + " is outside 0–" + strconv.Itoa(MaxKeepFor)}
	}
	if cfg.Program != "" {
		if err := affiliate.ValidateID("Config.Program", cfg.Program); err != nil {
			return nil, err
		}
		if len(cfg.Program) > MaxProgramLen {
			return nil, &affiliate.FieldError{Field: "Config.Program", Reason: "longer than " + strconv.Itoa(MaxProgramLen) + " bytes"}
		}
	}
	kind := cfg.Schedule.kind()
	if cfg.Metric == Revenue {
		if err := cfg.Currency.Validate(); err != nil {
			return nil, &affiliate.FieldError{Field: "Config.Currency", Reason: "the revenue metric needs the program's currency", Err: affiliate.ErrUnknownCurrency}
		}
		if !kind.IsZero() && kind.Amount.Currency() != cfg.Currency {
			return nil, &affiliate.FieldError{Field: "Config.Schedule", Reason: "the revenue metric needs thresholds in " + string(cfg.Currency) + ", not " + kind.String()}
		}
	} else if kind.IsAmount() {
		return nil, &affiliate.FieldError{Field: "Config.Schedule", Reason: "the " + cfg.Metric.String() + " metric needs count thresholds, not " + kind.String()}
	}
	p := &Program{cfg: cfg, loc: cfg.Location}
	if p.loc == nil {
		p.loc = time.UTC
	}
	if p.cfg.Program == "" {
		p.cfg.Program = DefaultProgram
	}
	return p, nil
}

// Schedule returns the program's schedule.
func (p *Program) Schedule() Schedule { return p.cfg.Schedule }

// Policy returns the program's effect policy.
func (p *Program) Policy() Policy { return p.cfg.Policy }

// period checks that per is a valid month in the program's location.
func (p *Program) period(per affiliate.Period) (affiliate.Period, error) {
	if err := per.Validate(); err != nil {
		return affiliate.Period{}, err
	}
	loc := per.Location
	if loc == nil {
		loc = time.UTC
	}
	if loc.String() != p.loc.String() {
		return affiliate.Period{}, &affiliate.FieldError{Field: "Period.Location", Reason: per.String() + " is in " + loc.String() + "; the program's months are in " + p.loc.String()}
	}
	return affiliate.Period{Year: per.Year, Month: per.Month, Location: p.loc}, nil
}
