package rules

import (
	"time"

	"github.com/openaffiliate/affiliate"
)

// Rule turns the facts about one payment into accruals. A rule is a pure
// function: it does no I/O, reads no clock, keeps no state between calls,
// holds no globals, and does not modify its Facts (the slices in Facts are
// shared with the engine). The same Facts always give the same accruals.
//
// Rules compose explicitly (AllOf, FirstMatch, MaxOf, Capped, When...);
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
	ID       affiliate.EventID
	PaidAt   time.Time
	Payment  affiliate.Payment // the payment as recorded
	Refunded affiliate.Money   // refunded so far, in the payment's currency
}

// History is what the engine tells a rule about the customer's earlier
// payments: those ordered before this one by (PaidAt, ID).
type History struct {
	// Count is the number of earlier payments.
	Count int
	// FirstPaidAt is the first payment's time, or this payment's time when
	// it is the first.
	FirstPaidAt time.Time
	// Earlier holds the customer's earliest payments, oldest first: all of
	// them up to the largest HistoryDepth any rule declares (see
	// HistoryDepther), so the cost per event does not grow with a long
	// history.
	Earlier []PaymentFact
}

// Facts are everything a rule may use to decide what one payment earns.
type Facts struct {
	Payment affiliate.Payment
	// Index is the payment's 0-based position among the customer's
	// payments ordered by (PaidAt, ID).
	Index   int
	Binding affiliate.Binding
	// Chain is the beneficiary chain: Chain[0] is the affiliate the
	// customer is bound to, Chain[1] its parent, and so on up to the
	// depth the engine is configured for. It never holds an affiliate
	// twice.
	Chain []affiliate.Affiliate
	// Tiers[i] is the tier in effect for Chain[i] at the payment's time.
	Tiers   []Tier
	History History
	Terms   Terms
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
	Explanation string
}

// HistoryDepther is implemented by rules that read History.Earlier; the
// engine loads that many of the customer's earliest payments.
type HistoryDepther interface {
	HistoryDepth() int
}
