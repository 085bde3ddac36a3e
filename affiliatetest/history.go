package affiliatetest

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
)

// HistoryOptions shape the histories History draws. The zero value draws
// one to six monthly payments of customer "cus_1" in one drawn currency,
// starting at Epoch.
type HistoryOptions struct {
	// Customer owns every event; "" means "cus_1".
	Customer affiliate.CustomerID
	// Currency of every payment; "" draws one for the whole history.
	Currency affiliate.Currency
	// MultiCurrency draws a currency for each payment instead (Currency is
	// then ignored), as a customer who moves from EUR to USD billing does.
	MultiCurrency bool
	// MinPayments and MaxPayments bound the number of payments; zero
	// means 1 and 6. MaxPayments below MinPayments is raised to it.
	MinPayments, MaxPayments int
	// Start is the earliest payment time; zero means Epoch.
	Start time.Time
}

// History draws the billing history of one customer: payments about a
// month apart, refunds of some of them (about one payment in four), and
// reinstatements of about half the chargebacks (disputes the merchant
// won), ordered by time, then ID, as a host that delivers in order would send
// them. Refunds never return more than their payment (see Refunds), and
// every event passes Validate.
//
// Payment IDs are the customer's ID with "-p01", "-p02"… appended, so
// histories of different customers never share an ID. Combine with
// Shuffled, Duplicated or Arrivals to draw how the events arrive.
func History(o HistoryOptions) *rapid.Generator[[]affiliate.Event] {
	customer := o.Customer
	if customer == "" {
		customer = "cus_1"
	}
	minN, maxN := o.MinPayments, o.MaxPayments
	if minN <= 0 {
		minN = 1
	}
	if maxN <= 0 {
		maxN = 6
	}
	maxN = max(maxN, minN)
	start := o.Start
	if start.IsZero() {
		start = Epoch
	}
	return rapid.Custom(func(t *rapid.T) []affiliate.Event {
		cur := o.Currency
		if cur == "" && !o.MultiCurrency {
			cur = Currency().Draw(t, "currency")
		}
		n := rapid.IntRange(minN, maxN).Draw(t, "payments")
		var events []affiliate.Event
		for k := range n {
			pc := cur
			if o.MultiCurrency {
				pc = Currency().Draw(t, "payment currency")
			}
			jitter := time.Duration(rapid.Int64Range(0, 27*24*3600).Draw(t, "day of month")) * time.Second
			p := affiliate.Payment{
				ID:       affiliate.EventID(fmt.Sprintf("%s-p%02d", customer, k+1)),
				Customer: customer,
				PaidAt:   start.AddDate(0, k, 0).Add(jitter),
				Currency: pc,
				Lines:    Lines(pc).Draw(t, "lines"),
			}
			events = append(events, p)
			if rapid.IntRange(0, 3).Draw(t, "refunded") == 0 {
				for _, r := range Refunds(p).Draw(t, "refunds") {
					events = append(events, r)
					if r.Kind == affiliate.KindChargeback && rapid.Bool().Draw(t, "dispute won") {
						events = append(events, Reinstatement(r).Draw(t, "reinstatement"))
					}
				}
			}
		}
		SortEvents(events)
		return events
	})
}

// Reinstatement draws the reinstatement of chargeback cb, the dispute won
// between a day and ninety days after it. Its ID is cb's with "-won".
func Reinstatement(cb affiliate.Refund) *rapid.Generator[affiliate.Reinstatement] {
	return rapid.Custom(func(t *rapid.T) affiliate.Reinstatement {
		delay := time.Duration(rapid.Int64Range(24*3600, 90*24*3600).Draw(t, "dispute delay")) * time.Second
		return affiliate.Reinstatement{ID: cb.ID + "-won", Chargeback: cb.ID, Customer: cb.Customer, ReinstatedAt: cb.RefundedAt.Add(delay)}
	})
}

// SortEvents sorts events in place by time, then ID: the order in which a
// host that delivers in order sends them.
func SortEvents(events []affiliate.Event) {
	slices.SortStableFunc(events, compareEvents)
}

func compareEvents(a, b affiliate.Event) int {
	if c := a.EventTime().Compare(b.EventTime()); c != 0 {
		return c
	}
	return cmp.Compare(a.EventID(), b.EventID())
}

// Shuffled draws an arrival order of events: a permutation, which shrinks
// toward the original order.
func Shuffled(events []affiliate.Event) *rapid.Generator[[]affiliate.Event] {
	return rapid.Permutation(slices.Clone(events))
}

// Duplicated draws a delivery of events in which some are delivered
// again, as webhooks are: each extra copy arrives at a drawn position
// after its first delivery. It shrinks toward no duplicates.
func Duplicated(events []affiliate.Event) *rapid.Generator[[]affiliate.Event] {
	return rapid.Custom(func(t *rapid.T) []affiliate.Event {
		out := slices.Clone(events)
		if len(events) == 0 {
			return out
		}
		n := rapid.IntRange(0, len(events)).Draw(t, "duplicates")
		for range n {
			e := events[rapid.IntRange(0, len(events)-1).Draw(t, "duplicated event")]
			first := slices.IndexFunc(out, func(o affiliate.Event) bool { return o.EventID() == e.EventID() })
			at := rapid.IntRange(first+1, len(out)).Draw(t, "redelivered at")
			out = slices.Insert(out, at, e)
		}
		return out
	})
}

// Arrivals draws what a webhook endpoint sees: events shuffled, then some
// delivered again.
func Arrivals(events []affiliate.Event) *rapid.Generator[[]affiliate.Event] {
	return rapid.Custom(func(t *rapid.T) []affiliate.Event {
		return Duplicated(Shuffled(events).Draw(t, "order")).Draw(t, "deliveries")
	})
}
