package affiliatetest

import (
	"context"
	"fmt"
	"slices"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
)

// FaultFactory makes a fresh System whose engine writes through a
// FaultStore that f governs (NewFaultStore(store, f)), and whose Ledger
// and Events read the wrapped store directly. Seed the store before
// wrapping it, so that seeding is not counted.
type FaultFactory func(f *Faults) (System, error)

// writes are the store methods that change state; a lost answer
// (FailAfter) only makes a difference on them.
var writes = []string{"Events.Commit", "Ledger.Append", "Bindings.Bind", "Affiliates.PutAffiliate"}

// CheckAtomicFailures checks I7, a store that fails mid-call leaves no
// partial event, and a retry completes it. It records events in order into
// a reference System to learn the store calls each event makes and the
// state (the customers' ledgers and, when System.Events is set, their
// event log) after each event. Then, for every event and every store call
// it makes, it records the events before it into a fresh System, fails
// that call (before it reaches the store; and, for a write, after it
// reached the store, as a lost answer), and requires
//
//   - that the state is the state before the event or the state after it,
//     never something in between (no partial event);
//   - that delivering the event again, with the store healthy, is
//     accepted when the reference accepted it, and leaves exactly the
//     reference's state after the event.
//
// An engine that swallows the failure and returns no error passes only if
// the state is then complete. The number of runs is the number of store
// calls, twice for writes, so keep the events few (a dozen).
//
// It returns a *Violation naming the event and the failed call, or
// another error when a system could not be made or read.
func CheckAtomicFailures(ctx context.Context, newSystem FaultFactory, events []affiliate.Event) error {
	customers := customersOf(events)
	faults := &Faults{}
	ref, err := newSystem(faults)
	if err != nil {
		return fmt.Errorf("affiliatetest: making the reference system: %w", err)
	}
	if err := ref.validate(); err != nil {
		return err
	}
	states := make([]state, len(events)+1) // states[i]: before event i
	if states[0], err = snapshot(ctx, ref, customers); err != nil {
		return err
	}
	refErrs := make([]error, len(events))
	calls := make([][]string, len(events))
	for i, e := range events {
		faults.Disarm()
		refErrs[i] = ref.Engine.Record(ctx, e)
		calls[i] = faults.Calls()
		if states[i+1], err = snapshot(ctx, ref, customers); err != nil {
			return err
		}
	}
	for i := range events {
		for n, method := range calls[i] {
			modes := []FaultMode{FailBefore}
			if slices.Contains(writes, method) {
				modes = append(modes, FailAfter)
			}
			for _, mode := range modes {
				if v, err := failOnce(ctx, newSystem, events, customers, i, n+1, method, mode, refErrs[i], states[i], states[i+1]); v != nil || err != nil {
					if v != nil {
						return v
					}
					return err
				}
			}
		}
	}
	return nil
}

func failOnce(ctx context.Context, newSystem FaultFactory, events []affiliate.Event, customers []affiliate.CustomerID,
	i, n int, method string, mode FaultMode, refErr error, before, after state) (*Violation, error) {
	faults := &Faults{}
	sys, err := newSystem(faults)
	if err != nil {
		return nil, fmt.Errorf("affiliatetest: making a system: %w", err)
	}
	for _, e := range events[:i] {
		_ = sys.Engine.Record(ctx, e) // as the reference did; its outcome is checked there
	}
	e := events[i]
	faults.Arm(n, mode)
	failed := sys.Engine.Record(ctx, e)
	faults.Disarm()
	got, err := snapshot(ctx, sys, customers)
	if err != nil {
		return nil, err
	}
	on := []string{string(e.EventID())}
	what := fmt.Sprintf("while recording %s, the store's call %d (%s) failed %s", e.EventID(), n, method, mode)
	if failed == nil {
		if !got.equal(after) {
			return violation("I7", on, "%s; Record returned no error, but the state is not what a healthy store gives:\n%s", what, after.diffText(got)), nil
		}
		return nil, nil
	}
	if !got.equal(before) && !got.equal(after) {
		return violation("I7", on, "%s; Record returned %q and left a partial event (-before the event +after the failure):\n%s", what, failed, before.diffText(got)), nil
	}
	retry := sys.Engine.Record(ctx, e)
	switch {
	case refErr == nil && retry != nil:
		return violation("I7", on, "%s; delivering it again with the store healthy failed: %v", what, retry), nil
	case refErr != nil && retry == nil:
		return violation("I7", on, "%s; delivering it again was accepted, but a healthy store refused it (%v)", what, refErr), nil
	}
	if got, err = snapshot(ctx, sys, customers); err != nil {
		return nil, err
	}
	if !got.equal(after) {
		return violation("I7", on, "%s; delivering it again did not complete it (-healthy store +retry):\n%s", what, after.diffText(got)), nil
	}
	return nil, nil
}

func (s state) equal(o state) bool {
	return gocmp.Equal(s.entries, o.entries, CmpOptions()) && slices.Equal(recordIDs(s.log), recordIDs(o.log))
}

func (s state) diffText(o state) string {
	d := gocmp.Diff(s.entries, o.entries, CmpOptions())
	if a, b := recordIDs(s.log), recordIDs(o.log); !slices.Equal(a, b) {
		d += fmt.Sprintf("event log: %v, then %v\n", a, b)
	}
	return d
}

func recordIDs(rs []affiliate.EventRecord) []affiliate.EventID {
	out := make([]affiliate.EventID, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	slices.Sort(out)
	return out
}
