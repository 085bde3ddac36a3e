package rules

import (
	"github.com/openaffiliate/affiliate"
)

// AccrueTo appends to dst what r accrues on *f, the accruals
// r.Accrue(*f) returns, working in s (a new Scratch when nil). An engine
// that gives it room in dst and s prices without an allocation per rule:
// the built-in rules (Percent, TierRate, SubAffiliateBonus, and AllOf of
// them) take *f without copying it, write into dst directly and keep
// their base lines in s; their accruals carry no explanation (the entry's
// Describe renders it); any other rule is called through Accrue. f is not
// modified. On an error, dst is returned as it was given.
//
// The accruals' BaseLines point into s: s serves one call, and is not
// used again while the accruals are.
func AccrueTo(dst []Accrual, r Rule, f *Facts, s *Scratch) ([]Accrual, error) {
	if s == nil {
		s = new(Scratch)
	}
	w := &s.w
	*w = accrualWriter{out: dst}
	w.kinds = w.kindsBuf[:0]
	if err := w.accrue(r, f); err != nil {
		return dst, err
	}
	return w.out, nil
}

// Scratch is the working memory of one AccrueTo call. The zero Scratch is
// ready to use.
type Scratch struct{ w accrualWriter }

// accrualWriter collects the accruals of one AccrueTo call.
type accrualWriter struct {
	out []Accrual
	// kinds backs the BaseLines of the built-in rules' accruals, each one
	// its own capped part of it.
	kinds []affiliate.LineKind

	kindsBuf [8]affiliate.LineKind
}

// accrue appends what r accrues on f.
func (w *accrualWriter) accrue(r Rule, f *Facts) error {
	switch r := r.(type) {
	case Percent:
		return r.accrueTo(w, f)
	case TierRate:
		return r.accrueTo(w, f)
	case SubAffiliateBonus:
		return r.accrueTo(w, f)
	case AllOf:
		for _, sub := range r {
			if err := w.accrue(sub, f); err != nil {
				return err
			}
		}
		return nil
	}
	accs, err := r.Accrue(*f)
	w.out = append(w.out, accs...)
	return err
}

// base is the base of f's payment under lines, with its kinds in w.
func (w *accrualWriter) base(f *Facts, lines Lines) (affiliate.Money, []affiliate.LineKind, error) {
	from := len(w.kinds)
	base, all, err := lines.base(f.Payment, w.kinds)
	if err != nil {
		return affiliate.Money{}, nil, err
	}
	w.kinds = all
	return base, all[from:len(all):len(all)], nil
}

// copyKinds is a copy of kinds in w.
func (w *accrualWriter) copyKinds(kinds []affiliate.LineKind) []affiliate.LineKind {
	from := len(w.kinds)
	w.kinds = append(w.kinds, kinds...)
	return w.kinds[from:len(w.kinds):len(w.kinds)]
}

// rated returns an accrual of rate times the base lines selects on the
// payment being priced, with Base, BaseLines, Rate and Amount set; ok is
// false when the base or the rate is zero. The rounded amount may be zero:
// a tier's rate keeps that accrual (see TierRate), a fixed rate drops it.
// Its base lines are kept in w.
func (w *accrualWriter) rated(f *Facts, lines Lines, rate affiliate.Rate) (a Accrual, ok bool, err error) {
	base, kinds, err := w.base(f, lines.Of(f.Revenue))
	if err != nil || base.Sign() <= 0 || rate.IsZero() {
		return Accrual{}, false, err
	}
	amt, err := base.MulRate(rate, f.Terms.Rounding)
	if err != nil {
		return Accrual{}, false, err
	}
	return Accrual{Base: base, BaseLines: kinds, Rate: rate, Amount: amt}, true, nil
}
