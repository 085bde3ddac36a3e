package commission

import (
	"strconv"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
)

// TermsVersion is one version of the program's terms: the rule that
// prices payments, how it rounds, and how long its entries are held
// before they may be paid out. It is in effect for payments made from
// From until the next version's From.
type TermsVersion struct {
	// Version is recorded on every entry the terms produce. Required and
	// unique in the schedule.
	Version string
	// From is when the version takes effect; the first version's From may
	// be zero (in effect since always). Payments made before the first
	// version's From are recorded and earn nothing.
	From time.Time
	Rule rules.Rule
	// Rounding is the mode base × rate rounds with (rules use it) and the
	// mode a refund's pro-rata share rounds with. Zero is half-even.
	Rounding affiliate.RoundingMode
	// Hold is how long after it is earned an entry becomes available for
	// payout (30 days is common). Zero means at once. A rule can set its
	// own (rules.WithHold). Reversals are never held.
	Hold time.Duration
}

// Config configures an Engine. Store and Terms are required; every other
// field has a meaningful zero value.
type Config struct {
	Store Store
	// Terms is the schedule of terms versions, ordered by From.
	Terms []TermsVersion
	// Tiers says which tier each affiliate of the chain is in when a
	// payment is made. Nil puts every affiliate in the zero Tier (no
	// name, zero rates), which suits programs whose rules read no tier.
	Tiers TierSource
	// Currency is the program's currency: MetricRevenueConverted is kept
	// in it. Empty keeps no converted revenue.
	Currency affiliate.Currency
	// RequireConversion refuses a payment in another currency than
	// Currency unless it carries a Conversion to Currency
	// (ErrMissingConversion). When false, such a payment adds nothing to
	// MetricRevenueConverted.
	RequireConversion bool
	// Revenue is the program's definition of a payment's revenue: what
	// MetricRevenue and MetricRevenueConverted count (the tier metric and
	// the dashboards read them) and what a rule's base counts when the
	// rule names no line kinds (rules.Facts.Revenue). The zero value
	// excludes tax and shipping and subtracts discounts.
	Revenue affiliate.Revenue
	// Location decides the period (calendar month) of aggregates. Nil
	// means UTC.
	Location *time.Location
	// PayoutProgram names the payout runs (payout.Config.Program) that
	// close a month: the engine dates no entry in a month that has a run,
	// and dates its corrections in the first month after it without one.
	// Empty means payout.DefaultProgram.
	PayoutProgram string
	// ChainDepth is the least number of affiliates of the beneficiary
	// chain the engine loads (the referrer, its parent, and so on), for
	// custom rules that read parents without declaring it. The engine
	// loads more when the rules ask for more (rules.ChainDepth); zero
	// means just what they ask for.
	ChainDepth int
	// MaxAttempts bounds the compare-and-swap retries of one Record under
	// contention on one customer. Zero means 16.
	MaxAttempts int
	// RememberedCustomers is how many customers Record remembers the
	// facts of after committing for them (their state as written, their
	// binding, the affiliates and payout runs read along), so that a
	// customer's next Record on a store that is a storage.BatchReader
	// plans from them without a read; the store checks them at commit
	// (storage.Expectation), and a Record whose facts changed reads them
	// and plans again. A kilobyte or less a customer: the state and the
	// facts as read. Zero means 16,384; negative remembers none. A store
	// that is no BatchReader, or does not declare that it checks
	// expectations (storage.ExpectationChecker), is read each time. An
	// Engine kept across a restore of its database must be made anew: a
	// rewound database could number another state as the one remembered.
	RememberedCustomers int
	// Now is the clock for Recompute and Reprice, which have no event to
	// take a time from. Nil means time.Now.
	Now func() time.Time
}

func (c Config) validate() error {
	if c.Store == nil {
		return fieldErr("Config.Store", "missing")
	}
	if len(c.Terms) == 0 {
		return fieldErr("Config.Terms", "no terms version")
	}
	seen := make(map[string]bool, len(c.Terms))
	for i, t := range c.Terms {
		field := "Config.Terms[" + strconv.Itoa(i) + "]"
		if t.Version == "" {
			return fieldErr(field+".Version", "missing")
		}
		if seen[t.Version] {
			return fieldErr(field+".Version", quote(t.Version)+" is listed twice")
		}
		seen[t.Version] = true
		if i > 0 && !t.From.After(c.Terms[i-1].From) {
			return fieldErr(field+".From", "not after the previous version's")
		}
		if t.Rule == nil {
			return fieldErr(field+".Rule", "missing")
		}
		if err := rules.Validate(t.Rule); err != nil {
			return &affiliate.FieldError{Field: field + ".Rule", Reason: err.Error(), Err: err}
		}
		if t.Rounding > affiliate.Down {
			return fieldErr(field+".Rounding", t.Rounding.String()+" is not a rounding mode")
		}
		if err := affiliate.CheckDuration(field+".Hold", t.Hold); err != nil {
			return err
		}
		if !t.From.IsZero() {
			if err := affiliate.CheckEventTime(field+".From", t.From); err != nil {
				return err
			}
		}
	}
	if c.Currency != "" {
		if err := c.Currency.Validate(); err != nil {
			return &affiliate.FieldError{Field: "Config.Currency", Reason: "not a known currency", Err: affiliate.ErrUnknownCurrency}
		}
	} else if c.RequireConversion {
		return fieldErr("Config.RequireConversion", "needs Config.Currency")
	}
	if err := c.Revenue.Validate(); err != nil {
		return &affiliate.FieldError{Field: "Config." + err.(*affiliate.FieldError).Field, Reason: err.(*affiliate.FieldError).Reason}
	}
	if c.ChainDepth < 0 {
		return fieldErr("Config.ChainDepth", "negative")
	}
	if c.MaxAttempts < 0 {
		return fieldErr("Config.MaxAttempts", "negative")
	}
	return nil
}

// termsAt returns the version in effect at t, or false before the first.
func (e *Engine) termsAt(t time.Time) (TermsVersion, bool) {
	for i := len(e.terms) - 1; i >= 0; i-- {
		if !t.Before(e.terms[i].From) {
			return e.terms[i], true
		}
	}
	return TermsVersion{}, false
}

// termsFor returns the version that prices a payment at t for a customer
// whose summary pins pinned ("" follows the schedule).
func (e *Engine) termsFor(t time.Time, pinned string) (TermsVersion, bool) {
	if pinned != "" {
		for _, v := range e.terms {
			if v.Version == pinned {
				return v, true
			}
		}
	}
	return e.termsAt(t)
}

func quote(s string) string { return strconv.Quote(s) }
