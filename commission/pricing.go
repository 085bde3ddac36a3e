package commission

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
)

// customer is what the engine reads about a customer besides its events:
// its binding and the beneficiary chain.
type customer struct {
	id      affiliate.CustomerID
	binding affiliate.Binding
	bound   bool
	chain   []affiliate.Affiliate
	ids     []affiliate.AffiliateID
	// chainBuf and idsBuf back chain and ids for the usual short chain,
	// so that a customer is one allocation.
	chainBuf [3]affiliate.Affiliate
	idsBuf   [3]affiliate.AffiliateID
	// tiersBuf backs the tiers each pricing passes the rule (price): the
	// rule reads them during its call only.
	tiersBuf [3]rules.Tier
}

// loadCustomer reads the binding and, when there is one, the chain (see
// customerFor).
func (e *Engine) loadCustomer(ctx context.Context, id affiliate.CustomerID) (*customer, error) {
	c := new(customer)
	if err := e.loadCustomerInto(ctx, id, c); err != nil {
		return nil, err
	}
	return c, nil
}

// loadCustomerInto is loadCustomer filling the zero customer c.
func (e *Engine) loadCustomerInto(ctx context.Context, id affiliate.CustomerID, c *customer) error {
	b, err := e.binding(ctx, id)
	switch {
	case errors.Is(err, affiliate.ErrNotFound):
		c.id = id
		return nil
	case err != nil:
		return err
	}
	return e.fillCustomer(ctx, c, id, b)
}

// customerFor is customer id bound by b, with its chain: the bound
// affiliate, its parent, and so on up to the configured depth, stopping
// at an affiliate already in the chain.
func (e *Engine) customerFor(ctx context.Context, id affiliate.CustomerID, b affiliate.Binding) (*customer, error) {
	c := new(customer)
	if err := e.fillCustomer(ctx, c, id, b); err != nil {
		return nil, err
	}
	return c, nil
}

// fillCustomer is customerFor filling the zero customer c.
func (e *Engine) fillCustomer(ctx context.Context, c *customer, id affiliate.CustomerID, b affiliate.Binding) error {
	c.id, c.binding, c.bound = id, b, true
	c.chain, c.ids = c.chainBuf[:0], c.idsBuf[:0]
	next := b.Affiliate
	for len(c.chain) < e.chainDepth && next != "" && !slices.Contains(c.ids, next) {
		a, err := e.affiliate(ctx, next)
		if err != nil {
			return fmt.Errorf("commission: customer %q is bound to affiliate %q, whose chain has %q: %w", id, b.Affiliate, next, err)
		}
		c.chain = append(c.chain, a)
		c.ids = append(c.ids, a.ID)
		next = a.Parent
	}
	return nil
}

// paidUnder returns the customer as payment p is priced: c, unless p
// counted for another affiliate, was, than c's binding names (the
// customer moved) and p's month is closed (it has a payout run). Then p
// is priced as it was paid: under was's binding as the summary s kept it
// (Binding, PaidUnder), or c's binding naming was for a summary from
// before it kept bindings. So a move re-prices only what is not paid
// out, by a monthly run or by was's own request. pinned collects the
// customers so priced, by affiliate.
func (e *Engine) paidUnder(ctx context.Context, c *customer, s *summary, was affiliate.AffiliateID, p affiliate.Payment, pinned map[affiliate.AffiliateID]*customer) (*customer, error) {
	if was == "" || was == c.boundTo() {
		return c, nil
	}
	if closed, err := e.closedFor(ctx, was, affiliate.PeriodOf(p.PaidAt, e.loc)); err != nil || !closed {
		return c, err
	}
	if pc, ok := pinned[was]; ok {
		return pc, nil
	}
	b := c.binding
	b.Customer, b.Affiliate = c.id, was
	var kept affiliate.Binding
	if json.Unmarshal(s.Binding, &kept) == nil && kept.Affiliate == was {
		b = kept
	} else if i := slices.IndexFunc(s.PaidUnder, func(o affiliate.Binding) bool { return o.Affiliate == was }); i >= 0 {
		b = s.PaidUnder[i]
	}
	pc, err := e.customerFor(ctx, c.id, b)
	pinned[was] = pc
	return pc, err
}

// paidBindings lists the bindings of pinned, sorted by affiliate, for
// summary.PaidUnder.
func paidBindings(pinned map[affiliate.AffiliateID]*customer) []affiliate.Binding {
	var out []affiliate.Binding
	for _, pc := range pinned {
		if pc != nil {
			out = append(out, pc.binding)
		}
	}
	slices.SortFunc(out, func(a, b affiliate.Binding) int { return strings.Compare(string(a.Affiliate), string(b.Affiliate)) })
	return out
}

