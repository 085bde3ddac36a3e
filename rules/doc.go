// Package rules says what a commission is: a Rule is a pure function from
// the facts about one payment to the accruals it earns, and a program is
// rules composed explicitly. Package commission gathers the facts, runs
// the rule and turns each accrual into a ledger entry.
//
// In: Facts — the payment and its lines, its position among the
// customer's (paid) payments, the binding, the beneficiary chain with
// each affiliate's tier, the customer's earliest paid payments with what
// refunds took back, cap usage, and the terms version and rounding mode.
//
// Out: Accruals — who earns what on which payment (commission, bonus or
// bounty), with the base, rate and tier. Explanation is only a note: the
// rule's own words beyond what those fields say. A rated commission or
// bonus writes none (its entry's Describe renders "15% of 29.00 EUR
// (subscription)" when asked for), a note starting "; " continues that
// line, and any other note is the whole line for people.
//
// A Rule has one method, Accrue(Facts) ([]Accrual, error); RuleFunc adapts
// a function. A rule does no I/O, reads no clock, keeps no state and does
// not modify its Facts. A rule that reads past the referrer or the
// payment says how far through optional interfaces: ChainDepther,
// HistoryDepther (a wrapper holding its rule in an exported field gets
// them without asking, see ChainDepth), and Validator for configuration
// checked before any payment.
//
// Built-in: Percent (seed 001), TierRate and SubAffiliateBonus (seed
// 000), Deferred (seed 002: 50% of the first two paying months), Bounty,
// Cap and WithHold; conditions for When (FirstPayments, FirstMonths,
// WithinDays, Lifetime, PlanIn, SKUIn, CountryIn, KindIn, PaymentIndex,
// Every, Not); combinators AllOf, FirstMatch, MaxOf. A rate above 100% is
// refused unless the rule allows it explicitly.
//
// A Registry builds rules from stored JSON specs and describes every type
// it knows (Describe, TypeDoc.JSONSchema) for hosts that build terms from
// a form. A Spec decodes strictly: unknown fields, keys given twice and
// nesting deeper than affiliate.MaxRuleDepth are refused. Errors match affiliate.ErrInvalid (ErrConfig, *ConfigError,
// *SpecError) or affiliate.ErrConflict (ErrDuplicate). Package rulestest
// checks that a rule behaves. Why each edge case is as it is:
// docs/decisions.md.
package rules
