package attribution_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
)

var annAff = affiliate.Affiliate{ID: "ann", Status: affiliate.StatusActive, Email: "ann@annco.io", Codes: []string{"ann"}}

// attempt is a passing attempt of customer "cus-1" (carol@carolco.io)
// through a touch of ann one day before the signup.
func attempt(edit ...func(*attribution.Attempt)) attribution.Attempt {
	a := attribution.Attempt{
		Signup:    attribution.Signup{Customer: "cus-1", Email: "carol@carolco.io", At: t0},
		Candidate: attribution.Candidate{Source: attribution.SourceTouch, Affiliate: "ann", At: t0.Add(-day), Touch: "t1"},
		Affiliate: annAff,
		Window:    attribution.DefaultWindow,
	}
	for _, e := range edit {
		e(&a)
	}
	return a
}

func TestBaseChecks(t *testing.T) {
	cases := []struct {
		name  string
		check attribution.Check
		edit  func(*attribution.Attempt)
		want  attribution.ReasonCode // "" passes
	}{
		{"SelfReferral/Passes", attribution.SelfReferral{}, nil, ""},
		{"SelfReferral/SameID", attribution.SelfReferral{}, func(a *attribution.Attempt) { a.Signup.Customer = "ann" }, attribution.ReasonSelfReferral},
		{"SelfReferral/OwnAffiliateAccount", attribution.SelfReferral{}, func(a *attribution.Attempt) { a.Signup.Affiliate = "ann" }, attribution.ReasonSelfReferral},
		{"SelfReferral/SameEmail", attribution.SelfReferral{}, func(a *attribution.Attempt) { a.Signup.Email = "ann@annco.io" }, attribution.ReasonSelfReferral},
		{"SelfReferral/SameEmailOtherCase", attribution.SelfReferral{}, func(a *attribution.Attempt) { a.Signup.Email = "ANN@AnnCo.io" }, attribution.ReasonSelfReferral},
		{"SelfReferral/PlusTag", attribution.SelfReferral{}, func(a *attribution.Attempt) { a.Signup.Email = "ann+second@annco.io" }, attribution.ReasonSelfReferral},
		{"SelfReferral/GmailDots", attribution.SelfReferral{}, func(a *attribution.Attempt) {
			a.Affiliate.Email = "ann.smith@gmail.com"
			a.Signup.Email = "annsmith+x@googlemail.com"
		}, attribution.ReasonSelfReferral},
		{"SelfReferral/SameCompanyDomain", attribution.SelfReferral{}, func(a *attribution.Attempt) { a.Signup.Email = "colleague@annco.io" }, attribution.ReasonSelfReferral},
		{"SelfReferral/SameFreeMailDomainPasses", attribution.SelfReferral{}, func(a *attribution.Attempt) {
			a.Affiliate.Email = "ann@gmail.com"
			a.Signup.Email = "carol@gmail.com"
		}, ""},
		{"SelfReferral/HostFreeMailList", attribution.SelfReferral{FreeMail: func(d string) bool { return d == "annco.io" }}, func(a *attribution.Attempt) { a.Signup.Email = "colleague@annco.io" }, ""},
		{"SelfReferral/NoEmails", attribution.SelfReferral{}, func(a *attribution.Attempt) { a.Signup.Email = "" }, ""},

		{"NewCustomer/Passes", attribution.NewCustomer{}, nil, ""},
		{"NewCustomer/AlreadyBound", attribution.NewCustomer{}, func(a *attribution.Attempt) {
			a.Existing = affiliate.Binding{Customer: "cus-1", Affiliate: "bob"}
		}, attribution.ReasonAlreadyBound},
		{"NewCustomer/Existed", attribution.NewCustomer{}, func(a *attribution.Attempt) { a.CustomerExisted = true }, attribution.ReasonCustomerExists},

		{"ActiveAffiliate/Passes", attribution.ActiveAffiliate{}, nil, ""},
		{"ActiveAffiliate/Suspended", attribution.ActiveAffiliate{}, func(a *attribution.Attempt) { a.Affiliate.Status = affiliate.StatusSuspended }, attribution.ReasonAffiliateInactive},
		{"ActiveAffiliate/NotStored", attribution.ActiveAffiliate{}, func(a *attribution.Attempt) { a.Affiliate = affiliate.Affiliate{} }, attribution.ReasonUnknownAffiliate},
		{"ActiveAffiliate/UnknownCode", attribution.ActiveAffiliate{}, func(a *attribution.Attempt) {
			a.Candidate = attribution.Candidate{Source: attribution.SourceCode, At: t0, Code: "nope"}
			a.Affiliate = affiliate.Affiliate{}
		}, attribution.ReasonUnknownAffiliate},

		{"InWindow/OneDay", attribution.InWindow{}, nil, ""},
		{"InWindow/AtSignup", attribution.InWindow{}, func(a *attribution.Attempt) { a.Candidate.At = t0 }, ""},
		{"InWindow/LastInstant", attribution.InWindow{}, func(a *attribution.Attempt) {
			a.Candidate.At = t0.Add(-attribution.DefaultWindow + time.Nanosecond)
		}, ""},
		{"InWindow/ExactlyWindowAgo", attribution.InWindow{}, func(a *attribution.Attempt) { a.Candidate.At = t0.Add(-attribution.DefaultWindow) }, attribution.ReasonOutsideWindow},
		{"InWindow/TooOld", attribution.InWindow{}, func(a *attribution.Attempt) { a.Candidate.At = t0.Add(-91 * day) }, attribution.ReasonOutsideWindow},
		{"InWindow/AfterSignup", attribution.InWindow{}, func(a *attribution.Attempt) { a.Candidate.At = t0.Add(time.Second) }, attribution.ReasonOutsideWindow},
		{"InWindow/ShortWindow", attribution.InWindow{}, func(a *attribution.Attempt) { a.Window = 12 * time.Hour }, attribution.ReasonOutsideWindow},
		{"InWindow/LeadHasNoWindow", attribution.InWindow{}, func(a *attribution.Attempt) {
			a.Candidate = attribution.Candidate{Source: attribution.SourceLead, Affiliate: "ann", At: t0.Add(-400 * day), Lead: "l1"}
		}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := attempt()
			if tc.edit != nil {
				tc.edit(&a)
			}
			err := tc.check.Check(context.Background(), a)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Check = %v, want pass", err)
				}
				return
			}
			var r *attribution.Reason
			if !errors.As(err, &r) || r.Code != tc.want {
				t.Fatalf("Check = %v, want reason %s", err, tc.want)
			}
			if !errors.Is(err, attribution.ErrIneligible) || !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("refusal %v does not match ErrIneligible and ErrInvalid", err)
			}
		})
	}
}

