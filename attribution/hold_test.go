package attribution_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

func disposable(d string) bool { return d == "mailinator.com" }

// TestHold: a Hold check binds and holds where its check would refuse;
// the same check unwrapped refuses; a store without a review trail
// refuses to bind what it cannot hold.
func TestHold(t *testing.T) {
	check := attribution.DisposableDomain{Disposable: disposable}
	for _, tc := range []struct {
		name      string
		check     attribution.Check
		hideTrail bool
		email     string
		bound     bool
		holds     []string
		err       error
	}{
		{"held", attribution.Hold(check), false, "x@mailinator.com", true, []string{"disposable_domain: the customer's e-mail domain mailinator.com is disposable"}, nil},
		{"passes", attribution.Hold(check), false, "x@acme.io", true, nil, nil},
		{"refused unwrapped", check, false, "x@mailinator.com", false, nil, attribution.ErrIneligible},
		{"no review trail", attribution.Hold(check), true, "x@mailinator.com", false, nil, attribution.ErrHoldUnsupported},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memstore.New()
			if err := mem.PutAffiliate(ctx, affiliate.Affiliate{ID: "ann", Status: affiliate.StatusActive, Codes: []string{"ann"}}); err != nil {
				t.Fatal(err)
			}
			var store attribution.Store = mem
			if tc.hideTrail {
				store = struct{ attribution.Store }{mem}
			}
			tr, err := attribution.New(attribution.Config{Store: store, Checks: []attribution.Check{tc.check}, Now: newClock(t0).Now})
			if err != nil {
				t.Fatal(err)
			}
			_, err = tr.Bind(ctx, attribution.Signup{Customer: "acme", Email: tc.email, Code: "ann", At: t0})
			if tc.err != nil && !errors.Is(err, tc.err) || tc.err == nil && err != nil {
				t.Fatalf("Bind = %v; want %v", err, tc.err)
			}
			if _, err := mem.Binding(ctx, "acme"); (err == nil) != tc.bound {
				t.Errorf("Binding: %v; want bound %v", err, tc.bound)
			}
			rs, err := mem.Reviews(ctx, storage.ReviewQuery{Customer: "acme"})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rs {
				if r.Action != affiliate.ReviewHold || r.Affiliate != "ann" || !r.At.Equal(t0) {
					t.Errorf("hold record %+v; want ann's binding held at the signup", r)
				}
				got = append(got, r.Reason)
			}
			if len(got) != len(tc.holds) || len(got) > 0 && got[0] != tc.holds[0] {
				t.Errorf("holds = %q; want %q", got, tc.holds)
			}
		})
	}
}

