package attribution_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

func acmeInput(edit ...func(*attribution.LeadInput)) attribution.LeadInput {
	in := attribution.LeadInput{
		Affiliate: "ann", Company: "Acme", Email: "Dana@ACME.com",
		Website: "https://acme.com", LinkedIn: "https://www.linkedin.com/company/acme",
	}
	for _, e := range edit {
		e(&in)
	}
	return in
}

func TestSubmitLeadAccepted(t *testing.T) {
	f := newFixture(t)
	got, err := f.t.SubmitLead(ctx, acmeInput())
	if err != nil {
		t.Fatal(err)
	}
	want := affiliate.Lead{
		ID: "l_0001", Affiliate: "ann", Company: "Acme", Email: "Dana@acme.com",
		Website: "https://acme.com", LinkedIn: "https://www.linkedin.com/company/acme",
		Status: affiliate.LeadAccepted, SubmittedAt: t0, DecidedAt: t0,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("SubmitLead (-want +got):\n%s", diff)
	}
	if stored, _ := f.store.Lead(ctx, "l_0001"); !cmp.Equal(stored, want) {
		t.Fatalf("stored lead = %+v", stored)
	}
	if e := f.obs.events; len(e) != 1 || e[0].Kind != attribution.LeadAccepted || !cmp.Equal(e[0].Lead, want) {
		t.Fatalf("observer heard %+v, want LeadAccepted", e)
	}
}

func TestSubmitLeadRefusedWithEveryReason(t *testing.T) {
	f := newFixture(t)
	submitAcme(t, f, "bob")
	got, err := f.t.SubmitLead(ctx, attribution.LeadInput{Affiliate: "ann", Company: "Acme again", Email: "zed@acme.com", Freelancer: true})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != affiliate.LeadRefused {
		t.Fatalf("status = %s, want refused", got.Status)
	}
	var codes []attribution.ReasonCode
	for _, r := range attribution.LeadReasons(got.Reasons) {
		codes = append(codes, r.Code)
	}
	want := []attribution.ReasonCode{attribution.ReasonNoWebsite, attribution.ReasonNoLinkedIn, attribution.ReasonAlreadyLead, attribution.ReasonFreelancer}
	if !slices.Equal(codes, want) {
		t.Fatalf("reasons = %v, want %v", got.Reasons, want)
	}
	if k := f.obs.kinds(); !slices.Equal(k, []attribution.EventKind{attribution.LeadAccepted, attribution.LeadRefused}) {
		t.Fatalf("observer heard %v", k)
	}
	// The refused lead is on file under its company, and holds nothing.
	leads, _ := f.store.LeadsByKey(ctx, "acme.com")
	if len(leads) != 2 {
		t.Fatalf("LeadsByKey(acme.com) = %d leads, want 2", len(leads))
	}
}

