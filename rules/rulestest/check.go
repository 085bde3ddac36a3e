package rulestest

import (
	"fmt"
	"reflect"
	"runtime/debug"
	"slices"
	"strings"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
)

// Options configure Check. The zero value checks a rule against a 100%
// ceiling on facts drawn by Facts.
type Options struct {
	// MaxRate is the highest rate the rule may pay: no accrual with a base
	// may carry a higher rate, or be more than MaxRate times the gross of
	// the payment it is about (every line but discounts). Flat accruals
	// (bounties, with no base) are not bound by it. Zero means 1 (100%).
	// Drawn tiers have rates up to MaxRate.
	MaxRate affiliate.Rate
	// Tiers, when set, are the tiers drawn for the chain (the program's
	// own schedule) instead of random ones.
	Tiers []rules.Tier
	// ChainDepth is the longest beneficiary chain drawn; zero means 3.
	ChainDepth int
	// HugeMinor is the amount, in minor units, of the huge payments;
	// zero means math.MaxInt64/16.
	HugeMinor int64
	// Facts, when set, replaces the generator: use it to draw facts the
	// rule is meant for (a plan it conditions on, cap usage in Used).
	Facts *rapid.Generator[rules.Facts]
	// SkipBoundary skips the fixed boundary cases (see Boundary), for a
	// rule that is only ever given facts Facts would not produce.
	SkipBoundary bool
}

func (o Options) withDefaults() Options {
	if o.MaxRate.IsZero() {
		o.MaxRate = affiliate.MustRate("1")
	}
	if o.ChainDepth <= 0 {
		o.ChainDepth = 3
	}
	if o.HugeMinor <= 0 {
		o.HugeMinor = defaultHugeMinor
	}
	return o
}

// Check checks that rule behaves on every boundary case (see Boundary),
// then on facts drawn by rapid (see Facts). It fails t with the first
// property the rule breaks, in plain words, and rapid shrinks the facts to
// a small case first. See CheckFacts for the properties.
//
// t is usually a *testing.T.
func Check(t rapid.TB, rule rules.Rule, o Options) {
	t.Helper()
	o = o.withDefaults()
	if !o.SkipBoundary {
		for _, c := range Boundary(o) {
			if err := CheckFacts(rule, c.Facts, o); err != nil {
				t.Fatalf("on %s: %v", c.Name, err)
				return
			}
		}
	}
	gen := o.Facts
	if gen == nil {
		gen = Facts(o)
	}
	rapid.Check(t, func(rt *rapid.T) {
		if err := CheckFacts(rule, gen.Draw(rt, "facts"), o); err != nil {
			rt.Fatal(err)
		}
	})
}

// Property names what CheckFacts checks, as a Failure reports it.
type Property string

// The properties CheckFacts checks, in the order it checks them.
const (
	NoPanic         Property = "it does not panic"
	NoError         Property = "it accepts valid facts"
	Deterministic   Property = "it is deterministic"
	NoMutation      Property = "it does not change its facts"
	DeclaresDepth   Property = "it reads no more of the chain and history than it declares"
	KnownKinds      Property = "it accrues commission, bonus or bounty only"
	KnownPayments   Property = "it accrues on this payment or an earlier one only"
	ChainOnly       Property = "it pays the beneficiary chain only"
	KeepsCurrency   Property = "it keeps the payment's currency"
	NotNegative     Property = "a positive payment never gives a negative accrual"
	WithinRate      Property = "no accrual exceeds its rate times its base"
	WithinMaxRate   Property = "no accrual exceeds the maximum rate"
	NoBonusOnItself Property = "no affiliate earns a bonus on its own referral"
)

// Failure is a property a rule broke on some facts, in plain words.
type Failure struct {
	Property Property
	Detail   string
	Facts    rules.Facts
}

func (f *Failure) Error() string {
	return fmt.Sprintf("the rule breaks %q: %s\n\tfacts: %s", f.Property, f.Detail, describeFacts(f.Facts))
}

