package attribution_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
)

func TestBindManually(t *testing.T) {
	f := newFixture(t)
	m := attribution.ManualBinding{Customer: "cus-1", Affiliate: "ann", Email: "carol@carolco.io", At: t0.Add(-day), Reason: "ticket 4711: the code was lost at checkout"}
	got, err := f.t.BindManually(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	want := affiliate.Binding{Customer: "cus-1", Affiliate: "ann", Source: affiliate.BindByManual, TouchedAt: t0.Add(-day), BoundAt: t0.Add(-day)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("BindManually (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, f.binding(t, "cus-1")); diff != "" {
		t.Fatalf("stored binding (-want +got):\n%s", diff)
	}
	wantEvents := []attribution.Event{{Kind: attribution.CustomerBound, Binding: want, Reason: m.Reason}}
	if diff := cmp.Diff(wantEvents, f.obs.events); diff != "" {
		t.Fatalf("events (-want +got):\n%s", diff)
	}

	// A binding never moves, whoever asks.
	m.Affiliate = "bob"
	again, err := f.t.BindManually(ctx, m)
	if !errors.Is(err, affiliate.ErrAlreadyBound) || again != want {
		t.Fatalf("second BindManually = %+v, %v; want the first binding and ErrAlreadyBound", again, err)
	}
}

// TestBindManuallyRefuses: a binding by hand passes the checks of any
// binding, and a refused or malformed one stores and reports nothing.
func TestBindManuallyRefuses(t *testing.T) {
	ok := attribution.ManualBinding{Customer: "cus-1", Affiliate: "ann", Reason: "imported from the old system"}
	cases := []struct {
		name   string
		edit   func(*attribution.ManualBinding)
		cfg    func(*attribution.Config)
		reason attribution.ReasonCode // "" for a malformed call
	}{
		{name: "SelfReferralByID", edit: func(m *attribution.ManualBinding) { m.Customer = "ann" }, reason: attribution.ReasonSelfReferral},
		{name: "SelfReferralByEmail", edit: func(m *attribution.ManualBinding) { m.Email = "Ann+promo@annco.io" }, reason: attribution.ReasonSelfReferral},
		{name: "SuspendedAffiliate", edit: func(m *attribution.ManualBinding) { m.Affiliate = "sue" }, reason: attribution.ReasonAffiliateInactive},
		{name: "UnknownAffiliate", edit: func(m *attribution.ManualBinding) { m.Affiliate = "ghost" }, reason: attribution.ReasonUnknownAffiliate},
		{
			name: "KnownToTheHost",
			cfg: func(c *attribution.Config) {
				c.Directory = directory{customers: map[affiliate.CustomerID]bool{"cus-1": true}}
			},
			reason: attribution.ReasonCustomerExists,
		},
		{
			name: "HostCheck",
			cfg: func(c *attribution.Config) {
				c.Checks = []attribution.Check{attribution.CheckFunc(func(_ context.Context, a attribution.Attempt) error {
					if a.Candidate.Source == attribution.SourceManual {
						return attribution.Refuse("needs_approval", "a manager approves bindings by hand")
					}
					return nil
				})}
			},
			reason: "needs_approval",
		},
		{name: "NoCustomer", edit: func(m *attribution.ManualBinding) { m.Customer = "" }},
		{name: "NoAffiliate", edit: func(m *attribution.ManualBinding) { m.Affiliate = "" }},
		{name: "NoReason", edit: func(m *attribution.ManualBinding) { m.Reason = "  " }},
		{name: "LongReason", edit: func(m *attribution.ManualBinding) { m.Reason = strings.Repeat("x", 2049) }},
		{name: "BadEmail", edit: func(m *attribution.ManualBinding) { m.Email = "not an address" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var edits []func(*attribution.Config)
			if tc.cfg != nil {
				edits = append(edits, tc.cfg)
			}
			f := newFixture(t, edits...)
			m := ok
			if tc.edit != nil {
				tc.edit(&m)
			}
			_, err := f.t.BindManually(ctx, m)
			if !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("BindManually = %v, want an error matching ErrInvalid", err)
			}
			var ie *attribution.IneligibleError
			var fe *affiliate.FieldError
			switch {
			case tc.reason == "" && !errors.As(err, &fe):
				t.Fatalf("BindManually = %v, want a *affiliate.FieldError", err)
			case tc.reason != "" && (!errors.As(err, &ie) || !ie.Has(tc.reason)):
				t.Fatalf("BindManually = %v, want a *IneligibleError with %s", err, tc.reason)
			}
			if n := f.store.writes.Load(); n != 0 {
				t.Fatalf("a refused BindManually stored %d things", n)
			}
			if k := f.obs.kinds(); len(k) != 0 {
				t.Fatalf("a refused BindManually reported %v", k)
			}
		})
	}
}

func TestSuspendAndReinstate(t *testing.T) {
	f := newFixture(t)
	at := t0.Add(-day)
	a, err := f.t.Suspend(ctx, "ann", at, "chargeback fraud under review")
	if err != nil || a.Status != affiliate.StatusSuspended {
		t.Fatalf("Suspend = %+v, %v; want ann suspended", a, err)
	}
	// Suspended means what it means everywhere: no touches, no bindings.
	if _, err := f.t.RecordTouch(ctx, attribution.TouchInput{Visitor: "v1", Code: "ANN"}); !errors.Is(err, attribution.ErrAffiliateInactive) {
		t.Fatalf("RecordTouch for a suspended affiliate = %v, want ErrAffiliateInactive", err)
	}
	_, err = f.t.BindManually(ctx, attribution.ManualBinding{Customer: "cus-1", Affiliate: "ann", Reason: "support"})
	var ie *attribution.IneligibleError
	if !errors.As(err, &ie) || !ie.Has(attribution.ReasonAffiliateInactive) {
		t.Fatalf("BindManually to a suspended affiliate = %v, want affiliate_inactive", err)
	}
	// Suspending again changes and reports nothing.
	if a, err := f.t.Suspend(ctx, "ann", t0, "again"); err != nil || a.Status != affiliate.StatusSuspended {
		t.Fatalf("second Suspend = %+v, %v", a, err)
	}
	if a, err = f.t.Reinstate(ctx, "ann", t0, "review closed: no fraud"); err != nil || a.Status != affiliate.StatusActive {
		t.Fatalf("Reinstate = %+v, %v; want ann active", a, err)
	}
	if _, err := f.t.RecordTouch(ctx, attribution.TouchInput{Visitor: "v1", Code: "ANN"}); err != nil {
		t.Fatalf("RecordTouch after Reinstate: %v", err)
	}
	stored, err := f.store.Affiliate(ctx, "ann")
	if err != nil || stored.Status != affiliate.StatusActive || stored.Email != "ann@annco.io" || len(stored.Codes) != 1 {
		t.Fatalf("stored ann = %+v, %v; want her account as it was, active", stored, err)
	}
	suspended, active := stored, stored
	suspended.Status = affiliate.StatusSuspended
	want := []attribution.Event{
		{Kind: attribution.AffiliateSuspended, Affiliate: suspended, At: at, Reason: "chargeback fraud under review"},
		{Kind: attribution.AffiliateReinstated, Affiliate: active, At: t0, Reason: "review closed: no fraud"},
		{Kind: attribution.TouchRecorded},
	}
	if diff := cmp.Diff(want, f.obs.events, cmpopts.IgnoreFields(attribution.Event{}, "Touch")); diff != "" {
		t.Fatalf("events (-want +got):\n%s", diff)
	}
}

// TestSuspendRefuses: bad input and unknown affiliates change nothing.
func TestSuspendRefuses(t *testing.T) {
	type call func(*attribution.Tracker) (affiliate.Affiliate, error)
	cases := []struct {
		name string
		call call
		want error
	}{
		{"Unknown", func(tr *attribution.Tracker) (affiliate.Affiliate, error) {
			return tr.Suspend(ctx, "ghost", t0, "fraud")
		}, attribution.ErrUnknownAffiliate},
		{"NoID", func(tr *attribution.Tracker) (affiliate.Affiliate, error) { return tr.Suspend(ctx, "", t0, "fraud") }, affiliate.ErrInvalid},
		{"NoReason", func(tr *attribution.Tracker) (affiliate.Affiliate, error) { return tr.Suspend(ctx, "ann", t0, "") }, affiliate.ErrInvalid},
		{"ReinstateNoReason", func(tr *attribution.Tracker) (affiliate.Affiliate, error) { return tr.Reinstate(ctx, "sue", t0, " ") }, affiliate.ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			if _, err := tc.call(f.t); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			for id, want := range map[affiliate.AffiliateID]affiliate.AffiliateStatus{"ann": affiliate.StatusActive, "sue": affiliate.StatusSuspended} {
				if a, err := f.store.Affiliate(ctx, id); err != nil || a.Status != want {
					t.Fatalf("%s is now %+v, %v; want it %s as before", id, a, err, want)
				}
			}
			if k := f.obs.kinds(); len(k) != 0 {
				t.Fatalf("a refused call reported %v", k)
			}
		})
	}
}
