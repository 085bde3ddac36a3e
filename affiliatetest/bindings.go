package affiliatetest

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/openaffiliate/affiliate"
)

// Attribution is what CheckBindings judges: the touches recorded and the
// bindings read back, under the program's attribution settings.
type Attribution struct {
	// Window is the attribution window (the cookie's life, 90 days in
	// seed 000): a binding's touch must lie at most Window before it. Zero
	// skips the window check.
	Window time.Duration
	// FirstClick says the program credits the earliest touch in the
	// window; a link binding must then name the visitor's earliest such
	// touch.
	FirstClick bool
	// Touches are every touch recorded, in any order.
	Touches []affiliate.Touch
	// Observed are the bindings read back, as many times as the test read
	// them (after every step, say): one customer's observations must all
	// be the same binding.
	Observed []affiliate.Binding
	// Self, optional, reports whether customer c is affiliate a (the same
	// person: same e-mail, same account). Such a binding is a
	// self-referral.
	Self func(c affiliate.CustomerID, a affiliate.AffiliateID) bool
}

// CheckBindings checks I9: a customer has at most one binding, later
// touches never move it under first-click, a binding's touch lies inside
// its window, and self-referrals are never bound. It requires
//
//   - every observation of a customer's binding to be the same binding,
//     so the customer was never bound twice, and never moved;
//   - a binding that names a touch to name a recorded touch on the same
//     affiliate, made at most Window before the binding (and not after
//     it);
//   - under FirstClick, a link binding's touch to be the earliest of the
//     visitor's touches in the window before the binding, self-referrals
//     aside;
//   - no binding for which Self reports true.
//
// It returns a *Violation naming the customers and touches, or nil.
func CheckBindings(a Attribution) error {
	touches := make(map[affiliate.TouchID]affiliate.Touch, len(a.Touches))
	byVisitor := make(map[affiliate.VisitorID][]affiliate.Touch)
	for _, t := range a.Touches {
		touches[t.ID] = t
		byVisitor[t.Visitor] = append(byVisitor[t.Visitor], t)
	}
	for _, ts := range byVisitor {
		slices.SortFunc(ts, func(x, y affiliate.Touch) int {
			return cmp.Or(x.At.Compare(y.At), cmp.Compare(x.ID, y.ID))
		})
	}
	var bad, on []string
	note := func(subjects []string, format string, args ...any) {
		bad = append(bad, fmt.Sprintf(format, args...))
		for _, s := range subjects {
			if !slices.Contains(on, s) {
				on = append(on, s)
			}
		}
	}
	first := make(map[affiliate.CustomerID]affiliate.Binding)
	checked := make(map[affiliate.CustomerID]bool)
	for _, b := range a.Observed {
		c := string(b.Customer)
		if f, ok := first[b.Customer]; ok {
			if !sameBinding(f, b) {
				note([]string{c}, "customer %s was bound to %s (%s, at %s), then to %s (%s, at %s)",
					c, f.Affiliate, f.Source, f.BoundAt.Format(time.RFC3339), b.Affiliate, b.Source, b.BoundAt.Format(time.RFC3339))
			}
			continue
		}
		first[b.Customer] = b
		if checked[b.Customer] {
			continue
		}
		checked[b.Customer] = true
		if a.Self != nil && a.Self(b.Customer, b.Affiliate) {
			note([]string{c}, "customer %s is affiliate %s, yet was bound to itself (a self-referral)", c, b.Affiliate)
		}
		if b.Touch == "" {
			continue
		}
		t, ok := touches[b.Touch]
		if !ok {
			note([]string{c, string(b.Touch)}, "customer %s's binding names touch %s, which was never recorded", c, b.Touch)
			continue
		}
		subjects := []string{c, string(t.ID)}
		if t.Affiliate != b.Affiliate {
			note(subjects, "customer %s is bound to %s through touch %s, which was on %s", c, b.Affiliate, t.ID, t.Affiliate)
		}
		if t.At.After(b.BoundAt) {
			note(subjects, "customer %s was bound at %s through touch %s, made later, at %s", c, b.BoundAt.Format(time.RFC3339), t.ID, t.At.Format(time.RFC3339))
		} else if a.Window > 0 && b.BoundAt.Sub(t.At) > a.Window {
			note(subjects, "customer %s was bound at %s through touch %s of %s, %s before, outside the %s window",
				c, b.BoundAt.Format(time.RFC3339), t.ID, t.At.Format(time.RFC3339), b.BoundAt.Sub(t.At), a.Window)
		}
		if !a.FirstClick || b.Source != affiliate.BindByLink {
			continue
		}
		for _, o := range byVisitor[t.Visitor] {
			if o.ID == t.ID || !o.At.Before(t.At) || (a.Self != nil && a.Self(b.Customer, o.Affiliate)) {
				continue
			}
			if a.Window > 0 && b.BoundAt.Sub(o.At) > a.Window {
				continue
			}
			note([]string{c, string(t.ID), string(o.ID)}, "customer %s was bound through touch %s (%s at %s), but under first-click the earlier touch %s (%s at %s) wins",
				c, t.ID, t.Affiliate, t.At.Format(time.RFC3339), o.ID, o.Affiliate, o.At.Format(time.RFC3339))
			break
		}
	}
	if len(bad) > 0 {
		return violation("I9", on, "bindings break the attribution rules:\n\t%s", lines(bad))
	}
	return nil
}

// sameBinding compares two reads of one binding, times by instant.
func sameBinding(a, b affiliate.Binding) bool {
	return a.Customer == b.Customer && a.Affiliate == b.Affiliate && a.Source == b.Source &&
		a.Touch == b.Touch && a.Lead == b.Lead && a.Code == b.Code &&
		a.TouchedAt.Equal(b.TouchedAt) && a.BoundAt.Equal(b.BoundAt) && a.ExpiresAt.Equal(b.ExpiresAt)
}
