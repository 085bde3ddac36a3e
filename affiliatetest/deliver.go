package affiliatetest

import (
	"context"
	"slices"

	"github.com/openaffiliate/affiliate"
)

// deliver records events in the order given, then delivers the refused
// ones again, in the same order, as a host retrying its failed webhooks
// does, until a pass accepts nothing new. It returns the events that stay
// refused with the last error of each.
//
// The retry passes let the checkers judge an engine that refuses a refund
// whose payment it has not seen (asking the host to retry) as fairly as
// one that parks it: either way the ledger must follow from the events
// once the host has delivered them all.
func deliver(ctx context.Context, eng Recorder, events []affiliate.Event) (map[affiliate.EventID]error, error) {
	refused := make(map[affiliate.EventID]error)
	accepted := make(map[affiliate.EventID]bool)
	var retry []affiliate.Event
	for _, e := range events {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := eng.Record(ctx, e); err != nil {
			refused[e.EventID()] = err
			if !slices.ContainsFunc(retry, func(r affiliate.Event) bool { return r.EventID() == e.EventID() }) {
				retry = append(retry, e)
			}
			continue
		}
		accepted[e.EventID()] = true
	}
	retry = slices.DeleteFunc(retry, func(e affiliate.Event) bool { return accepted[e.EventID()] })
	for id := range accepted {
		delete(refused, id)
	}
	for len(retry) > 0 {
		var still []affiliate.Event
		for _, e := range retry {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if err := eng.Record(ctx, e); err != nil {
				refused[e.EventID()] = err
				still = append(still, e)
				continue
			}
			delete(refused, e.EventID())
		}
		if len(still) == len(retry) {
			break
		}
		retry = still
	}
	return refused, nil
}

// acceptedEvents returns events minus the refused ones and minus repeated
// deliveries, in first-delivery order.
func acceptedEvents(events []affiliate.Event, refused map[affiliate.EventID]error) []affiliate.Event {
	seen := make(map[affiliate.EventID]bool)
	var out []affiliate.Event
	for _, e := range events {
		id := e.EventID()
		if seen[id] {
			continue
		}
		seen[id] = true
		if _, ok := refused[id]; !ok {
			out = append(out, e)
		}
	}
	return out
}