// CheckFacts runs rule on f and checks what Check checks, on those facts
// alone:
//
//   - it does not panic, and it returns no error (the facts are valid);
//   - it is deterministic: a second call on an equal copy of the facts
//     gives equal accruals;
//   - it does not change its facts (slices and maps included);
//   - every accrual is a commission, sub-affiliate bonus or bounty, about
//     this payment or one in History.Earlier, for an affiliate of the
//     chain, and a bonus never goes to the referrer itself (Chain[0]);
//   - every amount and base is in the payment's currency (Money keeps the
//     currency's scale by construction);
//   - no amount is negative (the payment is positive);
//   - an accrual with a base is at most its rate times that base, rounded
//     up to the minor unit, so any rounding mode passes;
//   - an accrual with a base carries a rate of at most o.MaxRate, and is
//     at most o.MaxRate times the gross of the payment it is about (every
//     line but discounts). Flat accruals have no rate to keep to.
//
// It returns nil or a *Failure. f must be valid facts; the rule's own
// inputs are copies, so f is never changed.
func CheckFacts(rule rules.Rule, f rules.Facts, o Options) error {
	o = o.withDefaults()
	first := deepCopy(f)
	got, panicked, err := accrue(rule, first)
	if panicked != "" {
		return &Failure{NoPanic, panicked, f}
	}
	if err != nil {
		return &Failure{NoError, fmt.Sprintf("Accrue returned an error: %v", err), f}
	}
	if diff := gocmp.Diff(f, first, strict()); diff != "" {
		return &Failure{NoMutation, "Accrue changed the facts it was given (-before +after):\n" + diff, f}
	}
	again, panicked, err2 := accrue(rule, deepCopy(f))
	if panicked != "" {
		return &Failure{Deterministic, "the first call returned, the second on the same facts panicked: " + panicked, f}
	}
	if err2 != nil {
		return &Failure{Deterministic, fmt.Sprintf("the first call succeeded, the second on the same facts returned an error: %v", err2), f}
	}
	if diff := gocmp.Diff(got, again, strict(), cmpopts.EquateEmpty()); diff != "" {
		return &Failure{Deterministic, "two calls on the same facts gave different accruals (-first +second):\n" + diff, f}
	}
	if err := checkDeclared(rule, f, got); err != nil {
		return err
	}
	return checkAccruals(got, f, o)
}

// checkDeclared runs rule on f cut to what it declares, as the engine
// cuts it (rules.ChainDepth affiliates of the chain and their tiers,
// rules.HistoryDepth earlier payments), and fails it if that changes its
// accruals: the engine would give it only the cut facts, and a bonus to a
// parent it did not declare would silently be lost.
func checkDeclared(rule rules.Rule, f rules.Facts, full []rules.Accrual) error {
	chain, history := rules.ChainDepth(rule), rules.HistoryDepth(rule)
	if len(f.Chain) <= chain && len(f.History.Earlier) <= history {
		return nil
	}
	cut := deepCopy(f)
	cut.Chain = cut.Chain[:min(len(cut.Chain), chain)]
	cut.Tiers = cut.Tiers[:min(len(cut.Tiers), chain)]
	cut.History.Earlier = cut.History.Earlier[:min(len(cut.History.Earlier), history)]
	declared := fmt.Sprintf("ChainDepth %d and HistoryDepth %d", chain, history)
	fix := "; a wrapper must forward ChainDepth and HistoryDepth (rules.ChainDepther, rules.HistoryDepther) of the rule it wraps, or hold it in an exported field where rules.ChainDepth finds it"
	got, panicked, err := accrue(rule, cut)
	if panicked != "" || err != nil {
		return &Failure{DeclaresDepth, fmt.Sprintf("given only what it declares (%s), it fails: %s%v%s", declared, panicked, err, fix), f}
	}
	if diff := gocmp.Diff(full, got, strict(), cmpopts.EquateEmpty()); diff != "" {
		return &Failure{DeclaresDepth, fmt.Sprintf("given %d affiliates of the chain and %d earlier payments it accrues other amounts than given only what it declares (%s), which is all the engine loads (-given more +given what it declares):\n%s%s",
			len(f.Chain), len(f.History.Earlier), declared, diff, fix), f}
	}
	return nil
}

// accrue calls the rule, turning a panic into its description.
func accrue(rule rules.Rule, f rules.Facts) (got []rules.Accrual, panicked string, err error) {
	defer func() {
		if r := recover(); r != nil {
			panicked = fmt.Sprintf("Accrue panicked: %v\n%s", r, debug.Stack())
		}
	}()
	got, err = rule.Accrue(f)
	return got, "", err
}

