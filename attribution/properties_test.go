package attribution_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
)

// The properties of invariant I9, checked on the Tracker over a memstore
// against an oracle written independently of the package:
//
//   - a customer has at most one binding, and a second Bind never moves it;
//   - under first-click, later touches never change a binding;
//   - a binding's touch lies inside the window before the signup;
//   - self-referrals are never bound;
//   - precedence is respected: the binding comes from the first source in
//     the precedence that has an eligible candidate, and within it from
//     the earliest (first-click) or latest (last-click) one; by time
//     (Policy.ByTime), the earliest or latest of all, the precedence
//     breaking ties;
//   - a binding by a typed code names the touch that records the code.

// selfPairs lists, for the fixture's affiliates, the signup e-mails and
// customer IDs that are that affiliate (by construction, not by the
// package's rules).
var selfPairs = map[affiliate.AffiliateID][]string{
	"ann": {"ann", "ann@annco.io", "Ann+promo@annco.io", "boss@annco.io"},
	"bob": {"bob", "bob@gmail.com", "b.o.b+x@googlemail.com"},
}

func isSelf(aff affiliate.AffiliateID, customer affiliate.CustomerID, email string) bool {
	return slices.Contains(selfPairs[aff], string(customer)) || (email != "" && slices.Contains(selfPairs[aff], email))
}

// codeOwner is the oracle's view of the fixture's codes.
var codeOwner = map[string]affiliate.AffiliateID{"ann": "ann", "ANN": "ann", "bob": "bob", "sue": "sue", "ghost": ""}

// want is an eligible candidate as the oracle sees it.
type want struct {
	aff affiliate.AffiliateID
	at  time.Time
}

// oracle picks the winning candidate's time and source from the eligible
// ones, written independently of Rank: by source, then time; or, by time,
// by time, then source. It returns nil when nothing is eligible.
func oracle(prec []attribution.Source, model attribution.Model, byTime bool, eligible map[attribution.Source][]want) (*want, attribution.Source) {
	var best *want
	var bestSource attribution.Source
	better := func(w want) bool {
		if model == attribution.FirstClick {
			return w.at.Before(best.at)
		}
		return w.at.After(best.at)
	}
	for _, src := range prec {
		if !byTime && best != nil {
			break
		}
		for _, w := range eligible[src] {
			// A later source wins a tie at equal times only if it is
			// strictly better: earlier sources come first in the precedence.
			if best == nil || better(w) {
				best, bestSource = &w, src
			}
		}
	}
	return best, bestSource
}

type genTouch struct {
	code string
	age  time.Duration // before the signup
}

