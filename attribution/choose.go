package attribution

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/openaffiliate/affiliate"
)

// Source is a kind of evidence a binding can rest on. Policy.Precedence
// orders them.
type Source string

const (
	// SourceCode is an affiliate code the customer typed at signup.
	SourceCode Source = "code"
	// SourceLead is an accepted lead whose company matches the customer.
	SourceLead Source = "lead"
	// SourceTouch is a touch recorded before signup (a referral-link click
	// or a code used on the way in) or the referral cookie that carries
	// one.
	SourceTouch Source = "touch"
	// SourceManual is the host's own decision (Tracker.BindManually). It
	// is never in a precedence: it is not evidence to weigh against others.
	SourceManual Source = "manual"
)

// DefaultPrecedence is the precedence a zero Policy uses: a typed code,
// then an accepted lead, then a touch.
func DefaultPrecedence() []Source { return []Source{SourceCode, SourceLead, SourceTouch} }

// Model says which of several candidates of one source wins.
type Model uint8

const (
	// FirstClick (the zero value) credits the earliest candidate: a later
	// touch never takes a customer from an earlier one.
	FirstClick Model = iota
	// LastClick credits the latest candidate.
	LastClick
)

func (m Model) String() string {
	switch m {
	case FirstClick:
		return "first-click"
	case LastClick:
		return "last-click"
	}
	return fmt.Sprintf("Model(%d)", uint8(m))
}

// Policy is how Choose picks among candidates. The zero value is the
// default: DefaultPrecedence and FirstClick.
type Policy struct {
	// Precedence lists the sources in the order they win; a source left
	// out is never used. Nil means DefaultPrecedence.
	Precedence []Source
	Model      Model
	// ByTime puts the candidates of every source in Precedence on one
	// timeline: the model picks by time alone, and the precedence only
	// breaks ties at equal times. A code typed at signup is then a touch
	// at the signup's time: under FirstClick an earlier click beats it,
	// under LastClick it beats every earlier click. False ranks by source
	// first, so a typed code wins under both models.
	ByTime bool
}

// Validate reports a precedence with an unknown or repeated source, or an
// unknown model.
func (p Policy) Validate() error {
	if p.Model != FirstClick && p.Model != LastClick {
		return &affiliate.FieldError{Field: "Policy.Model", Reason: p.Model.String() + " is not first-click or last-click"}
	}
	if p.Precedence != nil && len(p.Precedence) == 0 {
		return &affiliate.FieldError{Field: "Policy.Precedence", Reason: "empty: no source could ever bind (use nil for the default)"}
	}
	seen := map[Source]bool{}
	for i, s := range p.Precedence {
		field := fmt.Sprintf("Policy.Precedence[%d]", i)
		switch s {
		case SourceCode, SourceLead, SourceTouch:
		default:
			return &affiliate.FieldError{Field: field, Reason: fmt.Sprintf("%q is not code, lead or touch", s)}
		}
		if seen[s] {
			return &affiliate.FieldError{Field: field, Reason: fmt.Sprintf("%q is listed twice", s)}
		}
		seen[s] = true
	}
	return nil
}

func (p Policy) precedence() []Source {
	if p.Precedence == nil {
		return DefaultPrecedence()
	}
	return p.Precedence
}

// Candidate is one piece of evidence that a signup came from an affiliate.
type Candidate struct {
	Source    Source
	Affiliate affiliate.AffiliateID
	// At is when the evidence arose: the touch's time, the signup's time
	// for a typed code, the decision time of an accepted lead, the host's
	// time for a binding by hand. The window
	// is measured from it, and the model orders by it.
	At time.Time
	// Touch and Via identify a touch (Via says whether it was a link or a
	// code); Touch is empty for a cookie that named no touch.
	Touch affiliate.TouchID
	Via   affiliate.TouchSource
	Lead  affiliate.LeadID
	Code  string // normalised
}

// Rank returns the candidates in the order they win under p: by the
// source's place in the precedence, then by time (earliest first under
// first-click, latest first under last-click) — or, when p.ByTime, by time
// and then the source's place — then by touch ID, lead ID,
// code and affiliate ID, ascending, so equal times are broken the same way
// on every run. Candidates of a source the precedence leaves out are
// dropped. Rank does not change cands.
func Rank(p Policy, cands []Candidate) []Candidate {
	idx := rankIndices(p, cands)
	out := make([]Candidate, len(idx))
	for i, j := range idx {
		out[i] = cands[j]
	}
	return out
}

// rankIndices returns the indices of cands in Rank's order.
func rankIndices(p Policy, cands []Candidate) []int {
	prec := p.precedence()
	ranks := make([]int, len(cands))
	out := make([]int, 0, len(cands))
	for i, c := range cands {
		ranks[i] = slices.Index(prec, c.Source)
		if ranks[i] >= 0 {
			out = append(out, i)
		}
	}
	slices.SortStableFunc(out, func(i, j int) int {
		x, y := cands[i], cands[j]
		bySource := cmp.Compare(ranks[i], ranks[j])
		byTime := x.At.Compare(y.At)
		if p.Model == LastClick {
			byTime = -byTime
		}
		first, second := bySource, byTime
		if p.ByTime {
			first, second = byTime, bySource
		}
		return cmp.Or(
			first,
			second,
			cmp.Compare(x.Touch, y.Touch),
			cmp.Compare(x.Lead, y.Lead),
			cmp.Compare(x.Code, y.Code),
			cmp.Compare(x.Affiliate, y.Affiliate),
		)
	})
	return out
}

// Choose returns the candidate that wins under p, and false when none can
// (no candidates, or none of a source in the precedence). It assumes the
// candidates passed the checks; Decide runs the checks and chooses.
func Choose(p Policy, cands []Candidate) (Candidate, bool) {
	ranked := Rank(p, cands)
	if len(ranked) == 0 {
		return Candidate{}, false
	}
	return ranked[0], true
}