func checkAccruals(got []rules.Accrual, f rules.Facts, o Options) error {
	cur := f.Payment.Currency
	payments := map[affiliate.EventID]affiliate.Payment{"": f.Payment, f.Payment.ID: f.Payment}
	for _, e := range f.History.Earlier {
		payments[e.ID] = e.Payment
	}
	chain := make([]affiliate.AffiliateID, len(f.Chain))
	for i, a := range f.Chain {
		chain[i] = a.ID
	}
	for i, a := range got {
		name := fmt.Sprintf("accrual %d (%s to %s)", i+1, a.Kind, a.Beneficiary)
		fail := func(p Property, format string, args ...any) error {
			return &Failure{p, name + " " + fmt.Sprintf(format, args...), f}
		}
		switch a.Kind {
		case affiliate.KindCommission, affiliate.KindBonus, affiliate.KindBounty:
		default:
			return fail(KnownKinds, "has kind %q; reversals and adjustments are the engine's, not a rule's", a.Kind)
		}
		about, ok := payments[a.Payment]
		if !ok {
			return fail(KnownPayments, "is about payment %q, which is neither this payment nor in History.Earlier", a.Payment)
		}
		if !slices.Contains(chain, a.Beneficiary) {
			return fail(ChainOnly, "pays %q, who is not in the chain %v", a.Beneficiary, chain)
		}
		if a.Kind == affiliate.KindBonus && len(chain) > 0 && a.Beneficiary == chain[0] {
			return fail(NoBonusOnItself, "pays the bonus to %s, the referrer itself", a.Beneficiary)
		}
		if a.Amount.Currency() != cur {
			return fail(KeepsCurrency, "is %s, but the payment is in %s", moneyString(a.Amount), cur)
		}
		hasBase := a.Base != (affiliate.Money{})
		if hasBase && a.Base.Currency() != cur {
			return fail(KeepsCurrency, "has base %s, but the payment is in %s", moneyString(a.Base), cur)
		}
		if a.Amount.Sign() < 0 {
			return fail(NotNegative, "is %s, a negative amount on a payment of %s", a.Amount, total(f.Payment))
		}
		if hasBase {
			if limit, ok := ceilMul(a.Base.Abs(), a.Rate); ok && a.Amount.Minor() > limit.Minor() {
				return fail(WithinRate, "is %s, more than its rate %s times its base %s (%s at most)", a.Amount, a.Rate, a.Base, limit)
			}
			if a.Rate.Cmp(o.MaxRate) > 0 {
				return fail(WithinMaxRate, "carries the rate %s, above the maximum %s", a.Rate, o.MaxRate)
			}
			gross, err := about.Sum(func(k affiliate.LineKind) bool { return k != affiliate.LineDiscount })
			if err != nil {
				continue // a gross beyond int64 bounds nothing
			}
			if limit, ok := ceilMul(gross, o.MaxRate); ok && a.Amount.Minor() > limit.Minor() {
				return fail(WithinMaxRate, "is %s, more than the maximum rate %s times the gross %s of payment %s (%s at most)", a.Amount, o.MaxRate, gross, about.ID, limit)
			}
		}
	}
	return nil
}

// ceilMul returns m × r rounded up to the minor unit.
func ceilMul(m affiliate.Money, r affiliate.Rate) (affiliate.Money, bool) {
	scale := m.Currency().Scale()
	exact := m.Amount().Mul(r.Decimal()).Shift(scale).Ceil().Shift(-scale)
	v, err := affiliate.FromDecimal(exact, m.Currency())
	return v, err == nil
}

func moneyString(m affiliate.Money) string {
	if m == (affiliate.Money{}) {
		return "the zero Money, with no currency"
	}
	return m.String()
}

func total(p affiliate.Payment) string {
	t, err := p.Total()
	if err != nil {
		return "(no total: " + err.Error() + ")"
	}
	return t.String()
}

// describeFacts summarises facts on one line, for reports.
func describeFacts(f rules.Facts) string {
	var b strings.Builder
	fmt.Fprintf(&b, "payment %s of %s (", f.Payment.ID, total(f.Payment))
	for i, l := range f.Payment.Lines {
		if i > 0 {
			b.WriteString(", ")
		}
		if i == 6 {
			fmt.Fprintf(&b, "… %d lines in all", len(f.Payment.Lines))
			break
		}
		fmt.Fprintf(&b, "%s %s", l.Kind, l.Amount.AmountString())
	}
	fmt.Fprintf(&b, "), index %d, %d earlier, chain", f.Index, f.History.Count)
	for i, a := range f.Chain {
		sep := " "
		if i > 0 {
			sep = " → "
		}
		b.WriteString(sep + string(a.ID))
		if i < len(f.Tiers) {
			fmt.Fprintf(&b, " (%s %s, bonus %s)", f.Tiers[i].Name, f.Tiers[i].Rate.PercentString(), f.Tiers[i].BonusRate.PercentString())
		}
	}
	fmt.Fprintf(&b, ", terms %s rounding %s", f.Terms.Version, f.Terms.Rounding)
	return b.String()
}

// strict compares exactly: Money by minor units and currency, rates by
// value, times by instant, and unexported fields of any other type as
// they are (Facts may grow fields this package does not know).
func strict() gocmp.Options {
	return gocmp.Options{
		gocmp.Comparer(func(a, b affiliate.Money) bool { return a.Minor() == b.Minor() && a.Currency() == b.Currency() }),
		gocmp.Comparer(func(a, b affiliate.Rate) bool { return a.Equal(b) }),
		gocmp.Exporter(func(reflect.Type) bool { return true }),
	}
}