func TestBindProperties(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		model := attribution.Model(rapid.IntRange(0, 1).Draw(rt, "model"))
		byTime := rapid.Bool().Draw(rt, "byTime")
		prec := rapid.Permutation([]attribution.Source{attribution.SourceCode, attribution.SourceTouch}).Draw(rt, "precedence")
		prec = prec[:rapid.IntRange(1, 2).Draw(rt, "sources")]
		window := time.Duration(rapid.IntRange(1, 120).Draw(rt, "windowDays")) * day
		f := newFixture(rt, func(c *attribution.Config) {
			c.Policy = attribution.Policy{Precedence: prec, Model: model, ByTime: byTime}
			c.Window = window
		})

		codes := []string{"ann", "ANN", "bob", "sue", "ghost"}
		touches := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) genTouch {
			return genTouch{
				code: rapid.SampledFrom(codes[:3]).Draw(t, "code"),
				// Whole hours, so ties on equal times happen.
				age: time.Duration(rapid.IntRange(0, 150*24).Draw(t, "ageHours")) * time.Hour,
			}
		}), 0, 6).Draw(rt, "touches")
		for _, g := range touches {
			f.touch(rt, "v1", g.code, t0.Add(-g.age))
		}
		// Suspending an affiliate after its touches takes them out of play.
		bobActive := rapid.Bool().Draw(rt, "bobActive")
		if !bobActive {
			if _, err := f.t.Suspend(ctx, "bob", t0.Add(-time.Hour), "under review"); err != nil {
				rt.Fatal(err)
			}
		}
		s := attribution.Signup{
			Customer: affiliate.CustomerID(rapid.SampledFrom([]string{"cus-1", "ann", "bob"}).Draw(rt, "customer")),
			Email:    rapid.SampledFrom([]string{"", "carol@carolco.io", "ann@annco.io", "Ann+promo@annco.io", "boss@annco.io", "bob@gmail.com", "b.o.b+x@googlemail.com", "zed@gmail.com"}).Draw(rt, "email"),
			Code:     rapid.SampledFrom(append([]string{""}, codes...)).Draw(rt, "typedCode"),
			Visitor:  "v1",
			At:       t0,
		}

		// The oracle: the eligible candidates of each source.
		eligible := map[attribution.Source][]want{}
		usable := func(aff affiliate.AffiliateID) bool {
			return (aff == "ann" || (aff == "bob" && bobActive)) && !isSelf(aff, s.Customer, s.Email)
		}
		if aff := codeOwner[s.Code]; s.Code != "" && usable(aff) {
			eligible[attribution.SourceCode] = append(eligible[attribution.SourceCode], want{aff, t0})
		}
		for _, g := range touches {
			if aff := codeOwner[g.code]; usable(aff) && g.age < window {
				eligible[attribution.SourceTouch] = append(eligible[attribution.SourceTouch], want{aff, t0.Add(-g.age)})
			}
		}

		b, err := f.t.Bind(ctx, s)
		expected, expectedSource := oracle(prec, model, byTime, eligible)
		if expected == nil {
			if err == nil {
				rt.Fatalf("bound %+v, but the oracle sees no eligible candidate", b)
			}
			if !errors.Is(err, attribution.ErrNoReferral) && !errors.Is(err, attribution.ErrIneligible) {
				rt.Fatalf("Bind: %v", err)
			}
			if got := f.binding(rt, s.Customer); got != (affiliate.Binding{}) {
				rt.Fatalf("a refused Bind stored %+v", got)
			}
			return
		}
		if err != nil {
			rt.Fatalf("Bind: %v; the oracle expected a binding from %s", err, expectedSource)
		}

		// Self-referrals are never bound.
		if isSelf(b.Affiliate, s.Customer, s.Email) {
			rt.Fatalf("self-referral bound: %+v for %s <%s>", b, s.Customer, s.Email)
		}
		// Precedence and model. The generated touches are link clicks, so
		// a binding by code comes from the typed code.
		gotSource := attribution.SourceTouch
		if b.Source == affiliate.BindByCode {
			gotSource = attribution.SourceCode
			// The typed code's use is recorded as a touch at the signup.
			tc, err := storedTouch(ctx, f.store, affiliate.Touch{ID: b.Touch, Visitor: s.Visitor})
			if err != nil || tc.Source != affiliate.TouchCode || !tc.At.Equal(s.At) || tc.Affiliate != b.Affiliate {
				rt.Fatalf("typed-code binding %+v names touch %+v, %v", b, tc, err)
			}
		}
		if gotSource != expectedSource {
			rt.Fatalf("bound through %s, precedence %v (by time %v) wants %s", gotSource, prec, byTime, expectedSource)
		}
		if !b.TouchedAt.Equal(expected.at) {
			rt.Fatalf("%s bound the touch of %s, want %s", model, b.TouchedAt, expected.at)
		}
		// The binding's touch lies inside the window.
		if gotSource == attribution.SourceTouch && !attribution.InsideWindow(b.TouchedAt, b.BoundAt, window) {
			rt.Fatalf("binding touched at %s, bound at %s: outside the %s window", b.TouchedAt, b.BoundAt, window)
		}

		// At most one binding: later touches, a typed code, another model's
		// tracker: nothing moves the customer.
		for i := range rapid.IntRange(0, 3).Draw(rt, "laterTouches") {
			f.clock.Advance(time.Hour)
			code := []string{"ann", "bob"}[i%2]
			if !bobActive {
				code = "ann"
			}
			f.touch(rt, "v1", code, f.clock.Now())
		}
		again, err := f.t.Bind(ctx, attribution.Signup{Customer: s.Customer, Visitor: "v1", Code: "bob"})
		if !errors.Is(err, affiliate.ErrAlreadyBound) || again != b {
			rt.Fatalf("second Bind = %+v, %v; want the first binding and ErrAlreadyBound", again, err)
		}
		if stored := f.binding(rt, s.Customer); stored != b {
			rt.Fatalf("stored binding moved from %+v to %+v", b, stored)
		}
	})
}