func TestSubmitLeadBadInputStoresNothing(t *testing.T) {
	cases := []struct {
		name string
		in   attribution.LeadInput
		want error
	}{
		{"NoAffiliate", acmeInput(func(in *attribution.LeadInput) { in.Affiliate = "" }), affiliate.ErrInvalid},
		{"UnknownAffiliate", acmeInput(func(in *attribution.LeadInput) { in.Affiliate = "ghost" }), attribution.ErrUnknownAffiliate},
		{"SuspendedAffiliate", acmeInput(func(in *attribution.LeadInput) { in.Affiliate = "sue" }), attribution.ErrAffiliateInactive},
		{"NoCompany", acmeInput(func(in *attribution.LeadInput) { in.Company = "  " }), affiliate.ErrInvalid},
		{"NoEmail", acmeInput(func(in *attribution.LeadInput) { in.Email = "" }), affiliate.ErrInvalid},
		{"NotAnEmail", acmeInput(func(in *attribution.LeadInput) { in.Email = "dana" }), affiliate.ErrInvalid},
		{"BadID", acmeInput(func(in *attribution.LeadInput) { in.ID = "l\n1" }), affiliate.ErrInvalid},
		{"LongWebsite", acmeInput(func(in *attribution.LeadInput) { in.Website = "https://acme.com/" + strings.Repeat("a", 2048) }), affiliate.ErrInvalid},
		{"NotUTF8", acmeInput(func(in *attribution.LeadInput) { in.Company = "Acme\xff" }), affiliate.ErrInvalid},
		{"ANSIEscape", acmeInput(func(in *attribution.LeadInput) { in.Company = "Acme\x1b[31m (verified)" }), affiliate.ErrInvalid},
		{"BidiOverride", acmeInput(func(in *attribution.LeadInput) { in.Company = "Acme \u202efollaw" }), affiliate.ErrInvalid},
		{"BidiIsolate", acmeInput(func(in *attribution.LeadInput) { in.LinkedIn = "https://linkedin.com/\u2066x" }), affiliate.ErrInvalid},
		{"NUL", acmeInput(func(in *attribution.LeadInput) { in.Website = "https://acme.com\x00.evil" }), affiliate.ErrInvalid},
		{"C1Control", acmeInput(func(in *attribution.LeadInput) { in.Company = "Ac\u0085me" }), affiliate.ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			l, err := f.t.SubmitLead(ctx, tc.in)
			if !errors.Is(err, tc.want) {
				t.Fatalf("SubmitLead = %+v, %v; want %v", l, err, tc.want)
			}
			if f.store.writes.Load() != 0 || len(f.obs.kinds()) != 0 {
				t.Fatal("a refused submission wrote or notified")
			}
			if leads, _ := f.store.LeadsByKey(ctx, "acme.com"); len(leads) != 0 {
				t.Fatalf("a refused submission stored %+v", leads)
			}
		})
	}
	t.Run("TakenID", func(t *testing.T) {
		f := newFixture(t)
		if _, err := f.t.SubmitLead(ctx, acmeInput(func(in *attribution.LeadInput) { in.ID = "form-1" })); err != nil {
			t.Fatal(err)
		}
		_, err := f.t.SubmitLead(ctx, acmeInput(func(in *attribution.LeadInput) { in.ID = "form-1"; in.Email = "x@other.io"; in.Website = "other.io" }))
		if !errors.Is(err, affiliate.ErrConflict) {
			t.Fatalf("resubmission = %v, want ErrConflict", err)
		}
		if f.store.writes.Load() != 1 {
			t.Fatal("a resubmission wrote")
		}
	})
	t.Run("TakenIDOtherCompanyName", func(t *testing.T) {
		f := newFixture(t)
		first, err := f.t.SubmitLead(ctx, acmeInput(func(in *attribution.LeadInput) { in.ID = "form-1" }))
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.t.SubmitLead(ctx, acmeInput(func(in *attribution.LeadInput) { in.ID = "form-1"; in.Company = "Acme Holdings" }))
		if !errors.Is(err, attribution.ErrLeadIDTaken) || !errors.Is(err, affiliate.ErrConflict) {
			t.Fatalf("resubmission with another name = %v, want ErrLeadIDTaken", err)
		}
		if got, _ := f.store.Lead(ctx, "form-1"); !cmp.Equal(got, first) || f.store.writes.Load() != 1 || len(f.obs.kinds()) != 1 {
			t.Fatalf("a refused resubmission changed the store: %+v", got)
		}
	})
}

// The same submission under the same ID again (a double-clicked form, a
// retried request) returns the stored lead and writes nothing.
func TestSubmitLeadReplay(t *testing.T) {
	f := newFixture(t)
	in := acmeInput(func(in *attribution.LeadInput) { in.ID = "form-1" })
	first, err := f.t.SubmitLead(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Hour)
	again, err := f.t.SubmitLead(ctx, in)
	if err != nil || !cmp.Equal(again, first) {
		t.Fatalf("replay = %+v, %v; want %+v", again, err, first)
	}
	if f.store.writes.Load() != 1 || len(f.obs.kinds()) != 1 {
		t.Fatalf("a replay wrote (%d writes) or notified (%v)", f.store.writes.Load(), f.obs.kinds())
	}
}

