package rules

import (
	"bytes"
	"slices"
	"strconv"

	"github.com/openaffiliate/affiliate"
)

// The explanations the built-in rate rules wrote on every accrual before
// entries rendered them when asked for (affiliate.Entry.Describe). This
// file is the only place the old builder survives: the oracle the
// rendered lines are checked against, byte for byte.

// legacyAccrue returns what r accrued with the old explanations: the
// built-in rate rules (also inside AllOf and Cap) write them as they did;
// any other rule is called as it is.
func legacyAccrue(r Rule, f Facts) ([]Accrual, error) {
	switch r := r.(type) {
	case Cap:
		inner := r.Rule
		r.Rule = RuleFunc(func(f Facts) ([]Accrual, error) { return legacyAccrue(inner, f) })
		return r.Accrue(f)
	case Percent, TierRate, SubAffiliateBonus, AllOf:
		w := &legacyWriter{}
		w.kinds = w.kindsBuf[:0]
		if err := w.accrue(r, &f); err != nil {
			return nil, err
		}
		why := string(w.why)
		for _, s := range w.spans {
			w.out[s.accrual].Explanation = why[s.from:s.to]
		}
		return w.out, nil
	}
	return r.Accrue(f)
}

type legacyWriter struct {
	accrualWriter
	why   []byte
	spans []struct{ accrual, from, to int }
}

func (w *legacyWriter) add(a Accrual, from int) {
	w.spans = append(w.spans, struct{ accrual, from, to int }{len(w.out), from, len(w.why)})
	w.out = append(w.out, a)
}

func (w *legacyWriter) accrue(r Rule, f *Facts) error {
	switch r := r.(type) {
	case Percent:
		return w.percent(r, f)
	case TierRate:
		return w.tierRate(r, f)
	case SubAffiliateBonus:
		return w.bonus(r, f)
	case AllOf:
		for _, sub := range r {
			if err := w.accrue(sub, f); err != nil {
				return err
			}
		}
		return nil
	}
	accs, err := legacyAccrue(r, *f)
	w.out = append(w.out, accs...)
	return err
}

func (w *legacyWriter) percent(r Percent, f *Facts) error {
	if len(f.Chain) == 0 {
		return nil
	}
	a, ok, err := w.rated(f, r.Lines, r.Rate)
	if err != nil || !ok || a.Amount.IsZero() {
		return err
	}
	a.Beneficiary = f.Chain[0].ID
	a.Kind = affiliate.KindCommission
	a.Rule = nameOr(r.Name, "percent")
	from := len(w.why)
	w.why = legacyAppendBase(append(legacyAppendPct(w.why, r.Rate), " of "...), a.Base, a.BaseLines)
	w.add(a, from)
	return nil
}

func (w *legacyWriter) tierRate(r TierRate, f *Facts) error {
	if len(f.Chain) == 0 || len(f.Tiers) == 0 {
		return nil
	}
	t := f.Tiers[0]
	a, ok, err := w.rated(f, r.Lines, t.Rate)
	if err != nil || !ok {
		return err
	}
	a.Tier = t.Name
	a.Beneficiary = f.Chain[0].ID
	a.Kind = affiliate.KindCommission
	a.Rule = nameOr(r.Name, "tier_rate")
	from := len(w.why)
	why := append(strconv.AppendQuote(append(w.why, "tier "...), t.Name), ": "...)
	w.why = legacyAppendBase(append(legacyAppendPct(why, t.Rate), " of "...), a.Base, a.BaseLines)
	w.add(a, from)
	return nil
}

func (w *legacyWriter) bonus(r SubAffiliateBonus, f *Facts) error {
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
		accs, err := legacyAccrue(r.Commission, *f)
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
	}
	added := 0
	seen := []affiliate.AffiliateID{child}
	for level := 1; level <= r.depth() && level < len(f.Chain); level++ {
		parent := f.Chain[level].ID
		if slices.Contains(seen, parent) {
			break
		}
		seen = append(seen, parent)
		if base.Sign() <= 0 {
			break
		}
		rate, tier := r.Rate, ""
		if rate.IsZero() && level < len(f.Tiers) {
			rate, tier = f.Tiers[level].BonusRate, f.Tiers[level].Name
		}
		amt, err := base.MulRate(rate, f.Terms.Rounding)
		if err != nil {
			return err
		}
		if amt.Sign() > 0 || tier != "" && !rate.IsZero() {
			from := len(w.why)
			why := w.why
			if tier != "" {
				why = append(strconv.AppendQuote(append(why, "tier "...), tier), " bonus: "...)
			}
			why = append(legacyAppendPct(why, rate), " of "...)
			switch {
			case r.Of == OfRevenue:
				why = append(legacyAppendBase(why, base, kinds), " referred by "...)
				why = append(why, child...)
			case level == 1:
				why = base.AppendString(append(append(why, child...), "'s commission "...))
			default:
				why = base.AppendString(append(append(why, f.Chain[level-1].ID...), "'s bonus "...))
			}
			w.why = why
			lines := kinds
			if added > 0 && kinds != nil {
				lines = w.copyKinds(kinds)
			}
			w.add(Accrual{Beneficiary: parent, Kind: affiliate.KindBonus, Base: base, BaseLines: lines, Rate: rate, Amount: amt, Rule: name, Tier: tier}, from)
			added++
		}
		if r.Of == OfCommission {
			base, kinds = amt, nil
		}
	}
	return nil
}

// legacyAppendPct is the old rules.appendPct.
func legacyAppendPct(b []byte, r affiliate.Rate) []byte {
	var buf [48]byte
	intPart, frac, _ := bytes.Cut(r.AppendString(buf[:0]), []byte("."))
	var whole [48]byte
	w := append(whole[:0], intPart...)
	for i := range 2 {
		if i < len(frac) {
			w = append(w, frac[i])
		} else {
			w = append(w, '0')
		}
	}
	if w = bytes.TrimLeft(w, "0"); len(w) == 0 {
		w = append(w, '0')
	}
	b = append(b, w...)
	if len(frac) > 2 {
		if rest := bytes.TrimRight(frac[2:], "0"); len(rest) > 0 {
			b = append(append(b, '.'), rest...)
		}
	}
	return append(b, '%')
}

// legacyAppendBase is the old rules.appendBase.
func legacyAppendBase(b []byte, base affiliate.Money, kinds []affiliate.LineKind) []byte {
	b = base.AppendString(b)
	if len(kinds) > 0 {
		b = append(b, " ("...)
		for i, k := range kinds {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = append(b, k...)
		}
		b = append(b, ')')
	}
	return b
}