func TestDecideFallsBackAndReportsEveryReason(t *testing.T) {
	self := attempt(func(a *attribution.Attempt) { // ann's own colleague, through a typed code
		a.Candidate = attribution.Candidate{Source: attribution.SourceCode, Affiliate: "ann", At: t0, Code: "ann"}
		a.Signup.Email = "colleague@annco.io"
	})
	old := attempt(func(a *attribution.Attempt) { // bob's touch, long ago, and bob is suspended
		a.Signup.Email = "colleague@annco.io"
		a.Candidate = attribution.Candidate{Source: attribution.SourceTouch, Affiliate: "bob", At: t0.Add(-200 * day), Touch: "t0"}
		a.Affiliate = affiliate.Affiliate{ID: "bob", Status: affiliate.StatusSuspended, Email: "bob@gmail.com"}
	})
	good := attempt(func(a *attribution.Attempt) {
		a.Signup.Email = "colleague@annco.io"
		a.Candidate.Affiliate = "cat"
		a.Affiliate.ID = "cat"
		a.Affiliate.Email = "cat@catco.io"
	})

	checks := attribution.BaseChecks(nil)
	d, err := attribution.Decide(ctx, attribution.Policy{}, checks, []attribution.Attempt{good, old, self})
	if err != nil {
		t.Fatal(err)
	}
	if !d.OK || d.Chosen.Candidate.Affiliate != "cat" {
		t.Fatalf("Decide chose %+v, want cat", d.Chosen.Candidate)
	}
	if len(d.Refused) != 2 || d.Refused[0].Candidate.Affiliate != "ann" || d.Refused[1].Candidate.Affiliate != "bob" {
		t.Fatalf("Refused = %+v, want ann then bob", d.Refused)
	}
	if got := d.Refused[1].Reasons; len(got) != 2 || got[0].Code != attribution.ReasonAffiliateInactive || got[1].Code != attribution.ReasonOutsideWindow {
		t.Fatalf("bob's reasons = %v, want affiliate_inactive and outside_window", got)
	}

	d, err = attribution.Decide(ctx, attribution.Policy{}, checks, []attribution.Attempt{old, self})
	if err != nil || d.OK || len(d.Refused) != 2 {
		t.Fatalf("Decide = %+v, %v; want nothing chosen and two refusals", d, err)
	}
}

func TestDecideStopsOnACheckThatCannotDecide(t *testing.T) {
	boom := errors.New("fraud service unavailable")
	checks := []attribution.Check{attribution.CheckFunc(func(context.Context, attribution.Attempt) error { return boom })}
	if _, err := attribution.Decide(ctx, attribution.Policy{}, checks, []attribution.Attempt{attempt()}); !errors.Is(err, boom) {
		t.Fatalf("Decide = %v, want the check's error", err)
	}
}
