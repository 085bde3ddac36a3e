package tiers

import "fmt"

// Policy says when a month's tier takes effect on commissions.
type Policy uint8

const (
	// NextPeriod, the zero value: the tier decided by month M's metric
	// applies to the payments of month M+1. The close of M records the
	// decision; a payment of M+1 recorded before M is closed is priced at
	// the decision M's running aggregates give; the close of M lists the
	// affiliates whose M+1 payments the engine re-prices (Retier).
	NextPeriod Policy = iota
	// Retroactive: the whole of month M is paid at the tier M's metric
	// reached. During M, payments are priced at the floor (the lowest
	// tier, or a tier kept from an earlier month); the close of M lists the
	// affiliates decided above it, whose payments the engine re-prices
	// (Retier). After the close, late payments of M are priced at M's
	// decided tier directly.
	Retroactive
	// Immediate: the tier applies from the payment that crosses the
	// threshold onward, within the month. Each payment is priced, when it
	// is first recorded, at the tier reached by the month's recorded value
	// plus the payment itself, and keeps that tier: earlier payments of the
	// month are not revisited, replays and recomputes find the tier the
	// payment was priced at, and the close re-prices nothing (it records
	// the month's snapshots). "Recorded value" is what the month's events
	// recorded so far add up to, so with payments arriving out of order
	// the crossing payment is the one whose recording crosses.
	Immediate
)

func (p Policy) String() string {
	switch p {
	case NextPeriod:
		return "next-period"
	case Retroactive:
		return "retroactive"
	case Immediate:
		return "immediate"
	}
	return fmt.Sprintf("Policy(%d)", uint8(p))
}

func (p Policy) valid() bool { return p <= Immediate }
