package rules

import (
	"time"

	"github.com/openaffiliate/affiliate"
)

// Rule turns the facts about one payment into accruals. A rule is a pure
// function: it does no I/O, reads no clock, keeps no state between calls,
// holds no globals, and does not modify its Facts (the slices in Facts are
// shared with the engine, which reuses their memory once the call
// returns). The same Facts always give the same accruals.
//
// Rules compose explicitly (AllOf, FirstMatch, MaxOf, Cap, When...);
// nothing is registered globally.
type Rule interface {
	Accrue(f Facts) ([]Accrual, error)
}

// RuleFunc adapts a function to Rule, as http.HandlerFunc adapts one to
// http.Handler.
type RuleFunc func(f Facts) ([]Accrual, error)

// Accrue calls fn(f).
func (fn RuleFunc) Accrue(f Facts) ([]Accrual, error) { return fn(f) }

// Tier is the tier in effect for one affiliate at one moment: its name,
// its rate on its own referred customers, and its rate on the sub-affiliate
// bonus it earns from its direct sub-affiliates' referrals.
type Tier struct {
	Name      string
	Rate      affiliate.Rate
	BonusRate affiliate.Rate
}

// Terms identify the version of the program's terms a rule runs under.
// Every accrual records Terms.Version.
type Terms struct {
	Version string
	// Rounding is the mode used where base × rate is rounded to the minor
	// unit. The zero value is affiliate.HalfEven.
	Rounding affiliate.RoundingMode
}

// PaymentFact summarises one earlier payment of the customer.
type PaymentFact struct {
	ID      affiliate.EventID
	PaidAt  time.Time
	Payment affiliate.Payment // the payment as recorded
	// Refunded is what the customer's refunds dated at or before the
	// payment being priced took back of this one, in its currency: the
	// whole payment once a full refund is among them, otherwise the sum
	// of the partial ones, never more than the payment.
	Refunded affiliate.Money
}

// History is what the engine tells a rule about the customer's earlier
// payments: those ordered before this one by (PaidAt, ID).
type History struct {
	// Count is the number of earlier payments.
	Count int
	// FirstPaidAt is the time of the customer's first paid payment (see
	// Paid): an earlier one's, or this payment's own when none earlier is
	// paid and this one is. It is zero while no payment is paid.
	FirstPaidAt time.Time
	// Earlier holds the customer's earliest paid payments (see Paid),
	// oldest first: all of them up to the largest HistoryDepth any rule
	// declares (see HistoryDepther), so the cost per event does not grow
	// with a long history. Payments with a zero base, such as trials, are
	// never among them.
	Earlier []PaymentFact
}

// Facts are everything a rule may use to decide what one payment earns.
type Facts struct {
	Payment affiliate.Payment
	// Index is the payment's 0-based position among the customer's
	// payments ordered by (PaidAt, ID).
	Index int
	// PaidIndex is the number of the customer's paid payments (see Paid)
	// ordered before this one: a paid payment's 0-based position among the
	// paid ones. Zero-base invoices, such as trials, never use up a count.
	PaidIndex int
	Binding   affiliate.Binding
	// Chain is the beneficiary chain: Chain[0] is the affiliate the
	// customer is bound to, Chain[1] its parent, and so on up to the
	// depth the engine is configured for. It never holds an affiliate
	// twice.
	Chain []affiliate.Affiliate
	// Tiers[i] is the tier in effect for Chain[i] at the payment's time.
	Tiers   []Tier
	History History
	Terms   Terms
	// Revenue is the program's definition of a payment's revenue: a base
	// whose Lines name no kinds counts what it counts (Lines.Of). The
	// zero value is the default, tax and shipping excluded.
	Revenue affiliate.Revenue
	// Used is how much each cap let through on the customer's earlier
	// payments (see Cap). Only caps read it; nil when nothing is used.
	Used map[CapKey]affiliate.Money
}

// Accrual is one amount a rule says a beneficiary earns on a payment. The
// engine turns each accrual into a ledger entry.
type Accrual struct {
	Beneficiary affiliate.AffiliateID
	Kind        affiliate.EntryKind
	Base        affiliate.Money      // what the rate applied to
	BaseLines   []affiliate.LineKind // the kinds of the lines in Base, in line order
	Rate        affiliate.Rate
	Amount      affiliate.Money // rounded once to the currency's minor unit
	Rule        string
	Tier        string
	// Explanation is the rule's own words beyond what the fields say (a
	// note), kept on the entry: "" when Kind, Rate, Base, BaseLines and
	// Tier say it all (the entry's Describe renders the line from them);
	// "; …" to continue that line (Cap's "; capped at …"); anything else
	// is the whole line for people.
	Explanation string
	// Payment is the payment the accrual is about when that is not the
	// payment being priced: a deferred reward earned on the second payment
	// accrues a share on the first, so that a refund of the first takes
	// back that share. It is "" (the payment being priced) or the ID of a
	// payment in History.Earlier.
	Payment affiliate.EventID
	// Hold, when not zero, replaces the terms' hold for this accrual; a
	// negative Hold makes it available at once. See WithHold.
	Hold time.Duration
	// Counts lists the caps whose usage the Amount adds to. Cap sets it;
	// the engine sums it into Facts.Used for the customer's later
	// payments.
	Counts []CapKey
}

// Describe is the line for people that the accrual's entry will show
// (affiliate.Entry.Describe); f is the facts it was accrued on, whose
// chain says whose earning a bonus is paid on.
func (a Accrual) Describe(f Facts) string {
	e := affiliate.Entry{Kind: a.Kind, Base: a.Base, BaseLines: a.BaseLines, Rate: a.Rate, Tier: a.Tier, Explanation: a.Explanation}
	for _, c := range f.Chain {
		e.Chain = append(e.Chain, c.ID)
		if c.ID == a.Beneficiary {
			break
		}
	}
	return e.Describe()
}

// HistoryDepther is implemented by rules that read History.Earlier; the
// engine loads that many of the customer's earliest payments.
type HistoryDepther interface {
	HistoryDepth() int
}

// ChainDepther is implemented by rules that read beyond Chain[0]: the
// engine loads at least that many affiliates of the beneficiary chain
// (2 for a bonus to the direct parent).
type ChainDepther interface {
	ChainDepth() int
}

// Validator is implemented by rules (and conditions) whose configuration
// can be checked before any payment: the engine calls Validate when it is
// built and refuses a rule that fails.
type Validator interface {
	Validate() error
}