// TestSubmitLeadConcurrentDuplicates: partners submit the same company at
// once; the store lets one be accepted and the others are refused as
// already a lead.
func TestSubmitLeadConcurrentDuplicates(t *testing.T) {
	f := newFixture(t)
	const n = 16
	var wg sync.WaitGroup
	leads := make([]affiliate.Lead, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			leads[i], errs[i] = f.t.SubmitLead(ctx, acmeInput(func(in *attribution.LeadInput) { in.Email = fmt.Sprintf("p%d@acme.com", i) }))
		}()
	}
	wg.Wait()
	accepted := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("SubmitLead %d: %v", i, errs[i])
		}
		switch leads[i].Status {
		case affiliate.LeadAccepted:
			accepted++
		case affiliate.LeadRefused:
			if rs := attribution.LeadReasons(leads[i].Reasons); len(rs) != 1 || rs[0].Code != attribution.ReasonAlreadyLead {
				t.Fatalf("lead %d refused for %v, want already_lead", i, leads[i].Reasons)
			}
		}
	}
	if accepted != 1 {
		t.Fatalf("%d leads for one company accepted, want 1", accepted)
	}
}

func TestConvertLead(t *testing.T) {
	f := newFixture(t)
	lead := submitAcme(t, f, "ann")
	f.clock.Advance(20 * day)
	s := attribution.Signup{Customer: "cus-acme", Email: "dana@acme.com"}
	b, err := f.t.ConvertLead(ctx, lead.ID, s)
	if err != nil {
		t.Fatal(err)
	}
	want := affiliate.Binding{Customer: "cus-acme", Affiliate: "ann", Source: affiliate.BindByLead, Lead: lead.ID, TouchedAt: t0, BoundAt: t0.Add(20 * day)}
	if diff := cmp.Diff(want, b); diff != "" {
		t.Fatalf("ConvertLead (-want +got):\n%s", diff)
	}
	stored, _ := f.store.Lead(ctx, lead.ID)
	if stored.Status != affiliate.LeadConverted || stored.Customer != "cus-acme" || !stored.ConvertedAt.Equal(t0.Add(20*day)) {
		t.Fatalf("stored lead = %+v, want converted by cus-acme", stored)
	}
	if k := f.obs.kinds(); !slices.Equal(k, []attribution.EventKind{attribution.LeadAccepted, attribution.CustomerBound, attribution.LeadConverted}) {
		t.Fatalf("observer heard %v", k)
	}
	// A replay returns the binding and stores nothing.
	writes := f.store.writes.Load()
	again, err := f.t.ConvertLead(ctx, lead.ID, s)
	if err != nil || again != b || f.store.writes.Load() != writes || len(f.obs.kinds()) != 3 {
		t.Fatalf("replayed ConvertLead = %+v, %v (writes %d→%d)", again, err, writes, f.store.writes.Load())
	}
	// The lead cannot convert a second customer.
	if _, err := f.t.ConvertLead(ctx, lead.ID, attribution.Signup{Customer: "cus-other"}); !errors.Is(err, attribution.ErrLeadState) {
		t.Fatalf("second conversion = %v, want ErrLeadState", err)
	}
}

func TestConvertLeadAfterBindAtSignup(t *testing.T) {
	f := newFixture(t)
	lead := submitAcme(t, f, "ann")
	b, err := f.t.Bind(ctx, attribution.Signup{Customer: "cus-acme", Email: "erin@acme.com"})
	if err != nil || b.Lead != lead.ID {
		t.Fatalf("Bind = %+v, %v; want bound through the lead", b, err)
	}
	got, err := f.t.ConvertLead(ctx, lead.ID, attribution.Signup{Customer: "cus-acme"})
	if err != nil || got != b {
		t.Fatalf("ConvertLead = %+v, %v; want the signup's binding", got, err)
	}
	if k := f.obs.kinds(); !slices.Equal(k, []attribution.EventKind{attribution.LeadAccepted, attribution.CustomerBound, attribution.LeadConverted}) {
		t.Fatalf("observer heard %v", k)
	}
}