// TestFirstClickIgnoresLaterTouches: on the pure core, adding candidates
// later than the first-click winner never changes the winner, whatever
// the checks refuse.
func TestFirstClickIgnoresLaterTouches(t *testing.T) {
	affs := map[affiliate.AffiliateID]affiliate.Affiliate{
		"a1": {ID: "a1", Status: affiliate.StatusActive},
		"a2": {ID: "a2", Status: affiliate.StatusActive},
		"a3": {ID: "a3", Status: affiliate.StatusSuspended},
	}
	genAttempt := func(minAge, maxAge int) *rapid.Generator[attribution.Attempt] {
		return rapid.Custom(func(t *rapid.T) attribution.Attempt {
			aff := rapid.SampledFrom([]affiliate.AffiliateID{"a1", "a2", "a3"}).Draw(t, "affiliate")
			age := time.Duration(rapid.IntRange(minAge, maxAge).Draw(t, "ageHours")) * time.Hour
			return attribution.Attempt{
				Signup:    attribution.Signup{Customer: "c", At: t0},
				Candidate: attribution.Candidate{Source: attribution.SourceTouch, Affiliate: aff, At: t0.Add(-age), Touch: affiliate.TouchID(fmt.Sprintf("t%d", rapid.IntRange(0, 1000).Draw(t, "id")))},
				Affiliate: affs[aff],
				Window:    attribution.DefaultWindow,
			}
		})
	}
	rapid.Check(t, func(t *rapid.T) {
		before := rapid.SliceOfN(genAttempt(0, 3000), 1, 8).Draw(t, "touches")
		d, err := attribution.Decide(ctx, attribution.Policy{}, attribution.BaseChecks(nil), before)
		if err != nil {
			t.Fatal(err)
		}
		if !d.OK {
			t.Skip("no eligible touch")
		}
		// Touches after the winner: strictly less old.
		winnerAge := int(t0.Sub(d.Chosen.Candidate.At) / time.Hour)
		if winnerAge == 0 {
			t.Skip("the winner is at the signup")
		}
		later := rapid.SliceOfN(genAttempt(0, winnerAge-1), 1, 8).Draw(t, "later")
		d2, err := attribution.Decide(ctx, attribution.Policy{}, attribution.BaseChecks(nil), append(slices.Clone(before), later...))
		if err != nil {
			t.Fatal(err)
		}
		if !d2.OK || d2.Chosen.Candidate != d.Chosen.Candidate {
			t.Fatalf("later touches moved the first-click winner from %+v to %+v", d.Chosen.Candidate, d2.Chosen.Candidate)
		}
	})
}

// TestChooseRespectsPrecedence: on the pure core, the winner comes from the
// first source in the precedence that has a candidate, and is the
// earliest or latest of that source.
func TestChooseRespectsPrecedence(t *testing.T) {
	sources := []attribution.Source{attribution.SourceCode, attribution.SourceLead, attribution.SourceTouch}
	rapid.Check(t, func(t *rapid.T) {
		prec := rapid.Permutation(sources).Draw(t, "precedence")[:rapid.IntRange(1, 3).Draw(t, "n")]
		model := attribution.Model(rapid.IntRange(0, 1).Draw(t, "model"))
		cands := rapid.SliceOf(rapid.Custom(func(t *rapid.T) attribution.Candidate {
			return attribution.Candidate{
				Source:    rapid.SampledFrom(sources).Draw(t, "source"),
				Affiliate: affiliate.AffiliateID(rapid.SampledFrom([]string{"a", "b", "c"}).Draw(t, "affiliate")),
				At:        t0.Add(-time.Duration(rapid.IntRange(0, 50).Draw(t, "age")) * time.Hour),
				Touch:     affiliate.TouchID(rapid.StringMatching(`t[0-9]`).Draw(t, "touch")),
			}
		})).Draw(t, "candidates")
		got, ok := attribution.Choose(attribution.Policy{Precedence: prec, Model: model}, cands)
		var want attribution.Source
		for _, src := range prec {
			if slices.ContainsFunc(cands, func(c attribution.Candidate) bool { return c.Source == src }) {
				want = src
				break
			}
		}
		if !ok {
			if want != "" {
				t.Fatalf("nothing chosen, but %s has candidates", want)
			}
			return
		}
		if got.Source != want {
			t.Fatalf("chose a %s candidate, precedence %v wants %s", got.Source, prec, want)
		}
		for _, c := range cands {
			if c.Source != want {
				continue
			}
			if (model == attribution.FirstClick && c.At.Before(got.At)) || (model == attribution.LastClick && c.At.After(got.At)) {
				t.Fatalf("%s chose %s, but %s is a better candidate", model, got.At, c.At)
			}
		}
		// Whatever the input order, the same candidate wins.
		shuffled := rapid.Permutation(cands).Draw(t, "shuffled")
		if again, _ := attribution.Choose(attribution.Policy{Precedence: prec, Model: model}, shuffled); again != got {
			t.Fatalf("input order changed the winner: %+v then %+v", got, again)
		}
	})
}