// pricedWith is c's binding as summary.Binding keeps it, nil when
// unbound.
func (c *customer) pricedWith() json.RawMessage {
	if !c.bound {
		return nil
	}
	data, err := json.Marshal(c.binding)
	if err != nil {
		panic("commission: encoding a binding: " + err.Error()) // unreachable: plain values
	}
	return data
}

// boundTo is the affiliate the customer is bound to, "" when unbound.
func (c *customer) boundTo() affiliate.AffiliateID {
	if !c.bound {
		return ""
	}
	return c.binding.Affiliate
}

// priced is what pricing one payment gave.
type priced struct {
	// recordedFor is the affiliate the payment is recorded for: the bound
	// one when the binding is active at PaidAt, else "".
	recordedFor affiliate.AffiliateID
	at          time.Time // the payment's PaidAt
	terms       TermsVersion
	accs        []rules.Accrual // checked; Payment always set
	why         Why             // when no accrual is about the payment
}

// price runs the rule of the terms in effect for p on the facts the
// summary s gives (s holds the customer's payments before p). The checked
// accruals are appended to accs; the rule works in scratch (see
// rules.AccrueTo).
func (e *Engine) price(ctx context.Context, c *customer, s *summary, p affiliate.Payment, accs []rules.Accrual, scratch *rules.Scratch) (priced, error) {
	if !c.bound || !c.binding.Active(p.PaidAt) {
		return priced{why: e.whyUnpriced(c, p)}, nil
	}
	pr := priced{recordedFor: c.binding.Affiliate, at: p.PaidAt}
	tv, ok := e.termsFor(p.PaidAt, s.Pinned)
	if !ok || len(c.chain) == 0 {
		pr.why = e.whyUnpriced(c, p)
		return pr, nil
	}
	pr.terms = tv
	tiers := c.tiersBuf[:0]
	if len(c.chain) > len(c.tiersBuf) {
		tiers = make([]rules.Tier, 0, len(c.chain))
	}
	tiers = tiers[:len(c.chain)]
	for i, a := range c.chain {
		t, err := e.tierAt(ctx, a.ID, p)
		if err != nil {
			return priced{}, fmt.Errorf("commission: tier of %q at payment %q: %w", a.ID, p.ID, err)
		}
		tiers[i] = t
	}
	paid := rules.Paid(p)
	f := rules.Facts{
		Payment:   p,
		Index:     s.Count,
		PaidIndex: s.PaidCount,
		Binding:   c.binding,
		Chain:     c.chain,
		Tiers:     tiers,
		History:   s.history(p, paid),
		Terms:     rules.Terms{Version: tv.Version, Rounding: tv.Rounding},
		Used:      s.usedMap(),
		Revenue:   e.revenue,
	}
	if len(f.History.Earlier) > e.historyDepth {
		f.History.Earlier = f.History.Earlier[:e.historyDepth]
	}
	accs, err := rules.AccrueTo(accs, tv.Rule, &f, scratch)
	if err != nil {
		return priced{}, &RuleError{Terms: tv.Version, Payment: p.ID, Reason: "the rule failed", Err: err}
	}
	pr.accs, err = check(&f, c, accs)
	if err != nil {
		return priced{}, err
	}
	if !earnsOn(pr.accs, p.ID) {
		pr.why = e.whyNothing(c, p, tv)
	}
	return pr, nil
}

