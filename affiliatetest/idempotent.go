package affiliatetest

import (
	"context"
	"fmt"
	"slices"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
)

// CheckIdempotent checks I1, delivering any event twice changes nothing,
// on sys. It delivers each event in the order given and at once a second
// time, and requires that the second delivery
//
//   - is accepted when the first was (a replay reports the earlier
//     result, it does not fail), and refused when the first was;
//   - adds, removes and changes no ledger entry of the event's customer;
//   - adds nothing to that customer's event log, when sys.Events is set.
//
// Each delivery is compared on its own customer's ledger and log, which
// is where an engine writes what an event produces, so the check costs
// the history once over, not once per event.
//
// It then delivers every event once more, after all the others, and
// requires the same of that late replay, which catches engines whose
// deduplication depends on what came after.
//
// It returns a *Violation naming the event and the entries that changed,
// or another error when the ledger could not be read.
func CheckIdempotent(ctx context.Context, sys System, events []affiliate.Event) error {
	if err := sys.validate(); err != nil {
		return err
	}
	snap := func(e affiliate.Event) (state, error) {
		return snapshot(ctx, sys, []affiliate.CustomerID{e.EventCustomer()})
	}
	accepted := make(map[affiliate.EventID]bool)
	for _, e := range events {
		first := sys.Engine.Record(ctx, e)
		if first == nil {
			accepted[e.EventID()] = true
		}
		before, err := snap(e)
		if err != nil {
			return err
		}
		second := sys.Engine.Record(ctx, e)
		if v := compareDelivery("a second time at once", e, first, second); v != nil {
			return v
		}
		after, err := snap(e)
		if err != nil {
			return err
		}
		if v := before.diff(after, e, "delivering it a second time at once"); v != nil {
			return v
		}
	}
	// A late replay of everything, after all the events. An event refused
	// so far may be accepted now (a refund whose payment has come since),
	// which is its first delivery as far as I1 is concerned.
	for _, e := range events {
		before, err := snap(e)
		if err != nil {
			return err
		}
		err = sys.Engine.Record(ctx, e)
		if !accepted[e.EventID()] {
			if err == nil {
				accepted[e.EventID()] = true
			}
			continue
		}
		if err != nil {
			return violation("I1", []string{string(e.EventID())}, "delivering it again after all the other events failed: %v", err)
		}
		after, err := snap(e)
		if err != nil {
			return err
		}
		if v := before.diff(after, e, "delivering it again after all the other events"); v != nil {
			return v
		}
	}
	return nil
}

func compareDelivery(when string, e affiliate.Event, first, second error) *Violation {
	on := []string{string(e.EventID())}
	switch {
	case first == nil && second != nil:
		return violation("I1", on, "the first delivery was accepted, but delivering it %s failed: %v", when, second)
	case first != nil && second == nil:
		return violation("I1", on, "the first delivery was refused (%v), but delivering it %s was accepted", first, when)
	}
	return nil
}

// state is what a duplicate must not change.
type state struct {
	entries []affiliate.Entry
	log     []affiliate.EventRecord
}

func snapshot(ctx context.Context, sys System, customers []affiliate.CustomerID) (state, error) {
	entries, err := ledgerOf(ctx, sys.Ledger, customers)
	if err != nil {
		return state{}, err
	}
	log, err := eventLogOf(ctx, sys.Events, customers)
	if err != nil {
		return state{}, err
	}
	return state{entries: entries, log: log}, nil
}

func (s state) diff(after state, e affiliate.Event, what string) *Violation {
	on := []string{string(e.EventID())}
	byID := make(map[affiliate.EntryID]affiliate.Entry, len(s.entries))
	for _, x := range s.entries {
		byID[x.ID] = x
	}
	var changes []string
	seen := make(map[affiliate.EntryID]bool, len(after.entries))
	for _, x := range after.entries {
		seen[x.ID] = true
		old, ok := byID[x.ID]
		switch {
		case !ok:
			changes = append(changes, "added "+describeEntry(x))
		case !gocmp.Equal(old, x, CmpOptions()):
			changes = append(changes, fmt.Sprintf("changed %s (-before +after):\n%s", x.ID, gocmp.Diff(old, x, CmpOptions())))
		}
	}
	for _, x := range s.entries {
		if !seen[x.ID] {
			changes = append(changes, "removed "+describeEntry(x))
		}
	}
	if len(changes) > 0 {
		return violation("I1", on, "%s changed the ledger:\n\t%s", what, lines(changes))
	}
	if a, b := recordIDs(s.log), recordIDs(after.log); !slices.Equal(a, b) {
		return violation("I1", on, "%s changed the event log from %v to %v", what, a, b)
	}
	return nil
}
