// Package storagetest is the conformance suite for stores: a host that
// implements the interfaces of package storage runs Run against its own
// store, as memstore and sqlstore do, and gets the same guarantees the
// library relies on.
//
// Run takes a factory that returns a fresh, empty store for each subtest
// (the model is testing/slogtest). The suite is organised by concern:
// each concern's cases run when the store implements that concern's
// interfaces and are skipped, with the reason, when it does not, so a
// host that keeps only some concerns in its own database can still run
// the suite. Each concern covers every documented error with errors.Is,
// a rapid state-machine test against a simple model, a concurrency case
// meant for -race, and the copy-in/copy-out check.
//
// RunBenchmarks measures the same store with the same factory.
package storagetest

import (
	"testing"
)

// Factory returns a new, empty store. It is called once per subtest; use
// t.Cleanup to release it.
type Factory func(t *testing.T) any

type suite struct {
	name string
	run  func(t *testing.T, newStore Factory)
}

func suites() []suite {
	return []suite{
		{"Affiliates", runAffiliates},
		{"Ledger", runLedger},
		{"Events", runEvents},
		{"Aggregates", runAggregates},
		{"Bindings", runBindings},
		{"Touches", runTouches},
		{"Leads", runLeads},
		{"Tiers", runTiers},
		{"Payouts", runPayouts},
		{"Reports", runReports},
	}
}

// Run runs the conformance suite against the stores newStore returns.
func Run(t *testing.T, newStore Factory) {
	t.Helper()
	for _, s := range suites() {
		t.Run(s.name, func(t *testing.T) { s.run(t, newStore) })
	}
}

// need returns the store newStore makes as a T, or skips the test when the
// store does not implement T.
func need[T any](t *testing.T, newStore Factory) T {
	t.Helper()
	s := newStore(t)
	v, ok := s.(T)
	if !ok {
		var zero *T
		t.Skipf("the store (%T) does not implement %T", s, zero)
	}
	return v
}
