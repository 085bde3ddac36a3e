package rules

import (
	"slices"

	"github.com/openaffiliate/affiliate"
)

// BonusBase says what a sub-affiliate bonus is a percentage of.
type BonusBase uint8

const (
	// OfRevenue: the referred payment's base, as the Lines select it.
	// Seed 000 pays 5% of the revenue.
	OfRevenue BonusBase = iota
	// OfCommission: what the child earned on the payment. For the direct
	// parent that is the referring affiliate's commission as the
	// Commission rule computes it; one level further up, the bonus of the
	// level below.
	OfCommission
)

// SubAffiliateBonus pays the parents of the referring affiliate a bonus on
// its referred customers' payments: the direct parent (Chain[1]) by
// default, and up to Depth levels of parents when Depth is larger.
//
// Each level's rate is Rate when set, and otherwise the bonus rate of that
// parent's own tier (Facts.Tiers[i].BonusRate), in which case the tier's
// name is recorded on the accrual; a bonus at a tier's rate that rounds
// to zero is an accrual of 0.00, as TierRate's is. On the revenue, every level
// earns on the same base at its own rate, so a level that earns nothing
// does not stop the levels above; on the commission, a level that earns
// nothing leaves nothing to the levels above. The bonus never goes to the
// referring affiliate itself and never twice to one affiliate, even if the
// chain it is given loops (the engine's never does).
type SubAffiliateBonus struct {
	// Name is recorded on every entry; "sub_affiliate_bonus" when empty.
	Name string
	Of   BonusBase
	// Lines select the revenue base (OfRevenue).
	Lines Lines
	// Commission computes the child's commission (OfCommission): its
	// accruals to Chain[0] on the payment make the base.
	Commission Rule
	// Rate, when not zero, is the bonus rate at every level; zero takes
	// each parent's tier bonus rate.
	Rate affiliate.Rate
	// AllowOver100 accepts a Rate above 100% (see Percent).
	AllowOver100 bool
	// Depth is how many levels of parents earn: 0 and 1 mean the direct
	// parent only.
	Depth int
}

func (r SubAffiliateBonus) depth() int { return max(r.Depth, 1) }

// ChainDepth implements ChainDepther: the referrer and Depth parents.
func (r SubAffiliateBonus) ChainDepth() int { return r.depth() + 1 }

// HistoryDepth implements HistoryDepther for the Commission rule.
func (r SubAffiliateBonus) HistoryDepth() int { return historyDepth(r.Commission) }

// Validate checks the base, the depth, and the Commission rule when the
// bonus is paid on it.
func (r SubAffiliateBonus) Validate() error {
	name := nameOr(r.Name, "sub_affiliate_bonus")
	if r.Depth < 0 {
		return configErr(name, "Depth", "negative")
	}
	if err := checkRate(name, r.Rate, r.AllowOver100, false); err != nil {
		return err
	}
	switch r.Of {
	case OfRevenue:
		return r.Lines.Validate()
	case OfCommission:
		if r.Commission == nil {
			return configErr(name, "Commission", "required for a bonus on the commission")
		}
		return validate(r.Commission)
	}
	return configErr(name, "Of", "not OfRevenue or OfCommission")
}

// Accrue implements Rule.
func (r SubAffiliateBonus) Accrue(f Facts) ([]Accrual, error) { return AccrueTo(nil, r, &f, nil) }

func (r SubAffiliateBonus) accrueTo(w *accrualWriter, f *Facts) error {
	if len(f.Chain) < 2 {
		return nil
	}
	name := nameOr(r.Name, "sub_affiliate_bonus")
	child := f.Chain[0].ID
	var base affiliate.Money
	var kinds []affiliate.LineKind
	switch r.Of {
	case OfRevenue:
		b, k, err := w.base(f, r.Lines.Of(f.Revenue))
		if err != nil {
			return err
		}
		base, kinds = b, k
	case OfCommission:
		if r.Commission == nil {
			return configErr(name, "Commission", "required for a bonus on the commission")
		}
		accs, err := r.Commission.Accrue(*f)
		if err != nil {
			return err
		}
		base = affiliate.Zero(f.Payment.Currency)
		for _, a := range accs {
			if a.Beneficiary != child || a.Kind != affiliate.KindCommission || a.Amount.Currency() != f.Payment.Currency || (a.Payment != "" && a.Payment != f.Payment.ID) {
				continue
			}
			if base, err = base.Add(a.Amount); err != nil {
				return err
			}
		}
	default:
		return configErr(name, "Of", "not OfRevenue or OfCommission")
	}
	added := 0
	var seenBuf [4]affiliate.AffiliateID
	seen := append(seenBuf[:0], child)
	for level := 1; level <= r.depth() && level < len(f.Chain); level++ {
		parent := f.Chain[level].ID
		if slices.Contains(seen, parent) {
			break // a loop: nobody earns twice, nobody earns on itself
		}
		seen = append(seen, parent)
		if base.Sign() <= 0 {
			break // on the commission: nothing below, nothing further up
		}
		rate, tier := r.Rate, ""
		if rate.IsZero() && level < len(f.Tiers) {
			rate, tier = f.Tiers[level].BonusRate, f.Tiers[level].Name
		}
		amt, err := base.MulRate(rate, f.Terms.Rounding)
		if err != nil {
			return err
		}
		// On the revenue, the levels above still earn on the same base at
		// their own rates. A tier's rate rounding to zero accrues 0.00:
		// the parent's entry for the tier to re-price.
		if amt.Sign() > 0 || tier != "" && !rate.IsZero() {
			lines := kinds
			if added > 0 && kinds != nil { // the first accrual takes kinds, later ones a copy
				lines = w.copyKinds(kinds)
			}
			a := Accrual{
				Beneficiary: parent,
				Kind:        affiliate.KindBonus,
				Base:        base,
				BaseLines:   lines,
				Rate:        rate,
				Amount:      amt,
				Rule:        name,
				Tier:        tier,
			}
			w.out = append(w.out, a)
			added++
		}
		if r.Of == OfCommission {
			base, kinds = amt, nil
		}
	}
	return nil
}

func (r SubAffiliateBonus) ruleNames() []string {
	return []string{nameOr(r.Name, "sub_affiliate_bonus")}
}