// TestHoldSignals: a burst of one affiliate's bindings (Velocity) and a
// customer at the affiliate's own company domain (HoldSameDomain) are
// bound and held where they would be refused; refusals store nothing.
func TestHoldSignals(t *testing.T) {
	week := 7 * day
	for _, tc := range []struct {
		name       string
		checks     func(attribution.Store) []attribution.Check
		sameDomain bool
		email      string
		hold       string // the hold's reason; "" none
		err        error  // nil: bound
	}{
		{"velocity under the limit", velocity(3, week, true), false, "x@acme.io", "", nil},
		{"velocity at the limit", velocity(2, week, true), false, "x@acme.io", "velocity: affiliate ann bound 2 customers in the 168h0m0s before this signup; the limit is 2", nil},
		{"velocity window excludes older bindings", velocity(2, 2*time.Hour, true), false, "x@acme.io", "", nil},
		{"velocity unwrapped refuses", velocity(2, week, false), false, "x@acme.io", "", attribution.ErrIneligible},
		{"velocity without a limit", velocity(0, week, true), false, "x@acme.io", "", affiliate.ErrInvalid},
		{"velocity without a window", velocity(2, 0, true), false, "x@acme.io", "", affiliate.ErrInvalid},
		{"same domain held", nil, true, "colleague@annco.io", "self_referral: the customer shares the affiliate's e-mail domain annco.io", nil},
		{"same domain refused by default", nil, false, "colleague@annco.io", "", attribution.ErrIneligible},
		{"same mailbox refused when holding domains", nil, true, "Ann+x@annco.io", "", attribution.ErrIneligible},
		{"same free-mail domain passes", nil, true, "carol@gmail.com", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memstore.New()
			ann := annAff
			if tc.email == "carol@gmail.com" {
				ann.Email = "ann@gmail.com"
			}
			if err := mem.PutAffiliate(ctx, ann); err != nil {
				t.Fatal(err)
			}
			for i, at := range []time.Time{t0.Add(-8 * day), t0.Add(-3 * time.Hour), t0.Add(-time.Hour)} {
				b := affiliate.Binding{Customer: affiliate.CustomerID(fmt.Sprint("old-", i)), Affiliate: "ann", Source: affiliate.BindByCode, Code: "ann", TouchedAt: at, BoundAt: at}
				if _, err := mem.Bind(ctx, b); err != nil {
					t.Fatal(err)
				}
			}
			var checks []attribution.Check
			if tc.checks != nil {
				checks = tc.checks(mem)
			}
			tr, err := attribution.New(attribution.Config{Store: mem, Checks: checks, HoldSameDomain: tc.sameDomain, Now: newClock(t0).Now})
			if err != nil {
				t.Fatal(err)
			}
			_, err = tr.Bind(ctx, attribution.Signup{Customer: "acme", Email: tc.email, Code: "ann", At: t0})
			if !errors.Is(err, tc.err) || tc.err == nil && err != nil {
				t.Fatalf("Bind = %v; want %v", err, tc.err)
			}
			if _, err := mem.Binding(ctx, "acme"); (err == nil) != (tc.err == nil) {
				t.Errorf("Binding: %v; want bound %v", err, tc.err == nil)
			}
			rs, err := mem.Reviews(ctx, storage.ReviewQuery{Customer: "acme"})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rs {
				got = append(got, r.Reason)
			}
			if want := []string{tc.hold}; tc.hold == "" && len(got) != 0 || tc.hold != "" && !slices.Equal(got, want) {
				t.Errorf("holds = %q; want %q", got, tc.hold)
			}
			if bs, err := mem.AffiliateBindings(ctx, "ann"); err != nil || tc.err != nil && len(bs) != 3 {
				t.Errorf("ann's bindings after a refusal = %v, %v; want the 3 stored before", bs, err)
			}
		})
	}
}

// velocity is a Velocity check over the test's store, wrapped in Hold
// when held.
func velocity(limit int, within time.Duration, held bool) func(attribution.Store) []attribution.Check {
	return func(s attribution.Store) []attribution.Check {
		var c attribution.Check = attribution.Velocity{Bindings: s.(storage.BindingLister), Limit: limit, Within: within}
		if held {
			c = attribution.Hold(c)
		}
		return []attribution.Check{c}
	}
}

// TestConvertLeadHeld: a lead conversion runs the Hold checks as Bind
// does: the customer is bound and the binding held with the reason.
func TestConvertLeadHeld(t *testing.T) {
	f := newFixture(t, func(c *attribution.Config) {
		c.Checks = []attribution.Check{attribution.Hold(attribution.CheckFunc(func(context.Context, attribution.Attempt) error {
			return attribution.Refuse("fraud_score", "score 97")
		}))}
	})
	lead := submitAcme(t, f, "ann")
	if _, err := f.t.ConvertLead(ctx, lead.ID, attribution.Signup{Customer: "cus-acme", Email: "dana@acme.com"}); err != nil {
		t.Fatal(err)
	}
	rs, err := f.store.Reviews(ctx, storage.ReviewQuery{Customer: "cus-acme"})
	if err != nil || len(rs) != 1 || rs[0].Reason != "fraud_score: score 97" || rs[0].Affiliate != "ann" || rs[0].Action != affiliate.ReviewHold {
		t.Fatalf("reviews = %+v, %v; want ann's binding held for fraud_score", rs, err)
	}
}
