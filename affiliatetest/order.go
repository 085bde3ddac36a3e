package affiliatetest

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/openaffiliate/affiliate"
)

// CheckOrderIndependent checks I2, any arrival order of the same events
// gives the same net ledger. It records each delivery into a fresh System
// from newSystem, and requires every resulting NetLedger to equal the
// first one's. Deliveries may repeat events (see Arrivals), and should
// hold the same events: a delivery that misses an event the first one has
// is a caller error, reported as such.
//
// Events an engine refuses are delivered again once the others are in, as
// a host retries, so an engine that asks for a retry of a refund whose
// payment it has not seen is judged on the ledger after the retries. An
// event refused in one order and accepted in another breaks I2 only when
// the net ledgers differ (a partial refund that arrives after a full one
// finds nothing left, and may be refused, in one order only); the report
// then lists such events.
//
// It returns a *Violation listing the net ledger lines that differ, or
// another error when a system could not be made or read.
func CheckOrderIndependent(ctx context.Context, newSystem Factory, deliveries ...[]affiliate.Event) error {
	if len(deliveries) < 2 {
		return fmt.Errorf("affiliatetest: CheckOrderIndependent needs at least two deliveries, got %d", len(deliveries))
	}
	want := eventSet(deliveries[0])
	for i, d := range deliveries[1:] {
		if got := eventSet(d); !slices.Equal(got, want) {
			return fmt.Errorf("affiliatetest: delivery %d holds events %v, delivery 1 holds %v: compare deliveries of the same events", i+2, got, want)
		}
	}
	type run struct {
		net     NetLedger
		refused map[affiliate.EventID]error
	}
	runs := make([]run, len(deliveries))
	for i, d := range deliveries {
		sys, err := newSystem()
		if err != nil {
			return fmt.Errorf("affiliatetest: making system %d: %w", i+1, err)
		}
		if err := sys.validate(); err != nil {
			return err
		}
		refused, err := deliver(ctx, sys.Engine, d)
		if err != nil {
			return err
		}
		entries, err := ledgerOf(ctx, sys.Ledger, customersOf(d))
		if err != nil {
			return err
		}
		net, err := Net(entries)
		if err != nil {
			return err
		}
		runs[i] = run{net: net, refused: refused}
	}
	for i := 1; i < len(runs); i++ {
		a, b := runs[0], runs[i]
		nameA, nameB := "arrival order 1", fmt.Sprintf("arrival order %d", i+1)
		diffs := diffNet(a.net, b.net, nameA, nameB)
		if len(diffs) == 0 {
			// Refusals that leave the same net ledger are fine: after a
			// full refund, a late partial one has nothing left to take.
			continue
		}
		for _, id := range want {
			_, ra := a.refused[affiliate.EventID(id)]
			_, rb := b.refused[affiliate.EventID(id)]
			if ra != rb {
				diffs = append(diffs, fmt.Sprintf("event %s: %s %s, %s %s", id, nameA, acceptance(a.refused, id), nameB, acceptance(b.refused, id)))
			}
		}
		return violation("I2", want, "the same events arrived in two orders and the net ledgers differ:\n\t%s\n\t%s: %s\n\t%s: %s",
			lines(diffs), nameA, strings.Join(ids(deliveries[0]), " "), nameB, strings.Join(ids(deliveries[i]), " "))
	}
	return nil
}

func acceptance(refused map[affiliate.EventID]error, id string) string {
	if err, ok := refused[affiliate.EventID(id)]; ok {
		return fmt.Sprintf("refused it (%v)", err)
	}
	return "accepted it"
}

// eventSet returns the distinct event IDs of a delivery, sorted.
func eventSet(events []affiliate.Event) []string {
	out := ids(events)
	slices.Sort(out)
	return slices.Compact(out)
}
