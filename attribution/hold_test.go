package attribution_test

import (
	"errors"
	"testing"

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