// check enforces what the engine guarantees whatever the rule: entries in
// their payment's currency (I5), no negative accrual and none above rate
// times base (I4), beneficiaries from the chain, one entry per key. It
// drops the accruals of suspended affiliates (who earn nothing new) and
// zero accruals, except those naming a tier: a 0.00 entry at the tier is
// how Retier finds the payment when the tier changes. It sets every
// accrual's Payment. It keeps the accruals in accs' own array (the rule's
// answer copied by rules.AccrueTo).
func check(f *rules.Facts, c *customer, accs []rules.Accrual) ([]rules.Accrual, error) {
	out := accs[:0]
	fail := func(a rules.Accrual, reason string) error {
		return &RuleError{Terms: f.Terms.Version, Rule: a.Rule, Payment: f.Payment.ID, Reason: reason}
	}
	for _, a := range accs {
		if a.Amount.IsZero() && a.Amount.Currency() != "" && a.Tier == "" {
			continue
		}
		if a.Rule == "" {
			return nil, fail(a, "an accrual has no rule name")
		}
		j := slices.Index(c.ids, a.Beneficiary)
		if j < 0 {
			return nil, fail(a, "beneficiary "+quote(string(a.Beneficiary))+" is not in the chain "+fmt.Sprint(c.ids))
		}
		if !earning(a.Kind) {
			return nil, fail(a, "kind "+quote(string(a.Kind))+" is not commission, bonus or bounty")
		}
		pay := f.Payment
		if a.Payment == "" {
			a.Payment = pay.ID
		} else if a.Payment != pay.ID {
			k := slices.IndexFunc(f.History.Earlier, func(x rules.PaymentFact) bool { return x.ID == a.Payment })
			if k < 0 {
				return nil, fail(a, "payment "+quote(string(a.Payment))+" is neither this one nor one in History.Earlier")
			}
			pay = f.History.Earlier[k].Payment
		}
		if a.Amount.Currency() != pay.Currency {
			return nil, fail(a, "amount "+a.Amount.String()+" is not in the payment's currency "+string(pay.Currency))
		}
		if a.Amount.Sign() < 0 {
			return nil, fail(a, "negative amount "+a.Amount.String())
		}
		if a.Base != (affiliate.Money{}) {
			if a.Base.Currency() != pay.Currency || a.Base.Sign() < 0 {
				return nil, fail(a, "base "+a.Base.String()+" is not a non-negative amount in "+string(pay.Currency))
			}
			if !a.Rate.IsZero() {
				ceiling, err := a.Base.MulRate(a.Rate, affiliate.HalfUp)
				if err != nil {
					return nil, fail(a, err.Error())
				}
				if a.Amount.Minor() > ceiling.Minor() {
					return nil, fail(a, "amount "+a.Amount.String()+" is more than "+a.Rate.String()+" × "+a.Base.String())
				}
			}
		}
		k := key{beneficiary: a.Beneficiary, payment: a.Payment, rule: a.Rule, kind: a.Kind}
		if slices.ContainsFunc(out, func(o rules.Accrual) bool {
			return key{o.Beneficiary, o.Payment, o.Rule, o.Kind} == k
		}) {
			return nil, fail(a, "two accruals for "+string(a.Beneficiary)+" on payment "+string(a.Payment)+" under one rule name")
		}
		if c.chain[j].Status == affiliate.StatusSuspended {
			continue
		}
		out = append(out, a)
	}
	return out, nil
}

// targets turns checked accruals into the desired state of their keys,
// appended to out.
func targets(pr priced, c *customer, out []target) []target {
	for _, a := range pr.accs {
		j := slices.Index(c.ids, a.Beneficiary)
		hold := pr.terms.Hold
		if a.Hold != 0 {
			hold = a.Hold
		}
		if hold < 0 {
			hold = -1
		}
		out = append(out, target{
			key:         key{beneficiary: a.Beneficiary, payment: a.Payment, rule: a.Rule, kind: a.Kind},
			at:          pr.at,
			currency:    a.Amount.Currency(),
			amount:      a.Amount.Minor(),
			base:        a.Base.Minor(),
			hasBase:     a.Base.Currency() != "",
			baseLines:   a.BaseLines,
			rate:        a.Rate,
			tier:        a.Tier,
			terms:       pr.terms.Version,
			rounding:    pr.terms.Rounding,
			hold:        hold,
			chain:       c.ids[:j+1],
			explanation: a.Explanation,
		})
	}
	return out
}

// roundingOf returns the rounding mode of a terms version, half-even for
// one no longer configured.
func (e *Engine) roundingOf(version string) affiliate.RoundingMode {
	for _, t := range e.terms {
		if t.Version == version {
			return t.Rounding
		}
	}
	return affiliate.HalfEven
}

// effectiveRefunds returns the refunds that apply to p, as facts in
// (RefundedAt, ID) order, and those that cannot (another customer or
// currency, more than the payment: what Record refuses once the payment
// is recorded) and so reverse nothing.
func effectiveRefunds(p affiliate.Payment, rs []affiliate.Refund) (facts []refundFact, ignored []affiliate.EventID) {
	if len(rs) == 0 {
		return nil, nil
	}
	sortRefunds(rs)
	total, _ := p.Total()
	for _, r := range rs {
		if r.Customer != p.Customer || (!r.Full && (r.Amount.Currency() != p.Currency || r.Amount.Minor() > total.Minor())) {
			ignored = append(ignored, r.ID)
			continue
		}
		facts = append(facts, refundFact{ID: r.ID, At: r.RefundedAt, Full: r.Full, Amount: r.Amount.Minor()})
	}
	return facts, ignored
}