func TestConvertLeadRefusals(t *testing.T) {
	cases := []struct {
		name string
		prep func(t *testing.T, f *fixture, lead affiliate.Lead) (affiliate.LeadID, attribution.Signup)
		want error
	}{
		{"UnknownLead", func(t *testing.T, f *fixture, _ affiliate.Lead) (affiliate.LeadID, attribution.Signup) {
			return "nope", attribution.Signup{Customer: "cus-1"}
		}, affiliate.ErrNotFound},
		{"BoundElsewhere", func(t *testing.T, f *fixture, lead affiliate.Lead) (affiliate.LeadID, attribution.Signup) {
			if _, err := f.t.Bind(ctx, attribution.Signup{Customer: "cus-1", Code: "bob"}); err != nil {
				t.Fatal(err)
			}
			return lead.ID, attribution.Signup{Customer: "cus-1"}
		}, affiliate.ErrAlreadyBound},
		{"RefusedLead", func(t *testing.T, f *fixture, lead affiliate.Lead) (affiliate.LeadID, attribution.Signup) {
			if _, err := f.t.RefuseLead(ctx, lead.ID, attribution.Reason{Code: "no_budget"}); err != nil {
				t.Fatal(err)
			}
			return lead.ID, attribution.Signup{Customer: "cus-1"}
		}, attribution.ErrLeadState},
		{"SelfReferral", func(t *testing.T, f *fixture, lead affiliate.Lead) (affiliate.LeadID, attribution.Signup) {
			return lead.ID, attribution.Signup{Customer: "cus-1", Email: "ann@annco.io"}
		}, attribution.ErrIneligible},
		{"BadSignup", func(t *testing.T, f *fixture, lead affiliate.Lead) (affiliate.LeadID, attribution.Signup) {
			return lead.ID, attribution.Signup{}
		}, affiliate.ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			lead := submitAcme(t, f, "ann")
			id, s := tc.prep(t, f, lead)
			writes, events := f.store.writes.Load(), len(f.obs.kinds())
			if _, err := f.t.ConvertLead(ctx, id, s); !errors.Is(err, tc.want) {
				t.Fatalf("ConvertLead = %v, want %v", err, tc.want)
			}
			if f.store.writes.Load() != writes || len(f.obs.kinds()) != events {
				t.Fatal("a refused conversion wrote or notified")
			}
		})
	}
}

