package memstore

import (
	"math/rand/v2"
	"testing"
)

// TestSeqRunsAreASlice checks that the outbox's runs give back every
// value appended, at its position: runs that continue, break, repeat a
// value, change kind, and reach the top of a kind's numbers.
func TestSeqRunsAreASlice(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var q seqRuns
	var want []uint64
	v := uint64(0)
	for range 5000 {
		switch r.IntN(20) {
		case 0:
			v = uint64(r.IntN(4))<<32 | uint64(r.IntN(100))
		case 1:
			v = storedEvent | (1<<32 - 2) // the next two cross into another kind
		case 2:
			// the same value again
		default:
			v++
		}
		q.append(v)
		want = append(want, v)
	}
	if q.len() != len(want) {
		t.Fatalf("len %d, want %d", q.len(), len(want))
	}
	for i, w := range want {
		if got := q.at(i); got != w {
			t.Fatalf("at(%d) = %#x, want %#x", i, got, w)
		}
	}
	if len(q.runs) > len(want)/4 {
		t.Fatalf("%d runs for %d values", len(q.runs), len(want))
	}
}
