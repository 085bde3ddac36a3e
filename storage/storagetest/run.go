// Package storagetest is the conformance suite for stores: a host that
// implements the interfaces of package storage runs it against its own
// store, as memstore and sqlstore do, and gets the guarantees the library
// relies on.
//
// In flows a factory that returns a fresh, empty store for each subtest
// (the model is testing/slogtest); out come subtests, one per case. The
// suite is typed, as gocloud's drivertest is: Run takes a factory of
// Store, every concern at once, and each concern has its own runner
// (RunLedger, RunPayouts…) whose factory returns only what that concern
// needs. A store with a missing or mistyped method fails to compile
// against the runner; no case is skipped because of what the store is.
//
// Each concern covers every documented error with errors.Is, a rapid
// state-machine test against a simple model, a concurrency case meant for
// -race, and the copy-in/copy-out check. RunBenchmarks measures the
// engine's hot path with the same kind of factory.
//
//	func TestConformance(t *testing.T) {
//		storagetest.Run(t, func(*testing.T) storagetest.Store { return memstore.New() })
//	}
package storagetest

import (
	"testing"

	"github.com/openaffiliate/affiliate/storage"
)

// Factory returns a new, empty store. It is called once per subtest; use
// t.Cleanup to release it. A rapid property calls it once per run, on the
// property's t: a store that is also an io.Closer is closed when its run
// ends (and must then tolerate the later t.Cleanup), so that a property's
// runs do not each hold a database open until the property ends.
type Factory[S any] func(t *testing.T) S

// Store is every concern of package storage: what Run tests.
type Store interface {
	storage.Affiliates
	storage.Bindings
	storage.Touches
	storage.Leads
	storage.LeadFinder
	storage.Events
	storage.CustomerStates
	storage.Ledger
	storage.Aggregates
	storage.TierCloses
	storage.Payouts
	storage.PayoutHistory
	storage.Reports
	storage.Profiles
	storage.Reviews
}

// Run runs every concern's cases against the stores newStore returns.
func Run(t *testing.T, newStore Factory[Store]) {
	t.Helper()
	t.Run("Affiliates", func(t *testing.T) { RunAffiliates(t, func(t *testing.T) storage.Affiliates { return newStore(t) }) })
	t.Run("Ledger", func(t *testing.T) { RunLedger(t, func(t *testing.T) LedgerStore { return newStore(t) }) })
	t.Run("Events", func(t *testing.T) { RunEvents(t, func(t *testing.T) EventStore { return newStore(t) }) })
	t.Run("Batch", func(t *testing.T) { RunBatch(t, func(t *testing.T) BatchStore { return newStore(t) }) })
	t.Run("Aggregates", func(t *testing.T) { RunAggregates(t, func(t *testing.T) AggregateStore { return newStore(t) }) })
	t.Run("Bindings", func(t *testing.T) { RunBindings(t, func(t *testing.T) storage.Bindings { return newStore(t) }) })
	t.Run("Touches", func(t *testing.T) { RunTouches(t, func(t *testing.T) storage.Touches { return newStore(t) }) })
	t.Run("Leads", func(t *testing.T) { RunLeads(t, func(t *testing.T) LeadStore { return newStore(t) }) })
	t.Run("Tiers", func(t *testing.T) { RunTiers(t, func(t *testing.T) storage.TierCloses { return newStore(t) }) })
	t.Run("Payouts", func(t *testing.T) { RunPayouts(t, func(t *testing.T) PayoutStore { return newStore(t) }) })
	t.Run("Reports", func(t *testing.T) { RunReports(t, func(t *testing.T) ReportStore { return newStore(t) }) })
	t.Run("Profiles", func(t *testing.T) { RunProfiles(t, func(t *testing.T) ProfileStore { return newStore(t) }) })
	t.Run("Reviews", func(t *testing.T) { RunReviews(t, func(t *testing.T) storage.Reviews { return newStore(t) }) })
	t.Run("Outbox", func(t *testing.T) { RunOutbox(t, optional[OutboxStore](newStore, "storage.Outbox")) })
	t.Run("Balances", func(t *testing.T) { RunBalances(t, optional[BalanceStore](newStore, "storage.BalanceReader")) })
	t.Run("Rebind", func(t *testing.T) { RunRebind(t, optional[RebindStore](newStore, "storage.Rebinder")) })
	t.Run("Expectations", func(t *testing.T) { RunExpectations(t, optional[ExpectStore](newStore, "storage.ExpectationChecker")) })
}

// optional is newStore for a concern whose interface (named iface) a
// store may leave out: its cases skip on a store without it.
func optional[S any](newStore Factory[Store], iface string) Factory[S] {
	return func(t *testing.T) S {
		s, ok := newStore(t).(S)
		if !ok {
			t.Skip("the store does not implement the optional " + iface)
		}
		return s
	}
}

// LedgerStore is what RunLedger needs: the ledger, and the commits that
// fill it.
type LedgerStore interface {
	storage.Events
	storage.Ledger
}
