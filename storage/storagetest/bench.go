package storagetest

import "testing"

type benchSuite struct {
	name string
	run  func(b *testing.B, newStore BenchFactory)
}

// BenchFactory returns a new, empty store for one benchmark.
type BenchFactory func(b *testing.B) any

// RunBenchmarks measures the hot calls of every concern the store
// implements: appends, commits, bindings and the reads behind payouts and
// reports.
func RunBenchmarks(b *testing.B, newStore BenchFactory) {
	for _, s := range benchSuites() {
		b.Run(s.name, func(b *testing.B) { s.run(b, newStore) })
	}
}

func benchSuites() []benchSuite {
	return []benchSuite{
		{"Ledger", benchLedger},
	}
}

func benchLedger(b *testing.B, newStore BenchFactory) {
	b.Skip("not written yet")
}