func TestRefuseLeadReleasesTheCompany(t *testing.T) {
	f := newFixture(t)
	lead := submitAcme(t, f, "ann")
	got, err := f.t.RefuseLead(ctx, lead.ID, attribution.Reason{Code: "not_a_fit", Detail: "only two seats"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != affiliate.LeadRefused || !slices.Equal(got.Reasons, []string{"not_a_fit: only two seats"}) {
		t.Fatalf("RefuseLead = %+v", got)
	}
	if _, err := f.t.RefuseLead(ctx, lead.ID, attribution.Reason{Code: "again"}); !errors.Is(err, attribution.ErrLeadState) {
		t.Fatalf("refusing a refused lead = %v, want ErrLeadState", err)
	}
	if _, err := f.t.RefuseLead(ctx, lead.ID); !errors.Is(err, affiliate.ErrInvalid) {
		t.Fatalf("RefuseLead without a reason = %v, want ErrInvalid", err)
	}
	// Another partner may now submit the company.
	if l := submitAcme(t, f, "bob"); l.Status != affiliate.LeadAccepted {
		t.Fatalf("resubmission after refusal: %+v", l)
	}
}

func TestCheckPartner(t *testing.T) {
	f := newFixture(t)
	reasons, err := f.t.CheckPartner(ctx, attribution.PartnerApplication{Email: "jo@jo-design.fr", Website: "jo-design.fr", Freelancer: true})
	if err != nil || len(reasons) != 0 {
		t.Fatalf("CheckPartner(freelancer with a site) = %v, %v", reasons, err)
	}
	reasons, _ = f.t.CheckPartner(ctx, attribution.PartnerApplication{Email: "jo@hotmail.com"})
	if len(reasons) != 2 || reasons[0].Code != attribution.ReasonFreeMail || reasons[1].Code != attribution.ReasonNoWebsite {
		t.Fatalf("CheckPartner(free mail, no site) = %v", reasons)
	}
}

func TestLeadStoreRefusesWhatTheTrackerWouldNot(t *testing.T) {
	// The tracker's stored leads always pass storage.ValidateLead; the
	// memstore refuses an invalid one without storing it.
	s := memstore.New()
	if err := s.AddLead(ctx, affiliate.Lead{ID: "l1", Affiliate: "ann", Status: affiliate.LeadRefused, SubmittedAt: t0, DecidedAt: t0}, nil); !errors.Is(err, affiliate.ErrInvalid) {
		t.Fatalf("AddLead(refused without reasons) = %v, want ErrInvalid", err)
	}
}

// TestLeadStoreIsOptional: the lead features are on when Config.Store
// implements LeadStore (memstore does) and off otherwise. Off, every lead
// call returns ErrNoLeadStore (an affiliate.ErrInvalid) and stores and
// notifies nothing, and Bind passes over leads to the touches.
func TestLeadStoreIsOptional(t *testing.T) {
	leadCalls := map[string]func(f *fixture) error{
		"SubmitLead": func(f *fixture) error { _, err := f.t.SubmitLead(ctx, acmeInput()); return err },
		"RefuseLead": func(f *fixture) error {
			_, err := f.t.RefuseLead(ctx, "lead-1", attribution.Reason{Code: "no_budget"})
			return err
		},
		"ConvertLead": func(f *fixture) error {
			_, err := f.t.ConvertLead(ctx, "lead-1", attribution.Signup{Customer: "cus-acme"})
			return err
		},
	}
	for name, call := range leadCalls {
		t.Run("WithoutLeadMethods/"+name, func(t *testing.T) {
			f := newFixture(t, withoutLeadMethods)
			err := call(f)
			if !errors.Is(err, attribution.ErrNoLeadStore) || !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("%s = %v, want ErrNoLeadStore matching ErrInvalid", name, err)
			}
			if f.store.writes.Load() != 0 || len(f.obs.kinds()) != 0 {
				t.Fatalf("%s wrote or notified", name)
			}
		})
	}

	cases := []struct {
		name  string
		edit  []func(*attribution.Config)
		lead  bool // whether SubmitLead stores the lead
		wantA affiliate.AffiliateID
		wantS affiliate.BindingSource
	}{
		{name: "Memstore", lead: true, wantA: "ann", wantS: affiliate.BindByLead},
		{name: "WithoutLeadMethods", edit: []func(*attribution.Config){withoutLeadMethods}, wantA: "bob", wantS: affiliate.BindByLink},
	}
	for _, tc := range cases {
		t.Run("Bind/"+tc.name, func(t *testing.T) {
			f := newFixture(t, tc.edit...)
			if _, err := f.t.SubmitLead(ctx, acmeInput()); (err == nil) != tc.lead {
				t.Fatalf("SubmitLead = %v, want stored %v", err, tc.lead)
			}
			f.touch(t, "v-dana", "bob", t0.Add(day))
			f.clock.Advance(2 * day)
			b, err := f.t.Bind(ctx, attribution.Signup{Customer: "cus-acme", Email: "dana@acme.com", Visitor: "v-dana"})
			if err != nil {
				t.Fatal(err)
			}
			if b.Affiliate != tc.wantA || b.Source != tc.wantS {
				t.Fatalf("bound %+v, want %s by %s", b, tc.wantA, tc.wantS)
			}
		})
	}
}

// withoutLeadMethods hides the store's lead methods from the tracker.
func withoutLeadMethods(c *attribution.Config) { c.Store = struct{ attribution.Store }{c.Store} }
