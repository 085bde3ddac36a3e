package attribution_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
)

// The candidates of one signup at t0: a code typed at signup, an accepted
// lead, and two touches, 20 and 2 days before.
var (
	candCode  = attribution.Candidate{Source: attribution.SourceCode, Affiliate: "coder", At: t0, Code: "coder"}
	candLead  = attribution.Candidate{Source: attribution.SourceLead, Affiliate: "leader", At: t0.Add(-10 * day), Lead: "l1"}
	candEarly = attribution.Candidate{Source: attribution.SourceTouch, Affiliate: "early", At: t0.Add(-20 * day), Touch: "t1", Via: affiliate.TouchLink}
	candLate  = attribution.Candidate{Source: attribution.SourceTouch, Affiliate: "late", At: t0.Add(-2 * day), Touch: "t2", Via: affiliate.TouchLink}
	allCands  = []attribution.Candidate{candLate, candCode, candEarly, candLead}
)

func TestChoosePrecedenceAndModel(t *testing.T) {
	const (
		code  = attribution.SourceCode
		lead  = attribution.SourceLead
		touch = attribution.SourceTouch
	)
	cases := []struct {
		prec  []attribution.Source
		model attribution.Model
		cands []attribution.Candidate
		want  affiliate.AffiliateID // "" when nothing can be chosen
	}{
		// Every order of the three sources, under both models.
		{nil, attribution.FirstClick, allCands, "coder"},
		{nil, attribution.LastClick, allCands, "coder"},
		{[]attribution.Source{code, lead, touch}, attribution.FirstClick, allCands, "coder"},
		{[]attribution.Source{code, lead, touch}, attribution.LastClick, allCands, "coder"},
		{[]attribution.Source{code, touch, lead}, attribution.FirstClick, allCands, "coder"},
		{[]attribution.Source{code, touch, lead}, attribution.LastClick, allCands, "coder"},
		{[]attribution.Source{lead, code, touch}, attribution.FirstClick, allCands, "leader"},
		{[]attribution.Source{lead, code, touch}, attribution.LastClick, allCands, "leader"},
		{[]attribution.Source{lead, touch, code}, attribution.FirstClick, allCands, "leader"},
		{[]attribution.Source{lead, touch, code}, attribution.LastClick, allCands, "leader"},
		{[]attribution.Source{touch, code, lead}, attribution.FirstClick, allCands, "early"},
		{[]attribution.Source{touch, code, lead}, attribution.LastClick, allCands, "late"},
		{[]attribution.Source{touch, lead, code}, attribution.FirstClick, allCands, "early"},
		{[]attribution.Source{touch, lead, code}, attribution.LastClick, allCands, "late"},
		// A source without candidates gives way to the next one.
		{nil, attribution.FirstClick, []attribution.Candidate{candLate, candEarly, candLead}, "leader"},
		{nil, attribution.FirstClick, []attribution.Candidate{candLate, candEarly}, "early"},
		{nil, attribution.LastClick, []attribution.Candidate{candLate, candEarly}, "late"},
		// A source left out of the precedence is never used.
		{[]attribution.Source{touch}, attribution.FirstClick, allCands, "early"},
		{[]attribution.Source{code, lead}, attribution.LastClick, []attribution.Candidate{candEarly, candLate}, ""},
		{nil, attribution.FirstClick, nil, ""},
	}
	for _, tc := range cases {
		name := fmt.Sprintf("%v/%s/%d", tc.prec, tc.model, len(tc.cands))
		t.Run(name, func(t *testing.T) {
			p := attribution.Policy{Precedence: tc.prec, Model: tc.model}
			if err := p.Validate(); err != nil {
				t.Fatal(err)
			}
			got, ok := attribution.Choose(p, tc.cands)
			if ok != (tc.want != "") || got.Affiliate != tc.want {
				t.Fatalf("Choose = %s, %v; want %q", got.Affiliate, ok, tc.want)
			}
		})
	}
}

func TestChooseTieBreakIsDeterministic(t *testing.T) {
	a := attribution.Candidate{Source: attribution.SourceTouch, Affiliate: "zed", At: t0, Touch: "t-a"}
	b := attribution.Candidate{Source: attribution.SourceTouch, Affiliate: "amy", At: t0, Touch: "t-b"}
	for _, m := range []attribution.Model{attribution.FirstClick, attribution.LastClick} {
		for _, order := range [][]attribution.Candidate{{a, b}, {b, a}} {
			got, _ := attribution.Choose(attribution.Policy{Model: m}, order)
			if got.Touch != "t-a" {
				t.Errorf("%s with order %s,%s chose %s; want the smaller touch ID t-a", m, order[0].Touch, order[1].Touch, got.Touch)
			}
		}
	}
	// Without touch IDs (two cookies), the affiliate ID breaks the tie.
	c := attribution.Candidate{Source: attribution.SourceTouch, Affiliate: "zed", At: t0}
	d := attribution.Candidate{Source: attribution.SourceTouch, Affiliate: "amy", At: t0}
	if got, _ := attribution.Choose(attribution.Policy{}, []attribution.Candidate{c, d}); got.Affiliate != "amy" {
		t.Errorf("tie without IDs chose %s, want amy", got.Affiliate)
	}
}

func TestRankDoesNotChangeItsInput(t *testing.T) {
	in := []attribution.Candidate{candLate, candCode, candEarly, candLead}
	ranked := attribution.Rank(attribution.Policy{}, in)
	want := []affiliate.AffiliateID{"coder", "leader", "early", "late"}
	for i, c := range ranked {
		if c.Affiliate != want[i] {
			t.Fatalf("Rank[%d] = %s, want %s", i, c.Affiliate, want[i])
		}
	}
	if in[0] != candLate || in[1] != candCode {
		t.Fatal("Rank reordered its input")
	}
}

func TestPolicyValidate(t *testing.T) {
	bad := []attribution.Policy{
		{Model: 7},
		{Precedence: []attribution.Source{}},
		{Precedence: []attribution.Source{"cookie"}},
		{Precedence: []attribution.Source{attribution.SourceCode, attribution.SourceCode}},
	}
	for _, p := range bad {
		var fe *affiliate.FieldError
		if err := p.Validate(); !errors.As(err, &fe) || !errors.Is(err, affiliate.ErrInvalid) {
			t.Errorf("Validate(%+v) = %v, want a *FieldError", p, err)
		}
	}
	if _, err := attribution.New(attribution.Config{}); !errors.Is(err, affiliate.ErrInvalid) {
		t.Errorf("New(zero Config) = %v, want ErrInvalid", err)
	}
}
