package program

import (
	"net/http"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/tiers"
)

// Config is one affiliate program. Store and Terms are required; the zero
// value of every other field is a documented default.
type Config struct {
	// Store keeps everything: affiliates, touches, bindings, leads, the
	// event log, the ledger, tier closes and payouts. memstore.Store and
	// sqlstore.Store are Stores. Required.
	Store Store
	// Currency is the program's currency: tier thresholds on revenue are
	// in it, Statement reports in it, and revenue in other currencies
	// counts toward tiers only through a Conversion. Empty is allowed for
	// programs without revenue tiers that pay in each invoice's currency.
	Currency affiliate.Currency
	// Revenue defines a payment's revenue once for the whole program: the
	// tier metric, the dashboards' revenue ("spent") and the base of every
	// rule that names no line kinds count it. The zero value counts
	// everything but tax and shipping, discounts subtracted.
	Revenue affiliate.Revenue
	// Location is where months begin and end, for aggregates, tier closes
	// and payout runs alike. Nil means UTC.
	Location *time.Location
	// Terms price payments: the rule, its rounding and hold, per version.
	// Required.
	Terms []commission.TermsVersion
	// Tiers decides each affiliate's tier at every month's close. The
	// zero value means no tier program: rules read the zero tier.
	Tiers Tiers
	// Attribution says how clicks, codes and leads bind customers.
	Attribution Attribution
	// Payouts says which balances a payout run pays.
	Payouts Payouts
	// Approval says which entries wait for a reviewer before a run pays
	// them (see Pending, Approve, Reject). The zero value approves every
	// entry at once.
	Approval affiliate.ApprovalPolicy
	// Now is the clock of signups without a time, month closes, payout
	// runs and dashboards. Nil means time.Now.
	Now func() time.Time
}

// Tiers configures the tier program; see package tiers.
type Tiers struct {
	// Schedule lists the tiers; empty means no tier program.
	Schedule tiers.Schedule
	// Metric decides the tier: zero is tiers.Revenue, which needs
	// Config.Currency.
	Metric tiers.Metric
	// Policy says when a decided tier takes effect: zero is
	// tiers.NextPeriod.
	Policy tiers.Policy
	// KeepFor keeps a reached tier for that many months after it.
	KeepFor int
}

// Attribution configures referral tracking; see package attribution.
type Attribution struct {
	// Keys sign the referral cookie; Keys[0] signs, all verify. Empty
	// means the program has no cookie: Handler panics and Referral
	// returns ErrNoCookie, while Click, Signup and the leads work.
	Keys   []attribution.Key
	Cookie attribution.CookieConfig
	// Param is the query parameter of referral links; empty means "ref".
	Param string
	// Window is how long a click counts and the cookie lives; zero means
	// 90 days.
	Window time.Duration
	// Policy orders the evidence: zero is a typed code, then a lead, then
	// a click, first click winning.
	Policy attribution.Policy
	// BindingTTL makes bindings expire that long after the signup; zero
	// means for life.
	BindingTTL time.Duration
	// TouchDedupe stores a visitor's repeated clicks for one affiliate
	// within it once; zero means 30 minutes, negative stores every click.
	TouchDedupe time.Duration
	// Checks add eligibility rules to the built-in ones.
	Checks []attribution.Check
	// LeadChecks and PartnerChecks judge leads and partner applications;
	// nil means the package defaults.
	LeadChecks, PartnerChecks []attribution.ProspectCheck
	// Directory is the host's customer list, for "not already a
	// customer"; nil skips those checks.
	Directory attribution.Directory
	// FreeMail decides which e-mail domains are free-mail; nil means the
	// bundled list.
	FreeMail func(domain string) bool
	// HoldSameDomain holds a signup at the affiliate's own company
	// e-mail domain for review instead of refusing it as a
	// self-referral; the same mailbox is refused all the same.
	HoldSameDomain bool
	// Observer hears about every stored touch, lead decision, binding
	// and conversion; nil means nobody listens.
	Observer attribution.Observer
	// OnError hears about clicks the middleware could not record; nil
	// drops them. The request goes on either way.
	OnError func(r *http.Request, err error)
}

// Payouts configures payout runs; see package payout.
type Payouts struct {
	// Minimums are the least balance paid, per currency; a currency
	// without one pays any positive balance.
	Minimums map[affiliate.Currency]affiliate.Money
	// Overrides replace a currency's minimum for one affiliate.
	Overrides map[affiliate.AffiliateID]map[affiliate.Currency]affiliate.Money
	// Checks run on every balance that reaches its minimum.
	Checks []payout.Check
	// Hold is how long an earned entry waits before a run may pay it. It
	// applies to every terms version whose own Hold is zero.
	Hold time.Duration
	// Caps limit what a run pays per affiliate and per run; the excess
	// is carried. The zero value limits nothing.
	Caps payout.Caps
	// Schedule delays each month's run NET-N days; zero runs at once.
	Schedule payout.Schedule
}

// renamed gives err, a shell's *affiliate.FieldError, the name of the
// program's Config field it is about: with from "Config." and to
// "Config.Tiers.", tiers' "Config.KeepFor" becomes "Config.Tiers.KeepFor".
// Any other error is wrapped in a FieldError naming section.
func renamed(err error, section string, fromTo ...string) error {
	fe, ok := err.(*affiliate.FieldError)
	if !ok {
		return &affiliate.FieldError{Field: section, Reason: err.Error(), Err: err}
	}
	for i := 0; i+1 < len(fromTo); i += 2 {
		if rest, ok := strings.CutPrefix(fe.Field, fromTo[i]); ok {
			return &affiliate.FieldError{Field: fromTo[i+1] + rest, Reason: fe.Reason, Err: fe.Err}
		}
	}
	return &affiliate.FieldError{Field: section + " (" + fe.Field + ")", Reason: fe.Reason, Err: fe.Err}
}
